use benefits_api::operator::{PartnerPage, PartnerQuery, PartnerSort, PartnerSummary};
use benefits_domain::OfferType;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::loaded::{loaded, Data};
use crate::ui;

/// The operators' partner list: search (name, id, account or user email),
/// filters, order and pages, all done by the server; the count is shown, so
/// nothing is cut off silently.
#[component]
pub fn PartnerList(query: RwSignal<PartnerQuery>, partners: Data<PartnerPage>) -> impl IntoView {
    // Every change of search, filter or order starts again at the first page.
    let update = move |f: Box<dyn FnOnce(&mut PartnerQuery)>| {
        query.update(|q| {
            f(q);
            q.offset = None;
        })
    };
    view! {
        <form class="filters" role="search" aria-label="Find partners" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field field--narrow">
                <label for="partner-search">"Search partners"</label>
                <input id="partner-search" type="search" placeholder="Name, ID, account or user email"
                    on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.q = Some(v).filter(|v| !v.trim().is_empty()))) } />
            </div>
            <div class="field">
                <label for="partner-tier">"Effective tier"</label>
                <select id="partner-tier" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.tier = v.parse().ok())) }>
                    <option value="">"Any"</option>
                    <option value="0">"No tier"</option>
                    <option value="1">"Tier 1"</option>
                    <option value="2">"Tier 2"</option>
                    <option value="3">"Tier 3"</option>
                </select>
            </div>
            <div class="field">
                <label for="partner-offer-type">"Offer type"</label>
                <select id="partner-offer-type" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.offer_type = OfferType::parse(&v))) }>
                    <option value="">"Any"</option>
                    <option value="list">"List"</option>
                    <option value="trial">"Trial"</option>
                    <option value="consulting">"Consulting"</option>
                    <option value="transact">"Transact"</option>
                </select>
            </div>
            <div class="field">
                <label for="partner-sort">"Order by"</label>
                <select id="partner-sort" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| {
                    let (sort, desc) = match v.as_str() {
                        "mbs" => (PartnerSort::Mbs, true),
                        "tier" => (PartnerSort::Tier, true),
                        "overdue" => (PartnerSort::Overdue, true),
                        _ => (PartnerSort::Name, false),
                    };
                    q.sort = Some(sort);
                    q.desc = Some(desc);
                })) }>
                    <option value="name">"Name"</option>
                    <option value="mbs">"MBS, highest first"</option>
                    <option value="tier">"Tier, highest first"</option>
                    <option value="overdue">"Overdue contacts, most first"</option>
                </select>
            </div>
            <div class="field field--check">
                <input id="partner-overdue" type="checkbox"
                    on:change=move |ev| { let on = event_target_checked(&ev); update(Box::new(move |q| q.overdue = on.then_some(true))) } />
                <label for="partner-overdue">"Only partners with an overdue contact"</label>
            </div>
        </form>
        {loaded(partners, "partners", move |page: PartnerPage| partners_page(page, query))}
    }
}

fn partners_page(page: PartnerPage, query: RwSignal<PartnerQuery>) -> impl IntoView {
    let (first, last) = (page.offset + 1, page.offset + page.items.len() as u64);
    let limit = u64::from(page.limit.max(1));
    let has_prev = page.offset > 0;
    let has_next = last < page.total;
    let go = move |offset: u64| query.update(|q| q.offset = (offset > 0).then_some(offset));
    let prev_offset = page.offset.saturating_sub(limit);
    let next_offset = page.offset + limit;
    let summary = if page.items.is_empty() {
        if page.total == 0 { "No partner matches.".to_string() } else { format!("No partner on this page; {} match.", page.total) }
    } else {
        format!("Partners {first}–{last} of {}", page.total)
    };
    view! {
        <p id="partner-count" role="status">{summary}</p>
        {(page.refreshing > 0).then(|| view! {
            <p class="hint" id="partner-refreshing">{format!("The figures of {} partner(s) are being refreshed; their last known figures are shown.", page.refreshing)}</p>
        })}
        {partners_table(page.items)}
        <nav class="pager" aria-label="Partner pages">
            <button type="button" class="button button--secondary" id="partners-prev" disabled=!has_prev on:click=move |_| go(prev_offset)>"Previous page"</button>
            <button type="button" class="button button--secondary" id="partners-next" disabled=!has_next on:click=move |_| go(next_offset)>"Next page"</button>
        </nav>
    }
}

fn partners_table(rows: Vec<PartnerSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" id="operator-partners">
                <caption class="visually-hidden">"Partners and their tiers"</caption>
                <thead><tr>
                    <th scope="col">"Partner"</th><th scope="col">"Effective tier"</th><th scope="col">"Tier today"</th>
                    <th scope="col" class="num">"MBS (TTM)"</th><th scope="col" class="num">"Active activations"</th><th scope="col" class="num">"Overdue"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row"><A href=format!("/operator/partners/{}", p.id)>{p.name.clone()}</A><br /><span class="hint">{p.account_email.clone()}</span></th>
                            <td>{ui::tier_label(p.effective_tier)}</td>
                            <td>{ui::tier_label(p.transact_tier_today)}</td>
                            <td class="num">{ui::usd(p.mbs)}</td>
                            <td class="num">{p.active_activations}</td>
                            <td class="num" class:overdue={p.overdue > 0}>{if p.overdue > 0 { format!("⚠ {}", p.overdue) } else { "0".into() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
