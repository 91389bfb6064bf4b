use std::sync::Arc;

use benefits_domain::calendar::Month;
use benefits_domain::error::{InputCode, InputError};
use benefits_domain::model::{MonthlyMau, MonthlyValue};
use benefits_domain::parse::date;
use benefits_domain::{evaluate_daily, Catalog, DailyInput, DailySales, EvaluationInput, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{EvaluationSummary, SelectField, TextField};
use crate::locale::{self, text, text::fill};
use crate::session::use_session;
use crate::{demo, ui};

/// Where the what-if data came from, and the evaluation date it starts at.
/// A signed-in partner's sales come as the workspace's daily totals (any
/// number of lines, at most two years of days); `partner.sales` holds the
/// lines edited here (the demo's, or those added).
#[derive(Clone, Debug, PartialEq)]
struct Baseline {
    name: String,
    as_of: NaiveDate,
    partner: PartnerData,
    catalog: Arc<Catalog>,
    daily: Arc<Vec<DailySales>>,
}

impl Baseline {
    fn demo() -> Baseline {
        let d = demo::demo();
        Baseline { name: d.name, as_of: d.as_of, partner: d.partner, catalog: Arc::new(demo::default_catalog()), daily: Arc::default() }
    }
}

/// An error message worded when shown (in a reactive closure it follows a
/// language switch), not when the error was found.
type Msg = Arc<dyn Fn() -> String + Send + Sync>;

/// The edited data on `as_of`, evaluated through the daily form: the
/// baseline's totals plus each edited line as a total of one (the same
/// result as the lines, `crates/domain/tests/daily.rs`).
fn what_if(as_of: NaiveDate, catalog: &Catalog, daily: &[DailySales], partner: PartnerData) -> Result<benefits_domain::Evaluation, InputError> {
    let lines = EvaluationInput { as_of, catalog: catalog.clone(), partner };
    lines.validate()?;
    let EvaluationInput { as_of, catalog, mut partner } = lines;
    let edited = std::mem::take(&mut partner.sales).into_iter().map(|s| DailySales {
        date: s.date,
        offer_id: s.offer_id,
        status: s.status,
        amount_usd: s.amount_usd,
        lines: 1,
    });
    let input = DailyInput { as_of, catalog, partner, daily_sales: daily.iter().cloned().chain(edited).collect() };
    input.validate().map(|()| evaluate_daily(&input))
}

/// A form's field errors, by field name.
type Errors = RwSignal<Vec<(&'static str, Msg)>>;

fn error_of(errors: Errors, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.iter().find(|(f, _)| *f == field).map(|(_, m)| m())))
}

/// Parses typed text; a failure keeps the text, so its reason is worded again
/// in the current language each time it is shown.
fn check<T: 'static>(errors: &mut Vec<(&'static str, Msg)>, field: &'static str, typed: String, parse: fn(&str) -> Result<T, String>) -> Option<T> {
    match parse(&typed) {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push((field, Arc::new(move || parse(&typed).err().unwrap_or_default())));
            None
        }
    }
}

/// A typed month, with the domain's reason in the user's language.
fn parse_month(text: &str) -> Result<Month, String> {
    let text = text.trim();
    text.parse::<Month>()
        .map_err(|_| text::input_reason(locale::current(), InputCode::InvalidMonth, &InputError::new("", InputCode::InvalidMonth).value(text).params))
}

/// A typed date: the domain's parser, its reason in the user's language.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    date::parse(text.trim()).map_err(|e| text::input_reason(locale::current(), e.code, &e.params))
}

fn parse_count(text: &str) -> Result<u64, String> {
    ui::parse_count(text).map_err(str::to_string)
}

