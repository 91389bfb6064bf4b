use leptos::prelude::*;
use leptos_router::components::A;

use crate::session::{home_path, use_session};

/// The start page: what the workspace does, and the way in.
#[component]
pub fn Home() -> impl IntoView {
    crate::set_title(crate::tr!(home.title));
    let session = use_session();
    let next_step = move || match session.info.get() {
        Some(info) => view! {
            <p>
                {let name = info.user.name.clone(); move || crate::locale::text::fill(crate::trs!(home.signed_in_as), &[("name", &name)])}
                <A href=home_path(&info) attr:class="button">{crate::tr!(home.open_workspace)}</A>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="actions">
                <A href="/sign-in" attr:class="button">{crate::tr!(nav.sign_in)}</A>
                <A href="/what-if" attr:class="button button--secondary">{crate::tr!(home.preview)}</A>
            </p>
        }
        .into_any(),
    };
    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(home.heading)}</h1>
            <p class="lead">{crate::tr!(home.lead)}</p>
            {next_step}
            <div class="card-grid">
                <article class="card">
                    <h2 class="card__title"><A href="/what-if">{crate::tr!(home.what_if_title)}</A></h2>
                    <p>{crate::tr!(home.what_if_text)}</p>
                </article>
                <article class="card">
                    <h2 class="card__title"><A href="/program">{crate::tr!(home.program_title)}</A></h2>
                    <p>{crate::tr!(home.program_text)}</p>
                </article>
            </div>
        </section>
    }
}
