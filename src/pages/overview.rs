use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use benefits_api::workspace::Workspace;
use crate::components::{EvaluationSummary, MbsChart};
use crate::loaded::{loaded, partner_id, workspace_resource};
use crate::ui;

/// The partner's overview: tiers, progress, benefit year, a year of sales and who to talk to.
#[component]
pub fn Overview() -> impl IntoView {
    crate::set_title("Overview");
    let pid = partner_id();
    let ws = workspace_resource(pid);
    view! {
        <section class="page">
            <h1>"Overview"</h1>
            {loaded(ws, "your workspace", overview_body)}
        </section>
    }
}

fn overview_body(ws: Workspace) -> impl IntoView {
    let base = format!("/partners/{}", ws.partner.id);
    let catalog = Arc::new(ws.input.catalog.clone());
    let active = ws.benefits.iter().filter(|b| b.status.is_active()).count();
    let overdue = ws.benefits.iter().filter(|b| b.contact_overdue).count();
    let evaluation = ws.evaluation();
    let advice = evaluation.support_ticket.reason.filter(|_| evaluation.support_ticket.advised).map(|reason| {
        let text = reason.describe();
        view! {
            <div class="notice notice--warning" role="note" id="support-ticket">
                <p class="notice__title"><span aria-hidden="true">"ℹ "</span>"Open a support ticket"</p>
                <p>{text}</p>
                <p>"Open a ticket with the Marketplace Rewards support team and mention your partner ID " <strong>{ws.partner.id.clone()}</strong>"."</p>
            </div>
        }
    });
    let manager = match ws.engagement_manager.clone() {
        Some(m) => view! {
            <dl class="kv">
                <dt>"Name"</dt><dd>{m.name}</dd>
                <dt>"Email"</dt><dd><a href=format!("mailto:{}", m.email)>{m.email.clone()}</a></dd>
            </dl>
        }
        .into_any(),
        None => view! { <p>"Partners with a live transact offer get a dedicated engagement manager."</p> }.into_any(),
    };
    view! {
        <p class="lead">{format!("{} · partner ID {} · as of {}", ws.partner.name, ws.partner.id, ui::date_long(ws.as_of))}</p>
        {advice}
        <div class="overview-grid">
            <div>
                <section aria-labelledby="tier-title">
                    <h2 id="tier-title">"Your tier"</h2>
                    <EvaluationSummary evaluation=evaluation.clone() catalog=catalog transact_live=ws.input.partner.transact_live_on(ws.input.as_of) hide_advice=true />
                </section>
                <section class="card" aria-labelledby="chart-title">
                    <h2 id="chart-title" class="card__title">"Marketplace billed sales, last 12 months"</h2>
                    <MbsChart months=ws.explanation().months tiers=ws.input.catalog.metrics.mbs.clone() />
                </section>
            </div>
            <aside>
                <section class="card" aria-labelledby="em-title">
                    <h2 id="em-title" class="card__title">"Your engagement manager"</h2>
                    {manager}
                </section>
                <section class="card" aria-labelledby="next-title">
                    <h2 id="next-title" class="card__title">"Next steps"</h2>
                    <ul class="link-list">
                        <li><A href=format!("{base}/why")>"See why you are in this tier"</A></li>
                        <li>
                            <A href=format!("{base}/benefits")>"Marketing benefits"</A>
                            {format!(" · {active} active")}
                            {(overdue > 0).then(|| view! { <span class="overdue">{format!(" · {overdue} overdue contact")}</span> })}
                        </li>
                        <li><A href="/what-if">"Try a what-if"</A></li>
                    </ul>
                </section>
            </aside>
        </div>
    }
}
