use leptos::prelude::*;
use leptos::task::spawn_local;

use benefits_api::feed::TokenInfo;

use crate::api::{self, ApiError};
use crate::components::TextField;
use crate::loaded::{loaded, resource, Data};

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
            <h3 id="tokens-title" class="card__title">"Service tokens"</h3>
            <p class="hint">"The marketplace's jobs send feed files to POST /api/feed/{kind} with Authorization: Bearer and a token. A token can do nothing else; revoke it when the job no longer needs it."</p>
            {move || loaded(tokens, "service tokens", move |list: Vec<TokenInfo>| tokens_table(list, tokens))}
            <form class="form-grid" on:submit=create novalidate=true>
                <TextField id="token-name" label="What uses the token" value=name required=true error=field />
                <div class="form-actions"><button type="submit" class="button" id="token-create">"Create token"</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="field__error" role="alert">{e.message}</p> })}
            {move || secret.get().map(|(n, t)| view! {
                <div class="notice notice--success" role="status" id="token-secret">
                    <p class="notice__title">{format!("Token for {n}: copy it now, it is not shown again")}</p>
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
            let error = RwSignal::new(None::<String>);
            let id = t.id.clone();
            let revoke = move |_| {
                let id = id.clone();
                spawn_local(async move {
                    match api::revoke_token(&id).await {
                        Ok(_) => resource.refetch(),
                        Err(e) => error.set(Some(e.message)),
                    }
                });
            };
            let active = t.revoked_at.is_none();
            view! {
                <tr>
                    <td>{t.name.clone()}<br /><span class="hint">{t.id.clone()}</span></td>
                    <td>{t.created_at.get(..10).unwrap_or("").to_string()}{t.created_by.map(|b| format!(" by {b}")).unwrap_or_default()}</td>
                    <td>{t.last_used_at.as_deref().map(|u| u.get(..16).unwrap_or(u).replace('T', " ")).unwrap_or_else(|| "Never".into())}</td>
                    <td>
                        {match &t.revoked_at {
                            Some(r) => format!("Revoked {}", r.get(..10).unwrap_or("")).into_any(),
                            None => "Active".into_any(),
                        }}
                        {active.then(|| view! {
                            <button type="button" class="button button--small button--danger" on:click=revoke.clone()>{format!("Revoke {}", t.name)}</button>
                        })}
                        {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" id="service-tokens">
                <caption class="visually-hidden">"Service tokens"</caption>
                <thead><tr><th scope="col">"Token"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col">"State"</th></tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="4">"No service token yet."</td></tr> })}
                </tbody>
            </table>
        </div>
    }
}
