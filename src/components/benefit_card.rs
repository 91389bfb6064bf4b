use benefits_domain::activation::{Action, Actor};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::locale::text::{self, fill};
use benefits_api::benefits::BenefitView;
use crate::ui;

/// What a partner's action led to, put into words when shown.
#[derive(Clone, Debug, PartialEq)]
enum Done {
    /// Activated; the Rewards team's contact-by date.
    Activated(Option<NaiveDate>),
    OptedOut,
    /// Offline: queued in the outbox.
    Queued,
}

impl Done {
    fn words(&self) -> String {
        match self {
            Done::Activated(by) => {
                fill(crate::trs!(benefit.activated_msg), &[("date", &by.map(ui::date_long).unwrap_or_default())])
            }
            Done::OptedOut => crate::trs!(benefit.opted_out_msg).to_string(),
            Done::Queued => crate::trs!(benefit.queued_msg).to_string(),
        }
    }
}

fn action_slug(a: Action) -> &'static str {
    match a {
        Action::Activate => "activate",
        Action::OptOut => "opt-out",
        Action::MarkContacted => "mark-contacted",
        Action::MarkInProgress => "mark-in-progress",
        Action::MarkDelivered => "mark-delivered",
        Action::Revoke => "revoke",
        Action::Expire => "record-expiry",
    }
}

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
    // Kept as what happened (not as sentences), so a language switch re-words them.
    let error = RwSignal::new(None::<ApiError>);
    let message = RwSignal::new(None::<Done>);
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
                        Action::Activate => Done::Activated(updated.contact_by),
                        _ => Done::OptedOut,
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
                        message.set(Some(Done::Queued));
                    } else {
                        error.set(Some(e));
                    }
                }
                Err(e) => {
                    benefit.set(previous);
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };

    let b = benefit.get_untracked();
    let kind = b.kind;
    let (benefit_id, name) = (b.id.clone(), b.name.clone());
    let heading_id = format!("benefit-{}", b.id);
    let labelled_by = heading_id.clone();
    let buttons = move || {
        let state = benefit.with(|b| b.state());
        ui::partner_buttons(&state, actor, contact_assigned.get(), today)
            .into_iter()
            .map(|button| {
                let action = button.action;
                // From the action's stable name, not its label (which depends on the language).
                let reason_id = format!("{}-{}-reason", benefit.with_untracked(|b| b.id.clone()), action_slug(action));
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
                {b.activated_on.map(|d| view! { <dt>{crate::tr!(benefit.activated)}</dt><dd>{ui::date_long(d)}</dd> })}
                {b.contact_by.filter(|_| b.status == benefits_domain::activation::BenefitStatus::Activated).map(|d| view! {
                    <dt>{crate::tr!(benefit.contact_by)}</dt>
                    <dd class:overdue=overdue>
                        {ui::date_long(d)}
                        {overdue.then_some(crate::trs!(benefit.overdue))}
                    </dd>
                })}
                {b.expires_on.map(|d| view! { <dt>{crate::tr!(benefit.expires)}</dt><dd>{ui::date_long(d)}</dd> })}
                {b.revocation.clone().map(|r| {
                    let l = crate::locale::current();
                    let reason = text::revocation_reason(l, r.reason);
                    view! {
                        <dt>{crate::tr!(benefit.revoked)}</dt>
                        <dd>
                            {match r.on {
                                Some(on) => fill(crate::trs!(benefit.revoked_on), &[("reason", reason), ("date", &ui::date_long(on))]),
                                None => reason.to_string(),
                            }}
                            {r.note.map(|n| fill(crate::trs!(benefit.note), &[("note", &n)]))}
                        </dd>
                    }
                })}
            </dl>
        }
    };

    view! {
        <article class="card benefit-card" aria-labelledby=labelled_by data-benefit=b.id.clone()>
            <div class="benefit-card__head">
                <h3 class="benefit-card__name" id=heading_id>{move || text::benefit_name(crate::locale::current(), &benefit_id, &name)}</h3>
                <span class="tag">{move || text::benefit_kind(crate::locale::current(), kind)}</span>
            </div>
            {b.description.clone().map(|d| {
                let id = b.id.clone();
                view! { <p class="hint">{move || text::benefit_description(crate::locale::current(), &id, &d)}</p> }
            })}
            {details}
            <div class="actions">{buttons}</div>
            {move || message.get().map(|m| view! { <p class="notice notice--success" role="status"><span aria-hidden="true">"✓ "</span>{m.words()}</p> })}
            {move || error.get().map(|e| view! {
                <p class="notice notice--error" role="alert">{e.text()}</p>
            })}
        </article>
    }
}
