use benefits_domain::activation::Action;
use leptos::prelude::*;

use crate::api;
use crate::offline::{current_user, format_timestamp, load_outbox, others_waiting, save_outbox, sync, use_offline, OutboxItem, OutboxState};


/// The actions made offline: how many wait for the network, each item, and a
/// decision for every one the server did not accept.
#[component]
pub fn OutboxPanel() -> impl IntoView {
    let state = use_offline();
    let update = move |f: &dyn Fn(&mut crate::offline::Outbox)| {
        if let Some(user) = current_user() {
            let mut outbox = load_outbox(&user);
            f(&mut outbox);
            save_outbox(&user, &outbox);
            state.outbox.set(outbox);
        }
    };
    let send_now = move |_| {
        if let Some(user) = current_user() {
            leptos::task::spawn_local(async move { sync(state, &user).await });
        }
    };
    let row = move |item: OutboxItem| {
        let verb = if item.action == Action::OptOut { "Opt out of" } else { "Activate" };
        let key = item.key.clone();
        // Every item can be discarded (the user changed their mind); a conflict can also be sent again.
        let (status, can_retry) = match &item.state {
            OutboxState::Pending => ("Waiting for the network".to_string(), false),
            OutboxState::Conflict { message } => (format!("Conflict: {message}"), true),
            OutboxState::Refused { message, .. } => (format!("Refused by the server: {message}"), false),
        };
        let (discard_key, retry_key) = (key.clone(), key);
        let pid = item.partner_id.clone();
        let bid = item.benefit_id.clone();
        let retry = move |_| {
            let (pid, bid, key) = (pid.clone(), bid.clone(), retry_key.clone());
            leptos::task::spawn_local(async move {
                // Send again against the benefit's current version, as the user decided.
                // The benefit list, not the whole workspace: the shell (main
                // module) then carries no workspace, catalog or evaluation types.
                let list = api::get::<Vec<benefits_api::benefits::BenefitView>>(benefits_api::paths::benefits(&pid)).await;
                if let Ok(benefits) = list {
                    if let Some(b) = benefits.iter().find(|b| b.id == bid) {
                        let version = b.version;
                        update(&|o| o.retry(&key, version, api::new_idempotency_key()));
                        if let Some(user) = current_user() {
                            sync(state, &user).await;
                        }
                    }
                }
            });
        };
        view! {
            <li class="outbox__item" data-state=match item.state { OutboxState::Pending => "pending", OutboxState::Conflict { .. } => "conflict", OutboxState::Refused { .. } => "refused" }>
                <p><strong>{verb} " " {item.benefit_name.clone()}</strong> <span class="muted">" · queued " {format_timestamp(&item.queued_at)}</span></p>
                <p>{status}</p>
                <div class="actions">
                    {can_retry.then(|| view! { <button type="button" class="button" on:click=retry.clone()>"Send again"</button> })}
                    <button type="button" class="button button--secondary" on:click=move |_| update(&|o| o.discard(&discard_key))>"Discard"</button>
                </div>
            </li>
        }
    };
    // Another user's queued actions are never sent or shown here, only counted,
    // so that nobody wonders where they went.
    let others = move || {
        state.outbox.track();
        let n = others_waiting(current_user().as_deref());
        (n > 0).then(|| view! {
            <p class="hint" data-testid="outbox-others">
                {format!("This browser also keeps {n} offline action(s) queued by another user. They are sent only when that user signs in again here, or discarded by them.")}
            </p>
        })
    };
    let own = move || {
        let outbox = state.outbox.get();
        (!outbox.items.is_empty()).then(|| {
            let pending = outbox.pending_count();
            view! {
                <section class="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
                    <h2 id="outbox-title" class="card__title">"Outbox: " {pending} " waiting to be sent"</h2>
                    <ul class="plain-list">{outbox.items.into_iter().map(row).collect_view()}</ul>
                    <button type="button" class="button button--secondary" on:click=send_now>"Send now"</button>
                </section>
            }
        })
    };
    view! { {others} {own} }
}
