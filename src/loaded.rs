//! Loading a server resource for a page: the partner id from the address,
//! and one way to show loading, error and loaded states (never a blank screen).

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use benefits_api::workspace::Workspace;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiError, ApiResult};
use crate::components::{ErrorNotice, Loading};

/// A page's server data, typed: a `LocalResource` whose value is kept type
/// erased. Leptos's async machinery (`ArcAsyncDerived`, its scoped future,
/// the resource itself) is generic over the value; one resource type for
/// every page compiles it once instead of once per response type, several
/// KB of wasm each (issue 15). Only the fetch and the read stay generic.
pub struct Data<T> {
    inner: LocalResource<ApiResult<Value>>,
    value: PhantomData<fn() -> T>,
}

/// A loaded value of some response type (the `T` of its `Data<T>`).
type Value = Rc<dyn Any>;
type Fetch = Box<dyn Fn() -> Pin<Box<dyn Future<Output = ApiResult<Value>>>>>;

impl<T> Clone for Data<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Data<T> {}

impl<T: Clone + 'static> Data<T> {
    /// A resource that runs `fetch` now and again whenever the signals it
    /// reads (before its first `.await`) change, like `LocalResource::new`.
    pub fn new<F: Future<Output = ApiResult<T>> + 'static>(fetch: impl Fn() -> F + 'static) -> Data<T> {
        let fetch: Fetch = Box::new(move || {
            let pending = fetch();
            Box::pin(async move { pending.await.map(|v| Rc::new(v) as Value) })
        });
        Data { inner: erased(fetch), value: PhantomData }
    }

    /// The value once loaded (tracked; inside a `Transition`, it waits for it).
    pub fn get(&self) -> Option<ApiResult<T>> {
        self.inner.get().map(|r| r.map(|v| v.downcast_ref::<T>().expect("a Data<T> holds a T").clone()))
    }

    /// Fetches again.
    pub fn refetch(&self) {
        self.inner.refetch()
    }
}

/// The one `LocalResource` instance (not generic).
fn erased(fetch: Fetch) -> LocalResource<ApiResult<Value>> {
    LocalResource::new(move || fetch())
}

/// The partner id of the page's address (fixed for the page's life: another
/// partner is another page, see `routes`).
pub fn partner_id() -> Memo<String> {
    let pid = crate::routes::current().partner_id().unwrap_or_default().to_string();
    Memo::new(move |_| pid.clone())
}

/// `GET url()` as `T` (again whenever the signals `url` reads change).
pub fn resource<T: DeserializeOwned + Clone + 'static>(url: impl Fn() -> String + 'static) -> Data<T> {
    Data::new(move || api::get::<T>(url()))
}

/// The partner's workspace: live, or without a network the last-synced copy
/// recomputed in the browser (see `offline`). Refetched after the outbox is sent.
pub fn workspace_resource(pid: Memo<String>) -> Data<Workspace> {
    let synced = crate::offline::use_offline().synced;
    Data::new(move || {
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
