use benefits_api::benefits::BenefitView;
use benefits_api::operator::AdvanceTo;
use benefits_domain::activation::{self, BenefitState, BenefitStatus, RevocationReason};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::loaded::{loaded, resource, Data};
use crate::locale::{self, text, text::fill};
use crate::pages::operator::OPERATOR;
use crate::ui;

/// The partner's benefits as the operator sees them, each with its state and
/// the operator's actions: the next delivery steps, and revocation with the
/// reason (and an optional note to the partner) the rule asks for.
#[component]
pub fn OperatorBenefits(#[prop(into)] pid: Signal<String>, on_change: Callback<()>) -> impl IntoView {
    let benefits = resource(move || benefits_api::paths::operator_benefits(&pid.get()));
    view! {
        {move || loaded(benefits, crate::tr!(operator_partner.benefits_what), move |list: Vec<BenefitView>| benefits_view(pid.get_untracked(), list, benefits, on_change))}
    }
}

/// Shows `next` at once, then sends `request`: on success the list is reloaded
/// from the server; on failure `previous` comes back with the server's message.
fn optimistic(
    on_change: Callback<()>,
    status: RwSignal<BenefitStatus>,
    pending: RwSignal<bool>,
    error: RwSignal<Option<api::ApiError>>,
    next: Option<BenefitState>,
    request: impl std::future::Future<Output = api::ApiResult<BenefitView>> + 'static,
    resource: Data<Vec<BenefitView>>,
) {
    let previous = status.get_untracked();
    pending.set(true);
    error.set(None);
    if let Some(next) = next {
        status.set(next.status);
    }
    spawn_local(async move {
        match request.await {
            Ok(_) => {
                resource.refetch();
                on_change.run(());
            }
            Err(e) => {
                status.set(previous);
                error.set(Some(e));
            }
        }
        pending.set(false);
    });
}

fn benefits_view(pid: String, list: Vec<BenefitView>, resource: Data<Vec<BenefitView>>, on_change: Callback<()>) -> impl IntoView {
    let today = ui::today();
    let pid = StoredValue::new(pid);
    let rows = list
        .into_iter()
        .filter(|b| b.status != BenefitStatus::Locked)
        .map(|b| {
            let state = StoredValue::new(b.state());
            let status = RwSignal::new(b.status);
            let pending = RwSignal::new(false);
            let error = RwSignal::new(None::<api::ApiError>);
            let actions = activation::available_actions(&state.get_value(), OPERATOR, today);
            let can_revoke = actions.contains(&activation::Action::Revoke);
            let moves = actions
                .into_iter()
                .filter_map(|a| AdvanceTo::for_action(a).map(|to| (a, to)))
                .map(|(a, to)| {
                    let (bid, version) = (b.id.clone(), b.version);
                    view! {
                        <button type="button" class="button button--small button--secondary" disabled=pending
                            on:click=move |_| {
                                let next = activation::advance(&state.get_value(), OPERATOR, to.into(), today).ok();
                                let bid = bid.clone();
                                let request = async move { api::advance(&pid.get_value(), &bid, to, version).await };
                                optimistic(on_change, status, pending, error, next, request, resource);
                            }>{format!("{} · {}", ui::action_label(a), text::benefit_name(locale::current(), &b.id, &b.name))}</button>
                    }
                })
                .collect_view();
            let reason = RwSignal::new(RevocationReason::ALL[0].as_str().to_string());
            let note = RwSignal::new(String::new());
            let reason_id = format!("revoke-reason-{}", b.id);
            let note_id = format!("revoke-note-{}", b.id);
            let (bid, version) = (b.id.clone(), b.version);
            let revoke = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Some(r) = RevocationReason::parse(&reason.get_untracked()) else { return };
                let n = Some(note.get_untracked()).filter(|n| !n.trim().is_empty());
                let next = activation::revoke(&state.get_value(), OPERATOR, r, n.clone(), today).ok();
                let bid = bid.clone();
                let request = async move { api::revoke(&pid.get_value(), &bid, r, n, version).await };
                optimistic(on_change, status, pending, error, next, request, resource);
            };
            let badge = move || {
                let status = status.get();
                let (symbol, label) = ui::status_badge(status);
                view! { <span class=format!("status status--{}", status.as_str())><span aria-hidden="true">{symbol}</span>{label}</span> }
            };
            view! {
                <article class="card benefit-card" data-benefit=b.id.clone()>
                    <div class="benefit-card__head">
                        <h3 class="benefit-card__name">{
                            let (id, name) = (b.id.clone(), b.name.clone());
                            move || text::benefit_name(locale::current(), &id, &name)
                        }</h3>
                        {badge}
                    </div>
                    {b.contact_by.map(|d| view! {
                        <p class:overdue=b.contact_overdue>
                            {fill(crate::trs!(operator_partner.contact_by), &[("date", &ui::date_long(d))])}
                            {b.contact_overdue.then_some(crate::trs!(operator.overdue_suffix))}
                        </p>
                    })}
                    {b.revocation.clone().map(|r| view! {
                        <p>{fill(crate::trs!(operator_partner.revoked), &[("reason", text::revocation_reason(locale::current(), r.reason))])}</p>
                    })}
                    <div class="actions">{moves}</div>
                    {can_revoke.then(|| view! {
                        <details>
                            <summary>{fill(crate::trs!(operator_partner.revoke_summary), &[("name", &text::benefit_name(locale::current(), &b.id, &b.name))])}</summary>
                            <form class="form-grid" on:submit=revoke>
                                <div class="field">
                                    <label for=reason_id.clone()>{crate::tr!(operator_partner.reason)}</label>
                                    <select id=reason_id on:change=move |ev| reason.set(event_target_value(&ev))>
                                        {RevocationReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{text::revocation_reason(locale::current(), *r)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for=note_id.clone()>{crate::tr!(operator_partner.note)}</label>
                                    <input id=note_id type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                                </div>
                                <div class="form-actions"><button type="submit" class="button button--danger" disabled=pending>{crate::tr!(action.revoke)}</button></div>
                            </form>
                        </details>
                    })}
                    {move || error.get().map(|e| view! { <p class="notice notice--error" role="alert">{e.text()}</p> })}
                </article>
            }
        })
        .collect_view();
    view! { <div class="benefit-grid">{rows}</div> }
}
