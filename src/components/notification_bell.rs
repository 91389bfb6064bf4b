use leptos::prelude::*;
use leptos_router::components::A;

use crate::unread::use_unread;

/// The header's link to the notifications, with the unread count (read out
/// as "Notifications, 3 unread").
#[component]
pub fn NotificationBell() -> impl IntoView {
    let unread = use_unread();
    view! {
        <A href="/notifications" attr:class="notification-bell">
            <span>{crate::tr!(nav.notifications)}</span>
            {move || {
                let n = unread.count.get();
                (n > 0).then(|| {
                    let said = move || format!(", {}", crate::locale::text::unread(crate::locale::current(), n));
                    view! {
                        <span class="notification-bell__count" aria-hidden="true" data-testid="unread-count">{n.to_string()}</span>
                        <span class="visually-hidden">{said}</span>
                    }
                })
            }}
        </A>
    }
}
