//! The Benefits workspace: a Leptos client-side app. Every rule it shows comes
//! from `benefits_domain`, called directly (the what-if preview runs offline);
//! the server is the authority for everything stored.

pub mod api;
pub mod components;
pub mod demo;
pub mod loaded;
pub mod locale;
pub mod offline;
pub mod pages;
pub mod routes;
pub mod session;
pub mod ui;
pub mod unread;

use leptos::prelude::*;
use leptos_router::components::Router;

use crate::components::AppShell;

// `crate::i18n`: the translations of locales/*.json, checked at compile time.
// The macro form (config in Cargo.toml) rather than leptos_i18n_build's
// build-script codegen, which would compile ICU's data exporter into every
// build for nothing: the app formats with the browser's Intl instead.
#[allow(deprecated)]
mod i18n_module {
    leptos_i18n::load_locales!();
}
pub use i18n_module::i18n;

/// A translation in the current language, as a `&'static str` (tracked: in a
/// reactive closure it re-runs when the language changes).
#[macro_export]
macro_rules! trs {
    ($($key:tt)+) => {
        leptos_i18n::td_string!($crate::locale::current(), $($key)+)
    };
}

/// A translation as a reactive closure, for view text and attributes: it
/// follows a language switch in place.
#[macro_export]
macro_rules! tr {
    ($($key:tt)+) => {
        move || leptos_i18n::td_string!($crate::locale::current(), $($key)+)
    };
}

/// A page compiled into its own wasm module, fetched the first time its
/// route is opened, with "Loading this page…" shown meanwhile. With the
/// `split` feature (the Trunk build; scripts/split-wasm.sh splits the module)
/// the page is a `wasm_split` split point (what Leptos's `#[lazy]` expands to,
/// plus `fallible`: a module that cannot be fetched is an error with "Try
/// again", not a panic that would stop the app). Without the feature (the
/// wasm-bindgen tests, `cargo check`) the page is in the main module.
/// `$route()` gives the page's view (see `routes`).
macro_rules! lazy_page {
    ($route:ident, $split:ident, $page:ident) => {
        #[allow(non_snake_case)]
        pub fn $route() -> AnyView {
            #[cfg(feature = "split")]
            {
                use leptos::wasm_split::SplitLoaderError;
                #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
                fn page() -> Result<AnyView, SplitLoaderError> {
                    Ok(view! { <pages::$page /> }.into_any())
                }
                lazy_view(|| Box::pin(page()))
            }
            #[cfg(not(feature = "split"))]
            {
                untrack(|| view! { <pages::$page /> }.into_any())
            }
        }
    };
}

/// Fetching a lazy page's module, boxed: the waiting and the error view are
/// compiled once for all the pages.
#[cfg(feature = "split")]
type PageDownload = std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, leptos::wasm_split::SplitLoaderError>> + Send>>;

/// "Loading this page…" until the page's module is fetched, then the page, or
/// the error with "Try again".
#[cfg(feature = "split")]
fn lazy_view(load: fn() -> PageDownload) -> AnyView {
    let attempt = RwSignal::new(0u32);
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| view! { <crate::components::Loading what=crate::tr!(app.loading_page) /> }>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    match load().await {
                        Ok(page) => page,
                        Err(_) => {
                            let error = crate::api::ApiError {
                                status: 0,
                                code: "page_download".into(),
                                message: crate::trs!(app.page_failed).into(),
                                ..Default::default()
                            };
                            view! {
                                <section class="page">
                                    <h1>{crate::tr!(app.page_failed_title)}</h1>
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

lazy_page!(OverviewRoute, overview_page, Overview);
lazy_page!(WhyRoute, why_page, Why);
lazy_page!(BenefitsRoute, benefits_page, Benefits);
lazy_page!(OffersRoute, offers_page, Offers);
lazy_page!(SettingsRoute, settings_page, Settings);
lazy_page!(OperatorRoute, operator_page, Operator);
lazy_page!(OperatorPartnerRoute, operator_partner_page, OperatorPartner);
lazy_page!(ProgramRoute, program_page, Program);
lazy_page!(WhatIfRoute, what_if_page, WhatIf);
// Also what a page that needs a session shows to someone signed out.
lazy_page!(SignInRoute, sign_in_page, SignIn);
lazy_page!(InviteRoute, invite_page, Invite);
lazy_page!(ForgotPasswordRoute, forgot_password_page, ForgotPassword);
lazy_page!(ResetPasswordRoute, reset_password_page, ResetPassword);
lazy_page!(AccountRoute, account_page, Account);
lazy_page!(ConfirmEmailRoute, confirm_email_page, ConfirmEmail);
lazy_page!(NotificationsRoute, notifications_page, Notifications);
lazy_page!(AuditRoute, audit_page, Audit);
lazy_page!(DashboardRoute, dashboard_page, ProgramDashboard);
lazy_page!(CatalogEditRoute, catalog_edit_page, CatalogEdit);

/// The app: session, shell and pages.
#[component]
pub fn App() -> impl IntoView {
    locale::provide_locale();
    session::provide_session();
    offline::provide_offline();
    unread::provide_unread();
    view! {
        <Router>
            <AppShell>
                <routes::Pages />
            </AppShell>
        </Router>
    }
}

/// Words for a title or a "Loading …" line: fixed text, or a closure (`tr!`)
/// that gives them in the current language.
pub trait UiText: Send + Sync + 'static {
    fn text(&self) -> String;
}

impl UiText for &'static str {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl<F: Fn() -> &'static str + Send + Sync + 'static> UiText for F {
    fn text(&self) -> String {
        self().to_string()
    }
}

/// Sets the document title, "<page> · Benefits workspace", in the current
/// language, again whenever the language changes.
pub fn set_title(page: impl UiText) {
    Effect::new(move |_| {
        let title = locale::text::fill(trs!(app.title), &[("page", &page.text())]);
        document().set_title(&title);
    });
}

/// Removes the "Loading…" line that public/boot.js shows until the app starts.
pub fn remove_boot_status() {
    if let Some(el) = document().get_element_by_id("boot-status") {
        el.remove();
    }
}
