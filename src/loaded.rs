//! Loading a server resource for a page: the partner id from the address,
//! and one way to show loading, error and loaded states (never a blank screen).

use std::sync::Arc;

use benefits_api::workspace::Workspace;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiError, ApiResult};
use crate::components::{ErrorNotice, Loading};

/// A page's server data, typed.
pub type Data<T> = LocalResource<ApiResult<T>>;

/// The partner id of the page's address (fixed for the page's life: another
/// partner is another page, see `routes`).
pub fn partner_id() -> Memo<String> {
    let pid = crate::routes::current().partner_id().unwrap_or_default().to_string();
    Memo::new(move |_| pid.clone())
}

/// `GET url()` as `T` (again whenever the signals `url` reads change).
pub fn resource<T: DeserializeOwned + 'static>(url: impl Fn() -> String + 'static) -> Data<T> {
    LocalResource::new(move || api::get::<T>(url()))
}

/// The partner's workspace: live, or without a network the last-synced copy
/// recomputed in the browser (see `offline`). Refetched after the outbox is sent.
pub fn workspace_resource(pid: Memo<String>) -> Data<Workspace> {
    let synced = crate::offline::use_offline().synced;
    LocalResource::new(move || {
        synced.track();
        let pid = pid.get();
        async move { crate::offline::workspace(&pid).await }
    })
}

/// Shows `what` loading, then `ok(value)`, or the error with a retry button.
pub fn loaded<T, V>(resource: Data<T>, what: impl crate::UiText, ok: impl Fn(T) -> V + Send + Sync + 'static) -> AnyView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let ok = Arc::new(ok);
    let retry = Callback::new(move |()| resource.refetch());
    // Only reading the resource is generic; the view around it is compiled
    // once for all the pages (`loaded_view`).
    let body: Body = Arc::new(move || {
        let ok = ok.clone();
        resource.get().map(move |r| shown(r.map(|v| ok(v).into_any()), retry))
    });
    loaded_view(body, TextProp::from(move || what.text()))
}

/// What a resource shows so far: nothing yet (`None`), or its view.
type Body = Arc<dyn Fn() -> Option<AnyView> + Send + Sync>;

fn loaded_view(body: Body, what: TextProp) -> AnyView {
    view! { <Transition fallback=move || view! { <Loading what=what.clone() /> }>{move || body()}</Transition> }.into_any()
}

/// The loaded view, or the error with a retry button (not generic: compiled once).
fn shown(result: Result<AnyView, ApiError>, retry: Callback<()>) -> AnyView {
    match result {
        Ok(view) => view,
        Err(error) => view! { <ErrorNotice error=error on_retry=retry /> }.into_any(),
    }
}
