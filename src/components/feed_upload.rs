use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use benefits_api::feed::{FeedKind, IngestResult};

use crate::api::{self, ApiError};
use crate::locale::text::fill;
use crate::ui::{self, kind_label};
use crate::components::SelectField;

/// Where an upload is.
#[derive(Clone, Debug, PartialEq)]
enum UploadState {
    Idle,
    Reading,
    Uploading { rows: usize },
    Done(IngestResult),
    Failed(ApiError),
}

/// Data rows in a CSV text: its lines minus the header and blank lines.
pub fn csv_rows(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count().saturating_sub(1)
}

/// The operator console's upload of a marketplace feed file, with progress and the rows to fix.
#[component]
pub fn FeedUpload() -> impl IntoView {
    let kind = RwSignal::new("sales".to_string());
    let pasted = RwSignal::new(String::new());
    let state = RwSignal::new(UploadState::Idle);
    let kinds = Signal::derive(|| FeedKind::ALL.iter().map(|k| (k.slug().to_string(), kind_label(*k).to_string())).collect::<Vec<_>>());
    let selected = move || FeedKind::parse(&kind.get()).unwrap_or(FeedKind::Sales);

    let upload = move |name: String, text: String| {
        let k = FeedKind::parse(&kind.get_untracked()).unwrap_or(FeedKind::Sales);
        state.set(UploadState::Uploading { rows: csv_rows(&text) });
        spawn_local(async move {
            state.set(match api::upload_feed(k, &name, text).await {
                Ok(s) => UploadState::Done(s),
                Err(e) => UploadState::Failed(e),
            });
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = document()
            .get_element_by_id("feed-file")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        match file {
            Some(file) => {
                state.set(UploadState::Reading);
                let name = file.name();
                spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                    match text.ok().and_then(|t| t.as_string()) {
                        Some(t) => upload(name, t),
                        None => state.set(UploadState::Failed(ApiError::local(|l| leptos_i18n::td_string!(l, feed.unreadable)))),
                    }
                });
            }
            None if !pasted.get_untracked().trim().is_empty() => upload("pasted.csv".into(), pasted.get_untracked()),
            None => state.set(UploadState::Failed(ApiError::local(|l| leptos_i18n::td_string!(l, feed.nothing_chosen)))),
        }
    };
    let busy = move || matches!(state.get(), UploadState::Reading | UploadState::Uploading { .. });

    view! {
        <section class="card" aria-labelledby="import-title">
            <h3 id="import-title" class="card__title">{crate::tr!(feed.upload_title)}</h3>
            <p class="hint">{crate::tr!(feed.upload_hint)}</p>
            <form class="form-stack" on:submit=submit novalidate=true>
                <SelectField id="import-kind" label=crate::tr!(feed.kind) value=kind options=kinds />
                <p class="hint">{crate::tr!(feed.columns)}" " <code>{move || selected().column_list()}</code></p>
                <div class="field">
                    <label for="feed-file">{crate::tr!(feed.file)}</label>
                    <input id="feed-file" type="file" accept=".csv,text/csv" />
                </div>
                <div class="field">
                    <label for="import-text">{crate::tr!(feed.paste)}</label>
                    <textarea id="import-text" rows="6" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" id="import-submit" disabled=busy>{crate::tr!(feed.upload)}</button>
                </div>
            </form>
            {move || status_view(state.get())}
        </section>
    }
}

fn status_view(state: UploadState) -> AnyView {
    match state {
        UploadState::Idle => ().into_any(),
        UploadState::Reading => view! { <p role="status"><progress aria-label=crate::tr!(feed.progress)></progress>" "{crate::tr!(feed.reading)}</p> }.into_any(),
        UploadState::Uploading { rows } => view! {
            <p role="status"><progress aria-label=crate::tr!(feed.progress)></progress>" "{move || fill(crate::trs!(feed.uploading), &[("rows", &ui::count(rows as u64))])}</p>
        }
        .into_any(),
        UploadState::Done(s) => view! {
            <div class="notice notice--success" role="status" id="import-result">
                <p class="notice__title"><span aria-hidden="true">"✓ "</span>{move || fill(crate::trs!(feed.ingested), &[("id", &s.ingestion_id.to_string())])}</p>
                <p>{move || fill(crate::trs!(feed.summary), &[("rows", &ui::count(s.rows)), ("added", &ui::count(s.inserted)), ("updated", &ui::count(s.updated)), ("unchanged", &ui::count(s.unchanged))])}</p>
            </div>
        }
        .into_any(),
        UploadState::Failed(e) => {
            let rows = e.errors.iter().filter(|r| r.line.is_some()).cloned().collect::<Vec<_>>();
            view! {
                <div class="notice notice--error" role="alert" id="import-result">
                    <p class="notice__title"><span aria-hidden="true">"✕ "</span>{crate::tr!(feed.nothing_written)}</p>
                    <p>{let e = e.clone(); move || e.text()}</p>
                </div>
                {(!rows.is_empty()).then(|| view! {
                    <div class="table-wrap">
                        <table class="table" id="import-errors">
                            <caption>{crate::tr!(feed.rows_to_fix)}</caption>
                            <thead><tr><th scope="col" class="num">{crate::tr!(feed.line)}</th><th scope="col">{crate::tr!(feed.column)}</th><th scope="col">{crate::tr!(feed.problem)}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr><td class="num">{r.line.unwrap_or(0)}</td><td>{r.field.clone()}</td><td>{move || crate::locale::text::error_item(crate::locale::current(), &r)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
            }
            .into_any()
        }
    }
}
