use benefits_api::accounts::{EmailChange, MfaStatus, PasswordChange, SessionView, TotpSetup};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource, Data};
use crate::session::use_session;

/// Your account: change your password, see your sessions and sign out the others.
#[component]
pub fn Account() -> impl IntoView {
    crate::set_title("Your account");
    let sessions: Data<Vec<SessionView>> = resource(|| api::SESSIONS_URL.to_string());
    let mfa: Data<MfaStatus> = resource(|| api::MFA_URL.to_string());
    view! {
        <section class="page">
            <h1>"Your account"</h1>
            {profile_form()}
            {password_form(sessions)}
            <section class="card" aria-labelledby="mfa-title">
                <h2 id="mfa-title" class="card__title">"Two-step sign-in"</h2>
                {move || loaded(mfa, "two-step sign-in", move |status: MfaStatus| mfa_view(status, mfa))}
            </section>
            <section class="card" aria-labelledby="sessions-title">
                <h2 id="sessions-title" class="card__title">"Where you are signed in"</h2>
                {move || loaded(sessions, "your sessions", move |list: Vec<SessionView>| sessions_table(list, sessions))}
            </section>
        </section>
    }
}

/// Your name (changed at once) and email (changed once the new address confirms).
fn profile_form() -> impl IntoView {
    let session = use_session();
    let current = session.info.with_untracked(|i| i.as_ref().map(|i| (i.user.name.clone(), i.user.email.clone()))).unwrap_or_default();
    let name = RwSignal::new(current.0);
    let email = RwSignal::new(current.1);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = name.get_untracked();
        spawn_local(async move {
            match api::edit_profile(&new).await {
                Ok(info) => {
                    error.set(None);
                    notice.set(Some("Your name is saved.".into()));
                    session.signed_in(info);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let change_email = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = EmailChange { email: email.get_untracked().trim().to_string(), current_password: password.get_untracked() };
        spawn_local(async move {
            match api::request_email_change(&body).await {
                Ok(a) => {
                    error.set(None);
                    password.set(String::new());
                    notice.set(Some(a.message));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title" class="card__title">"Name and email"</h2>
            <form class="form-stack" on:submit=save_name novalidate=true>
                <TextField id="profile-name" label="Your name" autocomplete="name" value=name required=true error=field("name") />
                <div class="form-actions"><button type="submit" class="button button--secondary">"Save name"</button></div>
            </form>
            <form class="form-stack" on:submit=change_email novalidate=true>
                <TextField id="profile-email" label="Email" input_type="email" autocomplete="email" value=email required=true error=field("email")
                    hint="We send a link to the new address; it changes once you open it." />
                <TextField id="profile-password" label="Current password" input_type="password" autocomplete="current-password"
                    value=password required=true error=field("current_password") />
                <div class="form-actions"><button type="submit" class="button button--secondary">"Change email"</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.message}</p></div> })}
            {move || notice.get().map(|m| view! { <p class="notice notice--success" role="status" id="profile-notice">{m}</p> })}
        </section>
    }
}

fn password_form(sessions: Data<Vec<SessionView>>) -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let email = session.info.with_untracked(|i| i.as_ref().map(|i| i.user.email.clone()).unwrap_or_default());
        let body = PasswordChange { current_password: current.get_untracked(), new_password: new.get_untracked() };
        if let Err(e) = benefits_domain::password::check(&body.new_password, &email) {
            error.set(Some(ApiError { field: Some("new_password".into()), message: e.to_string(), ..Default::default() }));
            return;
        }
        spawn_local(async move {
            match api::change_password(&body).await {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                    current.set(String::new());
                    new.set(String::new());
                    sessions.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title" class="card__title">"Change your password"</h2>
            <form class="form-stack" on:submit=submit novalidate=true>
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{e.message}</p></div>
                })}
                <TextField id="current-password" label="Current password" input_type="password" autocomplete="current-password"
                    value=current required=true error=field("current_password") />
                <TextField id="new-password" label="New password" input_type="password" autocomplete="new-password" value=new
                    required=true hint="At least 12 characters, not a common password, not your email." error=field("new_password") />
                <div class="form-actions"><button type="submit" class="button">"Change password"</button></div>
            </form>
            {move || done.get().then(|| view! {
                <p class="notice notice--success" role="status" id="password-changed">"Your password is changed. Your other sessions were signed out."</p>
            })}
        </section>
    }
}

fn when(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

fn sessions_table(list: Vec<SessionView>, resource: Data<Vec<SessionView>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let others = list.iter().filter(|s| !s.current).count();
    let sign_out_others = move |_| {
        spawn_local(async move {
            match api::sign_out_others().await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.message)),
            }
            resource.refetch();
        });
    };
    let rows = list
        .into_iter()
        .map(|s| {
            let device = if s.device.is_empty() { "Unknown device".to_string() } else { s.device.clone() };
            view! {
                <tr>
                    <th scope="row">{device}{s.current.then_some(view! { " " <span class="badge">"This session"</span> })}</th>
                    <td>{when(s.created_unix)}</td>
                    <td>{when(s.last_seen_unix)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="sessions">
                <caption class="visually-hidden">"Your sessions"</caption>
                <thead><tr><th scope="col">"Device"</th><th scope="col">"Signed in"</th><th scope="col">"Last seen"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(others > 0).then(|| view! {
            <button type="button" class="button button--ghost" id="sign-out-others" on:click=sign_out_others>
                {format!("Sign out the other {others} session{}", if others == 1 { "" } else { "s" })}
            </button>
        })}
    }
}

fn mfa_view(status: MfaStatus, resource: Data<MfaStatus>) -> impl IntoView {
    if status.totp {
        return view! {
            <p id="mfa-on">{format!(
                "On: sign-in asks for a code from your authenticator app. {} recovery codes left.",
                status.recovery_codes_left
            )}</p>
        }
        .into_any();
    }
    let setup = RwSignal::new(None::<TotpSetup>);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let recovery = RwSignal::new(None::<Vec<String>>);
    let start = move |_| {
        spawn_local(async move {
            match api::mfa_setup().await {
                Ok(s) => setup.set(Some(s)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entered = code.get_untracked();
        spawn_local(async move {
            match api::mfa_confirm(&entered).await {
                Ok(codes) => {
                    error.set(None);
                    recovery.set(Some(codes.recovery_codes));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let required = status.required.then(|| view! {
        <p class="notice notice--warning">"This server requires two-step sign-in for operators: turn it on to use the operator console."</p>
    });
    view! {
        {required}
        {move || match (recovery.get(), setup.get()) {
            (Some(codes), _) => view! {
                <div class="notice notice--success" role="status" id="mfa-recovery">
                    <p>"Two-step sign-in is on. Keep these recovery codes somewhere safe: each works once if you lose your phone. They are not shown again."</p>
                    <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <button type="button" class="button button--secondary" on:click=move |_| resource.refetch()>"Done"</button>
                </div>
            }.into_any(),
            (None, Some(s)) => view! {
                <p>"Add this key to your authenticator app (or open the link on your phone), then enter the code it shows."</p>
                <p>"Key: " <code id="mfa-secret">{s.secret.clone()}</code></p>
                <p><a href=s.otpauth_url.clone()>"Open in an authenticator app"</a></p>
                <form class="form-stack" on:submit=confirm novalidate=true>
                    <TextField id="mfa-code" label="Code from the app" autocomplete="one-time-code" inputmode="numeric" value=code required=true
                        error=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("code")))) />
                    <div class="form-actions"><button type="submit" class="button">"Turn on"</button></div>
                </form>
            }.into_any(),
            (None, None) => view! {
                <p id="mfa-off">"Off. With two-step sign-in, a stolen password is not enough to sign in as you."</p>
                <button type="button" class="button" id="mfa-start" on:click=start>"Set up an authenticator app"</button>
            }.into_any(),
        }}
    }
    .into_any()
}