/// What-if preview: edit a partner's data and see the tier recomputed in the
/// browser by the domain's own `evaluate`. Works offline; nothing is saved.
#[component]
pub fn WhatIf() -> impl IntoView {
    crate::set_title(crate::tr!(what_if.title));
    let session = use_session();
    let baseline = RwSignal::new(Baseline::demo());
    let as_of = RwSignal::new(baseline.get_untracked().as_of);
    let partner = RwSignal::new(baseline.get_untracked().partner);
    let load_error = RwSignal::new(None::<crate::api::ApiError>);
    let loading = RwSignal::new(false);

    let reset = move || {
        let b = baseline.get_untracked();
        as_of.set(b.as_of);
        partner.set(b.partner);
    };

    let result = Memo::new(move |_| {
        let (catalog, daily) = baseline.with(|b| (b.catalog.clone(), b.daily.clone()));
        what_if(as_of.get(), &catalog, &daily, partner.get())
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
                        daily: Arc::new(ws.input.daily_sales.clone()),
                    });
                    reset();
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e)),
            }
            loading.set(false);
        });
    };

    // --- evaluation date ---
    let date_text = RwSignal::new(as_of.get_untracked().to_string());
    Effect::new(move |_| date_text.set(as_of.get().to_string()));
    let date_error = RwSignal::new(None::<Msg>);
    let on_date = move |ev| {
        let text = event_target_value(&ev);
        match parse_date(&text) {
            Ok(d) => {
                as_of.set(d);
                date_error.set(None);
            }
            Err(_) => date_error.set(Some(Arc::new(move || parse_date(&text).err().unwrap_or_default()))),
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
        let l = locale::current();
        partner.with(|p| p.offers.iter().map(|o| (o.id.clone(), format!("{} ({})", o.id, text::offer_type(l, o.offer_type)))).collect::<Vec<_>>())
    });
    let status_options = Signal::derive(|| {
        let l = locale::current();
        SaleStatus::ALL.iter().map(|s| (s.as_str().to_string(), text::sale_status(l, *s).to_string())).collect::<Vec<_>>()
    });
    let add_sale = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let day = check(&mut errors, "sale-date", sale_date.get_untracked(), parse_date);
        let amount = check(&mut errors, "sale-amount", sale_amount.get_untracked(), ui::parse_amount);
        let status = SaleStatus::parse(&sale_status.get_untracked());
        let offer = sale_offer.get_untracked();
        let offer = if offer.is_empty() { offer_options.get_untracked().first().map(|o| o.0.clone()).unwrap_or_default() } else { offer };
        if offer.is_empty() {
            errors.push(("sale-offer", Arc::new(|| crate::trs!(what_if.need_offer).to_string())));
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
        let month = check(&mut errors, "biz-month", biz_month.get_untracked(), parse_month);
        let amount = check(&mut errors, "biz-amount", biz_amount.get_untracked(), ui::parse_amount);
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
        let month = check(&mut errors, "mau-month", mau_month.get_untracked(), parse_month);
        let mau = check(&mut errors, "mau-value", mau_value.get_untracked(), parse_count);
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
    let type_options = Signal::derive(|| {
        let l = locale::current();
        OfferType::ALL.iter().map(|t| (t.as_str().to_string(), text::offer_type(l, *t).to_string())).collect::<Vec<_>>()
    });
    let add_offer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let live = check(&mut errors, "offer-live", offer_live.get_untracked(), parse_date);
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
                    let label = fill(crate::trs!(what_if.remove_sale), &[("amount", &ui::usd(s.amount_usd)), ("date", &ui::date_long(s.date))]);
                    view! {
                        <tr>
                            <td>{s.date.to_string()}</td>
                            <td class="num">{ui::usd(s.amount_usd)}</td>
                            <td>{text::sale_status(locale::current(), s.status)}</td>
                            <td>{s.offer_id.clone()}</td>
                            <td>
                                <button type="button" class="button button--small button--ghost" aria-label=label
                                    on:click=move |_| partner.update(|p| { if i < p.sales.len() { p.sales.remove(i); } })>
                                    {crate::trs!(what_if.remove)}
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
                    let label = fill(crate::trs!(what_if.remove_offer), &[("id", &o.id)]);
                    view! {
                        <tr>
                            <td>{o.id.clone()}</td>
                            <td>{text::offer_type(locale::current(), o.offer_type)}</td>
                            <td>{o.live_on.map_or_else(|| crate::trs!(what_if.not_live).to_string(), |d| d.to_string())}</td>
                            <td>{o.delisted_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td>
                                <button type="button" class="button button--small button--ghost" aria-label=label
                                    on:click=move |_| partner.update(|p| { if i < p.offers.len() { p.offers.remove(i); } })>
                                    {crate::trs!(what_if.remove)}
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
                let month = ui::month_label(v.month, false);
                let label = fill(crate::trs!(what_if.remove_biz), &[("month", &month)]);
                view! {
                    <li>
                        {fill(crate::trs!(what_if.biz_item), &[("month", &month), ("amount", &ui::usd(v.amount_usd))])}
                        " "
                        <button type="button" class="button button--small button--ghost" aria-label=label
                            on:click=move |_| partner.update(|p| { if i < p.bizapps_value.len() { p.bizapps_value.remove(i); } })>
                            {crate::trs!(what_if.remove)}
                        </button>
                    </li>
                }
            }).collect_view();
            let mau = p.teams_mau.iter().enumerate().map(|(i, v)| {
                let month = ui::month_label(v.month, false);
                let label = fill(crate::trs!(what_if.remove_mau), &[("month", &month)]);
                view! {
                    <li>
                        {fill(crate::trs!(what_if.mau_item), &[("month", &month), ("users", &text::users(locale::current(), v.mau))])}
                        " "
                        <button type="button" class="button button--small button--ghost" aria-label=label
                            on:click=move |_| partner.update(|p| { if i < p.teams_mau.len() { p.teams_mau.remove(i); } })>
                            {crate::trs!(what_if.remove)}
                        </button>
                    </li>
                }
            }).collect_view();
            view! { <ul class="plain-list">{biz}{mau}</ul> }
        })
    };

    view! {
        <section class="page">
            <h1>{crate::tr!(what_if.title)}</h1>
            <p class="lead">{crate::tr!(what_if.lead)}</p>
            <div class="notice notice--info">
                <p>
                    {crate::tr!(what_if.from)} <strong id="what-if-source">{move || baseline.with(|b| b.name.clone())}</strong>
                    {move || baseline.with(|b| fill(crate::trs!(what_if.catalog), &[("version", &b.catalog.version)]))}
                </p>
                <p class="actions">
                    <button type="button" class="button button--secondary" on:click=move |_| reset()>{crate::tr!(what_if.reset)}</button>
                    {move || session.partner_id().is_some().then(|| view! {
                        <button type="button" class="button button--secondary" on:click=load_mine disabled=move || loading.get()>
                            {move || if loading.get() { crate::trs!(what_if.loading_mine) } else { crate::trs!(what_if.mine) }}
                        </button>
                    })}
                </p>
                {move || load_error.get().map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
            </div>

            <div class="what-if">
                <div class="what-if__inputs">
                    <section class="card" aria-labelledby="when-title">
                        <h2 id="when-title" class="card__title">{crate::tr!(what_if.when)}</h2>
                        <div class="field" class:field--invalid=move || date_error.with(Option::is_some)>
                            <label for="as-of">{crate::tr!(what_if.evaluate_on)}</label>
                            <p class="field__hint" id="as-of-hint">{crate::tr!(what_if.evaluate_hint)}</p>
                            <input id="as-of" type="date" aria-describedby="as-of-hint"
                                prop:value=move || date_text.get() on:input=on_date on:change=on_date />
                            {move || date_error.get().map(|e| view! { <p class="field__error"><span aria-hidden="true">"✕ "</span>{move || e()}</p> })}
                        </div>
                        <p class="actions">
                            <button type="button" class="button button--small button--secondary" on:click=move |_| as_of.set(ui::today())>{crate::tr!(what_if.today)}</button>
                            <button type="button" class="button button--small button--secondary"
                                on:click=move |_| as_of.update(|d| *d = benefits_domain::calendar::months_after(*d, 1))>{crate::tr!(what_if.plus_month)}</button>
                            <button type="button" class="button button--small button--secondary"
                                on:click=move |_| as_of.update(|d| *d = benefits_domain::calendar::months_before(*d, 1))>{crate::tr!(what_if.minus_month)}</button>
                        </p>
                    </section>

                    <section class="card" aria-labelledby="sale-title">
                        <h2 id="sale-title" class="card__title">{crate::tr!(what_if.sale_title)}</h2>
                        <form class="form-grid" on:submit=add_sale novalidate=true>
                            <TextField id="sale-date" label=crate::tr!(what_if.date) input_type="date" value=sale_date error=error_of(sale_errors, "sale-date") />
                            <TextField id="sale-amount" label=crate::tr!(what_if.amount_usd) value=sale_amount inputmode="decimal"
                                hint=crate::tr!(what_if.credit_hint) error=error_of(sale_errors, "sale-amount") />
                            <SelectField id="sale-status" label=crate::tr!(what_if.status) value=sale_status options=status_options />
                            <SelectField id="sale-offer" label=crate::tr!(what_if.offer) value=sale_offer options=offer_options error=error_of(sale_errors, "sale-offer") />
                            <div class="form-actions"><button type="submit" class="button" id="sale-add">{crate::tr!(what_if.add_sale)}</button></div>
                        </form>
                    </section>

                    <section class="card" aria-labelledby="metrics-title">
                        <h2 id="metrics-title" class="card__title">{crate::tr!(what_if.metrics_title)}</h2>
                        <form class="form-grid" on:submit=add_biz novalidate=true aria-label=crate::tr!(what_if.biz_form)>
                            <TextField id="biz-month" label=crate::tr!(what_if.month) input_type="month" hint=crate::tr!(what_if.month_hint) value=biz_month error=error_of(biz_errors, "biz-month") />
                            <TextField id="biz-amount" label=crate::tr!(what_if.biz_amount) inputmode="decimal" value=biz_amount error=error_of(biz_errors, "biz-amount") />
                            <div class="form-actions"><button type="submit" class="button" id="biz-add">{crate::tr!(what_if.add_value)}</button></div>
                        </form>
                        <form class="form-grid" on:submit=add_mau novalidate=true aria-label=crate::tr!(what_if.mau_form)>
                            <TextField id="mau-month" label=crate::tr!(what_if.month) input_type="month" hint=crate::tr!(what_if.month_hint) value=mau_month error=error_of(mau_errors, "mau-month") />
                            <TextField id="mau-value" label=crate::tr!(what_if.mau_value) inputmode="numeric" value=mau_value error=error_of(mau_errors, "mau-value") />
                            <div class="form-actions"><button type="submit" class="button" id="mau-add">{crate::tr!(what_if.add_users)}</button></div>
                        </form>
                        {monthly_list}
                    </section>

                    <section class="card" aria-labelledby="offers-title">
                        <h2 id="offers-title" class="card__title">{crate::tr!(what_if.offers)}</h2>
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">{crate::tr!(what_if.offers_caption)}</caption>
                                <thead><tr>
                                    <th scope="col">{crate::tr!(what_if.offer)}</th><th scope="col">{crate::tr!(what_if.type_col)}</th>
                                    <th scope="col">{crate::tr!(what_if.live_on)}</th><th scope="col">{crate::tr!(what_if.delisted_on)}</th>
                                    <th scope="col"><span class="visually-hidden">{crate::tr!(what_if.actions)}</span></th>
                                </tr></thead>
                                <tbody>{offers_rows}</tbody>
                            </table>
                        </div>
                        <form class="form-grid" on:submit=add_offer novalidate=true aria-label=crate::tr!(what_if.offer_form)>
                            <SelectField id="offer-type" label=crate::tr!(what_if.offer_type) value=offer_type options=type_options />
                            <TextField id="offer-live" label=crate::tr!(what_if.goes_live) input_type="date" value=offer_live error=error_of(offer_errors, "offer-live") />
                            <div class="form-actions"><button type="submit" class="button" id="offer-add">{crate::tr!(what_if.add_offer)}</button></div>
                        </form>
                    </section>

                    <section class="card" aria-labelledby="sales-title">
                        <h2 id="sales-title" class="card__title">{move || partner.with(|p| fill(crate::trs!(what_if.sales), &[("n", &p.sales.len().to_string())]))}</h2>
                        {move || baseline.with(|b| (!b.daily.is_empty()).then(|| {
                            let lines: u64 = b.daily.iter().map(|d| d.lines).sum();
                            let totals = b.daily.len() as u64;
                            view! { <p class="hint" id="what-if-daily">{move || fill(crate::trs!(what_if_daily.kept), &[("lines", &ui::count(lines)), ("totals", &ui::count(totals))])}</p> }
                        }))}
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">{crate::tr!(what_if.sales_caption)}</caption>
                                <thead><tr>
                                    <th scope="col">{crate::tr!(what_if.date)}</th><th scope="col" class="num">{crate::tr!(what_if.amount)}</th>
                                    <th scope="col">{crate::tr!(what_if.status)}</th><th scope="col">{crate::tr!(what_if.offer)}</th>
                                    <th scope="col"><span class="visually-hidden">{crate::tr!(what_if.actions)}</span></th>
                                </tr></thead>
                                <tbody>{sales_rows}</tbody>
                            </table>
                        </div>
                    </section>
                </div>

                <section class="what-if__result" aria-labelledby="result-title" tabindex="0">
                    <h2 id="result-title">{move || fill(crate::trs!(what_if.result), &[("date", &ui::date_long(as_of.get()))])}</h2>
                    {move || match result.get() {
                        Ok(ev) => view! { <EvaluationSummary evaluation=ev catalog=baseline.with(|b| b.catalog.clone()) transact_live=partner.with(|p| p.transact_live_on(as_of.get())) /> }.into_any(),
                        Err(e) => view! {
                            <div class="notice notice--error" role="alert">
                                <p class="notice__title">{crate::tr!(what_if.cannot)}</p>
                                <p>{move || text::input_error(locale::current(), &e)}</p>
                            </div>
                        }.into_any(),
                    }}
                </section>
            </div>
        </section>
    }
}
