use leptos::prelude::*;

use crate::offline::{format_timestamp, use_offline};


/// Says that the page shows the last-synced data, and from when.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let state = use_offline();
    move || {
        state.data_as_of.get().map(|at| {
            view! {
                <div class="notice notice--warning offline-banner" role="status" data-testid="offline-banner">
                    <p class="notice__title">
                        <span aria-hidden="true">"⚡ "</span>
                        {crate::tr!(offline.banner)} {move || format_timestamp(&at)}
                    </p>
                    <p>{crate::tr!(offline.banner_text)}</p>
                </div>
            }
        })
    }
}
