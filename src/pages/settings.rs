use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use benefits_api::accounts::{InvitationView, PartnerInvitation};
use benefits_api::users::UserView;
use benefits_domain::user::PartnerRole;

use crate::api::{self, ApiError};
use crate::components::{SelectField, TextField};
use crate::loaded::{loaded, partner_id, resource, Data};
use crate::session::use_session;

/// Account settings: the partner's users and their roles.
#[component]
pub fn Settings() -> impl IntoView {
    crate::set_title("Account settings");
    let pid = partner_id();
    let session = use_session();
    let users = resource(move || benefits_api::paths::users(&pid.get()));
    let is_admin = move || session.role() == Some(Role::Admin);
    view! {
        <section class="page">
            <h1>"Account settings"</h1>
            <h2>"Users"</h2>
            <p>"Admins manage users, offers, data and the marketing contact. Members can see everything and activate benefits only as the marketing contact."</p>
            {move || loaded(users, "the users", move |list: Vec<UserView>| users_table(pid.get_untracked(), list, is_admin(), users))}
            {move || is_admin().then(|| {
                let pending = resource(move || api::InvitationScope::Partner(pid.get()).list_url());
                view! {
                    {invite_form(pid.get(), pending)}
                    <h2>"Invitations"</h2>
                    {move || loaded(pending, "the invitations", move |list: Vec<InvitationView>| pending_table(pid.get_untracked(), list, pending))}
                }
            })}
        </section>
    }
}

fn role_options() -> Signal<Vec<(String, String)>> {
    Signal::derive(|| vec![("admin".to_string(), "Admin".to_string()), ("member".to_string(), "Member".to_string())])
}

fn users_table(pid: String, list: Vec<UserView>, admin: bool, resource: Data<Vec<UserView>>) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let error = RwSignal::new(None::<String>);
    let rows = list
        .into_iter()
        .map(|u| {
            let select_id = format!("role-{}", u.id);
            let (uid, version, name) = (u.id.clone(), u.version, u.name.clone());
            let uid2 = uid.clone();
            let change_role = move |ev: leptos::ev::Event| {
                let Some(role) = PartnerRole::parse(&event_target_value(&ev)) else { return };
                let uid = uid.clone();
                spawn_local(async move {
                    match api::set_role(&pid.get_value(), &uid, role, version).await {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e.message)),
                    }
                    resource.refetch();
                });
            };
            let remove = move |_| {
                let uid = uid2.clone();
                spawn_local(async move {
                    match api::delete_user(&pid.get_value(), &uid, version).await {
                        Ok(()) => error.set(None),
                        Err(e) => error.set(Some(e.message)),
                    }
                    resource.refetch();
                });
            };
            let role_cell = if admin {
                view! {
                    <label class="visually-hidden" for=select_id.clone()>{format!("Role of {}", u.name)}</label>
                    <select id=select_id on:change=change_role>
                        <option value="admin" selected=u.role == Role::Admin>"Admin"</option>
                        <option value="member" selected=u.role == Role::Member>"Member"</option>
                    </select>
                }
                .into_any()
            } else {
                view! { {if u.role == Role::Admin { "Admin" } else { "Member" }} }.into_any()
            };
            view! {
                <tr>
                    <th scope="row">{u.name.clone()}</th>
                    <td>{u.email.clone()}</td>
                    <td>{role_cell}</td>
                    <td>{admin.then(|| view! {
                        <button type="button" class="button button--small button--ghost" on:click=remove>{format!("Remove {name}")}</button>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="users">
                <caption class="visually-hidden">"Users of your partner account"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
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
    let done = RwSignal::new(None::<String>);
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
                    done.set(Some(format!("An invitation is on its way to {}. The link works once, for 7 days.", inv.email)));
                    email.set(String::new());
                    pending.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title" class="card__title">"Invite a colleague"</h2>
            <p>"They get an email with a link to choose their own password. Nobody else ever sees it."</p>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id="invite-email" label="Email" input_type="email" autocomplete="off" value=email error=field("email") />
                <TextField id="invite-name" label="Name (optional)" value=name autocomplete="off" error=field("name") />
                <SelectField id="invite-role" label="Role" value=role options=role_options() error=field("role") />
                <div class="form-actions"><button type="submit" class="button">"Send invitation"</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{e.message}</p> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status" id="invite-sent">{m}</p> })}
        </section>
    }
}

fn pending_table(pid: String, list: Vec<InvitationView>, resource: Data<Vec<InvitationView>>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p id="no-invitations">"No invitation is waiting for an answer."</p> }.into_any();
    }
    let pid = StoredValue::new(pid);
    let error = RwSignal::new(None::<String>);
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
                    error.set(r.err().map(|e| e.message));
                    resource.refetch();
                });
            };
            let expires = chrono::DateTime::from_timestamp(inv.expires_unix, 0).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{inv.email.clone()}</th>
                    <td>{if inv.role == Role::Admin { "Admin" } else { "Member" }}</td>
                    <td>{expires}</td>
                    <td>
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(id1.clone(), false)>
                            {format!("Resend to {}", inv.email)}
                        </button>
                        " "
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(id2.clone(), true)>
                            {format!("Revoke {}", inv.email)}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="invitations">
                <caption class="visually-hidden">"Invitations waiting for an answer"</caption>
                <thead><tr>
                    <th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Link expires"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
