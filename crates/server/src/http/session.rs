//! Sign-in, sign-out, "who am I", and the session a sign-in creates.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use axum::Json;
use benefits_api::session::{LanguagePreference, LoginRequest, SessionInfo, SessionUser};
use benefits_api::{ErrorBody, ErrorCode};
use sqlx::AnyConnection;

use crate::auth::{self, Auth, UserRow};
use crate::client_ip::ClientIp;
use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::openapi::JsonBody;
use crate::security_log;
use crate::state::ApiContext;
use crate::store;

/// The only value of the `X-Requested-With` header that sign-in accepts.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RequestedWith {
    Benefits,
}

/// id, partner_id, email, name, role, version, password_hash
type LoginRow = (String, Option<String>, String, String, String, i64, String);

/// A hash that verifies nothing, so an unknown email costs as much as a wrong password.
fn dummy_hash(params: auth::PasswordParams) -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| auth::hash_password(&auth::random_token(), params).unwrap_or_default()).clone()
}

pub async fn session_info(ctx: &ApiContext, user: &UserRow, csrf_token: String) -> ApiResult<SessionInfo> {
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
        offline_max_age_days: ctx.config.offline_max_age_days,
    })
}

/// The device a session was opened from, as the user will recognise it in
/// their list of sessions.
pub fn device(headers: &HeaderMap) -> String {
    let ua = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    ua.chars().take(160).collect()
}

/// Opens a session for `user_id` in the caller's transaction, ending the one
/// the browser had; returns the new cookie value and CSRF token.
pub async fn open_session(tx: &mut AnyConnection, user_id: &str, headers: &HeaderMap) -> ApiResult<(String, String)> {
    let session_id = auth::random_token();
    let csrf_token = auth::random_token();
    let now = now_unix();
    if let Some(old) = cookie_session(headers) {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(auth::hash_session_id(&old)).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND (seen_unix < $2 OR created_unix < $3)")
        .bind(user_id)
        .bind(now - auth::IDLE_SECS)
        .bind(now - auth::ABSOLUTE_SECS)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_unix, seen_unix, device) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(auth::hash_session_id(&session_id))
        .bind(user_id)
        .bind(&csrf_token)
        .bind(now)
        .bind(now)
        .bind(device(headers))
        .execute(&mut *tx)
        .await?;
    Ok((session_id, csrf_token))
}

/// The signed-in answer: the session as JSON, its cookie, and no caching.
pub type SignInAnswer = (NoStore, [(HeaderName, HeaderValue); 1], Json<SessionInfo>);

pub async fn signed_in(ctx: &ApiContext, user: &UserRow, session_id: &str, csrf_token: String) -> ApiResult<SignInAnswer> {
    let info = session_info(ctx, user, csrf_token).await?;
    let cookie = HeaderValue::from_str(&auth::session_cookie(session_id)).map_err(AppError::internal)?;
    Ok((NoStore, [(header::SET_COOKIE, cookie)], Json(info)))
}

pub fn invalid_credentials() -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials, "The email or password is not correct.")
}

