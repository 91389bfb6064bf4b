use benefits_api::paths;
use benefits_api::sales::{SaleItem, SalesPage, SalesQuery, SalesSort, VerdictGroup};
use benefits_api::workspace::Workspace;
use benefits_domain::explain::{Explanation, SaleVerdict};
use benefits_domain::{Cents, DailySales, Window};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::loaded::{loaded, partner_id, workspace_resource};
use crate::locale::{self, text, text::fill};
use crate::ui;

/// Lines (or, offline, daily totals) per page.
const PAGE: u32 = 50;

fn parse_group(s: &str) -> Option<VerdictGroup> {
    match s {
        "counted" => Some(VerdictGroup::Counted),
        "excluded" => Some(VerdictGroup::Excluded),
        "outside" => Some(VerdictGroup::Outside),
        _ => None,
    }
}

/// Why this tier: the window and when the tier was reached (computed in the
/// browser from the workspace's daily totals), the sales lines with the
/// rule's verdict (paged, sorted and filtered by the server), and offline the
/// daily and monthly totals the device keeps.
#[component]
pub fn Why() -> impl IntoView {
    crate::set_title(crate::tr!(why.title));
    let pid = partner_id();
    let ws = workspace_resource(pid);
    view! {
        <section class="page">
            <h1>{crate::tr!(why.title)}</h1>
            {loaded(ws, crate::tr!(why.what), why_body)}
        </section>
    }
}

