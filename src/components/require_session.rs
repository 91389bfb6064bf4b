use leptos::prelude::*;

use crate::components::Loading;
use crate::session::use_session;

/// A page that needs a session: "Loading your session…" until the server has
/// said who is signed in, then the page, or the sign-in form in its place.
/// Once shown, the page stays: signing out navigates away, which disposes it
/// (swapping it out here as well would dispose it twice).
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let shown = Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || session.info.with(Option::is_some));
    move || {
        if shown.get() {
            children().into_any()
        } else if session.checked.get() {
            crate::SignInRoute()
        } else {
            view! { <section class="page"><Loading what=crate::tr!(app.session_what) /></section> }.into_any()
        }
    }
}
