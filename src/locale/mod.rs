//! The user's language: chosen on first visit from the browser's, switched in
//! the header, kept in local storage and (once signed in) in the user's profile
//! on the server; `<html lang>` follows it. The texts are in `locales/*.json`
//! (leptos_i18n, keys checked at compile time); numbers, money and dates come
//! from the browser's `Intl` (`format`).

pub mod check;
pub mod format;
pub mod text;

use benefits_api::session::Language;
use leptos::prelude::*;
use leptos::task::spawn_local;

pub use crate::i18n::Locale;

/// A message kept as how to say it, not as a sentence in one language: read
/// with [`Words::text`] in a reactive closure, it is worded again in place
/// when the user switches the language.
#[derive(Clone)]
pub struct Words(std::sync::Arc<dyn Fn() -> String + Send + Sync>);

impl Words {
    pub fn new(say: impl Fn() -> String + Send + Sync + 'static) -> Words {
        Words(std::sync::Arc::new(say))
    }

    /// The message in the current language (tracked).
    pub fn text(&self) -> String {
        (self.0)()
    }
}

/// Where the choice is kept in this browser (no personal data).
const STORAGE_KEY: &str = "benefits.language";

pub fn to_language(l: Locale) -> Language {
    match l {
        Locale::en => Language::En,
        Locale::pl => Language::Pl,
    }
}

pub fn from_language(l: Language) -> Locale {
    match l {
        Language::En => Locale::en,
        Language::Pl => Locale::pl,
    }
}

/// Polish for a `pl` browser language (`pl`, `pl-PL`), English otherwise.
pub fn from_browser_tag(tag: &str) -> Locale {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    if primary == "pl" {
        Locale::pl
    } else {
        Locale::en
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn stored() -> Option<Locale> {
    let code = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Language::parse(&code).map(from_language)
}

fn store(l: Locale) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, to_language(l).as_str());
    }
}

/// The language to start with: the one chosen before in this browser, else the browser's own.
pub fn initial() -> Locale {
    stored().unwrap_or_else(|| from_browser_tag(&window().navigator().language().unwrap_or_default()))
}

thread_local! {
    /// The language shown now. The app's own signal rather than leptos_i18n's
    /// context, whose browser-language matching pulls ICU's locale code and
    /// leptos-use into the first download; the texts are leptos_i18n's
    /// (`td_string!` with this locale). Reachable from event handlers and
    /// async tasks too, which have no reactive owner.
    static CURRENT: ArcRwSignal<Locale> = ArcRwSignal::new(Locale::en);
}

/// The language the UI shows now (tracked, so a reactive closure re-runs when
/// it changes). Before the app sets it (component tests) English.
pub fn current() -> Locale {
    CURRENT.with(|l| l.get())
}

fn set(l: Locale) {
    CURRENT.with(|s| s.set(l));
}

/// `<html lang>` and the web app manifest (the installed app's name) in `l`.
fn set_html_lang(l: Locale) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", to_language(l).as_str());
    }
    if let Ok(Some(link)) = document().query_selector("link[rel=manifest]") {
        let href = match l {
            Locale::pl => "/manifest.pl.webmanifest",
            Locale::en => "/manifest.webmanifest",
        };
        let _ = link.set_attribute("href", href);
    }
}

/// Starts in the language of `initial`, and keeps `<html lang>` in step.
pub fn provide_locale() {
    let start = initial();
    set(start);
    set_html_lang(start);
    Effect::new(move |_| set_html_lang(current()));
}

/// The user switches language: in place (no reload, typed input kept), kept
/// in this browser, and saved to their profile when signed in.
pub fn choose(l: Locale, signed_in: bool) {
    set(l);
    store(l);
    if signed_in {
        spawn_local(async move {
            // The choice is kept locally whatever the server says; the next sign-in saves it again.
            let _ = save_to_profile(to_language(l)).await;
        });
    }
}

/// At sign-in: the language saved in the user's profile wins (it follows them
/// to another device); a user who never chose one gets this browser's choice saved.
pub fn signed_in(saved: Option<Language>) {
    match saved {
        Some(lang) => {
            let l = from_language(lang);
            set(l);
            store(l);
        }
        None => {
            let l = CURRENT.with(|s| s.get_untracked());
            spawn_local(async move {
                let _ = save_to_profile(to_language(l)).await;
            });
        }
    }
}

async fn save_to_profile(language: Language) -> crate::api::ApiResult<()> {
    crate::api::set_language(language).await.map(|_| ())
}
