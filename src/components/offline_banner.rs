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
                        "Offline — data as of " {format_timestamp(&at)}
                    </p>
                    <p>"Tier status and what-if are computed in your browser from the last synced data. Activations and opt-outs you make now are queued and sent when you are back online."</p>
                </div>
            }
        })
    }
}
