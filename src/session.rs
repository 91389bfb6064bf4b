//! Who is signed in, shared by every page through the reactive context.

use benefits_domain::activation::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use benefits_api::session::SessionInfo;

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
        self.info.set(Some(info));
        self.checked.set(true);
    }

    pub fn signed_out(&self) {
        api::set_csrf_token(None);
        self.info.set(None);
        self.checked.set(true);
    }
}

/// Provides the session and asks the server who is signed in: the session
/// is an HttpOnly cookie the app cannot read, so a page opened cold (a
/// bookmark, a new tab) learns it only from `GET /api/session/me`.
pub fn provide_session() -> Session {
    let session = Session { info: RwSignal::new(None), checked: RwSignal::new(false) };
    provide_context(session);
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
