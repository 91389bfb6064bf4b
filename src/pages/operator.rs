use benefits_domain::activation::{Actor, Role};
use leptos::prelude::*;
use leptos_router::components::A;

use benefits_api::operator::{CatalogEntry, PartnerQuery};

use crate::api::InvitationScope;
use crate::components::{ActivationQueue, CatalogVersions, FeedUpload, InvitationsPanel, OnboardingForm, PartnerList, SalesLines, ServiceTokens};
use crate::loaded::{loaded, resource};

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
            <section aria-labelledby="sales-title">
                <h2 id="sales-title">{crate::tr!(operator_partner.sales)}</h2>
                <SalesLines />
            </section>

            <section aria-labelledby="catalogs-title">
                <h2 id="catalogs-title">{crate::tr!(operator.catalogs)}</h2>
                {loaded(catalogs, crate::tr!(operator.catalogs_what), move |list: Vec<CatalogEntry>| view! { <CatalogVersions list /> })}
                <p><A href="/operator/catalogs/new" attr:class="button" attr:id="catalog-new">{crate::tr!(catalog_editor.open)}</A></p>
            </section>
        </section>
    }
}
