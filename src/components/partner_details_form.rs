use benefits_api::accounts::PartnerPatch;
use benefits_api::session::PartnerInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource};
use crate::locale::text::fill;

/// Operators correct a partner's name and account email (the server audits
/// each change with before and after).
#[component]
pub fn PartnerDetailsForm(pid: Memo<String>) -> impl IntoView {
    let partner = resource(move || benefits_api::paths::operator_partner(&pid.get()));
    view! {
        <section class="card" aria-labelledby="partner-details-title">
            <h2 id="partner-details-title" class="card__title">{crate::tr!(invitations.details_title)}</h2>
            {loaded(partner, crate::tr!(invitations.details_what), details_form)}
        </section>
    }
}

fn details_form(info: PartnerInfo) -> impl IntoView {
    let name = RwSignal::new(info.name.clone());
    let account_email = RwSignal::new(info.account_email.clone());
    let saved = RwSignal::new(info);
    let error = RwSignal::new(None::<ApiError>);
    // What the last save did (`None` inside: nothing had changed), worded when shown.
    let done = RwSignal::new(None::<Option<PartnerInfo>>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let before = saved.get_untracked();
        let (new_name, new_email) = (name.get_untracked().trim().to_string(), account_email.get_untracked().trim().to_string());
        // Only what changed is sent, so the audit log shows just that.
        let patch = PartnerPatch {
            name: (new_name != before.name).then_some(new_name),
            account_email: (new_email != before.account_email).then_some(new_email),
        };
        if patch == PartnerPatch::default() {
            done.set(Some(None));
            return;
        }
        spawn_local(async move {
            match api::edit_partner(&before.id, &patch).await {
                Ok(after) => {
                    error.set(None);
                    done.set(Some(Some(after.clone())));
                    saved.set(after);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form-grid" on:submit=submit novalidate=true>
            <TextField id="partner-name" label=crate::tr!(onboard.name) value=name autocomplete="off" error=field("name") />
            <TextField id="partner-account-email" label=crate::tr!(onboard.account_email) input_type="email" value=account_email autocomplete="off"
                error=field("account_email") hint=crate::tr!(onboard.account_email_hint) />
            <div class="form-actions"><button type="submit" class="button">{crate::tr!(invitations.save_details)}</button></div>
        </form>
        {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
        {move || done.get().map(|after| view! {
            <p class="notice notice--success" role="status" data-testid="partner-saved">{move || match &after {
                Some(a) => fill(crate::trs!(invitations.saved), &[("name", &a.name), ("email", &a.account_email)]),
                None => crate::trs!(invitations.unchanged).to_string(),
            }}</p>
        })}
    }
}
