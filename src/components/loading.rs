use leptos::prelude::*;

/// A polite "loading" status line, so a page is never blank while it waits.
#[component]
pub fn Loading(#[prop(into)] what: TextProp) -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {move || crate::locale::text::fill(crate::trs!(app.loading), &[("what", &what.get())])}
        </p>
    }
}
