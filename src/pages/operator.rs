use benefits_domain::activation::{self, Actor, BenefitState, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use benefits_api::operator::{AdvanceTo, CatalogEntry, PartnerQuery, QueueItem};

use crate::api::{self, ApiError};
use crate::components::{CatalogTables, FeedUpload, OnboardingForm, PartnerList, ServiceTokens};
use crate::loaded::{loaded, resource, Data};
use crate::ui;

pub const OPERATOR: Actor = Actor { role: Role::Operator, is_marketing_contact: false };

/// Operator console: partners with their tiers, the activation queue and the catalog versions.
#[component]
pub fn Operator() -> impl IntoView {
    crate::set_title("Operator console");
    let query = RwSignal::new(PartnerQuery::default());
    let partners = resource(move || benefits_api::paths::operator_partners(&query.get()));
    let queue = resource(|| benefits_api::paths::OPERATOR_ACTIVATIONS.to_string());
    let catalogs = resource(|| benefits_api::paths::OPERATOR_CATALOGS.to_string());
    view! {
        <section class="page">
            <h1>"Operator console"</h1>
            <section aria-labelledby="partners-title">
                <h2 id="partners-title">"Partners"</h2>
                <PartnerList query partners />
                <OnboardingForm partners />
            </section>
            <section aria-labelledby="feed-title">
                <h2 id="feed-title">"Marketplace feed"</h2>
                <FeedUpload />
                <ServiceTokens />
            </section>
            <section aria-labelledby="queue-title">
                <h2 id="queue-title">"Activation queue"</h2>
                <p class="hint">"Overdue first, then by contact-by date. The Rewards team contacts the marketing contact within one week of activation."</p>
                {loaded(queue, "the activation queue", move |rows: Vec<QueueItem>| queue_table(rows, queue))}
            </section>
            <section aria-labelledby="catalogs-title">
                <h2 id="catalogs-title">"Catalog versions"</h2>
                {loaded(catalogs, "catalog versions", move |list: Vec<CatalogEntry>| catalogs_view(list, catalogs))}
            </section>
        </section>
    }
}

fn queue_table(rows: Vec<QueueItem>, resource: Data<Vec<QueueItem>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let today = ui::today();
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            let state = BenefitState {
                status: r.status,
                activated_on: r.activated_on,
                contact_by: r.contact_by,
                ..BenefitState::initial(true)
            };
            let buttons = activation::available_actions(&state, OPERATOR, today)
                .into_iter()
                .filter_map(|a| AdvanceTo::for_action(a).map(|to| (a, to)))
                .map(|(a, to)| {
                    let (pid, bid, version) = (r.partner_id.clone(), r.benefit_id.clone(), r.version);
                    let label = format!("{}: {} for {}", ui::action_label(a), r.benefit_name, r.partner_name);
                    view! {
                        <button type="button" class="button button--small button--secondary" aria-label=label
                            on:click=move |_| {
                                let (pid, bid) = (pid.clone(), bid.clone());
                                spawn_local(async move {
                                    match api::advance(&pid, &bid, to, version).await {
                                        Ok(_) => error.set(None),
                                        Err(e) => error.set(Some(e.message)),
                                    }
                                    resource.refetch();
                                });
                            }>
                            {ui::action_label(a)}
                        </button>
                    }
                })
                .collect_view();
            let (symbol, label) = ui::status_badge(r.status);
            let contact = r.contact.clone().map(|c| format!("{} · {} · {}", c.name, c.email, c.phone));
            view! {
                <tr>
                    <td><A href=format!("/operator/partners/{}", r.partner_id)>{r.partner_name.clone()}</A></td>
                    <td>{r.benefit_name.clone()}</td>
                    <td><span class=format!("status status--{}", r.status.as_str())><span aria-hidden="true">{symbol}</span>{label}</span></td>
                    <td>{r.activated_on.map(ui::date_long).unwrap_or_default()}</td>
                    <td class:overdue=r.contact_overdue>
                        {r.contact_by.map(ui::date_long).unwrap_or_default()}
                        {r.contact_overdue.then_some(" — overdue")}
                    </td>
                    <td>{contact.unwrap_or_else(|| "No contact".into())}</td>
                    <td><div class="actions">{buttons}</div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="activation-queue">
                <caption class="visually-hidden">"Activated benefits waiting for the Rewards team"</caption>
                <thead><tr>
                    <th scope="col">"Partner"</th><th scope="col">"Benefit"</th><th scope="col">"Status"</th><th scope="col">"Activated"</th>
                    <th scope="col">"Contact by"</th><th scope="col">"Marketing contact"</th><th scope="col">"Move to"</th>
                </tr></thead>
                <tbody>
                    {body}
                    {empty.then(|| view! { <tr><td colspan="7">"Nothing is waiting."</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}

fn catalogs_view(list: Vec<CatalogEntry>, resource: Data<Vec<CatalogEntry>>) -> impl IntoView {
    let shown = RwSignal::new(list.iter().find(|c| c.current).map(|c| c.version.clone()));
    let draft = RwSignal::new(
        list.iter().find(|c| c.current).and_then(|c| serde_json::to_string_pretty(&c.catalog).ok()).unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let list = StoredValue::new(list);
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let body = draft.get_untracked();
        spawn_local(async move {
            match api::publish_catalog(body).await {
                Ok(v) => {
                    error.set(None);
                    done.set(Some(format!("Catalog {} published.", v.version)));
                    resource.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="table-wrap">
            <table class="table" id="catalog-versions">
                <caption class="visually-hidden">"Published catalog versions, newest first"</caption>
                <thead><tr><th scope="col">"Version"</th><th scope="col">"Published"</th><th scope="col">"Current"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {list.with_value(|l| l.iter().map(|c| {
                        let v = c.version.clone();
                        let v2 = v.clone();
                        view! {
                            <tr>
                                <th scope="row">{c.version.clone()}</th>
                                <td>{c.published_at.clone()}</td>
                                <td>{if c.current { "✓ Current" } else { "" }}</td>
                                <td><button type="button" class="button button--small button--ghost"
                                    aria-pressed=move || (shown.get().as_deref() == Some(v2.as_str())).to_string()
                                    on:click=move |_| shown.set(Some(v.clone()))>{format!("View {}", c.version)}</button></td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        </div>
        {move || shown.get().and_then(|v| list.with_value(|l| l.iter().find(|c| c.version == v).map(|c| c.catalog.clone())))
            .map(|catalog| view! { <div class="card"><CatalogTables catalog=catalog /></div> })}
        <section class="card" aria-labelledby="publish-title">
            <h3 id="publish-title" class="card__title">"Publish a new catalog version"</h3>
            <p class="hint">"Edit the JSON (give it a new version) and publish. The server validates it and names the wrong field."</p>
            <form class="form-stack" on:submit=publish novalidate=true>
                <div class="field" class:field--invalid=move || error.with(Option::is_some)>
                    <label for="catalog-json">"Catalog JSON"</label>
                    <textarea id="catalog-json" rows="14" aria-describedby="catalog-json-error"
                        prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|e| view! {
                        <p class="field__error" id="catalog-json-error" role="alert">
                            {e.field.map(|f| format!("{f}: ")).unwrap_or_default()}{e.message}
                        </p>
                    })}
                </div>
                <div class="form-actions"><button type="submit" class="button">"Publish"</button></div>
            </form>
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
        </section>
    }
}
