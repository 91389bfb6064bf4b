//! The signed-in user's own account: password change, password reset by
//! email, the list of sessions, name and email.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::accounts::{Accepted, EmailChange, PasswordChange, ProfilePatch, ResetPassword, ResetRequest, SessionView, SignedOut};
use benefits_api::session::SessionInfo;
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::contact::is_valid_email;
use serde_json::json;

use crate::auth::{self, Auth};
use crate::client_ip::ClientIp;
use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::openapi::{JsonBody, PasswordWork, SignedIn};
use crate::http::session::session_info;
use crate::mail::{self, Message};
use crate::security_log;
use crate::state::ApiContext;
use crate::{store, tokens};

/// A new password, checked by the domain's policy against the account's email.
pub fn check_new_password(field: &str, password: &str, email: &str) -> ApiResult<()> {
    benefits_domain::password::check(password, email).map_err(|e| AppError::invalid_field(field, e.code(), e.to_string()))
}

/// Argon2id of a new password, under the server's Argon2 limit.
pub async fn hash_new_password(ctx: &ApiContext, password: String) -> ApiResult<String> {
    let params = ctx.config.password;
    auth::argon2_work(ctx, move || auth::hash_password(&password, params)).await?
}

async fn password_hash(ctx: &ApiContext, user_id: &str) -> ApiResult<String> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_one(&ctx.db.read).await?)
}

/// Checks the signed-in user's current password, with the sign-in limits
/// (a stolen session must not become a password-guessing oracle).
pub async fn verify_current(ctx: &ApiContext, auth: &Auth, password: String) -> ApiResult<()> {
    let key = format!("current:{}", auth.user.id);
    let reservation = ctx
        .limiter
        .reserve(&[(key.as_str(), ctx.config.login_limit_account)], None)
        .await?
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let hash = password_hash(ctx, &auth.user.id).await?;
    if !auth::argon2_work(ctx, move || auth::verify_password(&password, &hash)).await? {
        security_log::refusal("password_check_failed", Some(&auth.user.id), &auth.ip, "invalid_credentials");
        return Err(AppError::invalid_field("current_password", "invalid_credentials", "Your current password is not correct."));
    }
    let mut tx = ctx.db.write.begin().await?;
    ctx.limiter.succeeded(&mut tx, &reservation, &key).await?;
    tx.commit().await?;
    Ok(())
}

/// Change your password (with the current one); every other session of yours ends.
#[utoipa::path(post, path = "/session/password", tag = "account", operation_id = "change_password",
    security(("session" = [], "csrf" = [])),
    request_body = PasswordChange,
    responses((status = 204, description = "Changed; a notice goes to your email."), SignedIn, JsonBody, PasswordWork))]
pub async fn change_password(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<PasswordChange>) -> ApiResult<StatusCode> {
    check_new_password("new_password", &body.new_password, &auth.user.email)?;
    verify_current(&ctx, &auth, body.current_password).await?;
    let hash = hash_new_password(&ctx, body.new_password).await?;
    let mut tx = ctx.db.write.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(&auth.user.id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2").bind(&auth.user.id).bind(&auth.session_hash).execute(&mut *tx).await?;
    let lang = store::mail_lang(&mut tx, &auth.user.id).await?;
    mail::enqueue(&mut tx, &auth.user.email, lang, &Message::PasswordChanged).await?;
    store::audit(&mut tx, Some(&auth.user), auth.user.partner_id.as_deref(), "user.password", &format!("user:{}", auth.user.id), None, None).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("password_changed", Some(&auth.user.id), &auth.ip);
    Ok(StatusCode::NO_CONTENT)
}

/// Reset links one account may be sent per hour: more would let anyone flood an inbox.
const RESETS_PER_HOUR: i64 = 3;

/// Ask for a password reset link by email. Always 202, whether or not the
/// email has an account: the answer reveals nothing.
#[utoipa::path(post, path = "/session/password-reset", tag = "account", operation_id = "request_password_reset",
    request_body = ResetRequest,
    responses((status = 202, body = Accepted), JsonBody,
        (status = 429, body = ErrorBody, description = "`rate_limited`: too many requests from this IP; see Retry-After.")))]
