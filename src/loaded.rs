//! Loading a server resource for a page: the partner id from the address,
//! and one way to show loading, error and loaded states (never a blank screen).
//! Every page resource is the same type (the JSON text) and the rendering is
//! type-erased, so the reactive machinery is compiled once, not per page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiError, ApiResult};
use crate::components::{ErrorNotice, Loading};

/// A page's server data: the JSON text of a GET, parsed when shown.
pub type Raw = LocalResource<ApiResult<String>>;

/// The `:pid` of the current address.
pub fn partner_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("pid").unwrap_or_default())
}

/// Fetches `url()` (again whenever the signals it reads change).
pub fn resource(url: impl Fn() -> String + 'static) -> Raw {
    LocalResource::new(move || api::get_text(url()))
}

/// The partner's workspace: live, or without a network the last-synced copy
/// recomputed in the browser (see `offline`). Refetched after the outbox is sent.
pub fn workspace_resource(pid: Memo<String>) -> Raw {
    let synced = crate::offline::use_offline().synced;
    LocalResource::new(move || {
        synced.track();
        let pid = pid.get();
        async move { crate::offline::workspace_text(&pid).await }
    })
}

type Render = Arc<dyn Fn(&str) -> Result<AnyView, ApiError> + Send + Sync>;

/// Shows `what` loading, then `ok(value)`, or the error with a retry button.
pub fn loaded<T, V>(resource: Raw, what: impl crate::UiText, ok: impl Fn(T) -> V + Send + Sync + 'static) -> AnyView
where
    T: DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let render: Render = Arc::new(move |text| api::parse::<T>(text).map(|v| ok(v).into_any()));
    loaded_erased(resource, TextProp::from(move || what.text()), render)
}

fn loaded_erased(resource: Raw, what: TextProp, render: Render) -> AnyView {
    let retry = Callback::new(move |()| resource.refetch());
    view! {
        <Transition fallback=move || view! { <Loading what=what.clone() /> }>
            {move || resource.get().map(|r| match r.and_then(|text| render(&text)) {
                Ok(view) => view,
                Err(error) => view! { <ErrorNotice error=error on_retry=retry /> }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}
