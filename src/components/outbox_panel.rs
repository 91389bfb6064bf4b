use benefits_domain::activation::Action;
use leptos::prelude::*;

use crate::locale::text::fill;
use crate::offline::{current_user, format_timestamp, load_outbox, others_waiting, save_outbox, send_outbox, sync, use_offline, OutboxItem, OutboxJob, OutboxState};


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
        let opt_out = item.action == Action::OptOut;
        let verb = move || if opt_out { crate::trs!(offline.opt_out) } else { crate::trs!(offline.activate) };
        let key = item.key.clone();
        // Every item can be discarded (the user changed their mind); a conflict can also be sent again.
        let can_retry = matches!(item.state, OutboxState::Conflict { .. });
        // In words at display time (the stored item keeps the server's code), so a switch translates it.
        let item_state = item.state.clone();
        let status = move || match &item_state {
            OutboxState::Pending => crate::trs!(offline.pending).to_string(),
            OutboxState::Conflict { .. } => fill(crate::trs!(offline.conflict), &[("message", crate::trs!(offline.conflict_text))]),
            OutboxState::Refused { code, message } => fill(
                crate::trs!(offline.refused),
                &[("message", &crate::locale::text::api_error(crate::locale::current(), code, 400, message))],
            ),
        };
        let (discard_key, retry_key) = (key.clone(), key);
        let pid = item.partner_id.clone();
        let bid = item.benefit_id.clone();
        let queued_at = item.queued_at.clone();
        let retry = move |_| {
            let job = OutboxJob::Retry { key: retry_key.clone(), partner_id: pid.clone(), benefit_id: bid.clone() };
            leptos::task::spawn_local(async move {
                // Send again against the benefit's current version, as the user
                // decided (read by the outbox's own module: the shell carries
                // no benefit types).
                let Some(user) = current_user() else { return };
                if send_outbox(&user, job).await > 0 {
                    state.outbox.set(load_outbox(&user));
                    sync(state, &user).await;
                }
            });
        };
        view! {
            <li class="outbox__item" data-state=match item.state { OutboxState::Pending => "pending", OutboxState::Conflict { .. } => "conflict", OutboxState::Refused { .. } => "refused" }>
                <p><strong>{verb} " " {item.benefit_name.clone()}</strong> <span class="muted">{crate::tr!(offline.queued)} {move || format_timestamp(&queued_at)}</span></p>
                <p>{status}</p>
                <div class="actions">
                    {can_retry.then(|| view! { <button type="button" class="button" on:click=retry.clone()>{crate::tr!(offline.send_again)}</button> })}
                    <button type="button" class="button button--secondary" on:click=move |_| update(&|o| o.discard(&discard_key))>{crate::tr!(offline.discard)}</button>
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
                {move || crate::locale::text::others_waiting(crate::locale::current(), n as i64)}
            </p>
        })
    };
    let own = move || {
        let outbox = state.outbox.get();
        (!outbox.items.is_empty()).then(|| {
            let pending = outbox.pending_count();
            view! {
                <section class="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
                    <h2 id="outbox-title" class="card__title">{move || fill(crate::trs!(offline.outbox), &[("waiting", &crate::locale::text::waiting(crate::locale::current(), pending as i64))])}</h2>
                    <ul class="plain-list">{outbox.items.into_iter().map(row).collect_view()}</ul>
                    <button type="button" class="button button--secondary" on:click=send_now>{crate::tr!(offline.send_now)}</button>
                </section>
            }
        })
    };
    view! { {others} {own} }
}
