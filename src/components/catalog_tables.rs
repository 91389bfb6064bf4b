use benefits_domain::catalog::{MetricTiers, Tier};
use benefits_domain::{Catalog, Evaluation, OfferType};
use leptos::prelude::*;

use crate::ui;

/// Where a partner stands, marked in the tables in words (not colour alone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub effective: Option<u32>,
    pub mbs: Option<u32>,
    pub bizapps: Option<u32>,
    pub teams_mau: Option<u32>,
}

impl Position {
    pub fn of(e: &Evaluation) -> Position {
        Position { effective: e.effective_tier, mbs: e.metrics.mbs.tier, bizapps: e.metrics.bizapps.tier, teams_mau: e.metrics.teams_mau.tier }
    }
}

fn you_today(you: bool) -> Option<AnyView> {
    you.then(|| view! { <span class="you-badge">" · you today"</span> }.into_any())
}

fn threshold_cell<T: Copy>(tiers: &MetricTiers<T>, tier: u32, you: bool, show: impl Fn(T) -> String) -> AnyView {
    match tiers.tiers.iter().find(|t: &&Tier<T>| t.tier == tier) {
        Some(t) if t.illustrative => view! {
            <td class="num">{show(t.min)}<span class="illustrative">" (illustrative)"</span>{you_today(you)}</td>
        }
        .into_any(),
        Some(t) => view! { <td class="num">{show(t.min)}<span class="confirmed">" (published)"</span>{you_today(you)}</td> }.into_any(),
        None => view! { <td class="num"><span aria-hidden="true">"—"</span><span class="visually-hidden">"No threshold"</span></td> }.into_any(),
    }
}

fn yes_no(yes: bool) -> AnyView {
    if yes {
        view! { <td class="center"><span aria-hidden="true">"✓ "</span>"Yes"</td> }.into_any()
    } else {
        view! { <td class="center muted"><span aria-hidden="true">"—"</span><span class="visually-hidden">"No"</span></td> }.into_any()
    }
}

/// The catalog as tables: tier thresholds per metric, what each tier and
/// offer type unlocks, and what each benefit is; the partner's position marked.
#[component]
pub fn CatalogTables(catalog: Catalog, #[prop(optional)] position: Option<Position>) -> impl IntoView {
    let p = position.unwrap_or_default();
    let tiers: Vec<u32> = catalog.all_tiers().into_iter().collect();
    let m = &catalog.metrics;
    let threshold_rows = tiers
        .iter()
        .map(|&t| {
            let yours = p.effective == Some(t);
            view! {
                <tr class:is-you=yours>
                    <th scope="row">{format!("Tier {t}")}{yours.then_some(view! { <span class="you-badge">" · your tier"</span> })}</th>
                    {threshold_cell(&m.mbs, t, p.mbs == Some(t), ui::usd_short)}
                    {threshold_cell(&m.bizapps, t, p.bizapps == Some(t), ui::usd_short)}
                    {threshold_cell(&m.teams_mau, t, p.teams_mau == Some(t), |n| format!("{} users", ui::count(n)))}
                </tr>
            }
        })
        .collect_view();

    let offer_types = [OfferType::List, OfferType::Trial, OfferType::Consulting];
    let tier_headers = tiers
        .iter()
        .map(|t| {
            let label = if p.effective == Some(*t) { format!("Tier {t} (yours)") } else { format!("Tier {t}") };
            view! { <th scope="col" class="center">{label}</th> }
        })
        .collect_view();
    let benefit_rows = catalog
        .benefits
        .iter()
        .map(|b| {
            let by_offer = offer_types.iter().map(|t| yes_no(catalog.offer_benefits.for_type(*t).contains(&b.id))).collect_view();
            let by_tier = tiers.iter().map(|t| yes_no(catalog.tier_benefit_ids(*t).any(|id| id == b.id))).collect_view();
            view! { <tr><th scope="row">{b.name.clone()}</th>{by_offer}{by_tier}</tr> }
        })
        .collect_view();

    let definitions = catalog
        .benefits
        .iter()
        .map(|b| {
            let expiry = match b.expires_after_days {
                Some(d) => format!("Expires {} after activation", ui::days(d as i64)),
                None => "Does not expire".to_string(),
            };
            view! {
                <tr>
                    <th scope="row">{b.name.clone()}</th>
                    <td>{b.kind.as_str()}</td>
                    <td>{b.description.clone().unwrap_or_default()}</td>
                    <td>{expiry}</td>
                </tr>
            }
        })
        .collect_view();
    let version = catalog.version.clone();
    let aggregate = match m.teams_mau.aggregate {
        benefits_domain::catalog::Aggregate::Max => "highest month",
        benefits_domain::catalog::Aggregate::Sum => "sum of months",
    };

    view! {
        <p>"Catalog version " <strong id="catalog-version">{version.clone()}</strong></p>
        {catalog.notes.clone().map(|n| view! { <div class="notice notice--info"><p>{n}</p></div> })}

        <h2>"Tier thresholds"</h2>
        <p>
            "A transact partner reaches a tier when any one metric, over the trailing twelve months, is at least the threshold. "
            "Tiers count only while at least one transact offer is live."
        </p>
        <div class="table-wrap">
            <table class="table" id="thresholds">
                <caption>{format!("Minimum TTM value per tier, catalog {version}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Tier"</th>
                        <th scope="col" class="num">"Marketplace billed sales"</th>
                        <th scope="col" class="num">"Business Applications value"</th>
                        <th scope="col" class="num">{format!("Teams app MAU ({aggregate})")}</th>
                    </tr>
                </thead>
                <tbody>{threshold_rows}</tbody>
            </table>
        </div>

        <h2>"Benefits by offer type and tier"</h2>
        <p>"List, trial and consulting benefits unlock for a 12-month period when an offer of that type goes live. A transact tier unlocks its benefits and those of every lower tier."</p>
        <div class="table-wrap">
            <table class="table table--matrix" id="benefit-matrix">
                <caption>"Which benefits each offer type and each transact tier unlocks"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Benefit"</th>
                        <th scope="col" class="center">"List"</th>
                        <th scope="col" class="center">"Trial"</th>
                        <th scope="col" class="center">"Consulting"</th>
                        {tier_headers}
                    </tr>
                </thead>
                <tbody>{benefit_rows}</tbody>
            </table>
        </div>

        <h2>"What each benefit is"</h2>
        <div class="table-wrap">
            <table class="table" id="benefit-definitions">
                <caption>"Benefit descriptions"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Benefit"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"What it is"</th>
                        <th scope="col">"Expiry"</th>
                    </tr>
                </thead>
                <tbody>{definitions}</tbody>
            </table>
        </div>
    }
}

