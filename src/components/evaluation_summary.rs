use std::sync::Arc;

use benefits_domain::evaluate::MetricName;
use benefits_domain::{Catalog, Evaluation};
use leptos::prelude::*;

use crate::components::MetricCard;
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

    let cards = view! {
        <MetricCard
            id="metric-mbs"
            name=MetricName::Mbs.describe()
            value=ui::usd(m.mbs.value)
            tier=m.mbs.tier
            next=m.mbs.next.as_ref().map(|n| (n.tier, ui::usd(n.missing)))
            progress=ui::metric_progress(&c.mbs, m.mbs.value, m.mbs.tier, m.mbs.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
        <MetricCard
            id="metric-bizapps"
            name=MetricName::Bizapps.describe()
            value=ui::usd(m.bizapps.value)
            tier=m.bizapps.tier
            next=m.bizapps.next.as_ref().map(|n| (n.tier, ui::usd(n.missing)))
            progress=ui::metric_progress(&c.bizapps, m.bizapps.value, m.bizapps.tier, m.bizapps.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
        <MetricCard
            id="metric-teams"
            name=MetricName::TeamsMau.describe()
            value=format!("{} users", ui::count(m.teams_mau.value))
            tier=m.teams_mau.tier
            next=m.teams_mau.next.as_ref().map(|n| (n.tier, format!("{} users", ui::count(n.missing))))
            progress=ui::metric_progress(&c.teams_mau, m.teams_mau.value, m.teams_mau.tier, m.teams_mau.next.as_ref().map(|n| n.tier))
            transact_live=transact_live
        />
    };

    let year = match ev.benefit_year {
        Some(y) => {
            let left = y.days_to_refresh(ev.as_of);
            view! {
                <p id="benefit-year">
                    {format!("Benefit year {} to {}. ", ui::date_long(y.start), ui::date_long(y.end))}
                    <strong>{format!("Benefits refresh in {}", ui::days(left))}</strong>
                    {format!(" (on {}).", ui::date_long(y.end.succ_opt().unwrap_or(y.end)))}
                </p>
            }
            .into_any()
        }
        None => view! { <p id="benefit-year">"No benefit year yet: no offer has gone live by this date."</p> }.into_any(),
    };

    let benefits: Vec<_> = ev
        .unlocked_benefits
        .iter()
        .map(|id| {
            let def = catalog.benefit(id);
            let name = def.map_or_else(|| id.clone(), |b| b.name.clone());
            let kind = def.map(|b| b.kind.as_str()).unwrap_or("");
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
    let advice = ev.support_ticket.reason.filter(|_| !hide_advice).map(|r| {
        view! {
            <div class="notice notice--warning" role="note">
                <p class="notice__title"><span aria-hidden="true">"ℹ "</span>"Open a support ticket"</p>
                <p>{r.describe()}</p>
            </div>
        }
    });

    view! {
        <div class="evaluation">
            <div class="tier-headline card" aria-live="polite">
                <div>
                    <p class="tier-headline__label">"Effective tier"</p>
                    <p class="tier-headline__value" id="effective-tier">{ui::tier_label(ev.effective_tier)}</p>
                </div>
                <div>
                    <p class="tier-headline__label">"Transact tier today"</p>
                    <p class="tier-headline__today" id="today-tier">{ui::tier_label(ev.transact_tier_today)}</p>
                </div>
                <p class="tier-headline__explain">
                    {match (ev.effective_tier, ev.transact_tier_today) {
                        (Some(e), Some(t)) if e > t => format!("Tier {e} was reached earlier in this benefit year and is kept until the year ends, although the metrics today give tier {t}."),
                        (Some(e), None) => format!("Tier {e} was reached earlier in this benefit year and is kept until the year ends."),
                        (Some(_), Some(_)) => "The effective tier is the highest tier reached on any day of the benefit year so far.".to_string(),
                        (None, _) => "No transact tier reached in this benefit year so far.".to_string(),
                    }}
                </p>
            </div>
            {year}
            {advice}
            <h3 class="section-title">"Today's tier by metric"</h3>
            <p class="hint">{format!("Trailing twelve months to {}. Any one metric reaching a tier is enough.", ui::date_long(ev.as_of))}</p>
            <div class="metric-grid">{cards}</div>
            <h3 class="section-title">"Unlocked benefits"</h3>
            {if no_benefits {
                view! { <p id="unlocked-benefits">"No benefits unlocked on this date."</p> }.into_any()
            } else {
                view! { <ul class="benefit-list" id="unlocked-benefits">{benefits}</ul> }.into_any()
            }}
            <p class="hint">
                {format!("Catalog {}. ", ev.catalog_version)}
                {if excluded_total == 0 {
                    "No sales lines were excluded in the window.".to_string()
                } else {
                    format!(
                        "Excluded in the window: {} fraudulent, {} accidental and cancelled, {} cancelled before use.",
                        excluded.fraud, excluded.cancelled_accidental, excluded.cancelled_before_use
                    )
                }}
            </p>
        </div>
    }
}
