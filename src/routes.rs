//! Which page an address shows, and the page's parameters.
//!
//! One matcher for the whole app, in place of leptos_router's `<Routes>`: its
//! nested-route machinery is compiled once per route and was, with its views,
//! about a tenth of the first load. leptos_router still keeps the address
//! (`<Router>`, `<A>`, `use_navigate`, `use_location`, `use_query_map`).
//!
//! A page is shown with its [`Route`] in context; the parameters of a page
//! never change while it is on screen: another partner id is another page,
//! built afresh. Only the path decides the page: a change of the query string
//! (a list's sort or filter) leaves the page in place.

use leptos::context::Provider;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};

use crate::components::RequireSession;
use crate::pages::{Home, NotFound};

/// A page of the partner's workspace (`/partners/:pid/…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerPage {
    Overview,
    Why,
    Benefits,
    Offers,
    Settings,
    Audit,
}

/// Every page of the app, with its parameters (percent-decoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    SignIn,
    WhatIf,
    Invite { token: String },
    ForgotPassword,
    ResetPassword { token: String },
    Account,
    ConfirmEmail { token: String },
    Program,
    Partner { pid: String, page: PartnerPage },
    Notifications,
    Operator,
    OperatorPartner { pid: String },
    OperatorAudit,
    CatalogNew,
    Dashboard,
    NotFound,
}

impl Route {
    /// The page for `path` (no query string; one trailing slash is ignored).
    pub fn parse(path: &str) -> Route {
        let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let param = |s: &str| (!s.is_empty()).then(|| decode(s));
        match segments.as_slice() {
            [""] => Route::Home,
            ["sign-in"] => Route::SignIn,
            ["what-if"] => Route::WhatIf,
            ["invite", token] => param(token).map_or(Route::NotFound, |token| Route::Invite { token }),
            ["reset-password"] => Route::ForgotPassword,
            ["reset-password", token] => param(token).map_or(Route::NotFound, |token| Route::ResetPassword { token }),
            ["account"] => Route::Account,
            ["confirm-email", token] => param(token).map_or(Route::NotFound, |token| Route::ConfirmEmail { token }),
            ["program"] => Route::Program,
            ["notifications"] => Route::Notifications,
            ["operator"] => Route::Operator,
            ["operator", "audit"] => Route::OperatorAudit,
            ["operator", "dashboard"] => Route::Dashboard,
            ["operator", "catalogs", "new"] => Route::CatalogNew,
            ["operator", "partners", pid] => param(pid).map_or(Route::NotFound, |pid| Route::OperatorPartner { pid }),
            ["partners", pid, rest @ ..] => {
                let page = match rest {
                    [] => PartnerPage::Overview,
                    ["why"] => PartnerPage::Why,
                    ["benefits"] => PartnerPage::Benefits,
                    ["offers"] => PartnerPage::Offers,
                    ["settings"] => PartnerPage::Settings,
                    ["audit"] => PartnerPage::Audit,
                    _ => return Route::NotFound,
                };
                param(pid).map_or(Route::NotFound, |pid| Route::Partner { pid, page })
            }
            _ => Route::NotFound,
        }
    }

    /// The partner the page is about, if it is about one.
    pub fn partner_id(&self) -> Option<&str> {
        match self {
            Route::Partner { pid, .. } | Route::OperatorPartner { pid } => Some(pid),
            _ => None,
        }
    }

    /// The token in the address of an invitation, a password reset or an email confirmation.
    pub fn token(&self) -> Option<&str> {
        match self {
            Route::Invite { token } | Route::ResetPassword { token } | Route::ConfirmEmail { token } => Some(token),
            _ => None,
        }
    }

    fn view(&self) -> AnyView {
        use crate::*;
        match self {
            Route::Home => view! { <Home /> }.into_any(),
            Route::SignIn => SignInRoute(),
            Route::WhatIf => WhatIfRoute(),
            Route::Invite { .. } => InviteRoute(),
            Route::ForgotPassword => ForgotPasswordRoute(),
            Route::ResetPassword { .. } => ResetPasswordRoute(),
            Route::Account => AccountRoute(),
            Route::ConfirmEmail { .. } => ConfirmEmailRoute(),
            Route::Program => ProgramRoute(),
            Route::NotFound => view! { <NotFound /> }.into_any(),
            Route::Partner { page, .. } => session_page(match page {
                PartnerPage::Overview => OverviewRoute,
                PartnerPage::Why => WhyRoute,
                PartnerPage::Benefits => BenefitsRoute,
                PartnerPage::Offers => OffersRoute,
                PartnerPage::Settings => SettingsRoute,
                PartnerPage::Audit => AuditRoute,
            }),
            Route::Notifications => session_page(NotificationsRoute),
            Route::Operator => session_page(OperatorRoute),
            Route::OperatorPartner { .. } => session_page(OperatorPartnerRoute),
            Route::OperatorAudit => session_page(AuditRoute),
            Route::CatalogNew => session_page(CatalogEditRoute),
            Route::Dashboard => session_page(DashboardRoute),
        }
    }
}

/// A page that needs a session (the sign-in form in its place otherwise).
/// Not generic: one copy for every such page.
fn session_page(page: fn() -> AnyView) -> AnyView {
    view! { <RequireSession>{move || page()}</RequireSession> }.into_any()
}

/// A path segment as the page reads it (`%20` is a space).
fn decode(segment: &str) -> String {
    leptos_router::location::Url::unescape(segment)
}

/// The page for the current address.
#[component]
pub fn Pages() -> impl IntoView {
    let location = use_location();
    // The browser's address bar and history: a navigation is written to them
    // once its page is built (what `<Routes>` did).
    let browser = use_context::<BrowserUrl>();
    // Every change of the path (and only of the path) builds the page again,
    // in a later task, once the reactive updates already queued have run (as
    // `<Routes>` does, which matches asynchronously): swapping the page in the
    // same task disposed pages whose queued updates then still ran (a
    // disposed-signal panic after signing in from the invitation page).
    let path = location.pathname;
    let shown = RwSignal::new(path.get_untracked());
    let browser_later = browser.clone();
    Effect::new(move |_| {
        let next = path.get();
        let browser = browser_later.clone();
        set_timeout(
            move || {
                if shown.with_untracked(|now| *now != next) {
                    shown.set(next);
                } else if let Some(browser) = browser {
                    // Away and back before the page changed: the same page stays.
                    browser.ready_to_complete();
                }
            },
            std::time::Duration::ZERO,
        );
    });
    move || {
        let route = Route::parse(&shown.get());
        let page = view! { <Provider value=route.clone()>{route.view()}</Provider> };
        if let Some(browser) = &browser {
            browser.ready_to_complete();
        }
        page
    }
}

/// The route of the page being built (outside one: the current address's).
pub fn current() -> Route {
    use_context::<Route>().unwrap_or_else(|| Route::parse(&use_location().pathname.get_untracked()))
}
