use benefits_domain::activation::Role;
use leptos::prelude::*;

use benefits_api::operator::CatalogEntry;
use benefits_api::workspace::Workspace;
use crate::components::{CatalogTables, Loading, Position};
use crate::loaded::{loaded, resource, workspace_resource};
use crate::session::use_session;
use crate::demo;

/// The program page: the current catalog's tier tables and benefit definitions:
/// the one the signed-in partner is evaluated with, the operator's current
/// version, or (for visitors, and offline) the catalog shipped with the app.
#[component]
pub fn Program() -> impl IntoView {
    crate::set_title(crate::tr!(program.title));
    let session = use_session();
    let body = move || {
        if !session.checked.get() {
            return view! { <Loading what=crate::tr!(program.what) /> }.into_any();
        }
        match (session.partner_id(), session.role()) {
            (Some(pid), _) => loaded(workspace_resource(Memo::new(move |_| pid.clone())), crate::tr!(program.what), |ws: Workspace| {
                let position = Position::of(&ws.evaluation());
                view! {
                    <p class="hint" id="your-position">{move || match position.effective {
                        Some(t) => crate::locale::text::fill(crate::trs!(program.position), &[("tier", &t.to_string())]),
                        None => crate::trs!(program.no_position).to_string(),
                    }}</p>
                    <CatalogTables catalog=ws.input.catalog position=position />
                }
            }),
            (None, Some(Role::Operator)) => loaded(resource(|| benefits_api::paths::OPERATOR_CATALOGS.to_string()), crate::tr!(program.what), |list: Vec<CatalogEntry>| {
                let catalog = list.into_iter().find(|c| c.current).map(|c| c.catalog).unwrap_or_else(demo::default_catalog);
                view! { <CatalogTables catalog=catalog /> }
            }),
            _ => view! {
                <p class="hint">{crate::tr!(program.sign_in_hint)}</p>
                <CatalogTables catalog=demo::default_catalog() />
            }
            .into_any(),
        }
    };
    view! {
        <section class="page">
            <h1>{crate::tr!(program.title)}</h1>
            {body}
        </section>
    }
}
