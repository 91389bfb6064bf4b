use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use benefits_api::workspace::Workspace;
use crate::components::{EvaluationSummary, MbsChart};
use crate::loaded::{loaded, partner_id, workspace_resource};
use crate::locale::{self, text, text::fill};
use crate::ui;

/// The partner's overview: tiers, progress, benefit year, a year of sales and who to talk to.
#[component]
pub fn Overview() -> impl IntoView {
    crate::set_title(crate::tr!(overview.title));
    let pid = partner_id();
    let ws = workspace_resource(pid);
    view! {
        <section class="page">
            <h1>{crate::tr!(overview.title)}</h1>
            {loaded(ws, crate::tr!(overview.what), overview_body)}
        </section>
    }
}

fn overview_body(ws: Workspace) -> impl IntoView {
    let base = format!("/partners/{}", ws.partner.id);
    let catalog = Arc::new(ws.input.catalog.clone());
    let active = ws.benefits.iter().filter(|b| b.status.is_active()).count();
    let overdue = ws.benefits.iter().filter(|b| b.contact_overdue).count();
    let (name, id, as_of) = (ws.partner.name.clone(), ws.partner.id.clone(), ws.as_of);
    let evaluation = ws.evaluation();
    let advice = evaluation.support_ticket.reason.filter(|_| evaluation.support_ticket.advised).map(|reason| {
        let text = move || text::ticket_reason(locale::current(), reason);
        view! {
            <div class="notice notice--warning" role="note" id="support-ticket">
                <p class="notice__title"><span aria-hidden="true">"ℹ "</span>{crate::tr!(summary.ticket)}</p>
                <p>{text}</p>
                <p>{crate::tr!(overview.ticket_text)} <strong>{ws.partner.id.clone()}</strong>"."</p>
            </div>
        }
    });
    let manager = match ws.engagement_manager.clone() {
        Some(m) => view! {
            <dl class="kv">
                <dt>{crate::tr!(overview.name)}</dt><dd>{m.name}</dd>
                <dt>{crate::tr!(overview.email)}</dt><dd><a href=format!("mailto:{}", m.email)>{m.email.clone()}</a></dd>
            </dl>
        }
        .into_any(),
        None => view! { <p>{crate::tr!(overview.no_manager)}</p> }.into_any(),
    };
    view! {
        <p class="lead">{move || fill(crate::trs!(overview.lead), &[("name", &name), ("id", &id), ("date", &ui::date_long(as_of))])}</p>
        {advice}
        <div class="overview-grid">
            <div>
                <section aria-labelledby="tier-title">
                    <h2 id="tier-title">{crate::tr!(overview.your_tier)}</h2>
                    <EvaluationSummary evaluation=evaluation.clone() catalog=catalog transact_live=ws.input.partner.transact_live_on(ws.input.as_of) hide_advice=true />
                </section>
                <section class="card" aria-labelledby="chart-title">
                    <h2 id="chart-title" class="card__title">{crate::tr!(overview.chart)}</h2>
                    <MbsChart months=ws.explanation().months tiers=ws.input.catalog.metrics.mbs.clone() />
                </section>
            </div>
            <aside>
                <section class="card" aria-labelledby="em-title">
                    <h2 id="em-title" class="card__title">{crate::tr!(overview.manager)}</h2>
                    {manager}
                </section>
                <section class="card" aria-labelledby="next-title">
                    <h2 id="next-title" class="card__title">{crate::tr!(overview.next)}</h2>
                    <ul class="link-list">
                        <li><A href=format!("{base}/why")>{crate::tr!(overview.see_why)}</A></li>
                        <li>
                            <A href=format!("{base}/benefits")>{crate::tr!(nav.benefits)}</A>
                            {move || fill(crate::trs!(overview.active), &[("n", &active.to_string())])}
                            {(overdue > 0).then(|| view! { <span class="overdue">{move || fill(crate::trs!(overview.overdue), &[("n", &overdue.to_string())])}</span> })}
                        </li>
                        <li><A href="/what-if">{crate::tr!(overview.try_what_if)}</A></li>
                    </ul>
                </section>
            </aside>
        </div>
    }
}
