use leptos::prelude::*;
use leptos_router::components::A;

/// The page for an address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::set_title("Page not found");
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <ul class="link-list">
                <li><A href="/">"Go to the start page"</A></li>
                <li><A href="/what-if">"Try the what-if preview"</A></li>
                <li><A href="/program">"See the program's tiers and benefits"</A></li>
            </ul>
        </section>
    }
}
