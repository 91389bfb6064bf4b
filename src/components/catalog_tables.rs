use benefits_domain::catalog::{MetricTiers, Tier};
use benefits_domain::{Catalog, Evaluation, OfferType};
use leptos::prelude::*;

use crate::locale::{self, text, text::fill};
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
    you.then(|| view! { <span class="you-badge">{crate::tr!(catalog.you_today)}</span> }.into_any())
}

fn threshold_cell<T: Copy + Send + Sync + 'static>(
    tiers: &MetricTiers<T>,
    tier: u32,
    you: bool,
    show: impl Fn(T) -> String + Copy + Send + Sync + 'static,
) -> AnyView {
    match tiers.tiers.iter().find(|t: &&Tier<T>| t.tier == tier) {
        Some(t) if t.illustrative => {
            let min = t.min;
            view! {
                <td class="num">{move || show(min)}<span class="illustrative">{crate::tr!(catalog.illustrative)}</span>{you_today(you)}</td>
            }
            .into_any()
        }
        Some(t) => {
            let min = t.min;
            view! { <td class="num">{move || show(min)}<span class="confirmed">{crate::tr!(catalog.published)}</span>{you_today(you)}</td> }.into_any()
        }
        None => view! { <td class="num"><span aria-hidden="true">"—"</span><span class="visually-hidden">{crate::tr!(catalog.no_threshold)}</span></td> }.into_any(),
    }
}

fn yes_no(yes: bool) -> AnyView {
    if yes {
        view! { <td class="center"><span aria-hidden="true">"✓ "</span>{crate::tr!(catalog.yes)}</td> }.into_any()
    } else {
        view! { <td class="center muted"><span aria-hidden="true">"—"</span><span class="visually-hidden">{crate::tr!(catalog.no)}</span></td> }.into_any()
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
                    <th scope="row">{move || ui::tier_label(Some(t))}{yours.then_some(view! { <span class="you-badge">{crate::tr!(catalog.your_tier)}</span> })}</th>
                    {threshold_cell(&m.mbs, t, p.mbs == Some(t), ui::usd_short)}
                    {threshold_cell(&m.bizapps, t, p.bizapps == Some(t), ui::usd_short)}
                    {threshold_cell(&m.teams_mau, t, p.teams_mau == Some(t), |n| text::users(locale::current(), n))}
                </tr>
            }
        })
        .collect_view();

    let offer_types = [OfferType::List, OfferType::Trial, OfferType::Consulting];
    let tier_headers = tiers
        .iter()
        .map(|t| {
            let (t, yours) = (*t, p.effective == Some(*t));
            let label = move || {
                if yours {
                    fill(crate::trs!(catalog.tier_yours), &[("tier", &t.to_string())])
                } else {
                    ui::tier_label(Some(t))
                }
            };
            view! { <th scope="col" class="center">{label}</th> }
        })
        .collect_view();
    let benefit_rows = catalog
        .benefits
        .iter()
        .map(|b| {
            let by_offer = offer_types.iter().map(|t| yes_no(catalog.offer_benefits.for_type(*t).contains(&b.id))).collect_view();
            let by_tier = tiers.iter().map(|t| yes_no(catalog.tier_benefit_ids(*t).any(|id| id == b.id))).collect_view();
            let (id, name) = (b.id.clone(), b.name.clone());
            view! { <tr><th scope="row">{move || text::benefit_name(locale::current(), &id, &name)}</th>{by_offer}{by_tier}</tr> }
        })
        .collect_view();

    let definitions = catalog
        .benefits
        .iter()
        .map(|b| {
            let days = b.expires_after_days;
            let expiry = move || match days {
                Some(d) => fill(crate::trs!(catalog.expires_after), &[("days", &ui::days(d as i64))]),
                None => crate::trs!(catalog.no_expiry).to_string(),
            };
            let kind = b.kind;
            let (id, name, description) = (b.id.clone(), b.name.clone(), b.description.clone().unwrap_or_default());
            let id2 = id.clone();
            view! {
                <tr>
                    <th scope="row">{move || text::benefit_name(locale::current(), &id, &name)}</th>
                    <td>{move || text::benefit_kind(locale::current(), kind)}</td>
                    <td>{move || text::benefit_description(locale::current(), &id2, &description)}</td>
                    <td>{expiry}</td>
                </tr>
            }
        })
        .collect_view();
    let version = catalog.version.clone();
    let max = matches!(m.teams_mau.aggregate, benefits_domain::catalog::Aggregate::Max);
    let aggregate = move || if max { crate::trs!(catalog.agg_max) } else { crate::trs!(catalog.agg_sum) };
    let caption = {
        let version = version.clone();
        move || fill(crate::trs!(catalog.thresholds_caption), &[("version", &version)])
    };

    // Each table's wrapper scrolls a wide table (Polish headings are longer):
    // focusable and named, so keyboard users can scroll it.
    view! {
        <p>{crate::tr!(catalog.version)} <strong id="catalog-version">{version.clone()}</strong></p>
        {catalog.notes.clone().map(|n| view! { <div class="notice notice--info"><p>{move || text::catalog_notes(locale::current(), &n)}</p></div> })}

        <h2>{crate::tr!(catalog.thresholds)}</h2>
        <p>{crate::tr!(catalog.thresholds_text)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(catalog.thresholds)>
            <table class="table" id="thresholds">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(catalog.tier)}</th>
                        <th scope="col" class="num">{crate::tr!(catalog.mbs)}</th>
                        <th scope="col" class="num">{crate::tr!(catalog.bizapps)}</th>
                        <th scope="col" class="num">{move || fill(crate::trs!(catalog.teams), &[("aggregate", aggregate())])}</th>
                    </tr>
                </thead>
                <tbody>{threshold_rows}</tbody>
            </table>
        </div>

        <h2>{crate::tr!(catalog.matrix)}</h2>
        <p>{crate::tr!(catalog.matrix_text)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(catalog.matrix)>
            <table class="table table--matrix" id="benefit-matrix">
                <caption>{crate::tr!(catalog.matrix_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(catalog.benefit)}</th>
                        <th scope="col" class="center">{crate::tr!(offer_type.list)}</th>
                        <th scope="col" class="center">{crate::tr!(offer_type.trial)}</th>
                        <th scope="col" class="center">{crate::tr!(offer_type.consulting)}</th>
                        {tier_headers}
                    </tr>
                </thead>
                <tbody>{benefit_rows}</tbody>
            </table>
        </div>

        <h2>{crate::tr!(catalog.definitions)}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(catalog.definitions)>
            <table class="table" id="benefit-definitions">
                <caption>{crate::tr!(catalog.definitions_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(catalog.benefit)}</th>
                        <th scope="col">{crate::tr!(catalog.kind)}</th>
                        <th scope="col">{crate::tr!(catalog.what_it_is)}</th>
                        <th scope="col">{crate::tr!(catalog.expiry)}</th>
                    </tr>
                </thead>
                <tbody>{definitions}</tbody>
            </table>
        </div>
    }
}

