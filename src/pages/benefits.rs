use benefits_domain::activation::{Actor, Role};
use leptos::prelude::*;

use benefits_api::users::UserView;
use benefits_api::workspace::Workspace;
use crate::components::{BenefitCard, ContactPanel, Loading};
use crate::loaded::{loaded, partner_id, resource, workspace_resource};
use crate::locale::{self, text, text::fill};
use crate::session::use_session;

/// Marketing benefits: the marketing contact, then every benefit with its status and actions.
#[component]
pub fn Benefits() -> impl IntoView {
    crate::set_title(crate::tr!(benefits_page.title));
    let pid = partner_id();
    let ws = workspace_resource(pid);
    let users = resource(move || benefits_api::paths::users(&pid.get()));
    // Who is asking decides the buttons: wait for the session, which may answer
    // after the workspace on a fresh page load.
    let session = use_session();
    let me = Memo::new(move |_| session.info.with(|i| i.as_ref().map(|i| (i.user.id.clone(), i.user.role))));
    view! {
        <section class="page">
            <h1>{crate::tr!(benefits_page.title)}</h1>
            {move || match me.get() {
                None => view! { <Loading what=crate::tr!(benefits_page.session) /> }.into_any(),
                Some((my_id, role)) => loaded(ws, crate::tr!(benefits_page.what), move |ws: Workspace| {
                    let my_id = my_id.clone();
                    // Offline there is no user list: it holds emails, which are never cached.
                    if crate::offline::use_offline().data_as_of.get_untracked().is_some() {
                        benefits_body(ws, Vec::new(), true, my_id, role).into_any()
                    } else {
                        loaded(users, crate::tr!(benefits_page.users), move |users: Vec<UserView>| benefits_body(ws.clone(), users, false, my_id.clone(), role))
                    }
                }),
            }}
        </section>
    }
}

fn benefits_body(ws: Workspace, users: Vec<UserView>, offline: bool, my_id: String, role: Role) -> impl IntoView {
    let contact = RwSignal::new(ws.contact.clone());
    let contact_assigned = Signal::derive(move || contact.with(Option::is_some));
    let is_contact = move || contact.with(|c| c.as_ref().is_some_and(|c| c.user_id == my_id));
    let pid = ws.partner.id.clone();
    let today = ws.as_of;

    let (unlocked, locked): (Vec<_>, Vec<_>) = ws.benefits.iter().cloned().partition(|b| b.unlocked || b.status != benefits_domain::activation::BenefitStatus::Locked);
    let locked_count = locked.len();
    let cards = {
        let pid = pid.clone();
        let is_contact = is_contact.clone();
        move || {
            let actor = Actor { role, is_marketing_contact: is_contact() };
            unlocked
                .iter()
                .cloned()
                .map(|b| view! { <BenefitCard partner_id=pid.clone() benefit=b actor=actor contact_assigned=contact_assigned today=today /> })
                .collect_view()
        }
    };
    let locked_list = locked
        .into_iter()
        .map(|b| {
            let (id, name, kind) = (b.id, b.name, b.kind);
            view! {
                <li>
                    <span class="benefit-name">{move || text::benefit_name(locale::current(), &id, &name)}</span>" "
                    <span class="tag">{move || text::benefit_kind(locale::current(), kind)}</span>
                </li>
            }
        })
        .collect_view();
    let can_edit = role == Role::Admin;

    view! {
        <p class="lead">{crate::tr!(benefits_page.lead)}</p>
        {if offline {
            view! {
                <section class="card" aria-labelledby="contact-offline-title">
                    <h2 id="contact-offline-title" class="card__title">{crate::tr!(contact.title)}</h2>
                    <p>{move || if contact_assigned.get() { crate::trs!(benefits_page.assigned) } else { crate::trs!(benefits_page.not_assigned) }}</p>
                    <p class="hint">{crate::tr!(benefits_page.offline_hint)}</p>
                </section>
            }.into_any()
        } else {
            view! { <ContactPanel partner_id=pid account_email=ws.partner.account_email.clone() contact=contact users=users can_edit=can_edit /> }.into_any()
        }}
        {(role == Role::Member).then(|| view! {
            <p class="notice notice--info">{crate::tr!(benefits_page.member)}</p>
        })}
        <h2>{crate::tr!(benefits_page.this_year)}</h2>
        <div class="benefit-grid">{cards}</div>
        {(locked_count > 0).then(|| view! {
            <details class="card">
                <summary>{move || fill(crate::trs!(benefits_page.locked), &[("n", &locked_count.to_string())])}</summary>
                <ul class="benefit-list">{locked_list}</ul>
            </details>
        })}
    }
}
