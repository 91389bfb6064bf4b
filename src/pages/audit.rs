use benefits_api::operator::{AuditEntry, AuditPage, AuditQuery};
use benefits_api::paths;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::loaded::{loaded, resource};

/// The audit trail: who changed what, when, before and after. Operators see
/// every entry (`/operator/audit`), a partner's admins their own
/// (`/partners/:pid/audit`). Filters and pages are the server's; the export
/// has the filtered trail as CSV.
#[component]
pub fn Audit() -> impl IntoView {
    // `/partners/:pid/audit`, or every partner's at `/operator/audit`.
    let pid = crate::routes::current().partner_id().map(str::to_string);
    let pid = Memo::new(move |_| pid.clone());
    crate::set_title(crate::tr!(nav.audit));
    // `?partner_id=` (the link from a partner's 360 page) starts filtered.
    let linked = use_query_map().with_untracked(|q| q.get("partner_id")).filter(|p| !p.is_empty());
    let query = RwSignal::new(AuditQuery { partner_id: linked.clone(), ..AuditQuery::default() });
    // The cursors of the newer pages, to go back to them.
    let newer = RwSignal::new(Vec::<Option<i64>>::new());
    let url = move |csv: bool| {
        let q = query.get();
        match pid.get() {
            Some(pid) => paths::partner_audit(&pid, &q, csv),
            None => paths::operator_audit(&q, csv),
        }
    };
    let page = resource(move || url(false));

    let partner = RwSignal::new(linked.unwrap_or_default());
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty());
        let day = |s: RwSignal<String>| NaiveDate::parse_from_str(s.get_untracked().trim(), "%Y-%m-%d").ok();
        newer.set(Vec::new());
        query.set(AuditQuery {
            partner_id: text(partner),
            actor: text(actor),
            action: text(action),
            from: day(from),
            to: day(to),
            before: None,
            limit: None,
        });
    };
    let older = move |cursor: i64| {
        newer.update(|n| n.push(query.get_untracked().before));
        query.update(|q| q.before = Some(cursor));
    };
    let back = move |_| {
        let previous = newer.try_update(|n| n.pop()).flatten().flatten();
        query.update(|q| q.before = previous);
    };
    view! {
        <section class="page">
            <h1>{crate::tr!(nav.audit)}</h1>
            <p class="hint">{crate::tr!(audit.lead)}</p>
            <form class="filters" role="search" aria-label=crate::tr!(audit.filter_label) on:submit=apply>
                {move || pid.get().is_none().then(|| view! {
                    <div class="field">
                        <label for="audit-partner">{crate::tr!(onboard.id)}</label>
                        <input id="audit-partner" type="text" autocomplete="off" bind:value=partner />
                    </div>
                })}
                <div class="field">
                    <label for="audit-actor">{crate::tr!(audit.actor)}</label>
                    <input id="audit-actor" type="text" autocomplete="off" bind:value=actor />
                </div>
                <div class="field">
                    <label for="audit-action">{crate::tr!(audit.action)}</label>
                    <input id="audit-action" type="text" list="audit-actions" autocomplete="off" bind:value=action />
                    <datalist id="audit-actions">
                        {["benefit", "benefit.activate", "benefit.revoke", "partner", "partner.update", "partner.engagement_manager", "user", "contact", "sale", "offer", "catalog.publish", "feed"]
                            .into_iter().map(|a| view! { <option value=a></option> }).collect_view()}
                    </datalist>
                </div>
                <div class="field">
                    <label for="audit-from">{crate::tr!(audit.from)}</label>
                    <input id="audit-from" type="date" bind:value=from />
                </div>
                <div class="field">
                    <label for="audit-to">{crate::tr!(audit.to)}</label>
                    <input id="audit-to" type="date" bind:value=to />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" id="audit-apply">{crate::tr!(audit.filter)}</button>
                    <a class="button button--secondary" id="audit-export" href=move || url(true) download="">{crate::tr!(audit.export)}</a>
                </div>
            </form>
            {loaded(page, crate::tr!(audit.what), move |p: AuditPage| {
                let has_newer = !newer.with_untracked(Vec::is_empty);
                let next = p.next_before;
                view! {
                    {entries_table(p.items, pid.get_untracked().is_none())}
                    <nav class="pager" aria-label=crate::tr!(audit.pages)>
                        <button type="button" class="button button--secondary" id="audit-newer" disabled=!has_newer on:click=back>{crate::tr!(audit.newer)}</button>
                        <button type="button" class="button button--secondary" id="audit-older" disabled=next.is_none()
                            on:click=move |_| { if let Some(c) = next { older(c) } }>{crate::tr!(audit.older)}</button>
                    </nav>
                }
            })}
        </section>
    }
}

fn entries_table(items: Vec<AuditEntry>, show_partner: bool) -> impl IntoView {
    if items.is_empty() {
        return view! { <p id="audit-empty" role="status">{crate::tr!(audit.empty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(audit.entries)>
            <table class="table" id="audit-entries">
                <caption class="visually-hidden">{crate::tr!(audit.caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(audit.when)}</th><th scope="col">{crate::tr!(audit.who)}</th>
                    {show_partner.then(|| view! { <th scope="col">{crate::tr!(operator.partner)}</th> })}
                    <th scope="col">{crate::tr!(audit.action)}</th><th scope="col">{crate::tr!(audit.what_col)}</th><th scope="col">{crate::tr!(audit.changes)}</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|e| {
                        let changes = e.changes();
                        let who = e.actor.as_ref().map(|a| a.email.clone().unwrap_or_else(|| a.id.clone()));
                        let who = move || who.clone().unwrap_or_else(|| crate::trs!(audit.system).into());
                        view! {
                            <tr data-audit-id=e.id>
                                <td>{e.at.replace('T', " ").trim_end_matches('Z').to_string()}</td>
                                <td>{who}</td>
                                {show_partner.then(|| view! { <td>{e.partner_id.clone().unwrap_or_default()}</td> })}
                                <td><code>{e.action.clone()}</code></td>
                                <td>{e.target.clone()}</td>
                                <td>
                                    <ul class="changes">
                                        {changes.into_iter().map(|c| view! {
                                            <li>
                                                <span class="changes__field">{c.field}</span>": "
                                                {c.before.map(|b| view! { <del>{b}</del> })}
                                                " → "
                                                {c.after.map(|a| view! { <ins>{a}</ins> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
