use benefits_domain::activation::{Actor, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

use benefits_api::operator::{CatalogEntry, PartnerQuery};

use crate::api::{self, ApiError};
use crate::api::InvitationScope;
use crate::components::{ActivationQueue, CatalogImpactView, CatalogTables, FeedUpload, InvitationsPanel, OnboardingForm, PartnerList, ServiceTokens};
use crate::loaded::{loaded, resource, Data};
use crate::locale::text::fill;

pub const OPERATOR: Actor = Actor { role: Role::Operator, is_marketing_contact: false };

/// Operator console: partners with their tiers, the activation queue and the catalog versions.
#[component]
pub fn Operator() -> impl IntoView {
    crate::set_title(crate::tr!(operator.title));
    let query = RwSignal::new(PartnerQuery::default());
    let partners = resource(move || benefits_api::paths::operator_partners(&query.get()));
    let catalogs = resource(|| benefits_api::paths::OPERATOR_CATALOGS.to_string());
    view! {
        <section class="page">
            <h1>{crate::tr!(operator.title)}</h1>
            <section aria-labelledby="partners-title">
                <h2 id="partners-title">{crate::tr!(operator.partners)}</h2>
                <PartnerList query partners />
                <OnboardingForm partners />
            </section>
            <section aria-labelledby="team-title">
                <h2 id="team-title">{crate::tr!(invitations.program_team)}</h2>
                <InvitationsPanel scope=InvitationScope::ProgramTeam prefix="operator-invite" />
            </section>
            <section aria-labelledby="feed-title">
                <h2 id="feed-title">{crate::tr!(operator.feed)}</h2>
                <FeedUpload />
                <ServiceTokens />
            </section>
            <section aria-labelledby="queue-title">
                <h2 id="queue-title">{crate::tr!(operator.queue)}</h2>
                <p class="hint">{crate::tr!(operator.queue_hint)}</p>
                <ActivationQueue />
            </section>

            <section aria-labelledby="catalogs-title">
                <h2 id="catalogs-title">{crate::tr!(operator.catalogs)}</h2>
                {loaded(catalogs, crate::tr!(operator.catalogs_what), move |list: Vec<CatalogEntry>| catalogs_view(list, catalogs))}
            </section>
        </section>
    }
}

fn catalogs_view(list: Vec<CatalogEntry>, resource: Data<Vec<CatalogEntry>>) -> impl IntoView {
    let shown = RwSignal::new(list.iter().find(|c| c.current).map(|c| c.version.clone()));
    let draft = RwSignal::new(
        list.iter().find(|c| c.current).and_then(|c| serde_json::to_string_pretty(&c.catalog).ok()).unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<crate::locale::Words>);
    let impact = RwSignal::new(None::<benefits_api::operator::CatalogImpact>);
    let preview = move |_| {
        done.set(None);
        impact.set(None);
        let body = draft.get_untracked();
        spawn_local(async move {
            match api::catalog_impact(body).await {
                Ok(i) => {
                    error.set(None);
                    impact.set(Some(i));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let list = StoredValue::new(list);
    let publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let body = draft.get_untracked();
        spawn_local(async move {
            match api::publish_catalog(body).await {
                Ok(v) => {
                    error.set(None);
                    done.set(Some(crate::locale::Words::new(move || fill(crate::trs!(operator.published_msg), &[("version", &v.version)]))));
                    resource.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
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
                                // Closures: an eager read here would rebuild the whole editor on a language switch (losing the draft).
                                <td>{let current = c.current; move || if current { crate::trs!(operator.current_mark) } else { "" }}</td>
                                <td><button type="button" class="button button--small button--ghost"
                                    aria-pressed=move || (shown.get().as_deref() == Some(v2.as_str())).to_string()
                                    on:click=move |_| shown.set(Some(v.clone()))>{let version = c.version.clone(); move || fill(crate::trs!(operator.view), &[("version", &version)])}</button></td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        </div>
        {move || shown.get().and_then(|v| list.with_value(|l| l.iter().find(|c| c.version == v).map(|c| c.catalog.clone())))
            .map(|catalog| view! { <div class="card"><CatalogTables catalog=catalog /></div> })}
        <section class="card" aria-labelledby="publish-title">
            <h3 id="publish-title" class="card__title">{crate::tr!(operator.publish_title)}</h3>
            <p class="hint">{crate::tr!(operator.publish_hint)}</p>
            <form class="form-stack" on:submit=publish novalidate=true>
                <div class="field" class:field--invalid=move || error.with(Option::is_some)>
                    <label for="catalog-json">{crate::tr!(operator.json)}</label>
                    <textarea id="catalog-json" rows="14" aria-describedby="catalog-json-error"
                        prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                    {move || error.get().map(|e| view! {
                        <p class="field__error" id="catalog-json-error" role="alert">
                            {move || e.text_with_fields()}
                        </p>
                    })}
                </div>
                <div class="form-actions">
                    <button type="button" class="button button--secondary" id="catalog-preview" on:click=preview>{crate::tr!(impact.preview)}</button>
                    <button type="submit" class="button">{crate::tr!(operator.publish)}</button>
                </div>
            </form>
            {move || impact.get().map(|i| view! { <CatalogImpactView impact=i /> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status">{move || m.text()}</p> })}
        </section>
    }
}
