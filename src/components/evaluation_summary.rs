use std::sync::Arc;

use benefits_domain::evaluate::MetricName;
use benefits_domain::{Catalog, Cents, Evaluation};
use leptos::prelude::*;

use crate::components::MetricCard;
use crate::locale::{self, text, text::fill};
use crate::ui;

/// The result of one evaluation: effective tier, today's tier per metric with
/// the gap to the next tier, the benefit year, unlocked benefits and advice.
#[component]
pub fn EvaluationSummary(
    evaluation: Evaluation,
    catalog: Arc<Catalog>,
    /// A transact offer is live on the evaluation date (`PartnerData::transact_live_on`).
    transact_live: bool,
    /// The page shows the support-ticket advice itself.
    #[prop(optional)]
    hide_advice: bool,
) -> impl IntoView {
    let ev = evaluation;
    let m = &ev.metrics;
    let c = &catalog.metrics;

    let usd = |c: Cents| TextProp::from(move || ui::usd(c));
    let users = |n: u64| TextProp::from(move || text::users(locale::current(), n));
    let metric_name = |m: MetricName| TextProp::from(move || text::metric(locale::current(), m));
    let cards = view! {
        <MetricCard
            id="metric-mbs"
            name=metric_name(MetricName::Mbs)
            value=usd(m.mbs.value)
            tier=m.mbs.tier
            next=m.mbs.next.as_ref().map(|n| (n.tier, usd(n.missing)))
            progress=ui::metric_progress(&c.mbs, m.mbs.value, m.mbs.tier, m.mbs.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
        <MetricCard
            id="metric-bizapps"
            name=metric_name(MetricName::Bizapps)
            value=usd(m.bizapps.value)
            tier=m.bizapps.tier
            next=m.bizapps.next.as_ref().map(|n| (n.tier, usd(n.missing)))
            progress=ui::metric_progress(&c.bizapps, m.bizapps.value, m.bizapps.tier, m.bizapps.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
        <MetricCard
            id="metric-teams"
            name=metric_name(MetricName::TeamsMau)
            value=users(m.teams_mau.value)
            tier=m.teams_mau.tier
            next=m.teams_mau.next.as_ref().map(|n| (n.tier, users(n.missing)))
            progress=ui::metric_progress(&c.teams_mau, m.teams_mau.value, m.teams_mau.tier, m.teams_mau.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
    };

    let year = match ev.benefit_year {
        Some(y) => {
            let left = y.days_to_refresh(ev.as_of);
            view! {
                <p id="benefit-year">
                    {move || fill(crate::trs!(summary.year), &[("start", &ui::date_long(y.start)), ("end", &ui::date_long(y.end))])}
                    <strong>{move || fill(crate::trs!(summary.refresh), &[("days", &ui::days(left))])}</strong>
                    {move || fill(crate::trs!(summary.refresh_on), &[("date", &ui::date_long(y.end.succ_opt().unwrap_or(y.end)))])}
                </p>
            }
            .into_any()
        }
        None => view! { <p id="benefit-year">{crate::tr!(summary.no_year)}</p> }.into_any(),
    };

    let benefits: Vec<_> = ev
        .unlocked_benefits
        .iter()
        .map(|id| {
            let def = catalog.benefit(id);
            let name = def.map_or_else(|| id.clone(), |b| b.name.clone());
            let id = id.clone();
            let name = move || text::benefit_name(locale::current(), &id, &name);
            let kind = def.map(|b| b.kind);
            let kind = move || kind.map(|k| text::benefit_kind(locale::current(), k)).unwrap_or("");
            view! {
                <li>
                    <span class="benefit-name">{name}</span>
                    " "
                    <span class="tag">{kind}</span>
                </li>
            }
        })
        .collect();
    let no_benefits = benefits.is_empty();

    let excluded = &ev.excluded_sales;
    let excluded_total = excluded.fraud + excluded.cancelled_accidental + excluded.cancelled_before_use;
    let (fraud, accidental, before_use) = (excluded.fraud, excluded.cancelled_accidental, excluded.cancelled_before_use);
    let (effective, today, as_of) = (ev.effective_tier, ev.transact_tier_today, ev.as_of);
    let catalog_version = ev.catalog_version.clone();
    let advice = ev.support_ticket.reason.filter(|_| !hide_advice).map(|r| {
        view! {
            <div class="notice notice--warning" role="note">
                <p class="notice__title"><span aria-hidden="true">"ℹ "</span>{crate::tr!(summary.ticket)}</p>
                <p>{move || text::ticket_reason(locale::current(), r)}</p>
            </div>
        }
    });

    view! {
        <div class="evaluation">
            <div class="tier-headline card" aria-live="polite">
                <div>
                    <p class="tier-headline__label">{crate::tr!(summary.effective)}</p>
                    <p class="tier-headline__value" id="effective-tier">{move || ui::tier_label(effective)}</p>
                </div>
                <div>
                    <p class="tier-headline__label">{crate::tr!(summary.today)}</p>
                    <p class="tier-headline__today" id="today-tier">{move || ui::tier_label(today)}</p>
                </div>
                <p class="tier-headline__explain">
                    {move || match (effective, today) {
                        (Some(e), Some(t)) if e > t => fill(crate::trs!(summary.kept_higher), &[("effective", &e.to_string()), ("today", &t.to_string())]),
                        (Some(e), None) => fill(crate::trs!(summary.kept), &[("effective", &e.to_string())]),
                        (Some(_), Some(_)) => crate::trs!(summary.highest).to_string(),
                        (None, _) => crate::trs!(summary.none).to_string(),
                    }}
                </p>
            </div>
            {year}
            {advice}
            <h3 class="section-title">{crate::tr!(summary.by_metric)}</h3>
            <p class="hint">{move || fill(crate::trs!(summary.window), &[("date", &ui::date_long(as_of))])}</p>
            <div class="metric-grid">{cards}</div>
            <h3 class="section-title">{crate::tr!(summary.unlocked)}</h3>
            {if no_benefits {
                view! { <p id="unlocked-benefits">{crate::tr!(summary.no_unlocked)}</p> }.into_any()
            } else {
                view! { <ul class="benefit-list" id="unlocked-benefits">{benefits}</ul> }.into_any()
            }}
            <p class="hint">
                {move || fill(crate::trs!(summary.catalog), &[("version", &catalog_version)])}
                {move || if excluded_total == 0 {
                    crate::trs!(summary.no_excluded).to_string()
                } else {
                    fill(
                        crate::trs!(summary.excluded),
                        &[("fraud", &fraud.to_string()), ("accidental", &accidental.to_string()), ("before_use", &before_use.to_string())],
                    )
                }}
            </p>
        </div>
    }
}
