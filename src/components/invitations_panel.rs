use benefits_api::accounts::{InvitationView, OperatorInvitation, OperatorRole, PartnerInvitation};
use benefits_domain::activation::Role;
use benefits_domain::user::PartnerRole;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, InvitationScope};
use crate::components::{SelectField, TextField};
use crate::loaded::{loaded, resource, Data};
use crate::locale::text::fill;
use crate::locale::Words;
use crate::ui;

/// Invite people by email (a partner's admins and members, or operators) and
/// follow the pending invitations: resend a fresh link or revoke one.
/// `prefix` keeps element ids unique when a page shows more than one panel.
#[component]
pub fn InvitationsPanel(scope: InvitationScope, prefix: &'static str) -> impl IntoView {
    let scope = StoredValue::new(scope);
    let pending = resource(move || scope.with_value(InvitationScope::list_url));
    // Outside the table, which is rebuilt after every change: the message stays.
    let (error, done) = (RwSignal::new(None::<ApiError>), RwSignal::new(None::<Words>));
    view! {
        {invite_form(scope, prefix, pending)}
        <h3>{crate::tr!(invitations.pending_title)}</h3>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div> })}
        {move || done.get().map(|m| view! { <p class="notice notice--success" role="status">{move || m.text()}</p> })}
        {loaded(pending, crate::tr!(settings.invitations_what), move |list: Vec<InvitationView>| pending_table(scope, prefix, list, pending, (error, done)))}
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => crate::trs!(settings.admin),
        Role::Member => crate::trs!(settings.member),
        Role::Operator => crate::trs!(invitations.operator),
    }
}

async fn send_invitation(scope: &InvitationScope, email: String, role: &str, name: Option<String>) -> api::ApiResult<InvitationView> {
    match scope {
        InvitationScope::ProgramTeam => api::invite_operator(&OperatorInvitation { email, role: OperatorRole::Operator, name }).await,
        partner => {
            let role = PartnerRole::parse(role).unwrap_or(PartnerRole::Member);
            api::invite(partner, &PartnerInvitation { email, role, name }).await
        }
    }
}

fn invite_form(scope: StoredValue<InvitationScope>, prefix: &'static str, pending: Data<Vec<InvitationView>>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("member".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<Words>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let trimmed = name.get_untracked().trim().to_string();
        let (address, chosen) = (email.get_untracked().trim().to_string(), role.get_untracked());
        spawn_local(async move {
            let scope = scope.get_value();
            match send_invitation(&scope, address, &chosen, (!trimmed.is_empty()).then_some(trimmed)).await {
                Ok(inv) => {
                    error.set(None);
                    done.set(Some(Words::new(move || fill(crate::trs!(settings.invite_sent), &[("email", &inv.email)]))));
                    email.set(String::new());
                    name.set(String::new());
                    pending.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let for_partner = scope.with_value(|s| *s != InvitationScope::ProgramTeam);
    let title = move || if for_partner { crate::trs!(invitations.partner_title) } else { crate::trs!(invitations.operator_title) };
    let heading_id = format!("{prefix}-title");
    let roles = Signal::derive(|| vec![("admin".to_string(), crate::trs!(settings.admin).to_string()), ("member".to_string(), crate::trs!(settings.member).to_string())]);
    view! {
        <section class="card" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone() class="card__title">{title}</h3>
            <p>{crate::tr!(settings.invite_text)}</p>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id=format!("{prefix}-email") label=crate::tr!(settings.email) input_type="email" autocomplete="off" value=email error=field("email") />
                <TextField id=format!("{prefix}-name") label=crate::tr!(settings.name_optional) value=name autocomplete="off" error=field("name") />
                {for_partner.then(|| view! { <SelectField id=format!("{prefix}-role") label=crate::tr!(settings.role) value=role options=roles error=field("role") /> })}
                <div class="form-actions"><button type="submit" class="button">{crate::tr!(settings.send_invitation)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
            {move || done.get().map(|m| view! { <p class="notice notice--success" role="status" data-testid=format!("{prefix}-sent")>{move || m.text()}</p> })}
        </section>
    }
}

/// `(error, done)`: where the outcome of a resend or revoke is shown.
type Outcome = (RwSignal<Option<ApiError>>, RwSignal<Option<Words>>);

fn pending_table(
    scope: StoredValue<InvitationScope>,
    prefix: &'static str,
    list: Vec<InvitationView>,
    resource: Data<Vec<InvitationView>>,
    (error, done): Outcome,
) -> AnyView {
    if list.is_empty() {
        return view! { <p data-testid=format!("{prefix}-none")>{crate::tr!(settings.no_invitations)}</p> }.into_any();
    }
    let rows = list
        .into_iter()
        .map(|inv| {
            let act = move |iid: String, address: String, revoke: bool| {
                spawn_local(async move {
                    let scope = scope.get_value();
                    let result = if revoke {
                        api::revoke_invitation(&scope, &iid).await.map(|()| Words::new(move || fill(crate::trs!(invitations.revoked), &[("email", &address)])))
                    } else {
                        api::resend_invitation(&scope, &iid).await.map(|_| Words::new(move || fill(crate::trs!(invitations.resent), &[("email", &address)])))
                    };
                    match result {
                        Ok(message) => {
                            error.set(None);
                            done.set(Some(message));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    resource.refetch();
                });
            };
            let expires = chrono::DateTime::from_timestamp(inv.expires_unix, 0).map(|t| t.date_naive());
            let (resend_id, revoke_id, email) = (inv.id.clone(), inv.id.clone(), inv.email.clone());
            let (resend_to, revoke_to) = (email.clone(), email.clone());
            let (resend_label, revoke_label) = (email.clone(), email.clone());
            let role = inv.role;
            view! {
                <tr>
                    <th scope="row">{email.clone()}</th>
                    <td>{inv.name.clone().unwrap_or_default()}</td>
                    <td>{move || role_label(role)}</td>
                    <td>{move || expires.map(ui::date_long).unwrap_or_default()}</td>
                    <td>
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(resend_id.clone(), resend_to.clone(), false)>
                            {move || fill(crate::trs!(settings.resend), &[("email", &resend_label)])}
                        </button>
                        " "
                        <button type="button" class="button button--small button--ghost" on:click=move |_| act(revoke_id.clone(), revoke_to.clone(), true)>
                            {move || fill(crate::trs!(settings.revoke), &[("email", &revoke_label)])}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid=format!("{prefix}-pending")>
                <caption class="visually-hidden">{crate::tr!(settings.invitations_caption)}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(settings.email)}</th><th scope="col">{crate::tr!(settings.name)}</th>
                    <th scope="col">{crate::tr!(settings.role)}</th><th scope="col">{crate::tr!(settings.link_expires)}</th>
                    <th scope="col"><span class="visually-hidden">{crate::tr!(settings.actions)}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