pub async fn request_reset(State(ctx): State<ApiContext>, ClientIp(ip): ClientIp, ApiJson(body): ApiJson<ResetRequest>) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let ip_key = format!("reset-ip:{ip}");
    let reservation = ctx
        .limiter
        .reserve(&[(ip_key.as_str(), ctx.config.login_limit_ip)], None)
        .await?
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    drop(reservation); // every request counts against the IP, answered or not
    let email = body.email.trim().to_string();
    let mut tx = ctx.db.write.begin().await?;
    let user: Option<(String, String)> = sqlx::query_as("SELECT id, email FROM users WHERE lower(email) = lower($1)").bind(&email).fetch_optional(&mut *tx).await?;
    if let Some((uid, address)) = user {
        let recent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_tokens WHERE user_id = $1 AND purpose = 'password_reset' AND created_unix > $2")
            .bind(&uid)
            .bind(now_unix() - 3600)
            .fetch_one(&mut *tx)
            .await?;
        if recent < RESETS_PER_HOUR {
            let token = tokens::insert_user_token(&mut tx, &uid, "password_reset", None, tokens::PASSWORD_RESET_SECS).await?;
            let link = ctx.config.link(&format!("/reset-password/{token}"));
            let lang = store::mail_lang(&mut tx, &uid).await?;
            mail::enqueue(&mut tx, &address, lang, &Message::PasswordReset { link, valid_minutes: tokens::PASSWORD_RESET_SECS / 60 }).await?;
            security_log::event("password_reset_requested", Some(&uid), &ip);
        }
    }
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    let message = "If this email has an account, a link to reset its password is on its way.".to_string();
    Ok((StatusCode::ACCEPTED, Json(Accepted { message })))
}

/// Set a new password from a reset link (single use, 1 hour); every session of the user ends.
#[utoipa::path(post, path = "/session/password-reset/{token}", tag = "account", operation_id = "reset_password",
    params(("token" = String, Path, description = "The token of the emailed link.")),
    request_body = ResetPassword,
    responses((status = 204, description = "Set; sign in with the new password."), JsonBody, PasswordWork,
        (status = 404, body = ErrorBody, description = "`link_invalid`: unknown, used or expired.")))]
pub async fn reset_password(
    State(ctx): State<ApiContext>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<ResetPassword>,
) -> ApiResult<StatusCode> {
    let (uid, _) = {
        let mut conn = ctx.db.read.acquire().await?;
        tokens::live_user_token(&mut conn, &token, "password_reset").await?
    };
    let user = {
        let mut conn = ctx.db.read.acquire().await?;
        store::user(&mut conn, &uid).await?.ok_or_else(tokens::link_invalid)?
    };
    check_new_password("password", &body.password, &user.email)?;
    let hash = hash_new_password(&ctx, body.password).await?;
    let mut tx = ctx.db.write.begin().await?;
    if !tokens::use_user_token(&mut tx, &token).await? {
        return Err(tokens::link_invalid());
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(&uid).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&uid).execute(&mut *tx).await?;
    // Other reset links sent earlier stop working too.
    sqlx::query("UPDATE user_tokens SET used_unix = $1 WHERE user_id = $2 AND purpose = 'password_reset' AND used_unix IS NULL")
        .bind(now_unix())
        .bind(&uid)
        .execute(&mut *tx)
        .await?;
    let lang = store::mail_lang(&mut tx, &uid).await?;
    mail::enqueue(&mut tx, &user.email, lang, &Message::PasswordChanged).await?;
    store::audit(&mut tx, None, user.partner_id.as_deref(), "user.password_reset", &format!("user:{uid}"), None, None).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("password_reset", Some(&uid), &ip);
    Ok(StatusCode::NO_CONTENT)
}

/// Your sessions: device and last activity, newest first.
#[utoipa::path(get, path = "/session/sessions", tag = "account", operation_id = "sessions",
    security(("session" = [])),
    responses((status = 200, body = Vec<SessionView>), SignedIn))]
pub async fn sessions(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<SessionView>>> {
    let rows: Vec<(String, String, i64, i64)> =
        sqlx::query_as("SELECT id_hash, device, created_unix, seen_unix FROM sessions WHERE user_id = $1 AND seen_unix >= $2 AND created_unix >= $3 ORDER BY seen_unix DESC")
            .bind(&auth.user.id)
            .bind(now_unix() - auth::IDLE_SECS)
            .bind(now_unix() - auth::ABSOLUTE_SECS)
            .fetch_all(&ctx.db.read)
            .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, device, created, seen)| SessionView { current: id == auth.session_hash, id, device, created_unix: created, last_seen_unix: seen })
            .collect(),
    ))
}

/// End every session of yours but this one.
#[utoipa::path(post, path = "/session/sessions/sign-out-others", tag = "account", operation_id = "sign_out_others",
    security(("session" = [], "csrf" = [])),
    responses((status = 200, body = SignedOut), SignedIn))]
pub async fn sign_out_others(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<SignedOut>> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(&auth.user.id)
        .bind(&auth.session_hash)
        .execute(&ctx.db.write)
        .await?;
    security_log::event("signed_out_other_sessions", Some(&auth.user.id), &auth.ip);
    Ok(Json(SignedOut { signed_out: done.rows_affected() }))
}

