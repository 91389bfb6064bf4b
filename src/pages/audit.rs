use benefits_api::operator::{AuditEntry, AuditPage, AuditQuery};
use benefits_api::paths;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::loaded::{loaded, resource};

/// The audit trail: who changed what, when, before and after. Operators see
/// every entry (`/operator/audit`), a partner's admins their own
/// (`/partners/:pid/audit`). Filters and pages are the server's; the export
/// has the filtered trail as CSV.
#[component]
pub fn Audit() -> impl IntoView {
    let params = use_params_map();
    let pid = Memo::new(move |_| params.read().get("pid"));
    crate::set_title("Audit trail");
    let query = RwSignal::new(AuditQuery::default());
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

    let partner = RwSignal::new(String::new());
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
            <h1>"Audit trail"</h1>
            <p class="hint">"Every change to the program's data: who made it, when, and each field before and after. Newest first."</p>
            <form class="filters" role="search" aria-label="Filter the audit trail" on:submit=apply>
                {move || pid.get().is_none().then(|| view! {
                    <div class="field">
                        <label for="audit-partner">"Partner ID"</label>
                        <input id="audit-partner" type="text" autocomplete="off" bind:value=partner />
                    </div>
                })}
                <div class="field">
                    <label for="audit-actor">"Who (email or user ID)"</label>
                    <input id="audit-actor" type="text" autocomplete="off" bind:value=actor />
                </div>
                <div class="field">
                    <label for="audit-action">"Action"</label>
                    <input id="audit-action" type="text" list="audit-actions" autocomplete="off" bind:value=action />
                    <datalist id="audit-actions">
                        {["benefit", "benefit.activate", "benefit.revoke", "partner", "partner.update", "partner.engagement_manager", "user", "contact", "sale", "offer", "catalog.publish", "feed"]
                            .into_iter().map(|a| view! { <option value=a></option> }).collect_view()}
                    </datalist>
                </div>
                <div class="field">
                    <label for="audit-from">"From"</label>
                    <input id="audit-from" type="date" bind:value=from />
                </div>
                <div class="field">
                    <label for="audit-to">"To"</label>
                    <input id="audit-to" type="date" bind:value=to />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" id="audit-apply">"Filter"</button>
                    <a class="button button--secondary" id="audit-export" href=move || url(true) download="">"Export CSV"</a>
                </div>
            </form>
            {loaded(page, "the audit trail", move |p: AuditPage| {
                let has_newer = !newer.with_untracked(Vec::is_empty);
                let next = p.next_before;
                view! {
                    {entries_table(p.items, pid.get_untracked().is_none())}
                    <nav class="pager" aria-label="Audit pages">
                        <button type="button" class="button button--secondary" id="audit-newer" disabled=!has_newer on:click=back>"Newer entries"</button>
                        <button type="button" class="button button--secondary" id="audit-older" disabled=next.is_none()
                            on:click=move |_| { if let Some(c) = next { older(c) } }>"Older entries"</button>
                    </nav>
                }
            })}
        </section>
    }
}

fn entries_table(items: Vec<AuditEntry>, show_partner: bool) -> impl IntoView {
    if items.is_empty() {
        return view! { <p id="audit-empty" role="status">"No entry matches."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Audit entries">
            <table class="table" id="audit-entries">
                <caption class="visually-hidden">"Audit entries, newest first"</caption>
                <thead><tr>
                    <th scope="col">"When (UTC)"</th><th scope="col">"Who"</th>
                    {show_partner.then(|| view! { <th scope="col">"Partner"</th> })}
                    <th scope="col">"Action"</th><th scope="col">"What"</th><th scope="col">"Changes"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|e| {
                        let changes = e.changes();
                        let who = e.actor.as_ref().map(|a| a.email.clone().unwrap_or_else(|| a.id.clone())).unwrap_or_else(|| "The program (system)".into());
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