fn why_body(ws: Workspace) -> impl IntoView {
    let ex = ws.explanation();
    let reached_on = ex.effective_tier_reached;
    let reached = move || match reached_on {
        Some(r) => {
            let l = locale::current();
            fill(
                crate::trs!(why.reached),
                &[("tier", &r.tier.to_string()), ("date", &ui::date_long(r.on)), ("metric", &text::metric(l, r.metric).to_ascii_lowercase())],
            )
        }
        None => crate::trs!(why.not_reached).to_string(),
    };

    let query = RwSignal::new(SalesQuery { limit: Some(PAGE), desc: Some(true), ..SalesQuery::default() });
    let pid = ws.partner.id.clone();
    let fetched = crate::loaded::Data::new(move || api::get::<SalesPage>(paths::sales(&pid, &query.get())));
    // The last page received stays on screen while the next one loads.
    let page = RwSignal::new(None::<SalesPage>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match fetched.get() {
        Some(Ok(p)) => {
            page.set(Some(p));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let offline = Memo::new(move |_| error.with(|e| e.as_ref().is_some_and(|e| e.status == 0)));
    let offers: Vec<String> = ws.input.partner.offers.iter().map(|o| o.id.clone()).collect();
    let window = ex.window;
    let daily = StoredValue::new(ws.input.daily_sales.clone());
    let months = StoredValue::new(ex.clone());

    let sales_card = move || {
        if offline.get() {
            offline_totals(daily.get_value(), months.get_value(), window).into_any()
        } else {
            lines_card(query, page, error, offers.clone()).into_any()
        }
    };

    let summary = move || {
        page.with(|p| {
            p.as_ref().map(|p| {
                let s = &p.summary;
                fill(crate::trs!(why.window), &[
                    ("from", &ui::date_long(window.first_day())), ("to", &ui::date_long(window.to)), ("counted", &s.counted_lines.to_string()),
                    ("total", &ui::usd(s.counted_usd)), ("excluded", &s.excluded_lines.to_string()), ("outside", &s.outside_lines.to_string()),
                ])
            })
        })
    };

    let monthly = |title: fn() -> &'static str, entries: Vec<(String, String, bool)>| {
        let empty = entries.is_empty();
        let rows = entries
            .into_iter()
            .map(|(m, v, counted)| view! {
                <tr class:is-excluded=!counted>
                    <td>{m}</td>
                    <td class="num">{v}</td>
                    <td>{move || if counted { crate::trs!(why.counted) } else { crate::trs!(why.outside_12) }}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table">
                    <caption>{move || title()}</caption>
                    <thead><tr>
                        <th scope="col">{crate::tr!(why.month)}</th><th scope="col" class="num">{crate::tr!(why.value)}</th>
                        <th scope="col">{crate::tr!(why.verdict)}</th>
                    </tr></thead>
                    <tbody>
                        {rows}
                        {empty.then(|| view! { <tr><td colspan="3">{crate::tr!(why.no_entries)}</td></tr> })}
                    </tbody>
                </table>
            </div>
        }
    };
    let biz = ex.bizapps_entries.iter().map(|e| (e.month.to_string(), ui::usd(e.value), e.counted)).collect();
    let mau = ex.teams_mau_entries.iter().map(|e| (e.month.to_string(), ui::count(e.value), e.counted)).collect();

    view! {
        <p class="lead">{reached}</p>
        <p>{summary}</p>
        {sales_card}
        <section class="card" aria-labelledby="monthly-title">
            <h2 id="monthly-title" class="card__title">{crate::tr!(why.monthly)}</h2>
            {monthly(|| crate::trs!(metric.bizapps), biz)}
            {monthly(|| crate::trs!(metric.teams), mau)}
        </section>
    }
}

/// The server's page of lines: filters, sortable headers, paging.
fn lines_card(query: RwSignal<SalesQuery>, page: RwSignal<Option<SalesPage>>, error: RwSignal<Option<ApiError>>, offers: Vec<String>) -> impl IntoView {
    // Any new filter or order starts again at the first page.
    let set = move |f: &dyn Fn(&mut SalesQuery)| query.update(|q| {
        f(q);
        q.offset = None;
    });
    let sort_button = move |k: SalesSort, label: fn() -> &'static str| {
        let active = move || query.with(|q| q.sort.unwrap_or_default() == k);
        let desc = move || query.with(|q| q.desc.unwrap_or(false));
        let aria = move || if !active() { "none" } else if desc() { "descending" } else { "ascending" };
        view! {
            <th scope="col" aria-sort=aria class=if k == SalesSort::Amount { "num" } else { "" }>
                <button type="button" class="sort-button" on:click=move |_| {
                    let (was_active, was_desc) = (active(), desc());
                    set(&|q| { q.sort = Some(k); q.desc = Some(if was_active { !was_desc } else { true }); });
                }>
                    {move || label()}
                    <span aria-hidden="true">{move || if !active() { " ↕" } else if desc() { " ↓" } else { " ↑" }}</span>
                </button>
            </th>
        }
    };
    let rows = move || {
        page.with(|p| {
            // Nothing until the first page arrives (never "no match" meanwhile).
            let Some(p) = p.as_ref() else { return ().into_any() };
            let items = p.items.clone();
            if items.is_empty() {
                return view! { <tr><td colspan="5">{crate::trs!(why.no_match)}</td></tr> }.into_any();
            }
            items.into_iter().map(line_row).collect_view().into_any()
        })
    };
    let position = move || {
        page.with(|p| p.as_ref().map(|p| {
            let first = if p.items.is_empty() { 0 } else { p.offset + 1 };
            fill(crate::trs!(why_lines.position), &[("first", &first.to_string()), ("last", &(p.offset + p.items.len() as u64).to_string()), ("total", &p.total.to_string())])
        }))
    };
    let has_prev = move || query.with(|q| q.offset.unwrap_or(0) > 0);
    let has_next = move || page.with(|p| p.as_ref().is_some_and(|p| p.offset + (p.items.len() as u64) < p.total));
    let step = move |forward: bool| query.update(|q| {
        let at = q.offset.unwrap_or(0);
        q.offset = Some(if forward { at + PAGE as u64 } else { at.saturating_sub(PAGE as u64) });
    });
    view! {
        <section class="card" aria-labelledby="sales-title">
            <h2 id="sales-title" class="card__title">{crate::tr!(why.sales)}</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="verdict-filter">{crate::tr!(why.show)}</label>
                    <select id="verdict-filter" on:change=move |ev| { let g = parse_group(&event_target_value(&ev)); set(&|q| q.verdict = g) }>
                        <option value="all">{crate::tr!(why.all)}</option>
                        <option value="counted">{crate::tr!(why.f_counted)}</option>
                        <option value="excluded">{crate::tr!(why.f_excluded)}</option>
                        <option value="outside">{crate::tr!(why.f_outside)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="offer-filter">{crate::tr!(why.offer)}</label>
                    <select id="offer-filter" on:change=move |ev| { let o = event_target_value(&ev); set(&|q| q.offer = Some(o.clone()).filter(|o| !o.is_empty())) }>
                        <option value="">{crate::tr!(why.all_offers)}</option>
                        {offers.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="hint" role="status" id="why-position">{position}</p>
            {move || error.get().filter(|e| e.status != 0).map(|e| view! { <ErrorNotice error=e /> })}
            <div class="table-wrap">
                <table class="table" id="why-sales">
                    <caption class="visually-hidden">{crate::tr!(why.caption)}</caption>
                    <thead>
                        <tr>
                            {sort_button(SalesSort::Date, || crate::trs!(why.date))}
                            <th scope="col">{crate::tr!(why.offer)}</th>
                            {sort_button(SalesSort::Amount, || crate::trs!(why.amount))}
                            <th scope="col">{crate::tr!(why.status)}</th>
                            <th scope="col">{crate::tr!(why.verdict)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="form-actions" aria-label=crate::tr!(why_lines.pages)>
                <button type="button" class="button button--secondary" id="why-prev" disabled=move || !has_prev() on:click=move |_| step(false)>{crate::tr!(why_lines.previous)}</button>
                <button type="button" class="button button--secondary" id="why-next" disabled=move || !has_next() on:click=move |_| step(true)>{crate::tr!(why_lines.next)}</button>
            </nav>
        </section>
    }
}

fn verdict_cell(v: SaleVerdict) -> impl IntoView {
    let mark = if v.counted() { "✓ " } else { "✕ " };
    view! { <td><span aria-hidden="true">{mark}</span>{move || text::verdict(locale::current(), v)}</td> }
}

fn line_row(s: SaleItem) -> impl IntoView {
    view! {
        <tr class:is-excluded=!s.verdict.counted()>
            <td>{s.date.to_string()}</td>
            <td>{s.offer_id.clone()}</td>
            <td class="num">{ui::usd(s.amount_usd)}</td>
            <td>{move || text::sale_status(locale::current(), s.status)}</td>
            {verdict_cell(s.verdict)}
        </tr>
    }
}

/// Offline: the lines need the network; the device keeps the daily totals,
/// shown by month (counted MBS) and by day, newest first, a page at a time.
fn offline_totals(mut daily: Vec<DailySales>, ex: Explanation, window: Window) -> impl IntoView {
    daily.sort_by(|a, b| b.date.cmp(&a.date).then(a.offer_id.cmp(&b.offer_id)));
    let total = daily.len();
    let daily = StoredValue::new(daily);
    let at = RwSignal::new(0usize);
    let rows = move || {
        if total == 0 {
            return view! { <tr><td colspan="6">{crate::tr!(why_lines.no_totals)}</td></tr> }.into_any();
        }
        daily.with_value(|d| {
            d.iter()
                .skip(at.get())
                .take(PAGE as usize)
                .map(|t| {
                    let v = SaleVerdict::of(t.date, t.status, &window);
                    view! {
                        <tr class:is-excluded=!v.counted()>
                            <td>{t.date.to_string()}</td>
                            <td>{t.offer_id.clone()}</td>
                            <td class="num">{ui::usd(t.amount_usd)}</td>
                            <td class="num">{ui::count(t.lines)}</td>
                            <td>{let st = t.status; move || text::sale_status(locale::current(), st)}</td>
                            {verdict_cell(v)}
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    let position = move || {
        let first = if total == 0 { 0 } else { at.get() + 1 };
        fill(crate::trs!(why_lines.days_position), &[("first", &first.to_string()), ("last", &(at.get() + PAGE as usize).min(total).to_string()), ("total", &total.to_string())])
    };
    let month_rows = ex
        .months
        .iter()
        .map(|m| view! { <tr><td>{m.month.to_string()}</td><td class="num">{ui::usd(m.mbs)}</td></tr> })
        .collect_view();
    let counted: i128 = ex.months.iter().map(|m| m.mbs.0 as i128).sum();
    view! {
        <section class="card" aria-labelledby="totals-title" id="why-offline">
            <h2 id="totals-title" class="card__title">{crate::tr!(why_lines.offline_title)}</h2>
            <p>{crate::tr!(why_lines.offline_text)}</p>
            <div class="table-wrap">
                <table class="table" id="why-months">
                    <caption>{crate::tr!(why_lines.months_caption)}</caption>
                    <thead><tr><th scope="col">{crate::tr!(why.month)}</th><th scope="col" class="num">{crate::tr!(why_lines.mbs)}</th></tr></thead>
                    <tbody>{month_rows}</tbody>
                    <tfoot><tr><th scope="row">{crate::tr!(why_lines.in_window)}</th><td class="num">{ui::usd(Cents::from_wide(counted))}</td></tr></tfoot>
                </table>
            </div>
            <p class="hint" role="status">{position}</p>
            <div class="table-wrap">
                <table class="table" id="why-daily">
                    <caption>{crate::tr!(why_lines.daily_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{crate::tr!(why.date)}</th><th scope="col">{crate::tr!(why.offer)}</th>
                        <th scope="col" class="num">{crate::tr!(why.amount)}</th><th scope="col" class="num">{crate::tr!(why_lines.lines)}</th>
                        <th scope="col">{crate::tr!(why.status)}</th><th scope="col">{crate::tr!(why.verdict)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="form-actions" aria-label=crate::tr!(why_lines.day_pages)>
                <button type="button" class="button button--secondary" disabled=move || at.get() == 0
                    on:click=move |_| at.update(|a| *a = a.saturating_sub(PAGE as usize))>{crate::tr!(why_lines.previous)}</button>
                <button type="button" class="button button--secondary" disabled=move || at.get() + (PAGE as usize) >= total
                    on:click=move |_| at.update(|a| *a += PAGE as usize)>{crate::tr!(why_lines.next)}</button>
            </nav>
        </section>
    }
}