pub fn check_name(field: &str, name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid_field(field, "required", "Enter a name."));
    }
    if name.chars().count() > 200 {
        return Err(AppError::invalid_field_max(field, "too_long", 200, "Use at most 200 characters."));
    }
    Ok(name.to_string())
}

/// Edit your own name.
#[utoipa::path(patch, path = "/session/me", tag = "account", operation_id = "edit_profile",
    security(("session" = [], "csrf" = [])),
    request_body = ProfilePatch,
    responses((status = 200, body = SessionInfo), SignedIn, JsonBody))]
pub async fn patch_me(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<ProfilePatch>) -> ApiResult<Json<SessionInfo>> {
    let name = check_name("name", &body.name)?;
    let mut tx = ctx.db.write.begin().await?;
    sqlx::query("UPDATE users SET name = $1, version = version + 1 WHERE id = $2").bind(&name).bind(&auth.user.id).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), auth.user.partner_id.as_deref(), "user.name", &format!("user:{}", auth.user.id), Some(json!({"name": auth.user.name})), Some(json!({"name": name}))).await?;
    tx.commit().await?;
    let user = auth::UserRow { name, ..auth.user.clone() };
    Ok(Json(session_info(&ctx, &user, auth.csrf_token.clone()).await?))
}

/// Change your email: a confirmation link goes to the new address; nothing
/// changes until it is opened.
#[utoipa::path(post, path = "/session/email", tag = "account", operation_id = "request_email_change",
    security(("session" = [], "csrf" = [])),
    request_body = EmailChange,
    responses((status = 202, body = Accepted), SignedIn, JsonBody, PasswordWork,
        (status = 409, body = ErrorBody, description = "`email_taken`: another account uses this email.")))]
pub async fn request_email_change(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<EmailChange>) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let email = body.email.trim().to_string();
    if !is_valid_email(&email) {
        return Err(AppError::invalid_field("email", "invalid_email", "Enter a valid email address, such as name@example.com."));
    }
    verify_current(&ctx, &auth, body.current_password).await?;
    let mut tx = ctx.db.write.begin().await?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)").bind(&email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::EmailTaken, "Another account already uses this email.", "email"));
    }
    let token = tokens::insert_user_token(&mut tx, &auth.user.id, "email_change", Some(&email), tokens::EMAIL_CHANGE_SECS).await?;
    let link = ctx.config.link(&format!("/confirm-email/{token}"));
    let lang = store::mail_lang(&mut tx, &auth.user.id).await?;
    mail::enqueue(&mut tx, &email, lang, &Message::EmailChange { link, valid_hours: tokens::EMAIL_CHANGE_SECS / 3600 }).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("email_change_requested", Some(&auth.user.id), &auth.ip);
    let message = "Open the link we sent to the new address to confirm it.".to_string();
    Ok((StatusCode::ACCEPTED, Json(Accepted { message })))
}

/// Confirm a new email address from its link (the link proves the address).
#[utoipa::path(post, path = "/session/email/{token}", tag = "account", operation_id = "confirm_email",
    params(("token" = String, Path, description = "The token of the emailed link.")),
    responses((status = 204, description = "The account now uses the new address."),
        (status = 404, body = ErrorBody, description = "`link_invalid`: unknown, used or expired."),
        (status = 409, body = ErrorBody, description = "`email_taken`: another account took the address meanwhile.")))]
pub async fn confirm_email(State(ctx): State<ApiContext>, ClientIp(ip): ClientIp, Path(token): Path<String>) -> ApiResult<StatusCode> {
    let mut tx = ctx.db.write.begin().await?;
    let (uid, new_email) = tokens::live_user_token(&mut tx, &token, "email_change").await?;
    let new_email = new_email.ok_or_else(tokens::link_invalid)?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1) AND id <> $2").bind(&new_email).bind(&uid).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::EmailTaken, "Another account already uses this email.", "email"));
    }
    if !tokens::use_user_token(&mut tx, &token).await? {
        return Err(tokens::link_invalid());
    }
    let before = store::user(&mut tx, &uid).await?.ok_or_else(tokens::link_invalid)?;
    sqlx::query("UPDATE users SET email = $1, version = version + 1 WHERE id = $2").bind(&new_email).bind(&uid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&before), before.partner_id.as_deref(), "user.email", &format!("user:{uid}"), Some(json!({"email": before.email})), Some(json!({"email": new_email}))).await?;
    tx.commit().await?;
    security_log::event("email_changed", Some(&uid), &ip);
    Ok(StatusCode::NO_CONTENT)
}
