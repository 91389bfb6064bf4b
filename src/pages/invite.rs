use benefits_api::accounts::{AcceptInvitation, InvitationPreview};
use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading, TextField};
use crate::locale::text::fill;
use crate::session::{home_path, use_session};

/// An invitation link (`/invite/<token>`): the invitee chooses a name and a
/// password, and is signed in.
#[component]
pub fn Invite() -> impl IntoView {
    crate::set_title(crate::tr!(invite.title));
    let token = crate::routes::current().token().unwrap_or_default().to_string();
    let token = Memo::new(move |_| token.clone());
    let preview = crate::loaded::Data::new(move || {
        let token = token.get();
        async move { api::invitation(&token).await }
    });
    view! {
        <section class="page page--narrow">
            <h1>{crate::tr!(invite.title)}</h1>
            <Transition fallback=|| view! { <Loading what=crate::tr!(invite.what) /> }>
                {move || preview.get().map(|r| match r {
                    Ok(p) => accept_form(token.get_untracked(), p).into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

fn place(p: &InvitationPreview) -> String {
    let role = match p.role {
        Role::Admin => crate::trs!(invite.as_admin),
        Role::Member => crate::trs!(invite.as_member),
        Role::Operator => crate::trs!(invite.as_operator),
    };
    match &p.organisation {
        Some(org) => fill(crate::trs!(invite.place), &[("org", org), ("role", role)]),
        None => crate::trs!(invite.place_operator).to_string(),
    }
}

fn accept_form(token: String, p: InvitationPreview) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let token = StoredValue::new(token);
    let email = StoredValue::new(p.email.clone());
    let name = RwSignal::new(p.name.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let field = move |f: &'static str| Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f))));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body = AcceptInvitation { name: name.get_untracked().trim().to_string(), password: password.get_untracked() };
        if let Err(e) = benefits_domain::password::check(&body.password, &email.get_value()) {
            error.set(Some(ApiError::local_code("password", e.code(), e.to_string())));
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::accept_invitation(&token.get_value(), &body).await {
                Ok(info) => {
                    // The new account starts the app afresh at its home page (a
                    // full load: nothing of the signed-out page carries over).
                    // In-app navigation from here met a disposed signal in the
                    // invitation page (see docs/LOAD.md, "Over the wire").
                    let target = home_path(&info);
                    session.signed_in(info);
                    if web_sys::window().and_then(|w| w.location().assign(&target).ok()).is_none() {
                        navigate(&target, Default::default());
                    }
                    return;
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <p id="invite-place">{let p = p.clone(); move || place(&p)}</p>
        <form class="card form-stack" on:submit=submit novalidate=true>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                <div class="notice notice--error" role="alert"><p>{move || e.text()}</p></div>
            })}
            <p>{crate::tr!(invite.your_email)}" " <strong id="invite-email">{p.email.clone()}</strong></p>
            <TextField id="invite-name" label=crate::tr!(invite.name) autocomplete="name" value=name required=true error=field("name") />
            <TextField id="invite-password" label=crate::tr!(invite.password) input_type="password" autocomplete="new-password" value=password
                required=true error=field("password")
                hint=crate::tr!(invite.password_hint) />
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { crate::trs!(invite.joining) } else { crate::trs!(invite.join) }}
                </button>
            </div>
        </form>
    }
}
