use leptos::prelude::*;

use crate::locale::{self, Locale};
use crate::session::use_session;

/// The header's language switch: shows the other language, switches in place
/// (no reload, nothing typed is lost) and remembers the choice.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let session = use_session();
    let switch = move |_| {
        let next = match locale::current() {
            Locale::en => Locale::pl,
            Locale::pl => Locale::en,
        };
        // Offline sessions are remembered ones: the server is not told until the next sign-in.
        let signed_in = session.info.with_untracked(|i| i.as_ref().is_some_and(|i| !i.csrf_token.is_empty()));
        locale::choose(next, signed_in);
    };
    // The button's text is in the language it switches to, marked as such for screen readers.
    let other = move || match locale::current() {
        Locale::en => "pl",
        Locale::pl => "en",
    };
    view! {
        <button type="button" class="button button--ghost language-switch" data-testid="language-switch"
            lang=other aria-label=crate::tr!(lang.switch_name) on:click=switch>
            {crate::tr!(lang.switch_to)}
        </button>
    }
}
