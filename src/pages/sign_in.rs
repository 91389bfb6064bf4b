use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::TextField;
use crate::session::{home_path, use_session};

/// Sign in with email and password; then go where the user was heading.
#[component]
pub fn SignIn() -> impl IntoView {
    crate::set_title(crate::tr!(sign_in.title));
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<api::ApiError>);
    let pending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            error.set(Some(api::ApiError { code: "missing_credentials".into(), message: crate::trs!(sign_in.missing).into(), ..Default::default() }));
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        // Only same-site paths are followed, never a full URL.
        let next = query.with_untracked(|q| q.get("next")).filter(|n| n.starts_with('/') && !n.starts_with("//"));
        spawn_local(async move {
            match api::login(e.trim(), &p).await {
                Ok(info) => {
                    let target = next.unwrap_or_else(|| home_path(&info));
                    session.signed_in(info);
                    password.set(String::new());
                    navigate(&target, Default::default());
                }
                Err(err) => error.set(Some(err)),
            }
            pending.set(false);
        });
    };

    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(sign_in.title)}</h1>
            <p>{crate::tr!(sign_in.lead)}</p>
            <form class="card form-stack" on:submit=submit novalidate=true>
                {move || error.get().map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{move || match e.code.as_str() {
                        "missing_credentials" => crate::trs!(sign_in.missing).to_string(),
                        code => crate::locale::text::api_error(crate::locale::current(), code, e.status, &e.message),
                    }}</p></div>
                })}
                <TextField id="email" label=crate::tr!(sign_in.email) input_type="email" autocomplete="username" value=email required=true />
                <TextField id="password" label=crate::tr!(sign_in.password) input_type="password" autocomplete="current-password" value=password required=true />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { crate::trs!(sign_in.pending) } else { crate::trs!(sign_in.submit) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
