use benefits_api::operator::CatalogEntry;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::CatalogEditor;
use crate::loaded::{loaded, resource};

/// The catalog editor as a console page of its own: only an operator who
/// edits a catalog downloads it (the console's route stays within its size).
#[component]
pub fn CatalogEdit() -> impl IntoView {
    crate::set_title(crate::tr!(catalog_editor.page_title));
    let catalogs = resource(|| benefits_api::paths::OPERATOR_CATALOGS.to_string());
    let published = RwSignal::new(None::<String>);
    view! {
        <section class="page">
            <p><A href="/operator">{crate::tr!(catalog_editor.back)}</A></p>
            <h1>{crate::tr!(catalog_editor.page_title)}</h1>
            {loaded(catalogs, crate::tr!(operator.catalogs_what), move |list: Vec<CatalogEntry>| view! {
                <CatalogEditor list resource=catalogs done=published />
            })}
        </section>
    }
}
