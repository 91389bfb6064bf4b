use leptos::prelude::*;
use leptos_router::components::A;

use crate::session::{home_path, use_session};

/// The start page: what the workspace does, and the way in.
#[component]
pub fn Home() -> impl IntoView {
    crate::set_title("Start");
    let session = use_session();
    let next_step = move || match session.info.get() {
        Some(info) => view! {
            <p>
                {format!("Signed in as {}. ", info.user.name)}
                <A href=home_path(&info) attr:class="button">"Open your workspace"</A>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="actions">
                <A href="/sign-in" attr:class="button">"Sign in"</A>
                <A href="/what-if" attr:class="button button--secondary">"Preview a tier without signing in"</A>
            </p>
        }
        .into_any(),
    };
    view! {
        <section class="page page--narrow">
            <h1>"Your Marketplace Rewards benefits"</h1>
            <p class="lead">
                "See which transact tier your marketplace sales, Business Applications value or Teams app users give you, which benefits are unlocked, and what is still missing for the next tier."
            </p>
            {next_step}
            <div class="card-grid">
                <article class="card">
                    <h2 class="card__title"><A href="/what-if">"What-if preview"</A></h2>
                    <p>"Add hypothetical sales or move the date and watch the tier change. Runs in your browser; nothing is saved."</p>
                </article>
                <article class="card">
                    <h2 class="card__title"><A href="/program">"Program tiers and benefits"</A></h2>
                    <p>"The thresholds of every tier and the benefits each tier and offer type unlocks."</p>
                </article>
            </div>
        </section>
    }
}
