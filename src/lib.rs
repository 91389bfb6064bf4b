//! The Benefits workspace: a Leptos client-side app. Every rule it shows comes
//! from `benefits_domain`, called directly (the what-if preview runs offline);
//! the server is the authority for everything stored.

pub mod api;
pub mod components;
pub mod demo;
pub mod loaded;
pub mod offline;
pub mod pages;
pub mod session;
pub mod ui;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::AppShell;
use crate::pages::{Benefits, Home, NotFound, Offers, Operator, OperatorPartner, Overview, Program, Settings, SignIn, WhatIf, Why};

/// The app: session, shell and routes.
#[component]
pub fn App() -> impl IntoView {
    session::provide_session();
    offline::provide_offline();
    view! {
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/what-if") view=WhatIf />
                    <Route path=path!("/program") view=Program />
                    <Route path=path!("/sign-in") view=SignIn />
                    <Route path=path!("/partners/:pid") view=Overview />
                    <Route path=path!("/partners/:pid/why") view=Why />
                    <Route path=path!("/partners/:pid/benefits") view=Benefits />
                    <Route path=path!("/partners/:pid/offers") view=Offers />
                    <Route path=path!("/partners/:pid/settings") view=Settings />
                    <Route path=path!("/operator") view=Operator />
                    <Route path=path!("/operator/partners/:pid") view=OperatorPartner />
                </Routes>
            </AppShell>
        </Router>
    }
}

/// Sets the document title: "<page> · Benefits workspace".
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · Benefits workspace"));
}

/// Removes the "Loading…" line that public/boot.js shows until the app starts.
pub fn remove_boot_status() {
    if let Some(el) = document().get_element_by_id("boot-status") {
        el.remove();
    }
}
