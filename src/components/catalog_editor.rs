use benefits_api::operator::{CatalogEntry, CatalogImpact};
use benefits_domain::catalog::check_effective_from;
use benefits_domain::Catalog;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::catalog_draft::{field_id, problem_text, Draft};
use crate::api::{self, ApiError};
use crate::components::{CatalogChanges, CatalogForm, CatalogImpactView};
use crate::loaded::Data;
use crate::locale::{self, text::fill};
use crate::ui;

/// A new catalog version, edited as a form starting from the version in
/// force (or, advanced, as JSON: both edit the same draft), checked by the
/// domain as the operator types, compared with the version in force, its
/// impact previewed, then published from a chosen day.
#[component]
pub fn CatalogEditor(
    list: Vec<CatalogEntry>,
    resource: Data<Vec<CatalogEntry>>,
    /// The version just published ("Version … published", worded when
    /// shown): kept by the page, since publishing reloads the versions and
    /// so redraws this editor from the new version in force.
    done: RwSignal<Option<String>>,
) -> impl IntoView {
    let current = list.iter().find(|c| c.current).map(|c| c.catalog.clone()).unwrap_or_else(Catalog::default_catalog);
    let draft = Draft::new(current.clone());
    let today = ui::today();
    let from_text = RwSignal::new(today.format("%Y-%m-%d").to_string());
    let from_error = Memo::new(move |_| effective_from(&from_text.get(), today).err());
    let error = RwSignal::new(None::<ApiError>);
    let impact = RwSignal::new(None::<CatalogImpact>);
    let blocked = RwSignal::new(false);
    // Sends the draft if it has no problem; else points at the first one.
    let send = move |publish: bool| {
        done.set(None);
        impact.set(None);
        if !draft.all().is_empty() || from_error.get_untracked().is_some() {
            blocked.set(true);
            focus_first_problem(draft);
            return;
        }
        blocked.set(false);
        let body = draft.catalog.with_untracked(|c| serde_json::to_string(c).unwrap_or_default());
        let day = effective_from(&from_text.get_untracked(), today).ok();
        spawn_local(async move {
            if publish {
                match api::publish_catalog(body, day).await {
                    Ok(v) => {
                        error.set(None);
                        done.set(Some(v.version));
                        resource.refetch();
                    }
                    Err(e) => error.set(Some(e)),
                }
            } else {
                match api::catalog_impact(body, day).await {
                    Ok(i) => {
                        error.set(None);
                        impact.set(Some(i));
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        });
    };
    let from_id = field_id("effective_from");
    view! {
        <section class="card" aria-labelledby="publish-title">
            <h2 id="publish-title" class="card__title">{crate::tr!(operator.publish_title)}</h2>
            <p class="hint">{crate::tr!(catalog_editor.lead)}</p>
            <form class="form-stack catalog-form" novalidate=true on:submit=move |ev| { ev.prevent_default(); send(true); }>
                <div class="field">
                    <label for=from_id.clone()>{crate::tr!(catalog_editor.effective_from)}</label>
                    <input id=from_id.clone() type="date" class="input" prop:value=move || from_text.get()
                        min=today.format("%Y-%m-%d").to_string()
                        aria-invalid=move || from_error.with(Option::is_some).to_string() aria-describedby=format!("{from_id}-error")
                        on:input=move |ev| from_text.set(event_target_value(&ev)) />
                    {move || from_error.get().map(|m| view! { <p class="field__error" id=format!("{}-error", field_id("effective_from"))>{m}</p> })}
                </div>
                <CatalogForm draft />
                <JsonEditor draft />
                <CatalogChanges current=current draft=draft.catalog />
                <div id="catalog-problems" role="status">{move || problems_summary(draft, blocked.get())}</div>
                {move || error.get().map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{move || e.text_with_fields()}</p></div>
                })}
                <div class="form-actions">
                    <button type="button" class="button button--secondary" id="catalog-preview" on:click=move |_| send(false)>{crate::tr!(impact.preview)}</button>
                    <button type="submit" class="button" id="catalog-publish">{crate::tr!(operator.publish)}</button>
                </div>
            </form>
            {move || impact.get().map(|i| view! { <CatalogImpactView impact=i /> })}
            {move || done.get().map(|version| view! {
                <p class="notice notice--success" role="status">{move || fill(crate::trs!(operator.published_msg), &[("version", &version)])}</p>
            })}
        </section>
    }
}

/// The day typed, checked by the domain's rule (today or later).
fn effective_from(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let l = locale::current();
    let day = benefits_domain::parse::date::parse(s).map_err(|_| crate::trs!(catalog_editor.err_date).to_string())?;
    check_effective_from(day, today).map_err(|e| problem_text(l, &e))?;
    Ok(day)
}

/// How many problems the draft has (in a status region: announced as they change);
/// after a refused send, each named by its field.
fn problems_summary(draft: Draft, blocked: bool) -> impl IntoView {
    let all = draft.all();
    let count = all.len();
    view! {
        {(count > 0).then(|| view! {
            <p class="field__error">{move || fill(crate::trs!(catalog_editor.problems), &[("n", &count.to_string())])}</p>
        })}
        {(blocked && count > 0).then(|| view! {
            <ul class="changes">{all.into_iter().map(|(f, m)| { let href = format!("#{}", field_id(&f)); view! { <li><a href=href>{f}</a>": "{m}</li> } }).collect_view()}</ul>
        })}
    }
}

fn focus_first_problem(draft: Draft) {
    let Some((field, _)) = draft.all().into_iter().next() else { return };
    let id = field_id(&field);
    if let Some(el) = document().get_element_by_id(&id) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// "Advanced": the same draft as JSON. Typing replaces the draft when the
/// text reads as a catalog; the form's edits rewrite the text.
#[component]
fn JsonEditor(draft: Draft) -> impl IntoView {
    let pretty = move || draft.catalog.with(|c| serde_json::to_string_pretty(c).unwrap_or_default());
    let text = RwSignal::new(draft.catalog.with_untracked(|c| serde_json::to_string_pretty(c).unwrap_or_default()));
    let typing = StoredValue::new(false);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let json = pretty();
        if typing.get_value() {
            typing.set_value(false);
        } else {
            text.set(json);
        }
    });
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        // serde_json's own reading (its errors give the line and column): the
        // path-naming parser would add a second copy of the catalog's
        // deserializer to this page; the server names the field on publishing.
        match serde_json::from_str::<Catalog>(&value) {
            Ok(c) => {
                error.set(None);
                typing.set_value(true);
                draft.replace(c);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <details class="catalog-json">
            <summary>{crate::tr!(catalog_editor.advanced)}</summary>
            <div class="field" class:field--invalid=move || error.with(Option::is_some)>
                <label for="catalog-json">{crate::tr!(operator.json)}</label>
                <textarea id="catalog-json" rows="14" aria-describedby="catalog-json-error" prop:value=move || text.get() on:input=on_input></textarea>
                {move || error.get().map(|m| view! { <p class="field__error" id="catalog-json-error">{m}</p> })}
            </div>
        </details>
    }
}
