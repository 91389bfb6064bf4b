use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use benefits_api::accounts::{InvitationView, PartnerInvitation};
use benefits_api::users::UserView;
use benefits_domain::user::PartnerRole;

use crate::api::{self, ApiError};
use crate::components::{SelectField, TextField};
use crate::loaded::{loaded, partner_id, resource, Data};
use crate::locale::text::fill;
use crate::locale::Words;
use crate::session::use_session;
use crate::ui;

/// Account settings: the partner's users and their roles.
#[component]
pub fn Settings() -> impl IntoView {
    crate::set_title(crate::tr!(settings.title));
    let pid = partner_id();
    let session = use_session();
    let users = resource(move || benefits_api::paths::users(&pid.get()));
    let is_admin = move || session.role() == Some(Role::Admin);
    view! {
        <section class="page">
            <h1>{crate::tr!(settings.title)}</h1>
            <h2>{crate::tr!(settings.users)}</h2>
            <p>{crate::tr!(settings.roles_text)}</p>
            {move || loaded(users, crate::tr!(settings.users_what), move |list: Vec<UserView>| users_table(pid.get_untracked(), list, is_admin(), users))}
            {move || is_admin().then(|| {
                let pending = resource(move || api::InvitationScope::Partner(pid.get()).list_url());
                view! {
                    {invite_form(pid.get(), pending)}
                    <h2>{crate::tr!(settings.invitations)}</h2>
                    {move || loaded(pending, crate::tr!(settings.invitations_what), move |list: Vec<InvitationView>| pending_table(pid.get_untracked(), list, pending))}
                }
            })}
        </section>
    }
}

/// A partner role as a title: `Admin` / `Administrator`.
fn role_name(role: Role) -> &'static str {
    if role == Role::Admin {
        crate::trs!(settings.admin)
    } else {
        crate::trs!(settings.member)
    }
}

fn role_options() -> Signal<Vec<(String, String)>> {
    Signal::derive(|| vec![("admin".to_string(), crate::trs!(settings.admin).to_string()), ("member".to_string(), crate::trs!(settings.member).to_string())])
}

fn users_table(pid: String, list: Vec<UserView>, admin: bool, resource: Data<Vec<UserView>>) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let error = RwSignal::new(None::<ApiError>);
    let rows = list
        .into_iter()
        .map(|u| {
            let select_id = format!("role-{}", u.id);
            let (uid, version, name) = (u.id.clone(), u.version, u.name.clone());
            let uid2 = uid.clone();
            let label_name = u.name.clone();
            let role = u.role;
            let change_role = move |ev: leptos::ev::Event| {
                let Some(role) = PartnerRole::parse(&event_target_value(&ev)) else { return };
                let uid = uid.clone();
                spawn_local(async move {
                    match api::set_role(&pid.get_value(), &uid, role, version).await {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    resource.refetch();
                });
            };
            let remove = move |_| {
                let uid = uid2.clone();
                spawn_local(async move {
                    match api::delete_user(&pid.get_value(), &uid, version).await {
                        Ok(()) => error.set(None),
                        Err(e) => error.set(Some(e)),
                    }
                    resource.refetch();
                });
            };
            let role_cell = if admin {
                view! {
                    <label class="visually-hidden" for=select_id.clone()>{move || fill(crate::trs!(settings.role_of), &[("name", &label_name)])}</label>
                    <select id=select_id on:change=change_role>
                        <option value="admin" selected=u.role == Role::Admin>{crate::tr!(settings.admin)}</option>
                        <option value="member" selected=u.role == Role::Member>{crate::tr!(settings.member)}</option>
                    </select>
                }
                .into_any()
            } else {
                view! { {move || role_name(role)} }.into_any()
            };
            view! {
                <tr>
                    <th scope="row">{u.name.clone()}</th>
                    <td>{u.email.clone()}</td>
                    <td>{role_cell}</td>
                    <td>{admin.then(|| view! {
                        <button type="button" class="button button--small button--ghost" on:click=remove>{move || fill(crate::trs!(settings.remove), &[("name", &name)])}</button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="users">
                <caption class="visually-hidden">{crate::tr!(settings.users_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(settings.name)}</th><th scope="col">{crate::tr!(settings.email)}</th><th scope="col">{crate::tr!(settings.role)}</th>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(settings.actions)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn invite_form(pid: String, pending: Data<Vec<InvitationView>>) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("member".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<Words>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let name = name.get_untracked().trim().to_string();
        let req = PartnerInvitation {
            email: email.get_untracked().trim().to_string(),
            role: PartnerRole::parse(&role.get_untracked()).unwrap_or(PartnerRole::Member),
            name: (!name.is_empty()).then_some(name),
        };
        spawn_local(async move {
            match api::invite(&api::InvitationScope::Partner(pid.get_value()), &req).await {
                Ok(inv) => {
                    error.set(None);
                    done.set(Some(Words::new(move || fill(crate::trs!(settings.invite_sent), &[("email", &inv.email)]))));
                    email.set(String::new());
                    pending.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title" class="card__title">{crate::tr!(settings.invite_title)}</h2>
            <p>{crate::tr!(settings.invite_text)}</p>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id="invite-email" label=crate::tr!(settings.email) input_type="email" autocomplete="off" value=email error=field("email") />
                <TextField id="invite-name" label=crate::tr!(settings.name_optional) value=name autocomplete="off" error=field("name") />
                <SelectField id="invite-role" label=crate::tr!(settings.role) value=role options=role_options() error=field("role") />
                <div class="form-actions"><button type="submit" class="button">{crate::tr!(settings.send_invitation)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status" id="invite-sent">{move || m.text()}</p> })}
        </section>
    }
}

fn pending_table(pid: String, list: Vec<InvitationView>, resource: Data<Vec<InvitationView>>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p id="no-invitations">{crate::tr!(settings.no_invitations)}</p> }.into_any();
    }
    let pid = StoredValue::new(pid);
    let error = RwSignal::new(None::<ApiError>);
    let rows = list
        .into_iter()
        .map(|inv| {
            let (id1, id2) = (inv.id.clone(), inv.id.clone());
            let act = move |iid: String, revoke: bool| {
                spawn_local(async move {
                    let r = if revoke {
                        api::revoke_invitation(&api::InvitationScope::Partner(pid.get_value()), &iid).await
                    } else {
                        api::resend_invitation(&api::InvitationScope::Partner(pid.get_value()), &iid).await.map(|_| ())
                    };
                    error.set(r.err());
                    resource.refetch();
                });
            };
            let expires = chrono::DateTime::from_timestamp(inv.expires_unix, 0).map(|t| t.date_naive());
            let inv_role = inv.role;
            let (resend_email, revoke_email) = (inv.email.clone(), inv.email.clone());
            view! {
                <tr>
                    <th scope="row">{inv.email.clone()}</th>
                    <td>{move || role_name(inv_role)}</td>
                    <td>{move || expires.map(ui::date_long).unwrap_or_default()}</td>
                    <td>
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(id1.clone(), false)>
                            {move || fill(crate::trs!(settings.resend), &[("email", &resend_email)])}
                        </button>
                        " "
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(id2.clone(), true)>
                            {move || fill(crate::trs!(settings.revoke), &[("email", &revoke_email)])}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="invitations">
                <caption class="visually-hidden">{crate::tr!(settings.invitations_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(settings.email)}</th><th scope="col">{crate::tr!(settings.role)}</th><th scope="col">{crate::tr!(settings.link_expires)}</th>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(settings.actions)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
