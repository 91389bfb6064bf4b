//! Two-step sign-in: a user turns on TOTP (an authenticator app) and gets
//! recovery codes; sign-in then asks for a code. Operators may be required to.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use benefits_api::accounts::{MfaDisable, MfaStatus, RecoveryCodes, TotpCode, TotpSetup};
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::activation::Role;
use sqlx::AnyConnection;

use crate::auth::Auth;
use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::account::verify_current;
use crate::http::openapi::{JsonBody, PasswordWork, SignedIn};
use crate::mfa;
use crate::security_log;
use crate::state::ApiContext;
use crate::store;

fn invalid_code() -> AppError {
    AppError::invalid_field("code", ErrorCode::MfaInvalid.as_str(), "This code is not right. Enter the 6 digits your app shows now.")
}

/// Whether you have a second factor.
#[utoipa::path(get, path = "/session/mfa", tag = "account", operation_id = "mfa_status",
    security(("session" = [])),
    responses((status = 200, body = MfaStatus), SignedIn))]
pub async fn status(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<MfaStatus>> {
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1").bind(&auth.user.id).fetch_one(&ctx.db.read).await?;
    let required = ctx.config.require_mfa_for_operators && auth.role() == Role::Operator;
    Ok(Json(MfaStatus { totp: auth.has_mfa, recovery_codes_left: left as u32, required }))
}

/// Start setting up TOTP: a new secret, active once confirmed with a code.
#[utoipa::path(post, path = "/session/mfa/setup", tag = "account", operation_id = "mfa_setup",
    security(("session" = [], "csrf" = [])),
    responses((status = 200, body = TotpSetup), SignedIn))]
pub async fn setup(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<TotpSetup>> {
    let secret = mfa::new_secret();
    let otpauth_url = mfa::otpauth_url(&secret, &auth.user.email).ok_or_else(|| AppError::internal("otpauth url"))?;
    sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2").bind(&secret).bind(&auth.user.id).execute(&ctx.db.write).await?;
    Ok(Json(TotpSetup { secret, otpauth_url }))
}

/// Confirm TOTP with a code from the app; answers the recovery codes, once.
#[utoipa::path(post, path = "/session/mfa/confirm", tag = "account", operation_id = "mfa_confirm",
    security(("session" = [], "csrf" = [])),
    request_body = TotpCode,
    responses((status = 200, body = RecoveryCodes), SignedIn, JsonBody,
        (status = 409, body = ErrorBody, description = "`invalid_transition`: no setup was started, or the second factor is on already.")))]
pub async fn confirm(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<TotpCode>) -> ApiResult<Json<RecoveryCodes>> {
    let mut tx = ctx.db.write.begin().await?;
    let pending: Option<String> = sqlx::query_scalar("SELECT totp_pending FROM users WHERE id = $1").bind(&auth.user.id).fetch_one(&mut *tx).await?;
    let pending = pending.ok_or_else(|| AppError::conflict(ErrorCode::InvalidTransition, "Start the setup first."))?;
    let step = mfa::verify(&pending, &body.code, now_unix()).ok_or_else(invalid_code)?;
    sqlx::query("UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE id = $2")
        .bind(step)
        .bind(&auth.user.id)
        .execute(&mut *tx)
        .await?;
    let codes = mfa::recovery_codes();
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(&auth.user.id).execute(&mut *tx).await?;
    for c in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)").bind(&auth.user.id).bind(mfa::recovery_hash(c)).execute(&mut *tx).await?;
    }
    store::audit(&mut tx, Some(&auth.user), auth.user.partner_id.as_deref(), "user.mfa_on", &format!("user:{}", auth.user.id), None, None).await?;
    tx.commit().await?;
    security_log::event("mfa_enabled", Some(&auth.user.id), &auth.ip);
    Ok(Json(RecoveryCodes { recovery_codes: codes }))
}

/// Turn the second factor off (with the current password); not when the
/// server requires it of your role.
#[utoipa::path(post, path = "/session/mfa/disable", tag = "account", operation_id = "mfa_disable",
    security(("session" = [], "csrf" = [])),
    request_body = MfaDisable,
    responses((status = 204, description = "Off."), SignedIn, JsonBody, PasswordWork,
        (status = 409, body = ErrorBody, description = "`mfa_setup_required`: the server requires it for operators.")))]
pub async fn disable(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<MfaDisable>) -> ApiResult<StatusCode> {
    if ctx.config.require_mfa_for_operators && auth.role() == Role::Operator {
        return Err(AppError::conflict(ErrorCode::MfaSetupRequired, "This server requires two-step sign-in for operators."));
    }
    verify_current(&ctx, &auth, body.current_password).await?;
    let mut tx = ctx.db.write.begin().await?;
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1").bind(&auth.user.id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(&auth.user.id).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), auth.user.partner_id.as_deref(), "user.mfa_off", &format!("user:{}", auth.user.id), None, None).await?;
    tx.commit().await?;
    security_log::event("mfa_disabled", Some(&auth.user.id), &auth.ip);
    Ok(StatusCode::NO_CONTENT)
}

/// At sign-in, after the password: `Ok(true)` when the user has no second
/// factor or `code` is a valid TOTP code (each step once) or an unused
/// recovery code (then used up); `Ok(false)` when it is wrong or missing.
pub async fn second_factor_ok(conn: &mut AnyConnection, user_id: &str, code: &str) -> ApiResult<bool> {
    let row: (Option<String>, Option<i64>) =
        sqlx::query_as("SELECT totp_secret, totp_last_step FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *conn).await?;
    let (Some(secret), last) = row else { return Ok(true) };
    if let Some(step) = mfa::verify(&secret, code, now_unix()) {
        if last.is_some_and(|l| step <= l) {
            return Ok(false);
        }
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2").bind(step).bind(user_id).execute(&mut *conn).await?;
        return Ok(true);
    }
    let used = sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2")
        .bind(user_id)
        .bind(mfa::recovery_hash(code))
        .execute(&mut *conn)
        .await?;
    Ok(used.rows_affected() == 1)
}

/// Whether the user has a second factor.
pub async fn has_totp(conn: &mut AnyConnection, user_id: &str) -> ApiResult<bool> {
    let secret: Option<String> = sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1").bind(user_id).fetch_one(conn).await?;
    Ok(secret.is_some())
}
