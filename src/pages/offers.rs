use benefits_api::exports::ExportFile;
use benefits_api::offers::OfferView;
use benefits_api::paths;
use leptos::prelude::*;

use crate::loaded::{loaded, partner_id, resource};
use crate::ui;

/// Offers & data: the partner's offers as the marketplace reported them
/// (read-only, with where each came from), and the exports.
#[component]
pub fn Offers() -> impl IntoView {
    crate::set_title("Offers & data");
    let pid = partner_id();
    let offers = resource(move || paths::offers(&pid.get()));
    view! {
        <section class="page">
            <h1>"Offers & data"</h1>
            <p class="hint">"The marketplace reports your offers, their go-live and delisting dates, your billed sales and your metrics to the program. They decide your tier, so they are read-only here; if something is wrong, contact the Rewards team, who can correct it."</p>
            <h2>"Offers"</h2>
            {move || loaded(offers, "your offers", offers_table)}
            <h2>"Export"</h2>
            <p>"Download the data the program holds about you, in the marketplace feed's columns."</p>
            <ul class="link-list">
                {move || ExportFile::ALL.iter().map(|f| view! {
                    <li><a href=paths::export_csv(&pid.get(), *f) download="">{format!("{} (CSV)", ui::kind_label(f.kind()))}</a></li>
                }).collect_view()}
                <li><a href=move || paths::export_json(&pid.get()) download="">"Everything, with where each row came from and the evaluation (JSON)"</a></li>
            </ul>
        </section>
    }
}

fn offers_table(list: Vec<OfferView>) -> impl IntoView {
    let empty = list.is_empty();
    let rows = list
        .into_iter()
        .map(|o| {
            view! {
                <tr>
                    <td>{o.name.clone()}<br /><span class="hint">{o.id.clone()}</span></td>
                    <td>{o.offer_type.as_str()}</td>
                    <td>{o.live_on.map(ui::date_long).unwrap_or_else(|| "Not live yet".into())}</td>
                    <td>{o.delisted_on.map(ui::date_long).unwrap_or_else(|| if o.live_on.is_some() { "Live".into() } else { "—".into() })}</td>
                    <td>{ui::describe_source(&o.source)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="offers">
                <caption class="visually-hidden">"Your offers"</caption>
                <thead><tr>
                    <th scope="col">"Offer"</th><th scope="col">"Type"</th><th scope="col">"Live on"</th>
                    <th scope="col">"Delisted"</th><th scope="col">"Reported by"</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="5">"The marketplace has not reported any offer yet."</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
