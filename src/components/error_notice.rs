use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;

/// An error from the server in words, with the way forward (sign in, retry).
#[component]
pub fn ErrorNotice(error: ApiError, #[prop(optional)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let status = error.status;
    let title = move || match status {
        401 => crate::trs!(error.unauthenticated_title),
        403 => crate::trs!(error.forbidden_title),
        404 => crate::trs!(error.not_found_title),
        0 => crate::trs!(error.network_title),
        _ => crate::trs!(error.other_title),
    };
    let sign_in = error.is_unauthenticated();
    let message = move || error.text();
    view! {
        <div class="notice notice--error" role="alert">
            <p class="notice__title"><span aria-hidden="true">"⚠ "</span>{title}</p>
            <p>{message}</p>
            {sign_in.then(|| view! { <p><A href="/sign-in">{crate::tr!(nav.sign_in)}</A></p> })}
            {on_retry.map(|retry| view! {
                <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>{crate::tr!(error.try_again)}</button>
            })}
        </div>
    }
}
