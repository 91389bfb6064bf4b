use benefits_api::dashboard::{Dashboard, DashboardQuery, NearTier};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{BarChart, Series};
use crate::loaded::{loaded, resource};
use crate::locale::{self, format, text, text::fill};
use crate::ui;

/// The program dashboard: partners per tier and offer type, activations by
/// state, the contact SLA per week, benefits per month and the partners close
/// to their next tier, for a date range; every chart followed by its figures.
#[component]
pub fn ProgramDashboard() -> impl IntoView {
    crate::set_title(crate::tr!(dashboard.title));
    let query = RwSignal::new(DashboardQuery::default());
    let data = resource(move || benefits_api::paths::operator_dashboard(&query.get()));
    view! {
        <section class="page">
            <h1>{crate::tr!(dashboard.title)}</h1>
            <p class="hint">{crate::tr!(dashboard.lead)}</p>
            <RangeForm query />
            // A refused range, by its field's code and limit, beside the form
            // (the notice below, the page's one alert, says it was refused).
            {move || data.get().and_then(Result::err).filter(|e| e.errors.iter().any(|i| i.line.is_none())).map(|e| {
                let reasons = move || {
                    let l = locale::current();
                    e.errors.iter().filter(|i| i.line.is_none()).map(|i| text::error_item(l, i)).collect::<Vec<_>>().join(" ")
                };
                view! { <p class="field__error" id="dashboard-range-error">{reasons}</p> }
            })}
            {loaded(data, crate::tr!(dashboard.what), |d: Dashboard| move || {
                // Redrawn in the new language when it changes (the charts' words are plain text).
                locale::current();
                figures(d.clone())
            })}
        </section>
    }
}

/// The date range: both ends inclusive; empty ends take the server's defaults.
#[component]
fn RangeForm(query: RwSignal<DashboardQuery>) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pick = |s: String| (!s.is_empty()).then_some(s);
        query.set(DashboardQuery { from: pick(from.get_untracked()), to: pick(to.get_untracked()) });
    };
    view! {
        <form class="filters" on:submit=apply aria-label=crate::tr!(dashboard.range)>
            <div class="field">
                <label for="dashboard-from">{crate::tr!(dashboard.from)}</label>
                <input id="dashboard-from" type="date" class="input" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="dashboard-to">{crate::tr!(dashboard.to)}</label>
                <input id="dashboard-to" type="date" class="input" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button" id="dashboard-apply">{crate::tr!(dashboard.apply)}</button>
        </form>
    }
}

/// A drawn series of counts.
fn counts(name: String, values: impl Iterator<Item = u64>) -> Series {
    Series { name, values: values.map(Some).collect(), drawn: true, format: count }
}

fn count(n: u64) -> String {
    format::count(locale::current(), n)
}

/// Tenths of a percent as a whole percentage.
fn percent(permille: u64) -> String {
    fill(crate::trs!(dashboard.percent), &[("n", &format::count(locale::current(), ((permille + 5) / 10).min(100)))])
}

fn figures(d: Dashboard) -> impl IntoView {
    let l = locale::current();
    let range = fill(crate::trs!(dashboard.range_shown), &[("from", &format::date(l, d.from)), ("to", &format::date(l, d.to)), ("today", &format::date(l, d.as_of))]);
    let total = fill(crate::trs!(dashboard.partners_total), &[("n", &count(d.partners))]);
    let partners = crate::trs!(dashboard.partners).to_string();
    let tiers = view! {
        <BarChart id="chart-tiers" title=crate::trs!(dashboard.by_tier).into()
            desc=fill(crate::trs!(dashboard.by_tier_desc), &[("n", &count(d.partners))])
            category_header=crate::trs!(dashboard.tier).into()
            categories=d.by_tier.iter().map(|t| text::tier_label(l, t.tier)).collect()
            series=vec![counts(partners.clone(), d.by_tier.iter().map(|t| t.partners))] />
    };
    let offers = view! {
        <BarChart id="chart-offers" title=crate::trs!(dashboard.by_offer).into()
            desc=crate::trs!(dashboard.by_offer_desc).into()
            category_header=crate::trs!(dashboard.offer_type).into()
            categories=d.by_offer_type.iter().map(|o| text::offer_type(l, o.offer_type).to_string()).collect()
            series=vec![counts(partners, d.by_offer_type.iter().map(|o| o.partners))] />
    };
    let activated: u64 = d.activations_by_state.iter().map(|s| s.benefits).sum();
    let states = view! {
        <BarChart id="chart-states" title=crate::trs!(dashboard.by_state).into()
            desc=fill(crate::trs!(dashboard.by_state_desc), &[("n", &count(activated))])
            category_header=crate::trs!(dashboard.state).into()
            categories=d.activations_by_state.iter().map(|s| text::status(l, s.status).to_string()).collect()
            series=vec![counts(crate::trs!(dashboard.benefits).into(), d.activations_by_state.iter().map(|s| s.benefits))] />
    };
    view! {
        <p id="dashboard-range">{range}</p>
        <p id="dashboard-total">{total}</p>
        <div class="dashboard-grid">
            <section class="card">{tiers}</section>
            <section class="card">{offers}</section>
            <section class="card">{states}</section>
        </div>
        <section class="card">{sla(&d)}</section>
        <section class="card">{months(&d)}</section>
        <section class="card">{near(d.near_next_tier)}</section>
    }
}

