use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;

/// Asks for a password reset link. The answer is the same whether or not the
/// email has an account.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    crate::set_title(crate::tr!(forgot.title));
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked().trim().to_string();
        if address.is_empty() {
            error.set(Some(ApiError::local_field("email", |l| leptos_i18n::td_string!(l, forgot.missing))));
            return;
        }
        spawn_local(async move {
            match api::request_password_reset(&address).await {
                // The server's answer says the same in English; this is it in the user's language.
                Ok(_) => {
                    error.set(None);
                    sent.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(forgot.title)}</h1>
            <p>{crate::tr!(forgot.lead)}</p>
            <form class="card form-stack" on:submit=submit novalidate=true>
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                    <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div>
                })}
                <TextField id="reset-email" label=crate::tr!(sign_in.email) input_type="email" autocomplete="username" value=email required=true
                    error=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("email")))) />
                <div class="form-actions"><button type="submit" class="button">{crate::tr!(forgot.submit)}</button></div>
            </form>
            {move || sent.get().then(|| view! { <p class="notice notice--success" role="status" id="reset-sent">{crate::tr!(forgot.sent)}</p> })}
        </section>
    }
}
