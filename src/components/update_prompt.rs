use leptos::prelude::*;

use crate::offline::{apply_update, use_offline};

/// Tells the user that a new version is ready and reloads on their word.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let state = use_offline();
    move || {
        state.update_ready.get().then(|| {
            view! {
                <div class="notice notice--info update-prompt" role="status" data-testid="update-prompt">
                    <p>{crate::tr!(update.text)}</p>
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| apply_update()>{crate::tr!(update.reload)}</button>
                        <button type="button" class="button button--secondary" on:click=move |_| state.update_ready.set(false)>{crate::tr!(update.later)}</button>
                    </div>
                </div>
            }
        })
    }
}
