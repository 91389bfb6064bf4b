use benefits_api::operator::{PartnerPage, PartnerQuery, PartnerSort, PartnerSummary};
use benefits_domain::OfferType;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::loaded::{loaded, Data};
use crate::locale::{self, text, text::fill};
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
        <form class="filters" role="search" aria-label=crate::tr!(partners.find) on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field field--narrow">
                <label for="partner-search">{crate::tr!(operator.search)}</label>
                <input id="partner-search" type="search" placeholder=crate::tr!(operator.search_hint)
                    on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.q = Some(v).filter(|v| !v.trim().is_empty()))) } />
            </div>
            <div class="field">
                <label for="partner-tier">{crate::tr!(operator.effective)}</label>
                <select id="partner-tier" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.tier = v.parse().ok())) }>
                    <option value="">{crate::tr!(partners.any)}</option>
                    <option value="0">{move || ui::tier_label(None)}</option>
                    <option value="1">{move || ui::tier_label(Some(1))}</option>
                    <option value="2">{move || ui::tier_label(Some(2))}</option>
                    <option value="3">{move || ui::tier_label(Some(3))}</option>
                </select>
            </div>
            <div class="field">
                <label for="partner-offer-type">{crate::tr!(partners.offer_type)}</label>
                <select id="partner-offer-type" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.offer_type = OfferType::parse(&v))) }>
                    <option value="">{crate::tr!(partners.any)}</option>
                    <option value="list">{move || text::offer_type(locale::current(), OfferType::List)}</option>
                    <option value="trial">{move || text::offer_type(locale::current(), OfferType::Trial)}</option>
                    <option value="consulting">{move || text::offer_type(locale::current(), OfferType::Consulting)}</option>
                    <option value="transact">{move || text::offer_type(locale::current(), OfferType::Transact)}</option>
                </select>
            </div>
            <div class="field">
                <label for="partner-sort">{crate::tr!(partners.sort)}</label>
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
                    <option value="name">{crate::tr!(partners.sort_name)}</option>
                    <option value="mbs">{crate::tr!(partners.sort_mbs)}</option>
                    <option value="tier">{crate::tr!(partners.sort_tier)}</option>
                    <option value="overdue">{crate::tr!(partners.sort_overdue)}</option>
                </select>
            </div>
            <div class="field field--check">
                <input id="partner-overdue" type="checkbox"
                    on:change=move |ev| { let on = event_target_checked(&ev); update(Box::new(move |q| q.overdue = on.then_some(true))) } />
                <label for="partner-overdue">{crate::tr!(partners.only_overdue)}</label>
            </div>
        </form>
        {loaded(partners, crate::tr!(operator.partners_what), move |page: PartnerPage| partners_page(page, query))}
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
    let (empty, total) = (page.items.is_empty(), page.total);
    let summary = move || match (empty, total) {
        (true, 0) => crate::trs!(operator.no_partner).to_string(),
        (true, n) => fill(crate::trs!(partners.none_on_page), &[("total", &ui::count(n))]),
        (false, n) => fill(crate::trs!(partners.range), &[("first", &ui::count(first)), ("last", &ui::count(last)), ("total", &ui::count(n))]),
    };
    view! {
        <p id="partner-count" role="status">{summary}</p>
        {(page.refreshing > 0).then(|| view! {
            <p class="hint" id="partner-refreshing">{let n = page.refreshing; move || fill(crate::trs!(partners.refreshing), &[("n", &n.to_string())])}</p>
        })}
        {partners_table(page.items)}
        <nav class="pager" aria-label=crate::tr!(partners.pages)>
            <button type="button" class="button button--secondary" id="partners-prev" disabled=!has_prev on:click=move |_| go(prev_offset)>{crate::tr!(partners.prev)}</button>
            <button type="button" class="button button--secondary" id="partners-next" disabled=!has_next on:click=move |_| go(next_offset)>{crate::tr!(partners.next)}</button>
        </nav>
    }
}

fn partners_table(rows: Vec<PartnerSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" id="operator-partners">
                <caption class="visually-hidden">{crate::tr!(operator.partners_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(operator.partner)}</th><th scope="col">{crate::tr!(operator.effective)}</th><th scope="col">{crate::tr!(operator.today)}</th>
                    <th scope="col" class="num">{crate::tr!(operator.mbs)}</th><th scope="col" class="num">{crate::tr!(operator.active)}</th><th scope="col" class="num">{crate::tr!(operator.overdue)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row"><A href=format!("/operator/partners/{}", p.id)>{p.name.clone()}</A><br /><span class="hint">{p.account_email.clone()}</span></th>
                            <td>{move || ui::tier_label(p.effective_tier)}</td>
                            <td>{move || ui::tier_label(p.transact_tier_today)}</td>
                            <td class="num">{move || ui::usd(p.mbs)}</td>
                            <td class="num">{p.active_activations}</td>
                            <td class="num" class:overdue={p.overdue > 0}>{if p.overdue > 0 { format!("⚠ {}", p.overdue) } else { "0".into() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
