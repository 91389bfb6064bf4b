use leptos::prelude::*;
use leptos::task::spawn_local;

use benefits_api::feed::TokenInfo;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource, Data};
use crate::locale::text::fill;
use crate::offline::format_timestamp;

/// The marketplace jobs' service tokens: create one (its secret is shown once), see and revoke them.
#[component]
pub fn ServiceTokens() -> impl IntoView {
    let tokens = resource(|| benefits_api::paths::OPERATOR_TOKENS.to_string());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<(String, String)>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked().trim().to_string();
        spawn_local(async move {
            match api::create_token(&n).await {
                Ok(t) => {
                    error.set(None);
                    name.set(String::new());
                    secret.set(Some((t.token_info.name, t.token)));
                    tokens.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field_message("name"))));
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h3 id="tokens-title" class="card__title">{crate::tr!(tokens.title)}</h3>
            <p class="hint">{crate::tr!(tokens.hint)}</p>
            {move || loaded(tokens, crate::tr!(tokens.what), move |list: Vec<TokenInfo>| tokens_table(list, tokens))}
            <form class="form-grid" on:submit=create novalidate=true>
                <TextField id="token-name" label=crate::tr!(tokens.name) value=name required=true error=field />
                <div class="form-actions"><button type="submit" class="button" id="token-create">{crate::tr!(tokens.create)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
            {move || secret.get().map(|(n, t)| view! {
                <div class="notice notice--success" role="status" id="token-secret">
                    <p class="notice__title">{move || fill(crate::trs!(tokens.secret), &[("name", &n)])}</p>
                    <p><code>{t}</code></p>
                </div>
            })}
        </section>
    }
}

fn tokens_table(list: Vec<TokenInfo>, resource: Data<Vec<TokenInfo>>) -> impl IntoView {
    let empty = list.is_empty();
    let rows = list
        .into_iter()
        .map(|t| {
            let error = RwSignal::new(None::<ApiError>);
            let id = t.id.clone();
            let revoke = move |_| {
                let id = id.clone();
                spawn_local(async move {
                    match api::revoke_token(&id).await {
                        Ok(_) => resource.refetch(),
                        Err(e) => error.set(Some(e)),
                    }
                });
            };
            let active = t.revoked_at.is_none();
            let (created_at, created_by, last_used, revoked_at) = (t.created_at.clone(), t.created_by.clone(), t.last_used_at.clone(), t.revoked_at.clone());
            let token_name = t.name.clone();
            view! {
                <tr>
                    <td>{t.name.clone()}<br /><span class="hint">{t.id.clone()}</span></td>
                    <td>{move || match &created_by {
                        Some(b) => fill(crate::trs!(tokens.created_by), &[("when", &format_timestamp(&created_at)), ("who", b)]),
                        None => format_timestamp(&created_at),
                    }}</td>
                    <td>{move || last_used.as_deref().map(format_timestamp).unwrap_or_else(|| crate::trs!(tokens.never).into())}</td>
                    <td>
                        {move || match &revoked_at {
                            Some(r) => fill(crate::trs!(tokens.revoked), &[("when", &format_timestamp(r))]),
                            None => crate::trs!(tokens.active).into(),
                        }}
                        {active.then(|| view! {
                            <button type="button" class="button button--small button--danger" on:click=revoke.clone()>{move || fill(crate::trs!(tokens.revoke), &[("name", &token_name)])}</button>
                        })}
                        {move || error.get().map(|e| view! { <p class="field__error" role="alert">{move || e.text()}</p> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="service-tokens">
                <caption class="visually-hidden">{crate::tr!(tokens.title)}</caption>
                <thead><tr><th scope="col">{crate::tr!(tokens.token)}</th><th scope="col">{crate::tr!(tokens.created)}</th><th scope="col">{crate::tr!(tokens.last_used)}</th><th scope="col">{crate::tr!(tokens.state)}</th></tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="4">{crate::tr!(tokens.none)}</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
