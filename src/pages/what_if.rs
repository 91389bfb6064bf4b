use std::sync::Arc;

use benefits_domain::calendar::Month;
use benefits_domain::model::{MonthlyMau, MonthlyValue};
use benefits_domain::parse::date;
use benefits_domain::{evaluate, Catalog, EvaluationInput, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{EvaluationSummary, SelectField, TextField};
use crate::session::use_session;
use crate::{demo, ui};

/// Where the what-if data came from, and the evaluation date it starts at.
#[derive(Clone, Debug, PartialEq)]
struct Baseline {
    name: String,
    as_of: NaiveDate,
    partner: PartnerData,
    catalog: Arc<Catalog>,
}

impl Baseline {
    fn demo() -> Baseline {
        let d = demo::demo();
        Baseline { name: d.name, as_of: d.as_of, partner: d.partner, catalog: Arc::new(demo::default_catalog()) }
    }
}

/// A form's field errors, by field name.
type Errors = RwSignal<Vec<(&'static str, String)>>;

fn error_of(errors: Errors, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone())))
}

fn parse_month(text: &str) -> Result<Month, String> {
    text.trim().parse::<Month>().map_err(|e| format!("The month {e}."))
}

/// What-if preview: edit a partner's data and see the tier recomputed in the
/// browser by the domain's own `evaluate`. Works offline; nothing is saved.
#[component]
pub fn WhatIf() -> impl IntoView {
    crate::set_title("What-if preview");
    let session = use_session();
    let baseline = RwSignal::new(Baseline::demo());
    let as_of = RwSignal::new(baseline.get_untracked().as_of);
    let partner = RwSignal::new(baseline.get_untracked().partner);
    let load_error = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);

    let reset = move || {
        let b = baseline.get_untracked();
        as_of.set(b.as_of);
        partner.set(b.partner);
    };

    let result = Memo::new(move |_| {
        let input = EvaluationInput { as_of: as_of.get(), catalog: (*baseline.with(|b| b.catalog.clone())).clone(), partner: partner.get() };
        input.validate().map(|()| evaluate(&input)).map_err(|e| e.to_string())
    });

    // A signed-in partner can start from their own current data.
    let load_mine = move |_| {
        let Some(pid) = session.partner_id() else { return };
        loading.set(true);
        spawn_local(async move {
            match crate::offline::workspace(&pid).await {
                Ok(ws) => {
                    baseline.set(Baseline {
                        name: ws.partner.name.clone(),
                        as_of: ws.input.as_of,
                        partner: ws.input.partner.clone(),
                        catalog: Arc::new(ws.input.catalog.clone()),
                    });
                    reset();
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };

    // --- evaluation date ---
    let date_text = RwSignal::new(as_of.get_untracked().to_string());
    Effect::new(move |_| date_text.set(as_of.get().to_string()));
    let date_error = RwSignal::new(None::<String>);
    let on_date = move |ev| {
        let text = event_target_value(&ev);
        match date::parse(&text) {
            Ok(d) => {
                as_of.set(d);
                date_error.set(None);
            }
            Err(e) => date_error.set(Some(e)),
        }
    };

    // --- add a sale ---
    let sale_date = RwSignal::new(String::new());
    let sale_amount = RwSignal::new(String::new());
    let sale_status = RwSignal::new("billed".to_string());
    // The first offer is preselected, so the select always shows a real choice.
    let sale_offer = RwSignal::new(partner.with_untracked(|p| p.offers.first().map(|o| o.id.clone()).unwrap_or_default()));
    let sale_errors: Errors = RwSignal::new(Vec::new());
    let offer_options = Signal::derive(move || {
        partner.with(|p| p.offers.iter().map(|o| (o.id.clone(), format!("{} ({})", o.id, o.offer_type))).collect::<Vec<_>>())
    });
    let status_options =
        Signal::derive(|| SaleStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.describe().to_string())).collect::<Vec<_>>());
    let add_sale = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let day = date::parse(sale_date.get_untracked().trim()).map_err(|e| errors.push(("sale-date", e))).ok();
        let amount = ui::parse_amount(&sale_amount.get_untracked()).map_err(|e| errors.push(("sale-amount", e))).ok();
        let status = SaleStatus::parse(&sale_status.get_untracked());
        let offer = sale_offer.get_untracked();
        let offer = if offer.is_empty() { offer_options.get_untracked().first().map(|o| o.0.clone()).unwrap_or_default() } else { offer };
        if offer.is_empty() {
            errors.push(("sale-offer", "Add an offer first: a sale belongs to an offer.".into()));
        }
        sale_errors.set(errors);
        if let (Some(date), Some(amount_usd), Some(status)) = (day, amount, status) {
            if sale_errors.with_untracked(Vec::is_empty) {
                partner.update(|p| p.sales.push(SaleLine { date, amount_usd, status, offer_id: offer }));
                sale_amount.set(String::new());
            }
        }
    };

    // --- Business Applications value ---
    let biz_month = RwSignal::new(String::new());
    let biz_amount = RwSignal::new(String::new());
    let biz_errors: Errors = RwSignal::new(Vec::new());
    let add_biz = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let month = parse_month(&biz_month.get_untracked()).map_err(|e| errors.push(("biz-month", e))).ok();
        let amount = ui::parse_amount(&biz_amount.get_untracked()).map_err(|e| errors.push(("biz-amount", e))).ok();
        biz_errors.set(errors);
        if let (Some(month), Some(amount_usd)) = (month, amount) {
            partner.update(|p| p.bizapps_value.push(MonthlyValue { month, amount_usd }));
            biz_amount.set(String::new());
        }
    };

    // --- Teams MAU ---
    let mau_month = RwSignal::new(String::new());
    let mau_value = RwSignal::new(String::new());
    let mau_errors: Errors = RwSignal::new(Vec::new());
    let add_mau = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let month = parse_month(&mau_month.get_untracked()).map_err(|e| errors.push(("mau-month", e))).ok();
        let mau = ui::parse_count(&mau_value.get_untracked()).map_err(|e| errors.push(("mau-value", e.to_string()))).ok();
        mau_errors.set(errors);
        if let (Some(month), Some(mau)) = (month, mau) {
            partner.update(|p| p.teams_mau.push(MonthlyMau { month, mau }));
            mau_value.set(String::new());
        }
    };

    // --- offers ---
    let offer_type = RwSignal::new("transact".to_string());
    let offer_live = RwSignal::new(String::new());
    let offer_errors: Errors = RwSignal::new(Vec::new());
    let type_options =
        Signal::derive(|| OfferType::ALL.iter().map(|t| (t.as_str().to_string(), t.as_str().to_string())).collect::<Vec<_>>());
    let add_offer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let live = date::parse(offer_live.get_untracked().trim()).map_err(|e| errors.push(("offer-live", e))).ok();
        let t = OfferType::parse(&offer_type.get_untracked());
        offer_errors.set(errors);
        if let (Some(live_on), Some(offer_type)) = (live, t) {
            partner.update(|p| {
                let n = (1..).find(|n| !p.offers.iter().any(|o| o.id == format!("what-if-{n}"))).unwrap_or(1);
                p.offers.push(Offer { id: format!("what-if-{n}"), offer_type, live_on: Some(live_on), delisted_on: None });
            });
        }
    };

    let sales_rows = move || {
        partner.with(|p| {
            p.sales
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let label = format!("Remove the sale of {} on {}", ui::usd(s.amount_usd), ui::date_long(s.date));
                    view! {
                        <tr>
                            <td>{s.date.to_string()}</td>
                            <td class="num">{ui::usd(s.amount_usd)}</td>
                            <td>{s.status.describe()}</td>
                            <td>{s.offer_id.clone()}</td>
                            <td>
                                <button type="button" class="button button--small button--ghost" aria-label=label
                                    on:click=move |_| partner.update(|p| { if i < p.sales.len() { p.sales.remove(i); } })>
                                    "Remove"
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let offers_rows = move || {
        partner.with(|p| {
            p.offers
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let label = format!("Remove offer {}", o.id);
                    view! {
                        <tr>
                            <td>{o.id.clone()}</td>
                            <td>{o.offer_type.as_str()}</td>
                            <td>{o.live_on.map_or_else(|| "not live yet".to_string(), |d| d.to_string())}</td>
                            <td>{o.delisted_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td>
                                <button type="button" class="button button--small button--ghost" aria-label=label
                                    on:click=move |_| partner.update(|p| { if i < p.offers.len() { p.offers.remove(i); } })>
                                    "Remove"
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let monthly_list = move || {
        partner.with(|p| {
            let biz = p.bizapps_value.iter().enumerate().map(|(i, v)| {
                let label = format!("Remove Business Applications value of {}", v.month);
                view! {
                    <li>
                        {format!("{}: {} Business Applications value", ui::month_label(v.month, false), ui::usd(v.amount_usd))}
                        " "
                        <button type="button" class="button button--small button--ghost" aria-label=label
                            on:click=move |_| partner.update(|p| { if i < p.bizapps_value.len() { p.bizapps_value.remove(i); } })>
                            "Remove"
                        </button>
                    </li>
                }
            }).collect_view();
            let mau = p.teams_mau.iter().enumerate().map(|(i, v)| {
                let label = format!("Remove Teams MAU of {}", v.month);
                view! {
                    <li>
                        {format!("{}: {} Teams users", ui::month_label(v.month, false), ui::count(v.mau))}
                        " "
                        <button type="button" class="button button--small button--ghost" aria-label=label
                            on:click=move |_| partner.update(|p| { if i < p.teams_mau.len() { p.teams_mau.remove(i); } })>
                            "Remove"
                        </button>
                    </li>
                }
            }).collect_view();
            view! { <ul class="plain-list">{biz}{mau}</ul> }
        })
    };

    view! {
        <section class="page">
            <h1>"What-if preview"</h1>
            <p class="lead">
                "Change the data below and the tier is recomputed at once, in your browser, with the program's own rules. Nothing is saved."
            </p>
            <div class="notice notice--info">
                <p>
                    "Starting from: " <strong id="what-if-source">{move || baseline.with(|b| b.name.clone())}</strong>
                    {move || baseline.with(|b| format!(" · catalog {}", b.catalog.version))}
                </p>
                <p class="actions">
                    <button type="button" class="button button--secondary" on:click=move |_| reset()>"Reset to the starting data"</button>
                    {move || session.partner_id().is_some().then(|| view! {
                        <button type="button" class="button button--secondary" on:click=load_mine disabled=move || loading.get()>
                            {move || if loading.get() { "Loading your data…" } else { "Start from my current data" }}
                        </button>
                    })}
                </p>
                {move || load_error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
            </div>

            <div class="what-if">
                <div class="what-if__inputs">
                    <section class="card" aria-labelledby="when-title">
                        <h2 id="when-title" class="card__title">"Evaluation date"</h2>
                        <div class="field" class:field--invalid=move || date_error.with(Option::is_some)>
                            <label for="as-of">"Evaluate on"</label>
                            <p class="field__hint" id="as-of-hint">"The trailing twelve months end on this day."</p>
                            <input id="as-of" type="date" aria-describedby="as-of-hint"
                                prop:value=move || date_text.get() on:input=on_date on:change=on_date />
                            {move || date_error.get().map(|e| view! { <p class="field__error"><span aria-hidden="true">"✕ "</span>{e}</p> })}
                        </div>
                        <p class="actions">
                            <button type="button" class="button button--small button--secondary" on:click=move |_| as_of.set(ui::today())>"Today"</button>
                            <button type="button" class="button button--small button--secondary"
                                on:click=move |_| as_of.update(|d| *d = benefits_domain::calendar::months_after(*d, 1))>"+1 month"</button>
                            <button type="button" class="button button--small button--secondary"
                                on:click=move |_| as_of.update(|d| *d = benefits_domain::calendar::months_before(*d, 1))>"−1 month"</button>
                        </p>
                    </section>

                    <section class="card" aria-labelledby="sale-title">
                        <h2 id="sale-title" class="card__title">"Add a hypothetical sale"</h2>
                        <form class="form-grid" on:submit=add_sale novalidate=true>
                            <TextField id="sale-date" label="Date" input_type="date" value=sale_date error=error_of(sale_errors, "sale-date") />
                            <TextField id="sale-amount" label="Amount (USD)" value=sale_amount inputmode="decimal"
                                hint="A credit is negative, e.g. -250.00" error=error_of(sale_errors, "sale-amount") />
                            <SelectField id="sale-status" label="Status" value=sale_status options=status_options />
                            <SelectField id="sale-offer" label="Offer" value=sale_offer options=offer_options error=error_of(sale_errors, "sale-offer") />
                            <div class="form-actions"><button type="submit" class="button" id="sale-add">"Add sale"</button></div>
                        </form>
                    </section>

                    <section class="card" aria-labelledby="metrics-title">
                        <h2 id="metrics-title" class="card__title">"Business Applications value and Teams users"</h2>
                        <form class="form-grid" on:submit=add_biz novalidate=true aria-label="Add Business Applications value">
                            <TextField id="biz-month" label="Month" input_type="month" hint="YYYY-MM" value=biz_month error=error_of(biz_errors, "biz-month") />
                            <TextField id="biz-amount" label="Business Applications value (USD)" inputmode="decimal" value=biz_amount error=error_of(biz_errors, "biz-amount") />
                            <div class="form-actions"><button type="submit" class="button" id="biz-add">"Add value"</button></div>
                        </form>
                        <form class="form-grid" on:submit=add_mau novalidate=true aria-label="Add Teams monthly active users">
                            <TextField id="mau-month" label="Month" input_type="month" hint="YYYY-MM" value=mau_month error=error_of(mau_errors, "mau-month") />
                            <TextField id="mau-value" label="Teams app monthly active users" inputmode="numeric" value=mau_value error=error_of(mau_errors, "mau-value") />
                            <div class="form-actions"><button type="submit" class="button" id="mau-add">"Add users"</button></div>
                        </form>
                        {monthly_list}
                    </section>

                    <section class="card" aria-labelledby="offers-title">
                        <h2 id="offers-title" class="card__title">"Offers"</h2>
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">"Offers in the preview"</caption>
                                <thead><tr>
                                    <th scope="col">"Offer"</th><th scope="col">"Type"</th><th scope="col">"Live on"</th>
                                    <th scope="col">"Delisted on"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr></thead>
                                <tbody>{offers_rows}</tbody>
                            </table>
                        </div>
                        <form class="form-grid" on:submit=add_offer novalidate=true aria-label="Add an offer">
                            <SelectField id="offer-type" label="Offer type" value=offer_type options=type_options />
                            <TextField id="offer-live" label="Goes live on" input_type="date" value=offer_live error=error_of(offer_errors, "offer-live") />
                            <div class="form-actions"><button type="submit" class="button" id="offer-add">"Add offer"</button></div>
                        </form>
                    </section>

                    <section class="card" aria-labelledby="sales-title">
                        <h2 id="sales-title" class="card__title">{move || partner.with(|p| format!("Sales lines ({})", p.sales.len()))}</h2>
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">"Sales lines in the preview"</caption>
                                <thead><tr>
                                    <th scope="col">"Date"</th><th scope="col" class="num">"Amount"</th><th scope="col">"Status"</th>
                                    <th scope="col">"Offer"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr></thead>
                                <tbody>{sales_rows}</tbody>
                            </table>
                        </div>
                    </section>
                </div>

                <section class="what-if__result" aria-labelledby="result-title" tabindex="0">
                    <h2 id="result-title">{move || format!("Result on {}", ui::date_long(as_of.get()))}</h2>
                    {move || match result.get() {
                        Ok(ev) => view! { <EvaluationSummary evaluation=ev catalog=baseline.with(|b| b.catalog.clone()) transact_live=partner.with(|p| p.transact_live_on(as_of.get())) /> }.into_any(),
                        Err(e) => view! {
                            <div class="notice notice--error" role="alert">
                                <p class="notice__title">"This data cannot be evaluated"</p>
                                <p>{e}</p>
                            </div>
                        }.into_any(),
                    }}
                </section>
            </div>
        </section>
    }
}
