use benefits_domain::activation::{self, Actor, BenefitState, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use benefits_api::operator::{AdvanceTo, CatalogEntry, PartnerQuery, QueueItem};

use crate::api::{self, ApiError};
use crate::api::InvitationScope;
use crate::components::{CatalogVersions, FeedUpload, InvitationsPanel, OnboardingForm, PartnerList, ServiceTokens};
use crate::loaded::{loaded, resource, Data};
use crate::locale::{self, text, text::fill};
use crate::ui;

pub const OPERATOR: Actor = Actor { role: Role::Operator, is_marketing_contact: false };

/// Operator console: partners with their tiers, the activation queue and the catalog versions.
#[component]
pub fn Operator() -> impl IntoView {
    crate::set_title(crate::tr!(operator.title));
    let query = RwSignal::new(PartnerQuery::default());
    let partners = resource(move || benefits_api::paths::operator_partners(&query.get()));
    let queue = resource(|| benefits_api::paths::OPERATOR_ACTIVATIONS.to_string());
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
                {loaded(queue, crate::tr!(operator.queue_what), move |rows: Vec<QueueItem>| queue_table(rows, queue))}
            </section>
            <section aria-labelledby="catalogs-title">
                <h2 id="catalogs-title">{crate::tr!(operator.catalogs)}</h2>
                {loaded(catalogs, crate::tr!(operator.catalogs_what), move |list: Vec<CatalogEntry>| view! { <CatalogVersions list /> })}
                <p><A href="/operator/catalogs/new" attr:class="button" attr:id="catalog-new">{crate::tr!(catalog_editor.open)}</A></p>
            </section>
        </section>
    }
}

fn queue_table(rows: Vec<QueueItem>, resource: Data<Vec<QueueItem>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
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
                    let label = fill(
                        crate::trs!(operator.button_label),
                        &[("action", ui::action_label(a)), ("benefit", &text::benefit_name(locale::current(), &r.benefit_id, &r.benefit_name)), ("partner", &r.partner_name)],
                    );
                    view! {
                        <button type="button" class="button button--small button--secondary" aria-label=label
                            on:click=move |_| {
                                let (pid, bid) = (pid.clone(), bid.clone());
                                spawn_local(async move {
                                    match api::advance(&pid, &bid, to, version).await {
                                        Ok(_) => error.set(None),
                                        Err(e) => error.set(Some(e)),
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
                    <td>{let (id, name) = (r.benefit_id.clone(), r.benefit_name.clone()); move || text::benefit_name(locale::current(), &id, &name)}</td>
                    <td><span class=format!("status status--{}", r.status.as_str())><span aria-hidden="true">{symbol}</span>{label}</span></td>
                    <td>{r.activated_on.map(ui::date_long).unwrap_or_default()}</td>
                    <td class:overdue=r.contact_overdue>
                        {r.contact_by.map(ui::date_long).unwrap_or_default()}
                        {r.contact_overdue.then_some(crate::trs!(operator.overdue_suffix))}
                    </td>
                    <td>{contact.unwrap_or_else(|| crate::trs!(operator.no_contact).into())}</td>
                    <td><div class="actions">{buttons}</div></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! {
            <div class="notice notice--error" role="alert"><p>{text::api_error(locale::current(), &e.code, e.status, &e.message)}</p></div>
        })}
        <div class="table-wrap">
            <table class="table" id="activation-queue">
                <caption class="visually-hidden">{crate::tr!(operator.queue_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(operator.partner)}</th><th scope="col">{crate::tr!(operator.benefit)}</th><th scope="col">{crate::tr!(operator.status)}</th>
                    <th scope="col">{crate::tr!(operator.activated)}</th><th scope="col">{crate::tr!(operator.contact_by)}</th><th scope="col">{crate::tr!(operator.contact)}</th>
                    <th scope="col">{crate::tr!(operator.move_to)}</th>
                </tr></thead>
                <tbody>
                    {body}
                    {empty.then(|| view! { <tr><td colspan="7">{crate::tr!(operator.nothing)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
