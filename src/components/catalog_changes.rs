use benefits_domain::catalog::Aggregate;
use benefits_domain::catalog_diff::{catalog_diff, BenefitEdit, CatalogChange, Threshold};
use benefits_domain::Catalog;
use leptos::prelude::*;

use crate::locale::{self, format, text, text::fill, Locale};

/// The difference of the draft against the version in force, field by field
/// in the program's words ("Tier 2 threshold of MBS: $25,000.00 → $40,000.00"),
/// computed by the domain's `catalog_diff` as the operator edits.
#[component]
pub fn CatalogChanges(current: Catalog, draft: RwSignal<Catalog>) -> impl IntoView {
    let current = StoredValue::new(current);
    let lines = move || {
        let l = locale::current();
        draft.with(|d| current.with_value(|c| catalog_diff(c, d).iter().map(|ch| describe(l, ch, c, d)).collect::<Vec<_>>()))
    };
    view! {
        <section aria-labelledby="catalog-diff-title" class="catalog-diff">
            <h3 id="catalog-diff-title">
                {move || fill(crate::trs!(catalog_editor.diff_title), &[("version", &current.with_value(|c| c.version.clone()))])}
            </h3>
            {move || {
                let lines = lines();
                if lines.is_empty() {
                    view! { <p id="catalog-diff-none">{crate::tr!(catalog_editor.diff_none)}</p> }.into_any()
                } else {
                    view! { <ul class="changes" id="catalog-diff">{lines.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any()
                }
            }}
        </section>
    }
}

fn threshold(l: Locale, t: Option<Threshold>) -> String {
    match t {
        Some(Threshold::Usd(c)) => format::money(l, c),
        Some(Threshold::Users(n)) => text::users(l, n),
        None => "—".to_string(),
    }
}

fn aggregate(l: Locale, a: Aggregate) -> &'static str {
    match a {
        Aggregate::Sum => leptos_i18n::td_string!(l, catalog_editor.sum),
        Aggregate::Max => leptos_i18n::td_string!(l, catalog_editor.max),
    }
}

/// A benefit by its name in the proposal (or in force, when dropped).
fn benefit(l: Locale, id: &str, current: &Catalog, draft: &Catalog) -> String {
    let name = draft.benefit(id).or_else(|| current.benefit(id)).map(|b| b.name.as_str()).unwrap_or(id);
    text::benefit_name(l, id, name)
}

fn describe(l: Locale, ch: &CatalogChange, current: &Catalog, draft: &Catalog) -> String {
    use leptos_i18n::td_string as t;
    let tier_s = |n: &u32| n.to_string();
    match ch {
        CatalogChange::Version { before, after } => fill(t!(l, catalog_editor.ch_version), &[("before", before), ("after", after)]),
        CatalogChange::Notes { .. } => t!(l, catalog_editor.ch_notes).to_string(),
        CatalogChange::Aggregate { metric, before, after } => fill(
            t!(l, catalog_editor.ch_aggregate),
            &[("metric", text::metric(l, *metric)), ("before", aggregate(l, *before)), ("after", aggregate(l, *after))],
        ),
        CatalogChange::Threshold { metric, tier, before, after } => {
            let template = match (before, after) {
                (None, _) => t!(l, catalog_editor.ch_tier_added),
                (_, None) => t!(l, catalog_editor.ch_tier_removed),
                _ => t!(l, catalog_editor.ch_threshold),
            };
            fill(template, &[("tier", &tier_s(tier)), ("metric", text::metric(l, *metric)), ("before", &threshold(l, *before)), ("after", &threshold(l, *after))])
        }
        CatalogChange::Illustrative { metric, tier, after } => {
            let template = if *after { t!(l, catalog_editor.ch_illustrative) } else { t!(l, catalog_editor.ch_confirmed) };
            fill(template, &[("tier", &tier_s(tier)), ("metric", text::metric(l, *metric))])
        }
        CatalogChange::OfferBenefitAdded { offer_type, benefit: b } => {
            fill(t!(l, catalog_editor.ch_offer_added), &[("type", text::offer_type(l, *offer_type)), ("benefit", &benefit(l, b, current, draft))])
        }
        CatalogChange::OfferBenefitRemoved { offer_type, benefit: b } => {
            fill(t!(l, catalog_editor.ch_offer_removed), &[("type", text::offer_type(l, *offer_type)), ("benefit", &benefit(l, b, current, draft))])
        }
        CatalogChange::TierBenefitAdded { tier, benefit: b } => {
            fill(t!(l, catalog_editor.ch_tier_benefit_added), &[("tier", &tier_s(tier)), ("benefit", &benefit(l, b, current, draft))])
        }
        CatalogChange::TierBenefitRemoved { tier, benefit: b } => {
            fill(t!(l, catalog_editor.ch_tier_benefit_removed), &[("tier", &tier_s(tier)), ("benefit", &benefit(l, b, current, draft))])
        }
        CatalogChange::BenefitDefined { id, name } => fill(t!(l, catalog_editor.ch_defined), &[("id", id), ("name", name)]),
        CatalogChange::BenefitDropped { id, name } => fill(t!(l, catalog_editor.ch_dropped), &[("id", id), ("name", name)]),
        CatalogChange::Benefit { id, edit } => {
            let who = benefit(l, id, current, draft);
            let (template, before, after) = match edit {
                BenefitEdit::Name { before, after } => (t!(l, catalog_editor.ch_name), before.clone(), after.clone()),
                BenefitEdit::Kind { before, after } => (t!(l, catalog_editor.ch_kind), text::benefit_kind(l, *before).into(), text::benefit_kind(l, *after).into()),
                BenefitEdit::ExpiresAfterDays { before, after } => (t!(l, catalog_editor.ch_expires), expiry(l, *before), expiry(l, *after)),
                BenefitEdit::Description { .. } => (t!(l, catalog_editor.ch_description), String::new(), String::new()),
            };
            fill(template, &[("benefit", &who), ("before", &before), ("after", &after)])
        }
    }
}

fn expiry(l: Locale, days: Option<u32>) -> String {
    match days {
        Some(d) => text::days(l, i64::from(d)),
        None => leptos_i18n::td_string!(l, catalog_editor.never).to_string(),
    }
}
