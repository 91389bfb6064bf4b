use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::components::TextField;
use crate::session::{home_path, use_session};

/// Sign in with email and password; then go where the user was heading. With
/// `here`, the form stands in for a page that needs a session, which then shows.
#[component]
pub fn SignIn(#[prop(optional)] here: bool) -> impl IntoView {
    crate::set_title("Sign in");
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<api::ApiError>);
    // The sign-in request; `pending` disables the button while it is out.
    let login = Action::new_local(|(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move { api::login(&email, &password).await }
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
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            error.set(Some(api::ApiError::local("Enter your email and password.")));
            return;
        }
        error.set(None);
        login.dispatch((e.trim().to_string(), p));
    };

    view! {
        <section class="page page--narrow">
            <h1>"Sign in"</h1>
            <p>"Sign in with the account your partner admin created for you."</p>
            <form class="card form-stack" on:submit=submit novalidate=true>
                {move || error.get().map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{e.message}</p></div>
                })}
                <TextField id="email" label="Email" input_type="email" autocomplete="username" value=email required=true />
                <TextField id="password" label="Password" input_type="password" autocomplete="current-password" value=password required=true />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
