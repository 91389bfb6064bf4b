use benefits_api::accounts::{EmailChange, MfaStatus, PasswordChange, SessionView, TotpSetup};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource, Data};
use crate::locale::{self, text, text::fill};
use crate::offline::format_timestamp;
use crate::session::use_session;

/// Your account: change your password, see your sessions and sign out the others.
#[component]
pub fn Account() -> impl IntoView {
    crate::set_title(crate::tr!(nav.account));
    let sessions: Data<Vec<SessionView>> = resource(|| api::SESSIONS_URL.to_string());
    let mfa: Data<MfaStatus> = resource(|| api::MFA_URL.to_string());
    view! {
        <section class="page">
            <h1>{crate::tr!(nav.account)}</h1>
            {profile_form()}
            {password_form(sessions)}
            <section class="card" aria-labelledby="mfa-title">
                <h2 id="mfa-title" class="card__title">{crate::tr!(account.mfa)}</h2>
                {move || loaded(mfa, crate::tr!(account.mfa_what), move |status: MfaStatus| mfa_view(status, mfa))}
            </section>
            <section class="card" aria-labelledby="sessions-title">
                <h2 id="sessions-title" class="card__title">{crate::tr!(account.sessions)}</h2>
                {move || loaded(sessions, crate::tr!(account.sessions_what), move |list: Vec<SessionView>| sessions_table(list, sessions))}
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
    let notice = RwSignal::new(None::<&'static str>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let save_name = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = name.get_untracked();
        spawn_local(async move {
            match api::edit_profile(&new).await {
                Ok(info) => {
                    error.set(None);
                    notice.set(Some("name"));
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
                // The server's answer says the same in English; this is it in the user's language.
                Ok(_) => {
                    error.set(None);
                    password.set(String::new());
                    notice.set(Some("email"));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title" class="card__title">{crate::tr!(account.profile)}</h2>
            <form class="form-stack" on:submit=save_name novalidate=true>
                <TextField id="profile-name" label=crate::tr!(invite.name) autocomplete="name" value=name required=true error=field("name") />
                <div class="form-actions"><button type="submit" class="button button--secondary">{crate::tr!(account.save_name)}</button></div>
            </form>
            <form class="form-stack" on:submit=change_email novalidate=true>
                <TextField id="profile-email" label=crate::tr!(sign_in.email) input_type="email" autocomplete="email" value=email required=true error=field("email")
                    hint=crate::tr!(account.email_hint) />
                <TextField id="profile-password" label=crate::tr!(account.current_password) input_type="password" autocomplete="current-password"
                    value=password required=true error=field("current_password") />
                <div class="form-actions"><button type="submit" class="button button--secondary">{crate::tr!(account.change_email)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div> })}
            {move || notice.get().map(|m| view! {
                <p class="notice notice--success" role="status" id="profile-notice">
                    {move || if m == "name" { crate::trs!(account.name_saved) } else { crate::trs!(account.email_sent) }}
                </p>
            })}
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
            error.set(Some(ApiError::local_code("new_password", e.code(), e.to_string())));
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
            <h2 id="password-title" class="card__title">{crate::tr!(account.password_title)}</h2>
            <form class="form-stack" on:submit=submit novalidate=true>
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div>
                })}
                <TextField id="current-password" label=crate::tr!(account.current_password) input_type="password" autocomplete="current-password"
                    value=current required=true error=field("current_password") />
                <TextField id="new-password" label=crate::tr!(account.new_password) input_type="password" autocomplete="new-password" value=new
                    required=true hint=crate::tr!(account.password_hint) error=field("new_password") />
                <div class="form-actions"><button type="submit" class="button">{crate::tr!(account.change_password)}</button></div>
            </form>
            {move || done.get().then(|| view! {
                <p class="notice notice--success" role="status" id="password-changed">{crate::tr!(account.password_changed)}</p>
            })}
        </section>
    }
}

/// A moment in the reader's language and time zone.
fn when(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|t| format_timestamp(&t.to_rfc3339())).unwrap_or_default()
}

fn sessions_table(list: Vec<SessionView>, resource: Data<Vec<SessionView>>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let others = list.iter().filter(|s| !s.current).count();
    let sign_out_others = move |_| {
        spawn_local(async move {
            match api::sign_out_others().await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            resource.refetch();
        });
    };
    let rows = list
        .into_iter()
        .map(|s| {
            let device = s.device.clone();
            let device = move || if device.is_empty() { crate::trs!(account.unknown_device).to_string() } else { device.clone() };
            let (created, seen) = (s.created_unix, s.last_seen_unix);
            view! {
                <tr>
                    <th scope="row">{device}{s.current.then_some(view! { " " <span class="badge">{crate::tr!(account.this_session)}</span> })}</th>
                    <td>{move || when(created)}</td>
                    <td>{move || when(seen)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="sessions">
                <caption class="visually-hidden">{crate::tr!(account.sessions_caption)}</caption>
                <thead><tr><th scope="col">{crate::tr!(account.device)}</th><th scope="col">{crate::tr!(account.signed_in)}</th><th scope="col">{crate::tr!(account.last_seen)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(others > 0).then(|| view! {
            <button type="button" class="button button--ghost" id="sign-out-others" on:click=sign_out_others>
                {move || text::other_sessions(locale::current(), others as i64)}
            </button>
        })}
    }
}

fn mfa_view(status: MfaStatus, resource: Data<MfaStatus>) -> impl IntoView {
    if status.totp {
        return view! {
            <p id="mfa-on">{move || fill(crate::trs!(account.mfa_on), &[("n", &status.recovery_codes_left.to_string())])}</p>
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
        <p class="notice notice--warning">{crate::tr!(account.mfa_required)}</p>
    });
    view! {
        {required}
        {move || match (recovery.get(), setup.get()) {
            (Some(codes), _) => view! {
                <div class="notice notice--success" role="status" id="mfa-recovery">
                    <p>{crate::tr!(account.mfa_recovery)}</p>
                    <ul class="recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <button type="button" class="button button--secondary" on:click=move |_| resource.refetch()>{crate::tr!(account.done)}</button>
                </div>
            }.into_any(),
            (None, Some(s)) => view! {
                <p>{crate::tr!(account.mfa_add)}</p>
                <p>{crate::tr!(account.mfa_key)}" " <code id="mfa-secret">{s.secret.clone()}</code></p>
                <p><a href=s.otpauth_url.clone()>{crate::tr!(account.mfa_open)}</a></p>
                <form class="form-stack" on:submit=confirm novalidate=true>
                    <TextField id="mfa-code" label=crate::tr!(account.mfa_code) autocomplete="one-time-code" inputmode="numeric" value=code required=true
                        error=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("code")))) />
                    <div class="form-actions"><button type="submit" class="button">{crate::tr!(account.mfa_turn_on)}</button></div>
                </form>
            }.into_any(),
            (None, None) => view! {
                <p id="mfa-off">{crate::tr!(account.mfa_off)}</p>
                <button type="button" class="button" id="mfa-start" on:click=start>{crate::tr!(account.mfa_setup)}</button>
            }.into_any(),
        }}
    }
    .into_any()
}
