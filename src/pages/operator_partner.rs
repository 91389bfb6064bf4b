use benefits_domain::activation::{self, RevocationReason};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, BenefitView, Sale};
use crate::loaded::{loaded, partner_id, resource, Raw};
use crate::pages::operator::{advance_target, OPERATOR};
use crate::ui;

/// One partner seen by the operator: sales with fraud flags, and benefits to move on or revoke.
#[component]
pub fn OperatorPartner() -> impl IntoView {
    crate::set_title("Partner · Operator console");
    let pid = partner_id();
    let sales = resource(move || api::operator_sales_url(&pid.get()));
    let benefits = resource(move || api::operator_benefits_url(&pid.get()));
    view! {
        <section class="page">
            <p><A href="/operator">"← Operator console"</A></p>
            <h1>{move || format!("Partner {}", pid.get())}</h1>
            <h2>"Benefits"</h2>
            {move || loaded(benefits, "benefits", move |list: Vec<BenefitView>| benefits_view(pid.get_untracked(), list, benefits))}
            <h2>"Sales lines"</h2>
            <p class="hint">"Flag a line as fraudulent to remove it before tiering; the partner's tier is recomputed."</p>
            {loaded(sales, "sales", move |list: Vec<Sale>| sales_table(list, sales))}
        </section>
    }
}

fn benefits_view(pid: String, list: Vec<BenefitView>, resource: Raw) -> impl IntoView {
    let today = ui::today();
    let error = RwSignal::new(None::<String>);
    let pid = StoredValue::new(pid);
    let rows = list
        .into_iter()
        .filter(|b| b.status != activation::BenefitStatus::Locked)
        .map(|b| {
            let state = b.state();
            let actions = activation::available_actions(&state, OPERATOR, today);
            let can_revoke = actions.contains(&activation::Action::Revoke);
            let moves = actions
                .into_iter()
                .filter_map(|a| advance_target(a).map(|to| (a, to)))
                .map(|(a, to)| {
                    let (bid, version) = (b.id.clone(), b.version);
                    view! {
                        <button type="button" class="button button--small button--secondary"
                            on:click=move |_| {
                                let bid = bid.clone();
                                spawn_local(async move {
                                    match api::advance(&pid.get_value(), &bid, to, version).await {
                                        Ok(_) => error.set(None),
                                        Err(e) => error.set(Some(e.message)),
                                    }
                                    resource.refetch();
                                });
                            }>{format!("{} · {}", ui::action_label(a), b.name)}</button>
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
                let bid = bid.clone();
                spawn_local(async move {
                    match api::revoke(&pid.get_value(), &bid, r, n, version).await {
                        Ok(_) => error.set(None),
                        Err(e) => error.set(Some(e.message)),
                    }
                    resource.refetch();
                });
            };
            let (symbol, label) = ui::status_badge(b.status);
            view! {
                <article class="card benefit-card">
                    <div class="benefit-card__head">
                        <h3 class="benefit-card__name">{b.name.clone()}</h3>
                        <span class=format!("status status--{}", b.status.as_str())><span aria-hidden="true">{symbol}</span>{label}</span>
                    </div>
                    {b.contact_by.map(|d| view! { <p class:overdue=b.contact_overdue>{format!("Contact by {}{}", ui::date_long(d), if b.contact_overdue { " — overdue" } else { "" })}</p> })}
                    {b.revocation.clone().map(|r| view! { <p>{format!("Revoked: {}", r.reason_text)}</p> })}
                    <div class="actions">{moves}</div>
                    {can_revoke.then(|| view! {
                        <details>
                            <summary>{format!("Revoke {}", b.name)}</summary>
                            <form class="form-grid" on:submit=revoke>
                                <div class="field">
                                    <label for=reason_id.clone()>"Reason"</label>
                                    <select id=reason_id on:change=move |ev| reason.set(event_target_value(&ev))>
                                        {RevocationReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.describe()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for=note_id.clone()>"Note to the partner (optional)"</label>
                                    <input id=note_id type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                                </div>
                                <div class="form-actions"><button type="submit" class="button button--danger">"Revoke"</button></div>
                            </form>
                        </details>
                    })}
                </article>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="benefit-grid">{rows}</div>
    }
}

fn sales_table(list: Vec<Sale>, resource: Raw) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let empty = list.is_empty();
    let rows = list
        .into_iter()
        .map(|s| {
            let id = format!("fraud-{}", s.id);
            let (sid, version, fraud) = (s.id.clone(), s.version, s.fraud);
            view! {
                <tr class:is-excluded=s.fraud>
                    <td>{s.date.to_string()}</td>
                    <td>{s.external_id.clone()}</td>
                    <td>{s.offer_id.clone()}</td>
                    <td class="num">{ui::usd(s.amount_usd)}</td>
                    <td>{s.effective_status.describe()}</td>
                    <td>
                        <input type="checkbox" id=id.clone() prop:checked=fraud
                            on:change=move |_| {
                                let sid = sid.clone();
                                spawn_local(async move {
                                    match api::set_fraud(&sid, !fraud, version).await {
                                        Ok(_) => error.set(None),
                                        Err(e) => error.set(Some(e.message)),
                                    }
                                    resource.refetch();
                                });
                            } />
                        <label for=id>{format!(" Fraudulent ({})", s.external_id)}</label>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="table-wrap">
            <table class="table" id="operator-sales">
                <caption class="visually-hidden">"Sales lines of this partner"</caption>
                <thead><tr>
                    <th scope="col">"Date"</th><th scope="col">"External ID"</th><th scope="col">"Offer"</th>
                    <th scope="col" class="num">"Amount"</th><th scope="col">"Counts as"</th><th scope="col">"Fraud flag"</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="6">"No sales lines."</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
