use std::sync::Arc;

use benefits_api::contact::ContactView;
use benefits_api::feed::Ledger;
use benefits_api::operator::PartnerOverview;
use benefits_api::paths;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::InvitationScope;
use crate::components::{
    EvaluationSummary, FirstBenefitDateForm, GrantsByYear, InvitationsPanel, ManagerPicker, OperatorBenefits, PartnerAuditTrail,
    PartnerDetailsForm, PartnerFeedData, PartnerOffers, SalesLines,
};
use crate::loaded::{loaded, partner_id, resource};
use crate::locale::text::fill;

/// Partner 360: one partner as a whole for the Rewards team, headed by its
/// name: its workspace as the partner sees it, benefits and engagements,
/// offers and data with their provenance, people, contact, engagement
/// manager, first benefit date, grants by benefit year and audit trail.
#[component]
pub fn OperatorPartner() -> impl IntoView {
    crate::set_title(crate::tr!(operator_partner.title));
    let pid = partner_id();
    let overview = resource(move || paths::operator_overview(&pid.get()));
    let ledger = resource(move || paths::operator_grants(&pid.get()));
    // A correction or an action can move the tier, the benefits and the ledger.
    // The confirmation of a saved first benefit date, cleared on another partner.
    let fbd_saved = RwSignal::new(None);
    Effect::new(move |_| {
        pid.track();
        fbd_saved.set(None);
    });
    let refresh = Callback::new(move |()| {
        overview.refetch();
        ledger.refetch();
    });
    view! {
        <section class="page partner-360">
            <p><A href="/operator">{crate::tr!(operator_partner.back)}</A></p>
            {move || loaded(overview, crate::tr!(partner360.what), move |o: PartnerOverview| head(o, refresh))}
            <h2 id="benefits-title">{crate::tr!(operator_partner.benefits)}</h2>
            <OperatorBenefits pid on_change=refresh />
            <section aria-labelledby="sales-title">
                <h2 id="sales-title">{crate::tr!(operator_partner.sales)}</h2>
                <p class="hint">{crate::tr!(operator_partner.sales_hint)}</p>
                {move || view! { <SalesLines partner=pid.get() /> }}
            </section>
            <section aria-labelledby="people-title">
                <h2 id="people-title">{crate::tr!(invitations.people)}</h2>
                {move || view! { <InvitationsPanel scope=InvitationScope::OperatorForPartner(pid.get()) prefix="partner-invite" /> }}
            </section>
            <ManagerPicker pid />
            <PartnerDetailsForm pid />
            <section aria-labelledby="grants-title">
                <h2 id="grants-title">{crate::tr!(partner360.grants)}</h2>
                {move || loaded(ledger, crate::tr!(partner360.grants_what), move |l: Ledger| {
                    let current = l.first_benefit_date;
                    view! {
                        <FirstBenefitDateForm pid=pid.get_untracked() current saved=fbd_saved on_done=refresh />
                        <GrantsByYear ledger=l />
                    }
                })}
            </section>
            <section aria-labelledby="audit-title">
                <h2 id="audit-title">{crate::tr!(partner360.audit)}</h2>
                <PartnerAuditTrail pid />
            </section>
        </section>
    }
}

/// The heading, the workspace as the partner sees it, the contact, offers and data.
fn head(o: PartnerOverview, refresh: Callback<()>) -> impl IntoView {
    let ws = o.workspace;
    let (name, id, email) = (ws.partner.name.clone(), ws.partner.id.clone(), ws.partner.account_email.clone());
    let catalog = Arc::new(ws.input.catalog.clone());
    let evaluation = ws.evaluation();
    let transact_live = ws.input.partner.transact_live_on(ws.input.as_of);
    view! {
        <h1 id="partner-heading">{name}</h1>
        <p class="lead">{move || fill(crate::trs!(partner360.lead), &[("id", &id), ("email", &email)])}</p>
        <section aria-labelledby="workspace-title">
            <h2 id="workspace-title">{crate::tr!(partner360.workspace)}</h2>
            <EvaluationSummary evaluation catalog transact_live />
        </section>
        <section class="card" aria-labelledby="contact-title">
            <h2 id="contact-title" class="card__title">{crate::tr!(operator.contact)}</h2>
            {contact(ws.contact)}
        </section>
        <section aria-labelledby="offers-title">
            <h2 id="offers-title">{crate::tr!(offers.offers)}</h2>
            <PartnerOffers pid=ws.partner.id.clone() offers=o.offers on_change=refresh />
        </section>
        <section aria-labelledby="data-title">
            <h2 id="data-title">{crate::tr!(partner360.data)}</h2>
            <p class="hint">{crate::tr!(partner360.data_hint)}</p>
            <PartnerFeedData bizapps=o.bizapps teams_mau=o.teams_mau />
        </section>
    }
}

fn contact(c: Option<ContactView>) -> AnyView {
    match c {
        Some(c) => view! {
            <dl class="kv" id="partner-contact">
                <dt>{crate::tr!(overview.name)}</dt><dd>{c.user_name}</dd>
                <dt>{crate::tr!(overview.email)}</dt><dd><a href=format!("mailto:{}", c.email)>{c.email.clone()}</a></dd>
                {c.phone.map(|p| view! { <dt>{crate::tr!(partner360.phone)}</dt><dd>{p}</dd> })}
            </dl>
        }
        .into_any(),
        None => view! { <p id="partner-contact">{crate::tr!(operator.no_contact)}</p> }.into_any(),
    }
}