fn sla(d: &Dashboard) -> impl IntoView {
    let l = locale::current();
    let weeks = &d.contact_sla;
    let (in_time, decided) = weeks.iter().fold((0, 0), |(a, b), w| (a + w.in_time, b + w.in_time + w.late));
    let overall = if decided == 0 { crate::trs!(dashboard.sla_none).to_string() } else { percent((in_time * 1000 + decided / 2) / decided) };
    let col = |name: &str, f: fn(&benefits_api::dashboard::SlaWeek) -> u64| Series { drawn: false, ..counts(name.into(), weeks.iter().map(f)) };
    let share = Series { name: crate::trs!(dashboard.sla_share).into(), values: weeks.iter().map(|w| w.permille()).collect(), drawn: true, format: percent };
    let series = vec![
        share,
        col(crate::trs!(dashboard.activated), |w| w.activated),
        col(crate::trs!(dashboard.in_time), |w| w.in_time),
        col(crate::trs!(dashboard.late), |w| w.late),
        col(crate::trs!(dashboard.pending), |w| w.pending),
    ];
    let categories: Vec<String> = weeks.iter().map(|w| fill(crate::trs!(dashboard.week_of), &[("date", &format::date(l, w.week))])).collect();
    let ticks: Vec<String> = weeks.iter().map(|w| format::date(l, w.week)).map(|s| s.rsplit_once(' ').map(|(a, _)| a.to_string()).unwrap_or(s)).collect();
    view! {
        <BarChart id="chart-sla" title=crate::trs!(dashboard.sla).into()
            desc=fill(crate::trs!(dashboard.sla_desc), &[("share", &overall), ("n", &count(decided))])
            category_header=crate::trs!(dashboard.week).into()
            categories ticks series ceiling=1000 />
    }
}

fn months(d: &Dashboard) -> impl IntoView {
    let l = locale::current();
    let ms = &d.benefits_by_month;
    let delivered: u64 = ms.iter().map(|m| m.delivered).sum();
    let granted: u64 = ms.iter().map(|m| m.granted).sum();
    let series = vec![counts(crate::trs!(dashboard.delivered).into(), ms.iter().map(|m| m.delivered)), counts(crate::trs!(dashboard.granted).into(), ms.iter().map(|m| m.granted))];
    view! {
        <BarChart id="chart-months" title=crate::trs!(dashboard.by_month).into()
            desc=fill(crate::trs!(dashboard.by_month_desc), &[("delivered", &count(delivered)), ("granted", &count(granted))])
            category_header=crate::trs!(dashboard.month).into()
            categories=ms.iter().map(|m| format::month(l, m.month, false)).collect()
            ticks=ms.iter().map(|m| format::month(l, m.month, true)).collect()
            series />
    }
}

fn near(rows: Vec<NearTier>) -> impl IntoView {
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr data-partner=r.partner_id.clone()>
                    <th scope="row"><A href=format!("/operator/partners/{}", r.partner_id)>{r.name.clone()}</A></th>
                    <td>{move || ui::tier_label(r.tier)}</td>
                    <td class="num">{move || ui::usd(r.mbs)}</td>
                    <td>{move || ui::tier_label(Some(r.next_tier))}</td>
                    <td class="num">{move || ui::usd(r.next_min)}</td>
                    <td class="num">{move || ui::usd(r.missing)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="near-title">{crate::tr!(dashboard.near)}</h2>
        <p class="hint">{crate::tr!(dashboard.near_hint)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="near-title">
            <table class="table" id="near-next-tier">
                <thead><tr>
                    <th scope="col">{crate::tr!(dashboard.partner)}</th>
                    <th scope="col">{crate::tr!(dashboard.tier)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.mbs)}</th>
                    <th scope="col">{crate::tr!(dashboard.next_tier)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.threshold)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.missing)}</th>
                </tr></thead>
                <tbody>
                    {body}
                    {empty.then(|| view! { <tr><td colspan="6">{crate::tr!(dashboard.near_none)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
