use benefits_domain::activation::Role;
use benefits_domain::parse::date;
use benefits_domain::OfferType;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use benefits_api::exports::ExportFile;
use benefits_api::imports::{DataKind, ImportResult};
use benefits_api::offers::{NewOffer, OfferView};

use crate::api::{self, ApiError};
use crate::components::{SelectField, TextField};
use crate::loaded::{loaded, partner_id, resource, Data};
use crate::session::use_session;
use crate::ui;

/// Where an import is.
#[derive(Clone, Debug, PartialEq)]
enum ImportState {
    Idle,
    Reading,
    Uploading { rows: usize },
    Done(ImportResult),
    Failed(ApiError),
}

/// What a data set is, in a partner's words.
fn label(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Sales => "Marketplace billed sales",
        DataKind::Bizapps => "Business Applications value",
        DataKind::TeamsMau => "Teams app MAU",
    }
}

/// The CSV header line of a data set.
fn header(kind: DataKind) -> String {
    kind.columns().iter().map(|(c, _)| *c).collect::<Vec<_>>().join(",")
}

/// Data rows in a CSV text: its lines minus the header and blank lines.
pub fn csv_rows(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count().saturating_sub(1)
}

/// Offers & data: the partner's offers, CSV imports with row-level errors, and exports.
#[component]
pub fn Offers() -> impl IntoView {
    crate::set_title("Offers & data");
    let pid = partner_id();
    let offers = resource(move || benefits_api::paths::offers(&pid.get()));
    let session = use_session();
    let is_admin = move || session.role() == Some(Role::Admin);
    view! {
        <section class="page">
            <h1>"Offers & data"</h1>
            <h2>"Offers"</h2>
            {move || loaded(offers, "your offers", move |list: Vec<OfferView>| offers_table(pid.get_untracked(), list, is_admin(), offers))}
            {move || is_admin().then(|| add_offer_form(pid.get(), offers))}
            {move || is_admin().then(|| import_section(pid.get()))}
            <h2>"Export"</h2>
            <p>"Download your data in the import columns; the files can be imported again unchanged."</p>
            <ul class="link-list">
                {move || DataKind::ALL.iter().map(|k| view! {
                    <li><a href=benefits_api::paths::export_csv(&pid.get(), ExportFile::of(*k)) download="">{format!("{} (CSV)", label(*k))}</a></li>
                }).collect_view()}
                <li><a href=move || benefits_api::paths::export_json(&pid.get()) download="">"Everything, with the evaluation (JSON)"</a></li>
            </ul>
        </section>
    }
}

