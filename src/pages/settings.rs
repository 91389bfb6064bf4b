use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, NewUser, User};
use crate::components::{SelectField, TextField};
use crate::loaded::{loaded, partner_id, resource, Raw};
use crate::session::use_session;

/// Account settings: the partner's users and their roles.
#[component]
pub fn Settings() -> impl IntoView {
    crate::set_title("Account settings");
    let pid = partner_id();
    let session = use_session();
    let users = resource(move || api::users_url(&pid.get()));
    let is_admin = move || session.role() == Some(Role::Admin);
    view! {
        <section class="page">
            <h1>"Account settings"</h1>
            <h2>"Users"</h2>
            <p>"Admins manage users, offers, data and the marketing contact. Members can see everything and activate benefits only as the marketing contact."</p>
            {move || loaded(users, "the users", move |list: Vec<User>| users_table(pid.get_untracked(), list, is_admin(), users))}
            {move || is_admin().then(|| add_user_form(pid.get(), users))}
        </section>
    }
}

fn role_options() -> Signal<Vec<(String, String)>> {
    Signal::derive(|| vec![("admin".to_string(), "Admin".to_string()), ("member".to_string(), "Member".to_string())])
}

fn users_table(pid: String, list: Vec<User>, admin: bool, resource: Raw) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let error = RwSignal::new(None::<String>);
    let rows = list
        .into_iter()
        .map(|u| {
            let select_id = format!("role-{}", u.id);
            let (uid, version, name) = (u.id.clone(), u.version, u.name.clone());
            let uid2 = uid.clone();
            let change_role = move |ev: leptos::ev::Event| {
                let Some(role) = Role::parse(&event_target_value(&ev)) else { return };
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

fn add_user_form(pid: String, resource: Raw) -> impl IntoView {
    let pid = StoredValue::new(pid);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("member".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let user = NewUser {
            email: email.get_untracked().trim().to_string(),
            name: name.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Member),
        };
        if let Err(e) = benefits_domain::password::check(&user.password, &user.email) {
            error.set(Some(ApiError { field: Some("password".into()), message: e.to_string(), ..Default::default() }));
            return;
        }
        spawn_local(async move {
            match api::add_user(&pid.get_value(), &user).await {
                Ok(u) => {
                    error.set(None);
                    done.set(Some(format!("{} can now sign in.", u.name)));
                    name.set(String::new());
                    email.set(String::new());
                    password.set(String::new());
                    resource.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="add-user-title">
            <h2 id="add-user-title" class="card__title">"Add a user"</h2>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id="user-name" label="Name" value=name autocomplete="off" error=field("name") />
                <TextField id="user-email" label="Email" input_type="email" autocomplete="off" value=email error=field("email") />
                <TextField id="user-password" label="Initial password" input_type="password" autocomplete="new-password"
                    hint="At least 12 characters; not a common password" value=password error=field("password") />
                <SelectField id="user-role" label="Role" value=role options=role_options() error=field("role") />
                <div class="form-actions"><button type="submit" class="button">"Add user"</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{e.message}</p> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status">{m}</p> })}
        </section>
    }
}
