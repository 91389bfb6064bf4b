use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::session::use_session;

/// The main navigation: the partner's pages when signed in, the public pages, and sign in/out.
#[component]
pub fn SiteNav() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signed out locally whatever the server says: the cookie expires anyway.
            let _ = api::logout().await;
            // Sign-out clears this user's cached data and outbox from the browser.
            crate::offline::forget();
            session.signed_out();
            navigate("/sign-in", Default::default());
        });
    };
    let partner_links = move || {
        session.partner_id().map(|pid| {
            let base = format!("/partners/{pid}");
            view! {
                <li><A href=base.clone() exact=true>"Overview"</A></li>
                <li><A href=format!("{base}/why")>"Why this tier"</A></li>
                <li><A href=format!("{base}/benefits")>"Marketing benefits"</A></li>
                <li><A href=format!("{base}/offers")>"Offers & data"</A></li>
                <li><A href=format!("{base}/settings")>"Account settings"</A></li>
            }
        })
    };
    let operator_link = move || {
        (session.role() == Some(Role::Operator)).then(|| view! { <li><A href="/operator">"Operator console"</A></li> })
    };
    let user = move || {
        session.info.get().map(|info| {
            let role = info.user.role.as_str();
            let org = info.partner.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Rewards team".into());
            view! {
                <crate::components::NotificationBell />
                <p class="site-nav__who">
                    <A href="/account" attr:class="site-nav__name" attr:title="Your account">{info.user.name.clone()}</A>
                    <span class="site-nav__org">{format!("{org} · {role}")}</span>
                </p>
                <button type="button" class="button button--ghost" on:click=sign_out.clone()>"Sign out"</button>
            }
        })
    };
    view! {
        <nav class="site-nav" aria-label="Main">
            <ul class="site-nav__links">
                {partner_links}
                {operator_link}
                <li><A href="/what-if">"What-if"</A></li>
                <li><A href="/program">"Program"</A></li>
            </ul>
            <div class="site-nav__user">
                {move || match session.info.with(Option::is_some) {
                    true => user().into_any(),
                    false => view! { <A href="/sign-in" attr:class="button button--secondary">"Sign in"</A> }.into_any(),
                }}
            </div>
        </nav>
    }
}
