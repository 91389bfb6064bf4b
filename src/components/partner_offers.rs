use benefits_api::offers::OfferView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::locale::{self, text, text::fill};
use crate::ui;

/// A partner's offers with where each came from; a live offer can be
/// delisted on a day, with the reason the rule asks for (audited).
#[component]
pub fn PartnerOffers(pid: String, offers: Vec<OfferView>, on_change: Callback<()>) -> impl IntoView {
    let empty = offers.is_empty();
    let pid = StoredValue::new(pid);
    let rows = offers.into_iter().map(|o| offer_row(pid, o, on_change)).collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="partner-offers">
                <caption class="visually-hidden">{crate::tr!(offers.caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(offers.offer)}</th><th scope="col">{crate::tr!(offers.type_)}</th><th scope="col">{crate::tr!(offers.live_on)}</th>
                    <th scope="col">{crate::tr!(offers.delisted)}</th><th scope="col">{crate::tr!(offers.reported_by)}</th>
                    <th scope="col">{crate::tr!(partner360.delist)}</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="6">{crate::tr!(offers.none)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}

fn offer_row(pid: StoredValue<String>, o: OfferView, on_change: Callback<()>) -> impl IntoView {
    let source = o.source.clone();
    let (live_on, delisted_on, offer_type) = (o.live_on, o.delisted_on, o.offer_type);
    let can_delist = delisted_on.is_none();
    view! {
        <tr data-offer=o.id.clone()>
            <td>{o.name.clone()}<br /><span class="hint">{o.id.clone()}</span></td>
            <td>{move || text::offer_type(locale::current(), offer_type)}</td>
            <td>{move || live_on.map(ui::date_long).unwrap_or_else(|| crate::trs!(offers.not_live).into())}</td>
            <td>{move || delisted_on.map(ui::date_long).unwrap_or_else(|| if live_on.is_some() { crate::trs!(offers.live).into() } else { "—".into() })}</td>
            <td>{move || ui::describe_source(&source)}</td>
            <td>{can_delist.then(|| delist_form(pid, o.id.clone(), o.name.clone(), on_change))}</td>
        </tr>
    }
}

fn delist_form(pid: StoredValue<String>, oid: String, name: String, on_change: Callback<()>) -> impl IntoView {
    let day = RwSignal::new(ui::today().to_string());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let (day_id, reason_id) = (format!("delist-{oid}-date"), format!("delist-{oid}-reason"));
    let oid = StoredValue::new(oid);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(on) = day.get_untracked().parse() else {
            error.set(Some(ApiError::local_field("delisted_on", |l| leptos_i18n::td_string!(l, partner360.date_needed))));
            return;
        };
        pending.set(true);
        spawn_local(async move {
            match api::delist_offer(&pid.get_value(), &oid.get_value(), on, reason.get_untracked()).await {
                Ok(_) => {
                    error.set(None);
                    on_change.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <details>
            <summary>{move || fill(crate::trs!(partner360.delist_summary), &[("name", &name)])}</summary>
            <form class="form-stack" on:submit=submit novalidate=true>
                <div class="field">
                    <label for=day_id.clone()>{crate::tr!(partner360.delist_on)}</label>
                    <input id=day_id type="date" required=true bind:value=day />
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{crate::tr!(partner360.reason)}</label>
                    <input id=reason_id type="text" required=true maxlength="2000" bind:value=reason />
                </div>
                <div class="form-actions"><button type="submit" class="button button--danger" disabled=pending>{crate::tr!(partner360.delist)}</button></div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            </form>
        </details>
    }
}
