use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use benefits_api::feed::{FeedKind, IngestResult};

use crate::api::{self, ApiError};
use crate::ui::kind_label;
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
                        None => state.set(UploadState::Failed(ApiError { message: "The file could not be read.".into(), ..Default::default() })),
                    }
                });
            }
            None if !pasted.get_untracked().trim().is_empty() => upload("pasted.csv".into(), pasted.get_untracked()),
            None => state.set(UploadState::Failed(ApiError { message: "Choose a CSV file or paste its content first.".into(), ..Default::default() })),
        }
    };
    let busy = move || matches!(state.get(), UploadState::Reading | UploadState::Uploading { .. });

    view! {
        <section class="card" aria-labelledby="import-title">
            <h3 id="import-title" class="card__title">"Upload a marketplace feed file"</h3>
            <p class="hint">"A file may cover many partners; each row names its partner_id. The whole file is checked first: if any row is wrong, nothing is written and each bad row is listed. Rows are matched by their key, so uploading the same file again changes nothing; a changed row is recorded in the audit log with its values before and after."</p>
            <form class="form-stack" on:submit=submit novalidate=true>
                <SelectField id="import-kind" label="What the file holds" value=kind options=kinds />
                <p class="hint">"Columns: " <code>{move || selected().column_list()}</code></p>
                <div class="field">
                    <label for="feed-file">"CSV file"</label>
                    <input id="feed-file" type="file" accept=".csv,text/csv" />
                </div>
                <div class="field">
                    <label for="import-text">"Or paste the CSV"</label>
                    <textarea id="import-text" rows="6" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" id="import-submit" disabled=busy>"Upload"</button>
                </div>
            </form>
            {move || status_view(state.get())}
        </section>
    }
}

fn status_view(state: UploadState) -> AnyView {
    match state {
        UploadState::Idle => ().into_any(),
        UploadState::Reading => view! { <p role="status"><progress aria-label="Upload progress"></progress>" Reading the file…"</p> }.into_any(),
        UploadState::Uploading { rows } => view! {
            <p role="status"><progress aria-label="Upload progress"></progress>{format!(" Uploading and checking {rows} rows…")}</p>
        }
        .into_any(),
        UploadState::Done(s) => view! {
            <div class="notice notice--success" role="status" id="import-result">
                <p class="notice__title"><span aria-hidden="true">"✓ "</span>{format!("Ingested (ingestion {})", s.ingestion_id)}</p>
                <p>{format!("{} rows: {} added, {} updated, {} unchanged.", s.rows, s.inserted, s.updated, s.unchanged)}</p>
            </div>
        }
        .into_any(),
        UploadState::Failed(e) => {
            let rows = e.errors.iter().filter(|r| r.line.is_some()).cloned().collect::<Vec<_>>();
            view! {
                <div class="notice notice--error" role="alert" id="import-result">
                    <p class="notice__title"><span aria-hidden="true">"✕ "</span>"Nothing was written"</p>
                    <p>{e.message.clone()}</p>
                </div>
                {(!rows.is_empty()).then(|| view! {
                    <div class="table-wrap">
                        <table class="table" id="import-errors">
                            <caption>"Rows to fix"</caption>
                            <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr><td class="num">{r.line.unwrap_or(0)}</td><td>{r.field}</td><td>{r.message}</td></tr>
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
