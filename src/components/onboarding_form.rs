use benefits_api::accounts::NewPartner;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::TextField;
use benefits_api::operator::PartnerPage;

use crate::loaded::Data;
use crate::locale::text::fill;

/// Operators onboard a partner organisation and invite its first admin.
#[component]
pub fn OnboardingForm(partners: Data<PartnerPage>) -> impl IntoView {
    let partner_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let account_email = RwSignal::new(String::new());
    let admin_email = RwSignal::new(String::new());
    let admin_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    // The partner onboarded and the address invited, worded when shown.
    let done = RwSignal::new(None::<(String, String)>);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let id = partner_id.get_untracked().trim().to_string();
        if let Err(m) = benefits_domain::account::check_partner_id(&id) {
            error.set(Some(ApiError::local_code("partner_id", "invalid_partner_id", m)));
            return;
        }
        let admin = admin_name.get_untracked().trim().to_string();
        let body = NewPartner {
            partner_id: id,
            name: name.get_untracked().trim().to_string(),
            account_email: account_email.get_untracked().trim().to_string(),
            admin_email: admin_email.get_untracked().trim().to_string(),
            admin_name: (!admin.is_empty()).then_some(admin),
        };
        spawn_local(async move {
            match api::onboard_partner(&body).await {
                Ok(o) => {
                    error.set(None);
                    done.set(Some((o.partner.name, o.invitation.email)));
                    for s in [partner_id, name, account_email, admin_email, admin_name] {
                        s.set(String::new());
                    }
                    partners.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="onboard-title">
            <h2 id="onboard-title" class="card__title">{crate::tr!(onboard.title)}</h2>
            <form class="form-grid" on:submit=submit novalidate=true>
                <TextField id="onboard-id" label=crate::tr!(onboard.id) value=partner_id autocomplete="off" error=field("partner_id")
                    hint=crate::tr!(onboard.id_hint) />
                <TextField id="onboard-name" label=crate::tr!(onboard.name) value=name autocomplete="off" error=field("name") />
                <TextField id="onboard-account-email" label=crate::tr!(onboard.account_email) input_type="email" value=account_email autocomplete="off"
                    error=field("account_email") hint=crate::tr!(onboard.account_email_hint) />
                <TextField id="onboard-admin-email" label=crate::tr!(onboard.admin_email) input_type="email" value=admin_email autocomplete="off"
                    error=field("admin_email") />
                <TextField id="onboard-admin-name" label=crate::tr!(onboard.admin_name) value=admin_name autocomplete="off" error=field("admin_name") />
                <div class="form-actions"><button type="submit" class="button">{crate::tr!(onboard.submit)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
            {move || done.get().map(|(partner, email)| view! {
                <p class="notice notice--success" role="status" id="onboarded">
                    {move || fill(crate::trs!(onboard.done), &[("partner", &partner), ("email", &email)])}
                </p>
            })}
        </section>
    }
}
