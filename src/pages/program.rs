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
    crate::set_title("Program tiers and benefits");
    let session = use_session();
    let body = move || {
        if !session.checked.get() {
            return view! { <Loading what="the program catalog" /> }.into_any();
        }
        match (session.partner_id(), session.role()) {
            (Some(pid), _) => loaded(workspace_resource(Memo::new(move |_| pid.clone())), "the program catalog", |ws: Workspace| {
                let position = Position::of(&ws.evaluation());
                view! {
                    <p class="hint" id="your-position">{match position.effective {
                        Some(t) => format!("Your position is marked: effective tier {t} this benefit year."),
                        None => "You have not reached a transact tier this benefit year.".to_string(),
                    }}</p>
                    <CatalogTables catalog=ws.input.catalog position=position />
                }
            }),
            (None, Some(Role::Operator)) => loaded(resource(|| benefits_api::paths::OPERATOR_CATALOGS.to_string()), "the program catalog", |list: Vec<CatalogEntry>| {
                let catalog = list.into_iter().find(|c| c.current).map(|c| c.catalog).unwrap_or_else(demo::default_catalog);
                view! { <CatalogTables catalog=catalog /> }
            }),
            _ => view! {
                <p class="hint">"Sign in to see the catalog version your tier is evaluated with."</p>
                <CatalogTables catalog=demo::default_catalog() />
            }
            .into_any(),
        }
    };
    view! {
        <section class="page">
            <h1>"Program tiers and benefits"</h1>
            {body}
        </section>
    }
}
