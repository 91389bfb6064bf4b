use benefits_api::exports::{BizappsEntry, MauEntry};
use leptos::prelude::*;

use crate::locale::{self, text};
use crate::ui;

/// A partner's metric rows from the feed (Business Applications value,
/// Teams MAU), each with the ingestion and file it came from.
#[component]
pub fn PartnerFeedData(bizapps: Vec<BizappsEntry>, teams_mau: Vec<MauEntry>) -> impl IntoView {
    let empty = bizapps.is_empty() && teams_mau.is_empty();
    let biz = bizapps.into_iter().map(|b| {
        let source = b.source.clone();
        view! {
            <tr>
                <td>{move || ui::kind_label(benefits_api::feed::FeedKind::Bizapps)}</td>
                <td>{move || ui::month_label(b.month, false)}</td>
                <td class="num">{move || ui::usd(b.amount_usd)}</td>
                <td>{move || ui::describe_source(&source)}</td>
            </tr>
        }
    });
    let mau = teams_mau.into_iter().map(|m| {
        let source = m.source.clone();
        let app = m.app.clone().map(|a| format!(" · {a}")).unwrap_or_default();
        view! {
            <tr>
                <td>{move || ui::kind_label(benefits_api::feed::FeedKind::TeamsMau)}{app.clone()}</td>
                <td>{move || ui::month_label(m.month, false)}</td>
                <td class="num">{move || text::users(locale::current(), m.mau)}</td>
                <td>{move || ui::describe_source(&source)}</td>
            </tr>
        }
    });
    view! {
        <div class="table-wrap">
            <table class="table" id="partner-metrics">
                <caption class="visually-hidden">{crate::tr!(partner360.metrics_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(partner360.data_kind)}</th><th scope="col">{crate::tr!(partner360.month)}</th>
                    <th scope="col" class="num">{crate::tr!(partner360.value)}</th><th scope="col">{crate::tr!(offers.reported_by)}</th>
                </tr></thead>
                <tbody>
                    {biz.collect_view()}
                    {mau.collect_view()}
                    {empty.then(|| view! { <tr><td colspan="4">{crate::tr!(partner360.no_metrics)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
