use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;

/// An error from the server in words, with the way forward (sign in, retry).
#[component]
pub fn ErrorNotice(error: ApiError, #[prop(optional)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let title = match (error.status, error.code.as_str()) {
        (401, _) => "You are not signed in",
        (403, _) => "You do not have access to this",
        (404, _) => "Not found",
        (0, _) => "The server could not be reached",
        _ => "Something went wrong",
    };
    let sign_in = error.is_unauthenticated();
    view! {
        <div class="notice notice--error" role="alert">
            <p class="notice__title"><span aria-hidden="true">"⚠ "</span>{title}</p>
            <p>{error.message.clone()}</p>
            {sign_in.then(|| view! { <p><A href="/sign-in">"Sign in"</A></p> })}
            {on_retry.map(|retry| view! {
                <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
}