/// Sign in. Sets the session cookie; the answer holds the CSRF token.
#[utoipa::path(post, path = "/session/login", tag = "session", operation_id = "login",
    params(("X-Requested-With" = inline(RequestedWith), Header, description = "Must be `benefits`: a header a cross-site form cannot send.")),
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionInfo, description = "Signed in; `Set-Cookie` carries the session.",
            headers(("Set-Cookie" = String, description = "The `__Host-benefits_session` cookie."))),
        (status = 401, body = ErrorBody, description = "`invalid_credentials`: the email or password is not correct; `mfa_required`: send `totp` too; `mfa_invalid`: the code is wrong or used."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`: X-Requested-With is missing, or the Origin is another site."),
        (status = 429, body = ErrorBody, description = "`rate_limited`: this client failed too often for this account or from this IP; see Retry-After.",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 503, body = ErrorBody, description = "`busy`: too many sign-ins at once; see Retry-After.",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        JsonBody,
    ))]
pub async fn login(
    State(ctx): State<ApiContext>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<SignInAnswer> {
    if headers.get("x-requested-with").and_then(|v| v.to_str().ok()) != Some("benefits") {
        return Err(AppError::csrf("Sign in from the Benefits workspace (header X-Requested-With: benefits is missing)."));
    }
    let email = body.email.trim().to_lowercase();
    let ip_key = format!("ip:{ip}");
    let client_key = format!("acct:{email}|{ip}");
    let account_key = format!("acct:{email}");
    // Reserved before the password is checked: parallel guesses, through this
    // server or another, cannot all pass the check.
    let limits = [(ip_key.as_str(), ctx.config.login_limit_ip), (client_key.as_str(), ctx.config.login_limit_account)];
    let reservation = ctx.limiter.reserve(&limits, Some(&account_key)).await?.map_err(|retry_after_secs| {
        security_log::refusal("sign_in_locked_out", None, &ip, "too_many_failures");
        AppError::RateLimited { retry_after_secs }
    })?;
    // An account under attack from many clients slows down; it never locks.
    let delay = auth::throttle_delay(reservation.account_failures, ctx.config.login_limit_account);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let row: Option<LoginRow> =
        sqlx::query_as("SELECT id, partner_id, email, name, role, version, password_hash FROM users WHERE lower(email) = lower($1)")
            .bind(&email)
            .fetch_optional(&ctx.db.read)
            .await?;
    let found = row.map(|(id, partner_id, email, name, role, version, hash)| (UserRow { id, partner_id, email, name, role, version }, hash));
    let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash(ctx.config.password));
    let password = body.password;
    let ok = match auth::argon2_work(&ctx, move || auth::verify_password(&password, &hash)).await {
        Ok(ok) => ok,
        Err(e) => {
            ctx.limiter.withdraw(reservation).await?;
            return Err(e);
        }
    };
    let user = match (found, ok) {
        (Some((user, _)), true) => user,
        (found, _) => {
            security_log::refusal("sign_in_failed", found.as_ref().map(|(u, _)| u.id.as_str()), &ip, "invalid_credentials");
            return Err(invalid_credentials());
        }
    };
    let opened = open_checked_session(&ctx, &user, body.totp.as_deref(), &headers, &ip, &reservation, &client_key).await;
    if matches!(opened, Err(AppError::Retry)) {
        // The request runs again whole (http::retry) and reserves afresh:
        // this attempt must not count twice.
        ctx.limiter.withdraw(reservation).await?;
    }
    let (session_id, csrf_token) = opened?;
    security_log::event("sign_in", Some(&user.id), &ip);
    signed_in(&ctx, &user, &session_id, csrf_token).await
}

/// The second factor, when the user has one, then the session: one
/// transaction, which also forgets this client's failures.
async fn open_checked_session(
    ctx: &ApiContext,
    user: &UserRow,
    totp: Option<&str>,
    headers: &HeaderMap,
    ip: &str,
    reservation: &auth::Reservation,
    client_key: &str,
) -> ApiResult<(String, String)> {
    let mut tx = ctx.db.write.begin().await?;
    if crate::http::mfa::has_totp(&mut tx, &user.id).await? {
        let Some(code) = totp.filter(|c| !c.trim().is_empty()) else {
            // The password was right: this attempt is not a failure, the next one brings the code.
            tx.rollback().await?;
            ctx.limiter.withdraw_ref(reservation).await?;
            return Err(AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::MfaRequired, "Enter the code from your authenticator app."));
        };
        if !crate::http::mfa::second_factor_ok(&mut tx, &user.id, code).await? {
            tx.commit().await?;
            security_log::refusal("sign_in_failed", Some(&user.id), ip, "mfa_invalid");
            return Err(AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::MfaInvalid, "The code is not right, or was used already."));
        }
    }
    ctx.limiter.succeeded(&mut tx, reservation, client_key).await?;
    let opened = open_session(&mut tx, &user.id, headers).await?;
    tx.commit().await?;
    Ok(opened)
}

pub fn cookie_session(headers: &HeaderMap) -> Option<String> {
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
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&auth.session_hash).execute(&ctx.db.write).await?;
    security_log::event("sign_out", Some(&auth.user.id), &auth.ip);
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
