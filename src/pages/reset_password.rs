use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::TextField;

/// A reset link (`/reset-password/<token>`): choose a new password. Every
/// session of the account ends; then the user signs in.
#[component]
pub fn ResetPassword() -> impl IntoView {
    crate::set_title(crate::tr!(reset.title));
    let token = StoredValue::new(crate::routes::current().token().unwrap_or_default().to_string());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = token.get_value();
        let new = password.get_untracked();
        // The email is not known here; the server also checks it is not the email.
        if let Err(e) = benefits_domain::password::check(&new, "") {
            error.set(Some(ApiError::local_code("password", e.code(), e.to_string())));
            return;
        }
        spawn_local(async move {
            match api::reset_password(&token, &new).await {
                Ok(()) => {
                    error.set(None);
                    done.set(true);
                    password.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(reset.title)}</h1>
            <Show when=move || done.get() fallback=move || view! {
                <form class="card form-stack" on:submit=submit novalidate=true>
                    {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                        <div class="notice notice--error" role="alert"><p>{move || e.text()}</p>
                        <p><A href="/reset-password">{crate::tr!(reset.new_link)}</A></p></div>
                    })}
                    <TextField id="new-password" label=crate::tr!(account.new_password) input_type="password" autocomplete="new-password" value=password
                        required=true hint=crate::tr!(account.password_hint)
                        error=Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("password")))) />
                    <div class="form-actions"><button type="submit" class="button">{crate::tr!(reset.submit)}</button></div>
                </form>
            }>
                <div class="notice notice--success" role="status" id="reset-done">
                    <p>{crate::tr!(reset.done)}</p>
                    <p><A href="/sign-in">{crate::tr!(nav.sign_in)}</A></p>
                </div>
            </Show>
        </section>
    }
}
