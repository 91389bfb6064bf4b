use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api;
use crate::components::TextField;
use crate::locale::text::fill;
use crate::session::{home_path, use_session};

/// Sign in with email and password; then go where the user was heading.
/// Anywhere but `/sign-in` the form stands in for a page that needs a
/// session (`RequireSession`), which then shows in its place.
#[component]
pub fn SignIn() -> impl IntoView {
    let here = use_location().pathname.get_untracked() != "/sign-in";
    crate::set_title(crate::tr!(sign_in.title));
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Shown once the server says the account has a second factor.
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(false);
    let error = RwSignal::new(None::<api::ApiError>);
    // The sign-in request; `pending` disables the button while it is out.
    let login = Action::new_local(|(email, password, totp): &(String, String, Option<String>)| {
        let (email, password, totp) = (email.clone(), password.clone(), totp.clone());
        async move { api::login(&email, &password, totp.as_deref()).await }
    });
    let pending = login.pending();
    Effect::new(move |_| match login.value().get() {
        Some(Ok(info)) => {
            // Only same-site paths are followed, never a full URL.
            let next = query.with_untracked(|q| q.get("next")).filter(|n| n.starts_with('/') && !n.starts_with("//"));
            let target = next.unwrap_or_else(|| home_path(&info));
            session.signed_in(info);
            password.set(String::new());
            if !here {
                navigate(&target, Default::default());
            }
        }
        // The account has a second factor: ask for its code, then sign in again.
        Some(Err(e)) if e.code == "mfa_required" => {
            needs_code.set(true);
            error.set(None);
        }
        Some(Err(e)) => {
            code.set(String::new());
            error.set(Some(e));
        }
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        let totp = needs_code.get_untracked().then(|| code.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            error.set(Some(api::ApiError::local(|l| leptos_i18n::td_string!(l, sign_in.missing))));
            return;
        }
        error.set(None);
        login.dispatch((e.trim().to_string(), p, totp));
    };

    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(sign_in.title)}</h1>
            <p>{crate::tr!(sign_in.lead)}</p>
            {insecure_notice()}
            <form class="card form-stack" on:submit=submit novalidate=true>
                {move || error.get().map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{move || match e.code.as_str() {
                        "missing_credentials" => crate::trs!(sign_in.missing).to_string(),
                        _ => e.text(),
                    }}</p></div>
                })}
                <TextField id="email" label=crate::tr!(sign_in.email) input_type="email" autocomplete="username" value=email required=true />
                <TextField id="password" label=crate::tr!(sign_in.password) input_type="password" autocomplete="current-password" value=password required=true />
                {move || needs_code.get().then(|| view! {
                    <TextField id="totp" label=crate::tr!(sign_in.totp) autocomplete="one-time-code" inputmode="numeric"
                        value=code required=true hint=crate::tr!(sign_in.totp_hint) />
                })}
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { crate::trs!(sign_in.pending) } else { crate::trs!(sign_in.submit) }}
                    </button>
                </div>
            </form>
            <p><A href="/reset-password">{crate::tr!(sign_in.forgot)}</A></p>
        </section>
    }
}

/// The session cookie is `Secure`: on plain http from another machine the
/// browser drops it, and sign-in would seem to work and then fail. Say so.
fn insecure_notice() -> Option<impl IntoView> {
    if window().is_secure_context() {
        return None;
    }
    let host = window().location().host().unwrap_or_default();
    Some(view! {
        <div class="notice notice--warning" role="alert" id="insecure-origin">
            <p class="notice__title">{crate::tr!(sign_in.insecure_title)}</p>
            <p>{move || fill(crate::trs!(sign_in.insecure_text), &[("host", &host)])}</p>
            <p>{crate::tr!(sign_in.insecure_admin)}</p>
        </div>
    })
}