fn offers_table(pid: String, list: Vec<OfferView>, admin: bool, resource: Data<Vec<OfferView>>) -> impl IntoView {
    let empty = list.is_empty();
    let pid = StoredValue::new(pid);
    let rows = list
        .into_iter()
        .map(|o| {
            let delist_date = RwSignal::new(ui::today().to_string());
            let open = RwSignal::new(false);
            let error = RwSignal::new(None::<String>);
            let (oid, version, live) = (o.id.clone(), o.version, o.delisted_on.is_none());
            let date_id = format!("delist-{}", o.id);
            let delist = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Ok(on) = date::parse(delist_date.get_untracked().trim()) else {
                    error.set(Some("Enter the delisting date as YYYY-MM-DD.".into()));
                    return;
                };
                let oid = oid.clone();
                spawn_local(async move {
                    match api::delist_offer(&pid.get_value(), &oid, on, version).await {
                        Ok(_) => resource.refetch(),
                        Err(e) => error.set(Some(e.message)),
                    }
                });
            };
            view! {
                <tr>
                    <td>{o.name.clone()}<br /><span class="hint">{o.id.clone()}</span></td>
                    <td>{o.offer_type.as_str()}</td>
                    <td>{ui::date_long(o.live_on)}</td>
                    <td>{o.delisted_on.map(ui::date_long).unwrap_or_else(|| "Live".into())}</td>
                    <td>
                        {(admin && live).then(|| view! {
                            <button type="button" class="button button--small button--secondary" aria-expanded=move || open.get().to_string()
                                on:click=move |_| open.update(|o| *o = !*o)>{format!("Delist {}", o.name)}</button>
                            {move || open.get().then(|| view! {
                                <form class="form-actions" on:submit=delist.clone()>
                                    <label for=date_id.clone()>"Delisted on"</label>
                                    <input id=date_id.clone() type="date" prop:value=move || delist_date.get()
                                        on:input=move |ev| delist_date.set(event_target_value(&ev)) />
                                    <button type="submit" class="button button--small button--danger">"Confirm delisting"</button>
                                </form>
                            })}
                            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
                        })}
                    </td>
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
                    <th scope="col">"Delisted"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="5">"No offers yet."</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}

fn add_offer_form(pid: String, resource: Data<Vec<OfferView>>) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let name = RwSignal::new(String::new());
    let id = RwSignal::new(String::new());
    let offer_type = RwSignal::new("transact".to_string());
    let live_on = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let types = Signal::derive(|| OfferType::ALL.iter().map(|t| (t.as_str().to_string(), t.as_str().to_string())).collect::<Vec<_>>());
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let live = match date::parse(live_on.get_untracked().trim()) {
            Ok(d) => d,
            Err(m) => {
                error.set(Some(ApiError { field: Some("live_on".into()), message: m, ..Default::default() }));
                return;
            }
        };
        let offer = NewOffer {
            id: Some(id.get_untracked().trim().to_string()).filter(|s| !s.is_empty()),
            name: name.get_untracked().trim().to_string(),
            offer_type: OfferType::parse(&offer_type.get_untracked()).unwrap_or(OfferType::Transact),
            live_on: live,
            delisted_on: None,
        };
        spawn_local(async move {
            match api::add_offer(&pid.get_value(), &offer).await {
                Ok(o) => {
                    error.set(None);
                    done.set(Some(format!("Offer {} added.", o.name)));
                    name.set(String::new());
                    id.set(String::new());
                    resource.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="add-offer-title">
            <h3 id="add-offer-title" class="card__title">"Add an offer"</h3>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id="offer-name" label="Name" value=name required=true error=field("name") />
                <TextField id="offer-id" label="Offer ID (optional)" value=id error=field("id") />
                <SelectField id="offer-type" label="Type" value=offer_type options=types error=field("type") />
                <TextField id="offer-live-on" label="Live on" input_type="date" value=live_on error=field("live_on") />
                <div class="form-actions"><button type="submit" class="button">"Add offer"</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none() || e.errors.is_empty() && e.field_message(e.field.as_deref().unwrap_or("")).is_none())
                .map(|e| view! { <p class="field__error" role="alert">{e.message}</p> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
        </section>
    }
}

fn import_section(pid: String) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let kind = RwSignal::new("sales".to_string());
    let pasted = RwSignal::new(String::new());
    let state = RwSignal::new(ImportState::Idle);
    let kinds = Signal::derive(|| DataKind::ALL.iter().map(|k| (k.slug().to_string(), label(*k).to_string())).collect::<Vec<_>>());
    let selected = move || DataKind::ALL.into_iter().find(|k| k.slug() == kind.get()).unwrap_or(DataKind::Sales);

    let upload = move |text: String| {
        let k = DataKind::ALL.into_iter().find(|k| k.slug() == kind.get_untracked()).unwrap_or(DataKind::Sales);
        state.set(ImportState::Uploading { rows: csv_rows(&text) });
        spawn_local(async move {
            state.set(match api::import_csv(&pid.get_value(), k, text).await {
                Ok(s) => ImportState::Done(s),
                Err(e) => ImportState::Failed(e),
            });
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = document()
            .get_element_by_id("import-file")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        match file {
            Some(file) => {
                state.set(ImportState::Reading);
                spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                    match text.ok().and_then(|t| t.as_string()) {
                        Some(t) => upload(t),
                        None => state.set(ImportState::Failed(ApiError { message: "The file could not be read.".into(), ..Default::default() })),
                    }
                });
            }
            None if !pasted.get_untracked().trim().is_empty() => upload(pasted.get_untracked()),
            None => state.set(ImportState::Failed(ApiError { message: "Choose a CSV file or paste its content first.".into(), ..Default::default() })),
        }
    };
    let busy = move || matches!(state.get(), ImportState::Reading | ImportState::Uploading { .. });

    let status = move || match state.get() {
        ImportState::Idle => ().into_any(),
        ImportState::Reading => view! { <p role="status"><progress aria-label="Import progress"></progress>" Reading the file…"</p> }.into_any(),
        ImportState::Uploading { rows } => view! {
            <p role="status"><progress aria-label="Import progress"></progress>{format!(" Uploading and checking {rows} rows…")}</p>
        }.into_any(),
        ImportState::Done(s) => view! {
            <div class="notice notice--success" role="status" id="import-result">
                <p class="notice__title"><span aria-hidden="true">"✓ "</span>"Import complete"</p>
                <p>{format!("{} rows: {} added, {} updated, {} unchanged.", s.rows, s.inserted, s.updated, s.unchanged)}</p>
            </div>
        }.into_any(),
        ImportState::Failed(e) => {
            let rows = e.errors.iter().filter(|r| r.line.is_some()).cloned().collect::<Vec<_>>();
            view! {
                <div class="notice notice--error" role="alert" id="import-result">
                    <p class="notice__title"><span aria-hidden="true">"✕ "</span>"Nothing was imported"</p>
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
            }.into_any()
        }
    };

    view! {
        <h2>"Import data"</h2>
        <section class="card" aria-labelledby="import-title">
            <h3 id="import-title" class="card__title">"Import a CSV file"</h3>
            <p class="hint">"The whole file is checked first: if any row is wrong, nothing is imported and each bad row is listed. Rows are matched by external_id, so importing the same file again changes nothing."</p>
            <form class="form-stack" on:submit=submit novalidate=true>
                <SelectField id="import-kind" label="What the file holds" value=kind options=kinds />
                <p class="hint">"Columns: " <code>{move || header(selected())}</code></p>
                <div class="field">
                    <label for="import-file">"CSV file"</label>
                    <input id="import-file" type="file" accept=".csv,text/csv" />
                </div>
                <div class="field">
                    <label for="import-text">"Or paste the CSV"</label>
                    <textarea id="import-text" rows="6" prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" id="import-submit" disabled=busy>"Import"</button>
                </div>
            </form>
            {status}
        </section>
    }
}
