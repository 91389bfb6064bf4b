use benefits_api::exports::ExportFile;
use benefits_api::offers::OfferView;
use benefits_api::paths;
use leptos::prelude::*;

use crate::loaded::{loaded, partner_id, resource};
use crate::locale::{self, text};
use crate::ui;

/// Offers & data: the partner's offers as the marketplace reported them
/// (read-only, with where each came from), and the exports.
#[component]
pub fn Offers() -> impl IntoView {
    crate::set_title(crate::tr!(nav.offers));
    let pid = partner_id();
    let offers = resource(move || paths::offers(&pid.get()));
    view! {
        <section class="page">
            <h1>{crate::tr!(nav.offers)}</h1>
            <p class="hint">{crate::tr!(offers.lead)}</p>
            <h2>{crate::tr!(offers.offers)}</h2>
            {move || loaded(offers, crate::tr!(offers.what), offers_table)}
            <h2>{crate::tr!(offers.export)}</h2>
            <p>{crate::tr!(offers.export_text)}</p>
            <ul class="link-list">
                {move || ExportFile::ALL.iter().map(|f| view! {
                    <li><a href=paths::export_csv(&pid.get(), *f) download="">{let kind = f.kind(); move || format!("{} (CSV)", ui::kind_label(kind))}</a></li>
                }).collect_view()}
                <li><a href=move || paths::export_json(&pid.get()) download="">{crate::tr!(offers.export_json)}</a></li>
            </ul>
        </section>
    }
}

fn offers_table(list: Vec<OfferView>) -> impl IntoView {
    let empty = list.is_empty();
    let rows = list
        .into_iter()
        .map(|o| {
            let source = o.source.clone();
            view! {
                <tr>
                    <td>{o.name.clone()}<br /><span class="hint">{o.id.clone()}</span></td>
                    <td>{move || text::offer_type(locale::current(), o.offer_type)}</td>
                    <td>{move || o.live_on.map(ui::date_long).unwrap_or_else(|| crate::trs!(offers.not_live).into())}</td>
                    <td>{move || o.delisted_on.map(ui::date_long).unwrap_or_else(|| if o.live_on.is_some() { crate::trs!(offers.live).into() } else { "—".into() })}</td>
                    <td>{move || ui::describe_source(&source)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="offers">
                <caption class="visually-hidden">{crate::tr!(offers.caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(offers.offer)}</th><th scope="col">{crate::tr!(offers.type_)}</th><th scope="col">{crate::tr!(offers.live_on)}</th>
                    <th scope="col">{crate::tr!(offers.delisted)}</th><th scope="col">{crate::tr!(offers.reported_by)}</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="5">{crate::tr!(offers.none)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
