//! Who is signed in, shared by every page through the reactive context.

use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, SessionInfo};

/// The session as the UI knows it. `checked` turns true once the server has answered.
#[derive(Clone, Copy)]
pub struct Session {
    pub info: RwSignal<Option<SessionInfo>>,
    pub checked: RwSignal<bool>,
}

impl Session {
    pub fn role(&self) -> Option<Role> {
        self.info.with(|i| i.as_ref().map(|i| i.user.role))
    }

    /// The signed-in user's partner id (`None` for operators and visitors).
    pub fn partner_id(&self) -> Option<String> {
        self.info.with(|i| i.as_ref().and_then(|i| i.partner.as_ref().map(|p| p.id.clone())))
    }

    pub fn signed_in(&self, info: SessionInfo) {
        crate::offline::remember(&info);
        crate::locale::signed_in(info.user.language);
        api::set_csrf_token(Some(info.csrf_token.clone()));
        set_hint(true);
        self.info.set(Some(info));
        self.checked.set(true);
    }

    pub fn signed_out(&self) {
        api::set_csrf_token(None);
        set_hint(false);
        self.info.set(None);
        self.checked.set(true);
    }
}

/// The key of a flag (no secret: the session itself is an HttpOnly cookie)
/// telling whether this browser signed in, so that visitors who never did are
/// not sent to the server for a session that cannot exist.
const HINT_KEY: &str = "benefits.signed_in";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn set_hint(on: bool) {
    if let Some(s) = storage() {
        let _ = if on { s.set_item(HINT_KEY, "1") } else { s.remove_item(HINT_KEY) };
    }
}

fn has_hint() -> bool {
    storage().and_then(|s| s.get_item(HINT_KEY).ok().flatten()).is_some()
}

/// Provides the session and, if this browser signed in before, asks the
/// server whether the session cookie is still valid.
pub fn provide_session() -> Session {
    let session = Session { info: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
    if has_hint() {
        spawn_local(async move {
            match api::me().await {
                Ok(info) => session.signed_in(info),
                // No network: the remembered user, to show the last-synced data.
                Err(e) if e.status == 0 => match crate::offline::offline_session() {
                    Some(info) => {
                        session.info.set(Some(info));
                        session.checked.set(true);
                    }
                    None => session.signed_out(),
                },
                Err(_) => session.signed_out(),
            }
        });
    } else {
        session.checked.set(true);
    }
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where a signed-in user starts: their partner's overview, or the operator console.
pub fn home_path(info: &SessionInfo) -> String {
    match (&info.partner, info.user.role) {
        (_, Role::Operator) => "/operator".to_string(),
        (Some(p), _) => format!("/partners/{}", p.id),
        (None, _) => "/".to_string(),
    }
}
