use std::collections::BTreeMap;

use benefits_api::feed::{GrantView, Ledger};
use benefits_domain::GrantCause;
use leptos::prelude::*;

use crate::locale::{self, text, text::fill};
use crate::ui;

/// The partner's grant ledger by benefit year, newest year first: what was
/// granted, when, under which catalog version and why.
#[component]
pub fn GrantsByYear(ledger: Ledger) -> impl IntoView {
    let mut years: BTreeMap<chrono::NaiveDate, Vec<GrantView>> = BTreeMap::new();
    for g in ledger.grants {
        years.entry(g.year_start).or_default().push(g);
    }
    if years.is_empty() {
        return view! { <p id="grants-empty">{crate::tr!(partner360.no_grants)}</p> }.into_any();
    }
    years
        .into_iter()
        .rev()
        .map(|(year, grants)| {
            let caption = move || fill(crate::trs!(partner360.grants_year), &[("date", &ui::date_long(year))]);
            view! {
                <div class="table-wrap">
                    <table class="table grants-year" data-year=year.to_string()>
                        <caption>{caption}</caption>
                        <thead><tr>
                            <th scope="col">{crate::tr!(operator.benefit)}</th><th scope="col">{crate::tr!(partner360.granted_on)}</th>
                            <th scope="col">{crate::tr!(operator.version)}</th><th scope="col">{crate::tr!(partner360.cause)}</th>
                        </tr></thead>
                        <tbody>
                            {grants.into_iter().map(|g| {
                                let name = g.benefit_name.clone().unwrap_or_else(|| g.benefit_id.clone());
                                let id = g.benefit_id.clone();
                                view! {
                                    <tr>
                                        <td>{move || text::benefit_name(locale::current(), &id, &name)}</td>
                                        <td>{move || ui::date_long(g.granted_on)}</td>
                                        <td>{g.catalog_version.clone()}</td>
                                        <td>{let cause = g.cause_detail.clone(); move || cause_text(&cause)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// What unlocked a grant, in the reader's language.
fn cause_text(cause: &GrantCause) -> String {
    let l = locale::current();
    match cause {
        GrantCause::OfferLive { offer_type, offer_id, on } => {
            fill(crate::trs!(partner360.cause_offer), &[("type", text::offer_type(l, *offer_type)), ("id", offer_id), ("date", &ui::date_long(*on))])
        }
        GrantCause::Tier { tier, metric, on } => fill(
            crate::trs!(partner360.cause_tier),
            &[("tier", &ui::tier_label(Some(*tier))), ("metric", text::metric(l, *metric)), ("date", &ui::date_long(*on))],
        ),
    }
}
