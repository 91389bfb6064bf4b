use benefits_api::operator::CatalogEntry;
use leptos::prelude::*;

use crate::components::CatalogTables;
use crate::locale::text::fill;

/// The published catalog versions, newest first; one of them shown as tables.
#[component]
pub fn CatalogVersions(list: Vec<CatalogEntry>) -> impl IntoView {
    let shown = RwSignal::new(list.iter().find(|c| c.current).map(|c| c.version.clone()));
    let list = StoredValue::new(list);
    view! {
        <div class="table-wrap">
            <table class="table" id="catalog-versions">
                <caption class="visually-hidden">{crate::tr!(operator.versions_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(operator.version)}</th><th scope="col">{crate::tr!(operator.published)}</th><th scope="col">{crate::tr!(operator.current)}</th>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(operator.actions)}</span></th>
                </tr></thead>
                <tbody>
                    {list.with_value(|l| l.iter().map(|c| {
                        let v = c.version.clone();
                        let v2 = v.clone();
                        view! {
                            <tr>
                                <th scope="row">{c.version.clone()}</th>
                                <td>{crate::offline::format_timestamp(&c.published_at)}</td>
                                <td>{if c.current { crate::trs!(operator.current_mark) } else { "" }}</td>
                                <td><button type="button" class="button button--small button--ghost"
                                    aria-pressed=move || (shown.get().as_deref() == Some(v2.as_str())).to_string()
                                    on:click=move |_| shown.set(Some(v.clone()))>{fill(crate::trs!(operator.view), &[("version", &c.version)])}</button></td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        </div>
        {move || shown.get().and_then(|v| list.with_value(|l| l.iter().find(|c| c.version == v).map(|c| c.catalog.clone())))
            .map(|catalog| view! { <div class="card"><CatalogTables catalog=catalog /></div> })}
    }
}
