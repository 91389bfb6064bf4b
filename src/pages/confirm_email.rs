use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;

/// A confirmation link sent to a new email address (`/confirm-email/<token>`):
/// one click makes it the account's address.
#[component]
pub fn ConfirmEmail() -> impl IntoView {
    crate::set_title(crate::tr!(confirm_email.title));
    let params = use_params_map();
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let confirm = move |_| {
        let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
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
