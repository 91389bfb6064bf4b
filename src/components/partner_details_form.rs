use benefits_api::accounts::PartnerPatch;
use benefits_api::session::PartnerInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource};

/// Operators correct a partner's name and account email (the server audits
/// each change with before and after).
#[component]
pub fn PartnerDetailsForm(pid: Memo<String>) -> impl IntoView {
    let partner = resource(move || benefits_api::paths::operator_partner(&pid.get()));
    view! {
        <section class="card" aria-labelledby="partner-details-title">
            <h2 id="partner-details-title" class="card__title">"Partner details"</h2>
            {loaded(partner, "the partner's details", details_form)}
        </section>
    }
}

fn details_form(info: PartnerInfo) -> impl IntoView {
    let name = RwSignal::new(info.name.clone());
    let account_email = RwSignal::new(info.account_email.clone());
    let saved = RwSignal::new(info);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
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
            done.set(Some("Nothing to save: the details are unchanged.".into()));
            return;
        }
        spawn_local(async move {
            match api::edit_partner(&before.id, &patch).await {
                Ok(after) => {
                    error.set(None);
                    done.set(Some(format!("Saved: {} · {}", after.name, after.account_email)));
                    saved.set(after);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form-grid" on:submit=submit novalidate=true>
            <TextField id="partner-name" label="Company name" value=name autocomplete="off" error=field("name") />
            <TextField id="partner-account-email" label="Account email" input_type="email" value=account_email autocomplete="off"
                error=field("account_email") hint="The organisation's own address for the program" />
            <div class="form-actions"><button type="submit" class="button">"Save partner details"</button></div>
        </form>
        {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{e.message}</p> })}
        {move || done.get().map(|m| view! { <p class="notice notice--success" role="status" data-testid="partner-saved">{m}</p> })}
    }
}
