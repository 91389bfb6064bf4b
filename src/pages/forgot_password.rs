use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;

/// Asks for a password reset link. The answer is the same whether or not the
/// email has an account.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    crate::set_title("Reset your password");
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked().trim().to_string();
        if address.is_empty() {
            error.set(Some(ApiError { field: Some("email".into()), message: "Enter your email address.".into(), ..Default::default() }));
            return;
        }
        spawn_local(async move {
            match api::request_password_reset(&address).await {
                Ok(a) => {
                    error.set(None);
                    sent.set(Some(a.message));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page page--narrow">
            <h1>"Reset your password"</h1>
            <p>"We email you a link to choose a new password. It works once, for one hour."</p>
            <form class="card form-stack" on:submit=submit novalidate=true>
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{e.message}</p></div>
                })}
                <TextField id="reset-email" label="Email" input_type="email" autocomplete="username" value=email required=true
                    error=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("email")))) />
                <div class="form-actions"><button type="submit" class="button">"Email me a link"</button></div>
            </form>
            {move || sent.get().map(|m| view! { <p class="notice notice--success" role="status" id="reset-sent">{m}</p> })}
        </section>
    }
}
