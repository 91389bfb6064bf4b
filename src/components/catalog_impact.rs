use benefits_api::operator::CatalogImpact;
use leptos::prelude::*;

use crate::locale::text::fill;
use crate::ui;

/// The impact preview of a proposed catalog version: the fields it changes
/// against the version in force, and every partner whose tier or benefits
/// would move.
#[component]
pub fn CatalogImpactView(impact: CatalogImpact) -> impl IntoView {
    let summary = fill(
        crate::trs!(impact.summary),
        &[("partners", &impact.partners.to_string()), ("moved", &impact.tier_changes.to_string()), ("version", &impact.compared_with)],
    );
    let changes = impact.catalog_changes;
    let changed = impact.changed;
    view! {
        <section class="card" aria-labelledby="impact-title" id="catalog-impact">
            <h3 id="impact-title" class="card__title">{crate::tr!(impact.title)}</h3>
            <p role="status" id="impact-summary">{summary}</p>
            <h4>{crate::tr!(impact.fields)}</h4>
            <ul class="changes" id="impact-fields">
                {changes.into_iter().map(|c| view! {
                    <li>
                        <span class="changes__field">{c.field}</span>": "
                        {c.before.map(|b| view! { <del>{b}</del> })}" → "{c.after.map(|a| view! { <ins>{a}</ins> })}
                    </li>
                }).collect_view()}
            </ul>
            <h4 id="impact-partners-title">{crate::tr!(impact.partners)}</h4>
            {if changed.is_empty() {
                view! { <p id="impact-none">{crate::tr!(impact.none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="impact-partners-title">
                        <table class="table" id="impact-partners">
                            <thead><tr>
                                <th scope="col">{crate::tr!(impact.partner)}</th>
                                <th scope="col">{crate::tr!(impact.effective)}</th>
                                <th scope="col">{crate::tr!(impact.today)}</th>
                                <th scope="col">{crate::tr!(impact.gained)}</th>
                                <th scope="col">{crate::tr!(impact.lost)}</th>
                            </tr></thead>
                            <tbody>
                                {changed.into_iter().map(|p| view! {
                                    <tr data-partner=p.partner_id.clone()>
                                        <th scope="row">{p.name}<br /><span class="hint">{p.partner_id.clone()}</span></th>
                                        <td>{format!("{} → {}", ui::tier_label(p.impact.effective_before), ui::tier_label(p.impact.effective_after))}</td>
                                        <td>{format!("{} → {}", ui::tier_label(p.impact.today_before), ui::tier_label(p.impact.today_after))}</td>
                                        <td>{p.impact.unlocked_gained.join(", ")}</td>
                                        <td>{p.impact.unlocked_lost.join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
