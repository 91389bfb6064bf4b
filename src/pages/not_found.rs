use leptos::prelude::*;
use leptos_router::components::A;

/// The page for an address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::set_title(crate::tr!(not_found.title));
    view! {
        <section class="page">
            <h1>{crate::tr!(not_found.title)}</h1>
            <p>{crate::tr!(not_found.text)}</p>
            <ul class="link-list">
                <li><A href="/">{crate::tr!(not_found.start)}</A></li>
                <li><A href="/what-if">{crate::tr!(not_found.what_if)}</A></li>
                <li><A href="/program">{crate::tr!(not_found.program)}</A></li>
            </ul>
        </section>
    }
}
