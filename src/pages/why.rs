use benefits_domain::explain::{SaleExplanation, SaleVerdict};
use benefits_domain::Cents;
use leptos::prelude::*;

use benefits_api::workspace::Workspace;
use crate::loaded::{loaded, partner_id, workspace_resource};
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
    crate::set_title("Why this tier");
    let pid = partner_id();
    let ws = workspace_resource(pid);
    view! {
        <section class="page">
            <h1>"Why this tier"</h1>
            {loaded(ws, "the explanation", why_body)}
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

    let reached = match ex.effective_tier_reached {
        Some(r) => format!(
            "Your effective tier, tier {}, was first reached on {} through {}. Within a benefit year a tier once reached is kept.",
            r.tier,
            ui::date_long(r.on),
            r.metric.describe().to_lowercase()
        ),
        None => "No transact tier has been reached in this benefit year so far.".to_string(),
    };

    let sort_button = move |k: SortKey, label: &'static str| {
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
                    {label}
                    <span aria-hidden="true">{move || if key.get() != k { " ↕" } else if descending.get() { " ↓" } else { " ↑" }}</span>
                </button>
            </th>
        }
    };

    let rows = move || {
        let list = sales.with_value(|s| visible_sales(s, filter.get(), &offer.get(), key.get(), descending.get()));
        if list.is_empty() {
            return view! { <tr><td colspan="5">"No sales lines match these filters."</td></tr> }.into_any();
        }
        list.into_iter()
            .map(|s| {
                let mark = if s.verdict.counted() { "✓ " } else { "✕ " };
                view! {
                    <tr class:is-excluded=!s.verdict.counted()>
                        <td>{s.date.to_string()}</td>
                        <td>{s.offer_id.clone()}</td>
                        <td class="num">{ui::usd(s.amount_usd)}</td>
                        <td>{s.status.describe()}</td>
                        <td><span aria-hidden="true">{mark}</span>{s.verdict.describe()}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let shown = move || sales.with_value(|s| s.iter().filter(|x| filter.get().keeps(x.verdict) && (offer.get().is_empty() || x.offer_id == offer.get())).count());

    let monthly = |title: &'static str, entries: Vec<(String, String, bool)>| {
        let empty = entries.is_empty();
        let rows = entries
            .into_iter()
            .map(|(m, v, counted)| view! {
                <tr class:is-excluded=!counted>
                    <td>{m}</td>
                    <td class="num">{v}</td>
                    <td>{if counted { "✓ Counted" } else { "✕ Outside the 12 months" }}</td>
                </tr>
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table">
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Value"</th><th scope="col">"Verdict"</th></tr></thead>
                    <tbody>
                        {rows}
                        {empty.then(|| view! { <tr><td colspan="3">"No entries."</td></tr> })}
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
            {format!(
                "Window: {} to {} (the trailing twelve months). {} lines counted, totalling {}; {} excluded; {} outside the window.",
                ui::date_long(ex.window.first_day()), ui::date_long(ex.window.to), counted.len(), ui::usd(counted_total), excluded, outside
            )}
        </p>
        <section class="card" aria-labelledby="sales-title">
            <h2 id="sales-title" class="card__title">"Marketplace billed sales lines"</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="verdict-filter">"Show"</label>
                    <select id="verdict-filter" on:change=move |ev| filter.set(VerdictFilter::parse(&event_target_value(&ev)))>
                        <option value="all">"All lines"</option>
                        <option value="counted">"Counted"</option>
                        <option value="excluded">"Excluded (fraud, cancelled)"</option>
                        <option value="outside">"Outside the window"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="offer-filter">"Offer"</label>
                    <select id="offer-filter" on:change=move |ev| offer.set(event_target_value(&ev))>
                        <option value="">"All offers"</option>
                        {offers.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <p class="hint" role="status">{move || format!("{} of {} lines shown.", shown(), sales.with_value(Vec::len))}</p>
            <div class="table-wrap">
                <table class="table" id="why-sales">
                    <caption class="visually-hidden">"Sales lines and whether each counted towards MBS"</caption>
                    <thead>
                        <tr>
                            {sort_button(SortKey::Date, "Date")}
                            <th scope="col">"Offer"</th>
                            {sort_button(SortKey::Amount, "Amount")}
                            <th scope="col">"Status"</th>
                            <th scope="col">"Verdict"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="monthly-title">
            <h2 id="monthly-title" class="card__title">"Monthly figures"</h2>
            {monthly("Business Applications solution value", biz)}
            {monthly("Teams app monthly active users", mau)}
        </section>
    }
}
