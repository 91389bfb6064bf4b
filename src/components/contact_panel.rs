use benefits_domain::contact::{validate_contact, ContactInput, FieldError, UserRef, LANGUAGES};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use benefits_api::contact::ContactView;
use benefits_api::users::UserView;
use crate::components::{SelectField, TextField};
use crate::locale::text::{self, fill};

/// The form's errors by field: the domain's validation first, then the server's.
/// Kept as codes (with the sender's English), put into words when shown.
pub fn field_errors(errors: &[FieldError]) -> Vec<FieldError> {
    errors.to_vec()
}

/// The marketing contact: who it is, and (for admins) the "Assign user" form,
/// validated by the domain's `validate_contact` before anything is sent.
#[component]
pub fn ContactPanel(
    #[prop(into)] partner_id: String,
    #[prop(into)] account_email: String,
    contact: RwSignal<Option<ContactView>>,
    users: Vec<UserView>,
    can_edit: bool,
) -> impl IntoView {
    let user_refs: Vec<UserRef> = users.iter().map(|u| UserRef { id: u.id.clone(), email: u.email.clone() }).collect();
    let users = StoredValue::new(users);
    let user_refs = StoredValue::new(user_refs);
    let account_email = StoredValue::new(account_email);
    let partner_id = StoredValue::new(partner_id);

    let current = contact.get_untracked();
    let user_id = RwSignal::new(current.as_ref().map(|c| c.user_id.clone()).unwrap_or_default());
    let email = RwSignal::new(current.as_ref().map(|c| c.email.clone()).unwrap_or_default());
    let phone = RwSignal::new(current.as_ref().and_then(|c| c.phone.clone()).unwrap_or_default());
    let language = RwSignal::new(current.as_ref().map(|c| c.language.clone()).unwrap_or_else(|| "en".into()));
    let editing = RwSignal::new(current.is_none());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let form_error = RwSignal::new(None::<api::ApiError>);
    let saved = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let l = crate::locale::current();
            errors.with(|e| e.iter().find(|e| e.field == field).map(|e| text::field_error(l, &e.code, &Default::default(), &e.message)))
        })
    };
    let user_options = Signal::derive(move || {
        users.with_value(|u| u.iter().map(|u| (u.id.clone(), format!("{} ({})", u.name, u.email))).collect::<Vec<_>>())
    });
    let language_options = Signal::derive(|| LANGUAGES.iter().map(|(t, n)| (t.to_string(), n.to_string())).collect::<Vec<_>>());

    // Choosing a user proposes their email, which the admin may change.
    Effect::new(move |prev: Option<String>| {
        let id = user_id.get();
        if prev.is_some_and(|p| p != id) {
            if let Some(u) = users.with_value(|u| u.iter().find(|u| u.id == id).cloned()) {
                email.set(u.email);
            }
        }
        id
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        form_error.set(None);
        let input = ContactInput {
            user_id: user_id.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            language: language.get_untracked(),
        };
        let checked = user_refs.with_value(|u| account_email.with_value(|a| validate_contact(&input, u, a)));
        if let Err(e) = checked {
            errors.set(field_errors(&e));
            return;
        }
        errors.set(Vec::new());
        pending.set(true);
        let version = contact.with_untracked(|c| c.as_ref().map(|c| c.version));
        spawn_local(async move {
            match api::put_contact(&partner_id.get_value(), &input, version).await {
                Ok(c) => {
                    let name = users.with_value(|u| u.iter().find(|u| u.id == c.user_id).map(|u| u.name.clone())).unwrap_or_default();
                    contact.set(Some(ContactView {
                        user_id: c.user_id,
                        user_name: name.clone(),
                        email: c.email,
                        phone: Some(c.phone),
                        language: c.language,
                        version: c.version,
                    }));
                    saved.set(Some(name));
                    editing.set(false);
                }
                Err(e) => {
                    let per_field: Vec<FieldError> = e
                        .errors
                        .iter()
                        .filter(|x| x.line.is_none() && !x.field.is_empty())
                        .map(|x| FieldError { field: x.field.clone(), code: x.code.clone().unwrap_or_default(), message: x.message.clone(), params: x.params.clone() })
                        .collect();
                    if per_field.is_empty() {
                        form_error.set(Some(e));
                    } else {
                        errors.set(per_field);
                    }
                }
            }
            pending.set(false);
        });
    };

    let summary = move || match contact.get() {
        Some(c) => view! {
            <dl class="kv" id="contact-summary">
                <dt>{crate::tr!(contact.contact)}</dt><dd>{contact_name(&c)}</dd>
                <dt>{crate::tr!(contact.email)}</dt><dd>{c.email.clone()}</dd>
                <dt>{crate::tr!(contact.phone)}</dt><dd>{c.phone.clone().unwrap_or_else(|| crate::trs!(contact.phone_hidden).into())}</dd>
                <dt>{crate::tr!(contact.language)}</dt>
                <dd>{LANGUAGES.iter().find(|(t, _)| *t == c.language).map(|(_, n)| n.to_string()).unwrap_or(c.language.clone())}</dd>
            </dl>
        }
        .into_any(),
        None => view! {
            <p id="contact-summary" class="notice notice--warning">
                <span aria-hidden="true">"⚠ "</span>
                {crate::tr!(contact.none)}
            </p>
        }
        .into_any(),
    };

    view! {
        <section class="card" aria-labelledby="contact-title">
            <h2 id="contact-title" class="card__title">{crate::tr!(contact.title)}</h2>
            <p class="hint">{crate::tr!(contact.hint)}</p>
            {summary}
            {move || saved.get().map(|name| view! {
                <p class="notice notice--success" role="status">
                    <span aria-hidden="true">"✓ "</span>{move || fill(crate::trs!(contact.saved), &[("name", &name)])}
                </p>
            })}
            {move || (can_edit && !editing.get()).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| editing.set(true)>{crate::tr!(contact.change)}</button>
            })}
            {move || (can_edit && editing.get()).then(|| view! {
                <form class="form-grid" on:submit=submit novalidate=true aria-label=crate::tr!(contact.form)>
                    <SelectField id="contact-user" label=crate::tr!(contact.user) value=user_id options=user_options
                        placeholder=crate::tr!(contact.choose_user) error=error_for("user_id") />
                    <TextField id="contact-email" label=crate::tr!(contact.contact_email) input_type="email" autocomplete="email" value=email error=error_for("email") />
                    <TextField id="contact-phone" label=crate::tr!(contact.phone) input_type="tel" autocomplete="tel" value=phone
                        hint=crate::tr!(contact.phone_hint) error=error_for("phone") />
                    <SelectField id="contact-language" label=crate::tr!(contact.preferred_language) value=language options=language_options error=error_for("language") />
                    <div class="form-actions">
                        <button type="submit" class="button" id="contact-save" disabled=move || pending.get()>
                            {move || if pending.get() { crate::trs!(contact.assigning) } else { crate::trs!(contact.assign) }}
                        </button>
                        {move || contact.with(Option::is_some).then(|| view! {
                            <button type="button" class="button button--ghost" on:click=move |_| { editing.set(false); errors.set(Vec::new()); }>{crate::tr!(contact.cancel)}</button>
                        })}
                    </div>
                    {move || form_error.get().map(|e| view! {
                        <p class="field__error" role="alert">{e.text()}</p>
                    })}
                </form>
            })}
            {(!can_edit).then(|| view! { <p class="hint">{crate::tr!(contact.admins_only)}</p> })}
        </section>
    }
}

/// The contact's name; the offline copy keeps no personal data (an empty
/// `user_id`), so there it says the contact is assigned, in the user's language.
fn contact_name(c: &ContactView) -> String {
    if c.user_id.is_empty() {
        crate::trs!(offline.contact_offline).to_string()
    } else {
        c.user_name.clone()
    }
}
