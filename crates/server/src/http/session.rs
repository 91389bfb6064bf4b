//! Sign-in, sign-out and "who am I".

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use axum::Json;
use benefits_api::session::{LanguagePreference, LoginRequest, SessionInfo, SessionUser};

use crate::auth::{self, Auth, UserRow};
use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::ApiJson;
use crate::state::ApiContext;
use crate::http::openapi::JsonBody;
use crate::store;

/// The only value of the `X-Requested-With` header that sign-in accepts.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RequestedWith {
    Benefits,
}

/// id, partner_id, email, name, role, version, password_hash
type LoginRow = (String, Option<String>, String, String, String, i64, String);

/// The client's IP address when the server knows it.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// A hash that verifies nothing, so an unknown email costs as much as a wrong password.
fn dummy_hash(params: auth::PasswordParams) -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| auth::hash_password(&auth::random_token(), params).unwrap_or_default()).clone()
}

async fn session_info(ctx: &ApiContext, user: &UserRow, csrf_token: String) -> ApiResult<SessionInfo> {
    let partner = match &user.partner_id {
        Some(pid) => {
            let mut conn = ctx.db.read.acquire().await?;
            store::partner(&mut conn, pid).await?.map(|p| p.info())
        }
        None => None,
    };
    let language = store::user_language(&ctx.db.read, &user.id).await?;
    Ok(SessionInfo {
        user: SessionUser { id: user.id.clone(), email: user.email.clone(), name: user.name.clone(), role: user.role(), language },
        partner,
        csrf_token,
    })
}

/// Sign in. Sets the session cookie; the answer holds the CSRF token.
#[utoipa::path(post, path = "/session/login", tag = "session", operation_id = "login",
    params(("X-Requested-With" = inline(RequestedWith), Header, description = "Must be `benefits`: a header a cross-site form cannot send.")),
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionInfo, description = "Signed in; `Set-Cookie` carries the session.",
            headers(("Set-Cookie" = String, description = "The `__Host-benefits_session` cookie."))),
        (status = 401, body = ErrorBody, description = "`invalid_credentials`: the email or password is not correct."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`: X-Requested-With is missing, or the Origin is another site."),
        (status = 429, body = ErrorBody, description = "`rate_limited`: too many failed attempts; see Retry-After.",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        JsonBody,
    ))]
pub async fn login(
    State(ctx): State<ApiContext>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<(NoStore, [(HeaderName, HeaderValue); 1], Json<SessionInfo>)> {
    if headers.get("x-requested-with").and_then(|v| v.to_str().ok()) != Some("benefits") {
        return Err(AppError::csrf("Sign in from the Benefits workspace (header X-Requested-With: benefits is missing)."));
    }
    let email = body.email.trim().to_lowercase();
    let account_key = format!("acct:{email}");
    let ip_key = format!("ip:{ip}");
    for (key, max) in [(&account_key, ctx.config.login_limit_account), (&ip_key, ctx.config.login_limit_ip)] {
        if let Err(retry_after_secs) = ctx.limiter.check(key, max) {
            return Err(AppError::RateLimited { retry_after_secs });
        }
    }
    let found: Option<(UserRow, String)> = {
        let row: Option<LoginRow> = sqlx::query_as(
            "SELECT id, partner_id, email, name, role, version, password_hash FROM users WHERE email = ? COLLATE NOCASE",
        )
        .bind(&email)
        .fetch_optional(&ctx.db.read)
        .await?;
        row.map(|(id, partner_id, email, name, role, version, hash)| (UserRow { id, partner_id, email, name, role, version }, hash))
    };
    let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash(ctx.config.password));
    let password = body.password;
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
        .await
        .map_err(AppError::internal)?;
    let user = match (found, ok) {
        (Some((user, _)), true) => user,
        _ => {
            ctx.limiter.record_failure(&account_key);
            ctx.limiter.record_failure(&ip_key);
            return Err(AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials, "The email or password is not correct."));
        }
    };
    ctx.limiter.clear(&account_key);

    // A new session id at every login; the one the browser had (if any) ends.
    let session_id = auth::random_token();
    let csrf_token = auth::random_token();
    let now = now_unix();
    let mut tx = ctx.db.write.begin().await?;
    if let Some(old) = cookie_session(&headers) {
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?").bind(auth::hash_session_id(&old)).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND (seen_unix < ? OR created_unix < ?)")
        .bind(&user.id)
        .bind(now - auth::IDLE_SECS)
        .bind(now - auth::ABSOLUTE_SECS)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_unix, seen_unix) VALUES (?, ?, ?, ?, ?)")
        .bind(auth::hash_session_id(&session_id))
        .bind(&user.id)
        .bind(&csrf_token)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let info = session_info(&ctx, &user, csrf_token).await?;
    let cookie = HeaderValue::from_str(&auth::session_cookie(&session_id)).map_err(AppError::internal)?;
    Ok((NoStore, [(header::SET_COOKIE, cookie)], Json(info)))
}

fn cookie_session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == auth::SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Sign out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/session/logout", tag = "session", operation_id = "logout",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Signed out."),
        (status = 401, body = ErrorBody, description = "`unauthenticated`: not signed in."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`: the X-CSRF-Token or the Origin check failed."),
    ))]
pub async fn logout(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Response> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = ?").bind(&auth.session_hash).execute(&ctx.db.write).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(header::SET_COOKIE, auth::clear_session_cookie().parse().map_err(AppError::internal)?);
    Ok(res)
}

/// The signed-in user, their partner and the session's CSRF token.
#[utoipa::path(get, path = "/session/me", tag = "session", operation_id = "me",
    security(("session" = [])),
    responses(
        (status = 200, body = SessionInfo),
        (status = 401, body = ErrorBody, description = "`unauthenticated`: not signed in, or the session has ended."),
    ))]
pub async fn me(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<(NoStore, Json<SessionInfo>)> {
    let info = session_info(&ctx, &auth.user, auth.csrf_token.clone()).await?;
    Ok((NoStore, Json(info)))
}

/// Sets the signed-in user's language (the workspace's, and their email's).
#[utoipa::path(put, path = "/session/me/language", tag = "session", operation_id = "set_language",
    security(("session" = [], "csrf" = [])),
    request_body = LanguagePreference,
    responses(
        (status = 200, body = LanguagePreference, description = "Saved."),
        (status = 401, body = ErrorBody, description = "`unauthenticated`: not signed in, or the session has ended."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`: the X-CSRF-Token or the Origin check failed."),
        JsonBody,
    ))]
pub async fn set_language(
    State(ctx): State<ApiContext>,
    auth: Auth,
    ApiJson(body): ApiJson<LanguagePreference>,
) -> ApiResult<(NoStore, Json<LanguagePreference>)> {
    store::set_user_language(&ctx.db.write, &auth.user.id, body.language).await?;
    Ok((NoStore, Json(body)))
}

/// `Cache-Control: no-store`: a session's token must not be kept by a cache.
pub struct NoStore;

impl IntoResponseParts for NoStore {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(res)
    }
}
