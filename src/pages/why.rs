use benefits_domain::explain::{SaleExplanation, SaleVerdict};
use benefits_domain::Cents;
use leptos::prelude::*;

use benefits_api::workspace::Workspace;
use crate::loaded::{loaded, partner_id, workspace_resource};
use crate::locale::{self, text, text::fill};
use crate::ui;

/// Which sales lines to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictFilter {
    All,
    Counted,
    Excluded,
    OutsideWindow,
}

impl VerdictFilter {
    fn parse(s: &str) -> VerdictFilter {
        match s {
            "counted" => VerdictFilter::Counted,
            "excluded" => VerdictFilter::Excluded,
            "outside" => VerdictFilter::OutsideWindow,
            _ => VerdictFilter::All,
        }
    }

    pub fn keeps(self, v: SaleVerdict) -> bool {
        match self {
            VerdictFilter::All => true,
            VerdictFilter::Counted => v.counted(),
            VerdictFilter::Excluded => {
                matches!(v, SaleVerdict::Fraud | SaleVerdict::CancelledAccidental | SaleVerdict::CancelledBeforeUse)
            }
            VerdictFilter::OutsideWindow => matches!(v, SaleVerdict::BeforeWindow | SaleVerdict::AfterAsOf),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Amount,
}

/// Filters and sorts the explained sales lines for the table.
pub fn visible_sales(sales: &[SaleExplanation], filter: VerdictFilter, offer: &str, key: SortKey, descending: bool) -> Vec<SaleExplanation> {
    let mut rows: Vec<SaleExplanation> =
        sales.iter().filter(|s| filter.keeps(s.verdict) && (offer.is_empty() || s.offer_id == offer)).cloned().collect();
    rows.sort_by(|a, b| {
        let o = match key {
            SortKey::Date => a.date.cmp(&b.date).then(a.index.cmp(&b.index)),
            SortKey::Amount => a.amount_usd.cmp(&b.amount_usd).then(a.date.cmp(&b.date)),
        };
        if descending { o.reverse() } else { o }
    });
    rows
}

/// Why this tier: every sales line with the rule's verdict, sortable and filterable.
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
    let sales = StoredValue::new(ex.sales.clone());
    let filter = RwSignal::new(VerdictFilter::All);
    let offer = RwSignal::new(String::new());
    let key = RwSignal::new(SortKey::Date);
    let descending = RwSignal::new(true);
    let mut offers: Vec<String> = ex.sales.iter().map(|s| s.offer_id.clone()).collect();
    offers.sort();
    offers.dedup();

    let counted: Vec<&SaleExplanation> = ex.sales.iter().filter(|s| s.verdict.counted()).collect();
    let counted_total = Cents(counted.iter().map(|s| s.amount_usd.0).sum());
    let excluded = ex.sales.iter().filter(|s| VerdictFilter::Excluded.keeps(s.verdict)).count();
    let outside = ex.sales.iter().filter(|s| VerdictFilter::OutsideWindow.keeps(s.verdict)).count();
    let (from, to, counted_n) = (ex.window.first_day(), ex.window.to, counted.len());

    let reached_on = ex.effective_tier_reached;
    let reached = move || match reached_on {
        Some(r) => {
            let l = locale::current();
            fill(
                crate::trs!(why.reached),
                &[("tier", &r.tier.to_string()), ("date", &ui::date_long(r.on)), ("metric", &text::metric(l, r.metric).to_lowercase())],
            )
        }
        None => crate::trs!(why.not_reached).to_string(),
    };

    let sort_button = move |k: SortKey, label: fn() -> &'static str| {
        let aria = move || {
            if key.get() == k {
                if descending.get() { "descending" } else { "ascending" }
            } else {
                "none"
            }
        };
        view! {
            <th scope="col" aria-sort=aria class=if k == SortKey::Amount { "num" } else { "" }>
                <button type="button" class="sort-button" on:click=move |_| {
                    if key.get_untracked() == k { descending.update(|d| *d = !*d) } else { key.set(k); descending.set(true) }
                }>
                    {move || label()}
                    <span aria-hidden="true">{move || if key.get() != k { " ↕" } else if descending.get() { " ↓" } else { " ↑" }}</span>
                </button>
            </th>
        }
    };

    let rows = move || {
        let list = sales.with_value(|s| visible_sales(s, filter.get(), &offer.get(), key.get(), descending.get()));
        if list.is_empty() {
            return view! { <tr><td colspan="5">{crate::trs!(why.no_match)}</td></tr> }.into_any();
        }
        list.into_iter()
            .map(|s| {
                let mark = if s.verdict.counted() { "✓ " } else { "✕ " };
                view! {
                    <tr class:is-excluded=!s.verdict.counted()>
                        <td>{s.date.to_string()}</td>
                        <td>{s.offer_id.clone()}</td>
                        <td class="num">{ui::usd(s.amount_usd)}</td>
                        <td>{text::sale_status(locale::current(), s.status)}</td>
                        <td><span aria-hidden="true">{mark}</span>{text::verdict(locale::current(), s.verdict)}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let shown = move || sales.with_value(|s| s.iter().filter(|x| filter.get().keeps(x.verdict) && (offer.get().is_empty() || x.offer_id == offer.get())).count());

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
        <p>
            {move || fill(crate::trs!(why.window), &[
                ("from", &ui::date_long(from)), ("to", &ui::date_long(to)), ("counted", &counted_n.to_string()),
                ("total", &ui::usd(counted_total)), ("excluded", &excluded.to_string()), ("outside", &outside.to_string()),
            ])}
        </p>
        <section class="card" aria-labelledby="sales-title">
            <h2 id="sales-title" class="card__title">{crate::tr!(why.sales)}</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="verdict-filter">{crate::tr!(why.show)}</label>
                    <select id="verdict-filter" on:change=move |ev| filter.set(VerdictFilter::parse(&event_target_value(&ev)))>
                        <option value="all">{crate::tr!(why.all)}</option>
                        <option value="counted">{crate::tr!(why.f_counted)}</option>
                        <option value="excluded">{crate::tr!(why.f_excluded)}</option>
                        <option value="outside">{crate::tr!(why.f_outside)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="offer-filter">{crate::tr!(why.offer)}</label>
                    <select id="offer-filter" on:change=move |ev| offer.set(event_target_value(&ev))>
                        <option value="">{crate::tr!(why.all_offers)}</option>
                        {offers.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="hint" role="status">{move || fill(crate::trs!(why.shown), &[("shown", &shown().to_string()), ("total", &sales.with_value(Vec::len).to_string())])}</p>
            <div class="table-wrap">
                <table class="table" id="why-sales">
                    <caption class="visually-hidden">{crate::tr!(why.caption)}</caption>
                    <thead>
                        <tr>
                            {sort_button(SortKey::Date, || crate::trs!(why.date))}
                            <th scope="col">{crate::tr!(why.offer)}</th>
                            {sort_button(SortKey::Amount, || crate::trs!(why.amount))}
                            <th scope="col">{crate::tr!(why.status)}</th>
                            <th scope="col">{crate::tr!(why.verdict)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="monthly-title">
            <h2 id="monthly-title" class="card__title">{crate::tr!(why.monthly)}</h2>
            {monthly(|| crate::trs!(metric.bizapps), biz)}
            {monthly(|| crate::trs!(metric.teams), mau)}
        </section>
    }
}
