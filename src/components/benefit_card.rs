use benefits_domain::activation::{Action, Actor};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use benefits_api::benefits::BenefitView;
use crate::ui;

/// One benefit: status, dates (contact-by flagged when overdue), revocation,
/// and the Activate / Opt out buttons the state machine allows today.
#[component]
pub fn BenefitCard(
    #[prop(into)] partner_id: String,
    benefit: BenefitView,
    actor: Actor,
    #[prop(into)] contact_assigned: Signal<bool>,
    today: NaiveDate,
) -> impl IntoView {
    let benefit = RwSignal::new(benefit);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let partner_id = StoredValue::new(partner_id);
    // Absent outside the app (component tests): then offline actions are not queued.
    let offline = use_context::<crate::offline::OfflineState>();

    let run = move |action: Action| {
        let previous = benefit.get_untracked();
        let (id, version) = (previous.id.clone(), previous.version);
        pending.set(true);
        error.set(None);
        message.set(None);
        // Show the status the domain's transition leads to at once; the server's
        // answer replaces it (with the expiry date from the partner's catalog),
        // a refusal restores `previous`.
        if let Some(next) = ui::partner_preview(&previous.state(), action, actor, contact_assigned.get_untracked(), None, today) {
            benefit.set(ui::with_state(&previous, &next));
        }
        spawn_local(async move {
            match api::benefit_action(&partner_id.get_value(), &id, action, version, &api::new_idempotency_key()).await {
                Ok(updated) => {
                    message.set(Some(match action {
                        Action::Activate => {
                            let by = updated.contact_by.map(ui::date_long).unwrap_or_default();
                            format!("Activated. The Rewards team will contact your marketing contact by {by}.")
                        }
                        _ => "You opted out of this benefit. You can activate it again later.".to_string(),
                    }));
                    benefit.set(updated);
                }
                // No network: queue it; the outbox sends it when the network returns.
                Err(e) if e.status == 0 => {
                    let queued =
                        offline.is_some_and(|state| crate::offline::queue_action(state, &partner_id.get_value(), &previous, action));
                    benefit.set(previous);
                    if queued {
                        benefit.update(|b| crate::offline::Outbox::preview(b, action, actor, contact_assigned.get_untracked(), None, today));
                        message.set(Some("You are offline: this is queued in the outbox and will be sent when you are back online.".into()));
                    } else {
                        error.set(Some(e.message));
                    }
                }
                Err(e) => {
                    benefit.set(previous);
                    error.set(Some(e.message));
                }
            }
            pending.set(false);
        });
    };

    let b = benefit.get_untracked();
    let heading_id = format!("benefit-{}", b.id);
    let labelled_by = heading_id.clone();
    let buttons = move || {
        let state = benefit.with(|b| b.state());
        ui::partner_buttons(&state, actor, contact_assigned.get(), today)
            .into_iter()
            .map(|button| {
                let action = button.action;
                let reason_id = format!("{}-{}-reason", benefit.with_untracked(|b| b.id.clone()), ui::action_label(action).replace(' ', "-").to_lowercase());
                let described = button.reason.is_some().then(|| reason_id.clone());
                let class = if action == Action::Activate { "button" } else { "button button--secondary" };
                view! {
                    <button type="button" class=class
                        disabled=move || !button.enabled || pending.get()
                        aria-describedby=described
                        on:click=move |_| run(action)>
                        {button.label}
                    </button>
                    {button.reason.map(|r| view! { <p class="disabled-reason" id=reason_id><span aria-hidden="true">"ⓘ "</span>{r}</p> })}
                }
            })
            .collect_view()
    };

    let details = move || {
        let b = benefit.get();
        let overdue = b.contact_overdue || b.state().contact_overdue(today);
        let (symbol, label) = ui::status_badge(b.status);
        view! {
            <p>
                <span class=format!("status status--{}", b.status.as_str())>
                    <span aria-hidden="true">{symbol}</span>{label}
                </span>
            </p>
            <dl class="kv">
                {b.activated_on.map(|d| view! { <dt>"Activated"</dt><dd>{ui::date_long(d)}</dd> })}
                {b.contact_by.filter(|_| b.status == benefits_domain::activation::BenefitStatus::Activated).map(|d| view! {
                    <dt>"Contact by"</dt>
                    <dd class:overdue=overdue>
                        {ui::date_long(d)}
                        {overdue.then_some(" — overdue: the Rewards team has not been in touch yet")}
                    </dd>
                })}
                {b.expires_on.map(|d| view! { <dt>"Expires"</dt><dd>{ui::date_long(d)}</dd> })}
                {b.revocation.clone().map(|r| view! {
                    <dt>"Revoked"</dt>
                    <dd>{match r.on { Some(on) => format!("{} on {}", r.reason_text, ui::date_long(on)), None => r.reason_text.clone() }}{r.note.map(|n| format!(". Note: {n}"))}</dd>
                })}
            </dl>
        }
    };

    view! {
        <article class="card benefit-card" aria-labelledby=labelled_by data-benefit=b.id.clone()>
            <div class="benefit-card__head">
                <h3 class="benefit-card__name" id=heading_id>{b.name.clone()}</h3>
                <span class="tag">{b.kind.as_str()}</span>
            </div>
            {b.description.clone().map(|d| view! { <p class="hint">{d}</p> })}
            {details}
            <div class="actions">{buttons}</div>
            {move || message.get().map(|m| view! { <p class="notice notice--success" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        </article>
    }
}
