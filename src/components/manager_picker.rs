use benefits_api::operator::{ManagerOfPartner, OperatorView};
use benefits_api::paths;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::loaded::{loaded, resource};
use crate::locale::text::fill;

/// The partner's engagement manager: any operator assigns one, changes it or
/// leaves the partner without (audited; the partner sees their manager once a
/// Transact offer is live).
#[component]
pub fn ManagerPicker(#[prop(into)] pid: Signal<String>) -> impl IntoView {
    let operators = resource(|| paths::OPERATORS.to_string());
    let current = resource(move || paths::engagement_manager(&pid.get()));
    let error = RwSignal::new(None::<ApiError>);
    // The manager just saved (`Some(None)`: none), worded when shown.
    let saved = RwSignal::new(None::<Option<String>>);
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let user_id = (!value.is_empty()).then_some(value);
        error.set(None);
        saved.set(None);
        spawn_local(async move {
            match api::assign_engagement_manager(&pid.get_untracked(), user_id).await {
                Ok(done) => {
                    saved.set(Some(done.manager.map(|m| m.name)));
                    current.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="manager-title">
            <h2 id="manager-title" class="card__title">{crate::tr!(manager.title)}</h2>
            {loaded(operators, crate::tr!(manager.operators_what), move |ops: Vec<OperatorView>| {
                loaded(current, crate::tr!(manager.what), move |m: ManagerOfPartner| {
                    let selected = m.manager.map(|m| m.id).unwrap_or_default();
                    let ops = ops.clone();
                    view! {
                        <div class="field field--narrow">
                            <label for="manager-select">{crate::tr!(manager.title)}</label>
                            <select id="manager-select" on:change=choose>
                                <option value="" selected=selected.is_empty()>{crate::tr!(manager.none)}</option>
                                {ops.into_iter().map(|o| {
                                    let is = o.id == selected;
                                    view! { <option value=o.id.clone() selected=is>{format!("{} ({})", o.name, o.email)}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })
            })}
            {move || saved.get().map(|m| view! {
                <p class="notice notice--success" role="status" id="manager-saved">{move || match &m {
                    Some(name) => fill(crate::trs!(manager.saved), &[("name", name)]),
                    None => crate::trs!(manager.none_saved).to_string(),
                }}</p>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        </section>
    }
}
