use benefits_api::operator::{SalePage, SaleQuery, SaleRef, SaleView};
use benefits_api::paths;
use benefits_domain::SaleStatus;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::{BulkBar, Pager};
use crate::loaded::{loaded, resource};
use crate::locale::{self, text, text::fill};
use crate::ui;

/// Sales lines for operators: one partner's (Partner 360) or, without
/// `partner`, the whole program's with a partner filter (the console);
/// filtered by offer, status and dates and paged by the server (the total is
/// shown); ticked lines are flagged as fraudulent (or cleared) in one action
/// with one note.
#[component]
pub fn SalesLines(#[prop(optional, into)] partner: Option<String>) -> impl IntoView {
    let program_wide = partner.is_none();
    let query = RwSignal::new(SaleQuery { partner_id: partner, ..SaleQuery::default() });
    let page = resource(move || paths::operator_sale_list(&query.get()));
    let selected = RwSignal::new(Vec::<SaleRef>::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let fraud = RwSignal::new(true);
    // (flagged or cleared, how many), worded when shown.
    let done = RwSignal::new(None::<(bool, usize)>);
    let apply = Callback::new(move |note: String| {
        let sales = selected.get_untracked();
        let flag = fraud.get_untracked();
        pending.set(true);
        done.set(None);
        spawn_local(async move {
            match api::set_fraud_many(sales, flag, note).await {
                Ok(changed) => {
                    error.set(None);
                    selected.set(Vec::new());
                    done.set(Some((flag, changed.len())));
                    page.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    });
    let count = Signal::derive(move || selected.with(Vec::len));
    view! {
        {filters(query, selected, program_wide)}
        {move || loaded(page, crate::tr!(sales_list.what), move |p: SalePage| lines_page(p, query, selected, program_wide))}
        <fieldset class="choice">
            <legend>{crate::tr!(bulk.mark_as)}</legend>
            <label><input type="radio" name="sales-fraud" id="sales-fraud-on" prop:checked=move || fraud.get() on:change=move |_| fraud.set(true) />{crate::tr!(bulk.fraudulent)}</label>
            <label><input type="radio" name="sales-fraud" id="sales-fraud-off" prop:checked=move || !fraud.get() on:change=move |_| fraud.set(false) />{crate::tr!(bulk.not_fraudulent)}</label>
        </fieldset>
        <BulkBar id="sales-bulk" selected=count label=crate::tr!(bulk.sales_bar) action=crate::tr!(bulk.apply_fraud) with_note=true pending error on_apply=apply />
        {move || done.get().map(|(flag, n)| view! {
            <p class="notice notice--success" role="status" id="sales-bulk-done">{move || {
                let key = if flag { crate::trs!(bulk.flagged) } else { crate::trs!(bulk.cleared) };
                fill(key, &[("n", &n.to_string())])
            }}</p>
        })}
    }
}

fn filters(query: RwSignal<SaleQuery>, selected: RwSignal<Vec<SaleRef>>, program_wide: bool) -> impl IntoView {
    let partner = RwSignal::new(String::new());
    let offer = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty());
        let day = |s: RwSignal<String>| NaiveDate::parse_from_str(s.get_untracked().trim(), "%Y-%m-%d").ok();
        selected.set(Vec::new());
        query.update(|q| {
            if program_wide {
                q.partner_id = text(partner);
            }
            q.offer_id = text(offer);
            q.status = SaleStatus::parse(&status.get_untracked());
            q.from = day(from);
            q.to = day(to);
            q.offset = None;
        });
    };
    view! {
        <form class="filters" role="search" aria-label=crate::tr!(sales_list.filter_label) on:submit=apply>
            {program_wide.then(|| view! {
                <div class="field">
                    <label for="sales-partner">{crate::tr!(sales_list.partner)}</label>
                    <input id="sales-partner" type="text" autocomplete="off" bind:value=partner />
                </div>
            })}
            <div class="field">
                <label for="sales-offer">{crate::tr!(sales_list.offer)}</label>
                <input id="sales-offer" type="text" autocomplete="off" bind:value=offer />
            </div>
            <div class="field">
                <label for="sales-status">{crate::tr!(sales_list.status)}</label>
                <select id="sales-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{crate::tr!(partners.any)}</option>
                    {SaleStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || text::sale_status(locale::current(), s)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="sales-from">{crate::tr!(audit.from)}</label>
                <input id="sales-from" type="date" bind:value=from />
            </div>
            <div class="field">
                <label for="sales-to">{crate::tr!(audit.to)}</label>
                <input id="sales-to" type="date" bind:value=to />
            </div>
            <div class="form-actions"><button type="submit" class="button" id="sales-apply">{crate::tr!(audit.filter)}</button></div>
        </form>
    }
}

fn lines_page(p: SalePage, query: RwSignal<SaleQuery>, selected: RwSignal<Vec<SaleRef>>, program_wide: bool) -> impl IntoView {
    let (offset, limit, total, shown) = (p.offset, p.limit, p.total, p.items.len());
    let go = Callback::new(move |offset: u64| {
        selected.set(Vec::new());
        query.update(|q| q.offset = (offset > 0).then_some(offset));
    });
    let rows = p.items.into_iter().map(|s| line_row(s, selected, program_wide)).collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="sales-lines">
                <caption class="visually-hidden">{crate::tr!(sales_list.caption)}</caption>
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(bulk.select)}</span></th>
                    {program_wide.then(|| view! { <th scope="col">{crate::tr!(sales_list.partner)}</th> })}
                    <th scope="col">{crate::tr!(why.date)}</th><th scope="col">{crate::tr!(operator_partner.external_id)}</th><th scope="col">{crate::tr!(why.offer)}</th>
                    <th scope="col" class="num">{crate::tr!(why.amount)}</th><th scope="col">{crate::tr!(operator_partner.counts_as)}</th>
                    <th scope="col">{crate::tr!(sales_list.note)}</th><th scope="col">{crate::tr!(offers.reported_by)}</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {(shown == 0).then(|| view! { <tr><td colspan=if program_wide { "9" } else { "8" }>{crate::tr!(operator_partner.no_sales)}</td></tr> })}
                </tbody>
            </table>
        </div>
        <Pager id="sales" label=crate::tr!(sales_list.pages) offset limit total shown on_go=go />
    }
}

fn line_row(s: SaleView, selected: RwSignal<Vec<SaleRef>>, program_wide: bool) -> impl IntoView {
    let (id, version) = (s.id, s.version);
    let checked = move || selected.with(|v| v.iter().any(|r| r.id == id));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.update(|v| {
            v.retain(|r| r.id != id);
            if on {
                v.push(SaleRef { id, version });
            }
        });
    };
    let label = fill(crate::trs!(bulk.select_sale), &[("id", &s.external_id)]);
    let source = s.source.clone();
    let status = s.effective_status;
    view! {
        <tr class:is-excluded=s.fraud data-sale=s.external_id.clone()>
            <td><input type="checkbox" class="row-check" aria-label=label prop:checked=checked on:change=toggle /></td>
            {program_wide.then(|| {
                let pid = s.partner_id.clone();
                view! { <td><A href=format!("/operator/partners/{pid}")>{pid.clone()}</A></td> }
            })}
            <td>{s.date.to_string()}</td>
            <td>{s.external_id.clone()}</td>
            <td>{s.offer_id.clone()}</td>
            <td class="num">{move || ui::usd(s.amount_usd)}</td>
            <td>{move || text::sale_status(locale::current(), status)}</td>
            <td>{s.fraud_note.clone().unwrap_or_default()}</td>
            <td>{move || ui::describe_source(&source)}</td>
        </tr>
    }
}
