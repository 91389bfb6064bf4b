use benefits_api::operator::{ActivationPage, ActivationQuery, AdvanceTo, EngagementRef, OperatorView, QueueItem, QueueState};
use benefits_api::paths;
use benefits_domain::activation::{self, BenefitState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::components::{BulkBar, Pager};
use crate::loaded::{loaded, resource, Data};
use crate::locale::{self, text, text::fill};
use crate::pages::operator::OPERATOR;
use crate::ui;

/// The activation queue: engagements being worked on, overdue first, with
/// the days overdue; filtered by state, overdue and engagement manager and
/// paged by the server (counts shown). Each row moves on by itself, or the
/// ticked rows each move to their next state in one action.
#[component]
pub fn ActivationQueue() -> impl IntoView {
    let query = RwSignal::new(ActivationQuery::default());
    let page: Data<ActivationPage> = resource(move || paths::operator_activations(&query.get()));
    let selected = RwSignal::new(Vec::<EngagementRef>::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // How many engagements moved, worded when shown.
    let done = RwSignal::new(None::<usize>);
    let apply = Callback::new(move |_note: String| {
        let items = selected.get_untracked();
        pending.set(true);
        done.set(None);
        spawn_local(async move {
            match api::advance_many(items).await {
                Ok(moved) => {
                    error.set(None);
                    selected.set(Vec::new());
                    done.set(Some(moved.len()));
                    page.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    });
    let count = Signal::derive(move || selected.with(Vec::len));
    view! {
        {filters(query, selected)}
        {move || loaded(page, crate::tr!(operator.queue_what), move |p: ActivationPage| queue_page(p, query, selected, page))}
        <BulkBar id="queue-bulk" selected=count label=crate::tr!(bulk.queue_bar) action=crate::tr!(bulk.move_next) pending error on_apply=apply />
        {move || done.get().map(|n| view! {
            <p class="notice notice--success" role="status" id="queue-done">{move || fill(crate::trs!(bulk.moved), &[("n", &n.to_string())])}</p>
        })}
    }
}

fn filters(query: RwSignal<ActivationQuery>, selected: RwSignal<Vec<EngagementRef>>) -> impl IntoView {
    let operators = resource(|| paths::OPERATORS.to_string());
    let update = move |f: Box<dyn FnOnce(&mut ActivationQuery)>| {
        selected.set(Vec::new());
        query.update(|q| {
            f(q);
            q.offset = None;
        });
    };
    view! {
        <form class="filters" role="search" aria-label=crate::tr!(queue.filter_label) on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="queue-status">{crate::tr!(operator.status)}</label>
                <select id="queue-status" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.status = QueueState::parse(&v))) }>
                    <option value="">{crate::tr!(partners.any)}</option>
                    {QueueState::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || ui::status_badge(s.into()).1}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="queue-manager">{crate::tr!(manager.title)}</label>
                {loaded(operators, crate::tr!(manager.operators_what), move |ops: Vec<OperatorView>| view! {
                    <select id="queue-manager" on:change=move |ev| { let v = event_target_value(&ev); update(Box::new(move |q| q.manager = Some(v).filter(|v| !v.is_empty()))) }>
                        <option value="">{crate::tr!(partners.any)}</option>
                        {ops.into_iter().map(|o| view! { <option value=o.id.clone()>{o.name.clone()}</option> }).collect_view()}
                    </select>
                })}
            </div>
            <div class="field field--check">
                <input id="queue-overdue" type="checkbox"
                    on:change=move |ev| { let on = event_target_checked(&ev); update(Box::new(move |q| q.overdue = on.then_some(true))) } />
                <label for="queue-overdue">{crate::tr!(queue.only_overdue)}</label>
            </div>
        </form>
    }
}

fn queue_page(p: ActivationPage, query: RwSignal<ActivationQuery>, selected: RwSignal<Vec<EngagementRef>>, page: Data<ActivationPage>) -> impl IntoView {
    let (offset, limit, total, shown, overdue) = (p.offset, p.limit, p.total, p.items.len(), p.overdue);
    let go = Callback::new(move |offset: u64| {
        selected.set(Vec::new());
        query.update(|q| q.offset = (offset > 0).then_some(offset));
    });
    let error = RwSignal::new(None::<ApiError>);
    let rows = p.items.into_iter().map(|r| queue_row(r, selected, page, error)).collect_view();
    view! {
        <p class="hint" id="queue-overdue-count">{move || fill(crate::trs!(queue.overdue_count), &[("n", &ui::count(overdue))])}</p>
        {move || error.get().map(|e| view! {
            <div class="notice notice--error" role="alert"><p>{e.text()}</p></div>
        })}
        <div class="table-wrap">
            <table class="table" id="activation-queue">
                <caption class="visually-hidden">{crate::tr!(operator.queue_caption)}</caption>
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(bulk.select)}</span></th>
                    <th scope="col">{crate::tr!(operator.partner)}</th><th scope="col">{crate::tr!(operator.benefit)}</th><th scope="col">{crate::tr!(operator.status)}</th>
                    <th scope="col">{crate::tr!(operator.activated)}</th><th scope="col">{crate::tr!(operator.contact_by)}</th>
                    <th scope="col" class="num">{crate::tr!(queue.days_overdue)}</th><th scope="col">{crate::tr!(operator.contact)}</th>
                    <th scope="col">{crate::tr!(operator.move_to)}</th>
                </tr></thead>
                <tbody>
                    {rows}
                    {(shown == 0).then(|| view! { <tr><td colspan="9">{crate::tr!(operator.nothing)}</td></tr> })}
                </tbody>
            </table>
        </div>
        <Pager id="queue" label=crate::tr!(queue.pages) offset limit total shown on_go=go />
    }
}

fn queue_row(r: QueueItem, selected: RwSignal<Vec<EngagementRef>>, page: Data<ActivationPage>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let today = ui::today();
    let state = BenefitState { status: r.status, activated_on: r.activated_on, contact_by: r.contact_by, ..BenefitState::initial(true) };
    let benefit = text::benefit_name(locale::current(), &r.benefit_id, &r.benefit_name);
    let buttons = activation::available_actions(&state, OPERATOR, today)
        .into_iter()
        .filter_map(|a| AdvanceTo::for_action(a).map(|to| (a, to)))
        .map(|(a, to)| {
            let (pid, bid, version) = (r.partner_id.clone(), r.benefit_id.clone(), r.version);
            let label = fill(crate::trs!(operator.button_label), &[("action", ui::action_label(a)), ("benefit", &benefit), ("partner", &r.partner_name)]);
            view! {
                <button type="button" class="button button--small button--secondary" aria-label=label
                    on:click=move |_| {
                        let (pid, bid) = (pid.clone(), bid.clone());
                        spawn_local(async move {
                            match api::advance(&pid, &bid, to, version).await {
                                Ok(_) => error.set(None),
                                Err(e) => error.set(Some(e)),
                            }
                            page.refetch();
                        });
                    }>
                    {ui::action_label(a)}
                </button>
            }
        })
        .collect_view();
    let key = (r.partner_id.clone(), r.benefit_id.clone());
    let key2 = key.clone();
    let version = r.version;
    let checked = move || selected.with(|v| v.iter().any(|e| (&e.partner_id, &e.benefit_id) == (&key.0, &key.1)));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let (pid, bid) = key2.clone();
        selected.update(|v| {
            v.retain(|e| (&e.partner_id, &e.benefit_id) != (&pid, &bid));
            if on {
                v.push(EngagementRef { partner_id: pid, benefit_id: bid, version });
            }
        });
    };
    let select_label = fill(crate::trs!(bulk.select_engagement), &[("benefit", &benefit), ("partner", &r.partner_name)]);
    let (symbol, label) = ui::status_badge(r.status);
    let contact = r.contact.clone().map(|c| format!("{} · {} · {}", c.name, c.email, c.phone));
    view! {
        <tr data-engagement=format!("{}/{}", r.partner_id, r.benefit_id)>
            <td><input type="checkbox" class="row-check" aria-label=select_label prop:checked=checked on:change=toggle /></td>
            <td><A href=format!("/operator/partners/{}", r.partner_id)>{r.partner_name.clone()}</A></td>
            <td>{benefit.clone()}</td>
            <td><span class=format!("status status--{}", r.status.as_str())><span aria-hidden="true">{symbol}</span>{label}</span></td>
            <td>{r.activated_on.map(ui::date_long).unwrap_or_default()}</td>
            <td class:overdue=r.contact_overdue>
                {r.contact_by.map(ui::date_long).unwrap_or_default()}
                {r.contact_overdue.then_some(crate::trs!(operator.overdue_suffix))}
            </td>
            <td class="num" class:overdue={r.days_overdue > 0}>{(r.days_overdue > 0).then(|| ui::days(i64::from(r.days_overdue)))}</td>
            <td>{contact.unwrap_or_else(|| crate::trs!(operator.no_contact).into())}</td>
            <td><div class="actions">{buttons}</div></td>
        </tr>
    }
}
