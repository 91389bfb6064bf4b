//! The signed-in user's unread notification count, shared by the header's
//! badge and the notifications page. It is fetched when someone signs in,
//! whenever the window regains focus, and after marking read; pages that show
//! notifications refetch on the same beat (`Unread::beat`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::session::use_session;

#[derive(Clone, Copy)]
pub struct Unread {
    pub count: RwSignal<u64>,
    /// Bumped to ask everything that shows notifications to fetch again.
    pub beat: RwSignal<u32>,
}

impl Unread {
    pub fn refresh(&self) {
        self.beat.update(|b| *b = b.wrapping_add(1));
    }
}

/// Provides the count and keeps it fresh (call once, inside the session's context).
pub fn provide_unread() {
    let unread = Unread { count: RwSignal::new(0), beat: RwSignal::new(0) };
    provide_context(unread);
    let session = use_session();
    Effect::new(move |_| {
        unread.beat.track();
        let signed_in = session.info.with(|i| i.is_some());
        if !signed_in {
            unread.count.set(0);
            return;
        }
        spawn_local(async move {
            // Offline or signed out meanwhile: the last count stays.
            if let Ok(n) = api::unread_count().await {
                unread.count.set(n.unread);
            }
        });
    });
    let _ = window_event_listener(leptos::ev::focus, move |_| unread.refresh());
}

pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}
