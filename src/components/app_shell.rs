use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::{OfflineBanner, OutboxPanel, SiteNav, UpdatePrompt};

/// The page frame: skip link, header with the product name and navigation, main region and footer.
#[component]
pub fn AppShell(children: Children) -> impl IntoView {
    // The router would treat "#main" as a navigation; move focus ourselves.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>{crate::tr!(app.skip)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"B"</span>
                    <span class="brand__name">{crate::tr!(app.name)}</span>
                </A>
                <SiteNav />
            </div>
        </header>
        <main id="main" class="main" tabindex="-1">
            <UpdatePrompt />
            <OfflineBanner />
            <OutboxPanel />
            {children()}
        </main>
        <footer class="site-footer">
            <p>{crate::tr!(app.footer)}</p>
        </footer>
    }
}
