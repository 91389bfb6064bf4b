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
    crate::set_title("Confirm your new email");
    let params = use_params_map();
    let result = RwSignal::new(None::<Result<(), ApiError>>);
    let confirm = move |_| {
        let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
        spawn_local(async move { result.set(Some(api::confirm_email(&token).await)) });
    };
    view! {
        <section class="page page--narrow">
            <h1>"Confirm your new email"</h1>
            {move || match result.get() {
                None => view! {
                    <p>"Use this address for your Benefits workspace account from now on?"</p>
                    <button type="button" class="button" id="confirm-email" on:click=confirm>"Confirm this address"</button>
                }.into_any(),
                Some(Ok(())) => view! {
                    <div class="notice notice--success" role="status" id="email-confirmed">
                        <p>"Done: sign in with your new email address from now on."</p>
                        <p><A href="/sign-in">"Sign in"</A></p>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
            }}
        </section>
    }
}
