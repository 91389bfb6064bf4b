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
pub mod unread;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{AppShell, RequireSession};
use crate::pages::{Home, NotFound, SignIn};

/// A route whose page is compiled into its own wasm module, fetched the first
/// time the route is opened, with "Loading this page…" shown meanwhile. With
/// the `split` feature (the Trunk build; scripts/split-wasm.sh splits the
/// module) the page is a `wasm_split` split point (what Leptos's `#[lazy]`
/// expands to, plus `fallible`: a module that cannot be fetched is an error
/// with "Try again", not a panic that would stop the app). Without the feature
/// (the wasm-bindgen tests, `cargo check`) the page is in the main module.
macro_rules! lazy_page {
    ($route:ident, $split:ident, $page:ident) => {
        #[component]
        pub fn $route() -> impl IntoView {
            #[cfg(feature = "split")]
            {
                use leptos::wasm_split::SplitLoaderError;
                #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
                fn page() -> Result<AnyView, SplitLoaderError> {
                    Ok(view! { <pages::$page /> }.into_any())
                }
                let attempt = RwSignal::new(0u32);
                let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
                view! {
                    <Suspense fallback=|| view! { <crate::components::Loading what="this page" /> }>
                        {move || {
                            attempt.track();
                            Suspend::new(async move {
                                match page().await {
                                    Ok(page) => page,
                                    Err(_) => {
                                        let error = crate::api::ApiError {
                                            status: 0,
                                            code: "network".into(),
                                            message: "The app could not download this page. Check your connection and try again.".into(),
                                            ..Default::default()
                                        };
                                        view! {
                                            <section class="page">
                                                <h1>"This page could not be loaded"</h1>
                                                <crate::components::ErrorNotice error on_retry=retry />
                                            </section>
                                        }
                                        .into_any()
                                    }
                                }
                            })
                        }}
                    </Suspense>
                }
                .into_any()
            }
            #[cfg(not(feature = "split"))]
            {
                view! { <pages::$page /> }.into_any()
            }
        }
    };
}

lazy_page!(OverviewRoute, overview_page, Overview);
lazy_page!(WhyRoute, why_page, Why);
lazy_page!(BenefitsRoute, benefits_page, Benefits);
lazy_page!(OffersRoute, offers_page, Offers);
lazy_page!(SettingsRoute, settings_page, Settings);
lazy_page!(OperatorRoute, operator_page, Operator);
lazy_page!(OperatorPartnerRoute, operator_partner_page, OperatorPartner);
lazy_page!(ProgramRoute, program_page, Program);
lazy_page!(WhatIfRoute, what_if_page, WhatIf);
lazy_page!(InviteRoute, invite_page, Invite);
lazy_page!(ForgotPasswordRoute, forgot_password_page, ForgotPassword);
lazy_page!(ResetPasswordRoute, reset_password_page, ResetPassword);
lazy_page!(AccountRoute, account_page, Account);
lazy_page!(ConfirmEmailRoute, confirm_email_page, ConfirmEmail);
lazy_page!(NotificationsRoute, notifications_page, Notifications);

/// The app: session, shell and routes.
#[component]
pub fn App() -> impl IntoView {
    session::provide_session();
    offline::provide_offline();
    unread::provide_unread();
    view! {
        <Router>
            <AppShell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=|| view! { <SignIn /> } />
                    <Route path=path!("/what-if") view=WhatIfRoute />
                    <Route path=path!("/invite/:token") view=InviteRoute />
                    <Route path=path!("/reset-password") view=ForgotPasswordRoute />
                    <Route path=path!("/reset-password/:token") view=ResetPasswordRoute />
                    <Route path=path!("/account") view=AccountRoute />
                    <Route path=path!("/confirm-email/:token") view=ConfirmEmailRoute />
                    <Route path=path!("/program") view=ProgramRoute />
                    <Route path=path!("/partners/:pid") view=|| view! { <RequireSession><OverviewRoute /></RequireSession> } />
                    <Route path=path!("/partners/:pid/why") view=|| view! { <RequireSession><WhyRoute /></RequireSession> } />
                    <Route path=path!("/partners/:pid/benefits") view=|| view! { <RequireSession><BenefitsRoute /></RequireSession> } />
                    <Route path=path!("/partners/:pid/offers") view=|| view! { <RequireSession><OffersRoute /></RequireSession> } />
                    <Route path=path!("/partners/:pid/settings") view=|| view! { <RequireSession><SettingsRoute /></RequireSession> } />
                    <Route path=path!("/notifications") view=|| view! { <RequireSession><NotificationsRoute /></RequireSession> } />
                    <Route path=path!("/operator") view=|| view! { <RequireSession><OperatorRoute /></RequireSession> } />
                    <Route path=path!("/operator/partners/:pid") view=|| view! { <RequireSession><OperatorPartnerRoute /></RequireSession> } />
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
