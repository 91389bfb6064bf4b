use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::LanguageSwitch;
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
            // Sign-out clears this user's cached data; actions still in their outbox wait for them.
            crate::offline::forget();
            session.signed_out();
            navigate("/sign-in", Default::default());
        });
    };
    let partner_links = move || {
        session.partner_id().map(|pid| {
            let base = format!("/partners/{pid}");
            view! {
                <li><A href=base.clone() exact=true>{crate::tr!(nav.overview)}</A></li>
                <li><A href=format!("{base}/why")>{crate::tr!(nav.why)}</A></li>
                <li><A href=format!("{base}/benefits")>{crate::tr!(nav.benefits)}</A></li>
                <li><A href=format!("{base}/offers")>{crate::tr!(nav.offers)}</A></li>
                <li><A href=format!("{base}/settings")>{crate::tr!(nav.settings)}</A></li>
                {(session.role() == Some(Role::Admin)).then(|| view! { <li><A href=format!("{base}/audit")>{crate::tr!(nav.audit)}</A></li> })}
            }
        })
    };
    let operator_link = move || {
        (session.role() == Some(Role::Operator)).then(|| view! {
            <li><A href="/operator" exact=true>{crate::tr!(nav.operator)}</A></li>
            <li><A href="/operator/dashboard">{crate::tr!(dashboard.nav)}</A></li>
            <li><A href="/operator/audit">{crate::tr!(nav.audit)}</A></li>
        })
    };
    let user = move || {
        session.info.get().map(|info| {
            let role = info.user.role;
            let org = info.partner.as_ref().map(|p| p.name.clone());
            let who = move || {
                let l = crate::locale::current();
                let org = org.clone().unwrap_or_else(|| crate::trs!(nav.rewards_team).to_string());
                format!("{org} · {}", crate::locale::text::role(l, role))
            };
            view! {
                <crate::components::NotificationBell />
                <p class="site-nav__who">
                    <A href="/account" attr:class="site-nav__name" attr:title=crate::tr!(nav.account)>{info.user.name.clone()}</A>
                    <span class="site-nav__org">{who}</span>
                </p>
                <button type="button" class="button button--ghost" on:click=sign_out.clone()>{crate::tr!(nav.sign_out)}</button>
            }
        })
    };
    view! {
        <nav class="site-nav" aria-label=crate::tr!(nav.main)>
            <ul class="site-nav__links">
                {partner_links}
                {operator_link}
                <li><A href="/what-if">{crate::tr!(nav.what_if)}</A></li>
                <li><A href="/program">{crate::tr!(nav.program)}</A></li>
            </ul>
            <div class="site-nav__user">
                <LanguageSwitch />
                {move || match session.info.with(Option::is_some) {
                    true => user().into_any(),
                    false => view! { <A href="/sign-in" attr:class="button button--secondary">{crate::tr!(nav.sign_in)}</A> }.into_any(),
                }}
            </div>
        </nav>
    }
}
