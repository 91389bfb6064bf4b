use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;

/// A confirmation link sent to a new email address (`/confirm-email/<token>`):
/// one click makes it the account's address.
#[component]
pub fn ConfirmEmail() -> impl IntoView {
    crate::set_title(crate::tr!(confirm_email.title));
    let token = StoredValue::new(crate::routes::current().token().unwrap_or_default().to_string());
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let confirm = move |_| {
        let token = token.get_value();
        spawn_local(async move { result.set(Some(api::confirm_email(&token).await)) });
    };
    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(confirm_email.title)}</h1>
            {move || match result.get() {
                None => view! {
                    <p>{crate::tr!(confirm_email.question)}</p>
                    <button type="button" class="button" id="confirm-email" on:click=confirm>{crate::tr!(confirm_email.submit)}</button>
                }.into_any(),
                Some(Ok(())) => view! {
                    <div class="notice notice--success" role="status" id="email-confirmed">
                        <p>{crate::tr!(confirm_email.done)}</p>
                        <p><A href="/sign-in">{crate::tr!(nav.sign_in)}</A></p>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            }}
        </section>
    }
}
