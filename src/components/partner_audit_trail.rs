use benefits_api::operator::{AuditPage, AuditQuery};
use benefits_api::paths;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::loaded::{loaded, resource};
use crate::locale::text::fill;

/// How many entries the partner's page shows; the rest is one link away.
const LATEST: u32 = 10;

/// The latest entries of the partner's audit trail (who, when, what), with a
/// link to the whole trail filtered to this partner.
#[component]
pub fn PartnerAuditTrail(#[prop(into)] pid: Signal<String>) -> impl IntoView {
    let page = resource(move || paths::operator_audit(&AuditQuery { partner_id: Some(pid.get()), limit: Some(LATEST), ..AuditQuery::default() }, false));
    view! {
        {loaded(page, crate::tr!(audit.what), move |p: AuditPage| {
            if p.items.is_empty() {
                return view! { <p>{crate::tr!(audit.empty)}</p> }.into_any();
            }
            view! {
                <ul class="audit-latest" id="partner-audit">
                    {p.items.into_iter().map(|e| {
                        let who = e.actor.as_ref().map(|a| a.email.clone().unwrap_or_else(|| a.id.clone()));
                        let who = move || who.clone().unwrap_or_else(|| crate::trs!(audit.system).into());
                        let at = e.at.replace('T', " ").trim_end_matches('Z').to_string();
                        view! { <li><time datetime=e.at.clone()>{at}</time>" · "{who}" · "<code>{e.action.clone()}</code>" · "{e.target.clone()}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })}
        <p><A href=move || format!("/operator/audit?partner_id={}", paths::encode(&pid.get()))>
            {move || fill(crate::trs!(partner360.whole_trail), &[("n", &LATEST.to_string())])}
        </A></p>
    }
}
