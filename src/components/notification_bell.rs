use leptos::prelude::*;
use leptos_router::components::A;

use crate::unread::use_unread;

/// The header's link to the notifications, with the unread count.
#[component]
pub fn NotificationBell() -> impl IntoView {
    let unread = use_unread();
    let label = move || crate::locale::text::unread_bell(crate::locale::current(), unread.count.get());
    view! {
        <A href="/notifications" attr:class="notification-bell" attr:aria-label=label>
            <span aria-hidden="true">{crate::tr!(nav.notifications)}</span>
            {move || {
                let n = unread.count.get();
                (n > 0).then(|| view! { <span class="notification-bell__count" aria-hidden="true" data-testid="unread-count">{n.to_string()}</span> })
            }}
        </A>
    }
}
