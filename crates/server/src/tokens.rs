//! One-time links: a random token goes into the email, only its SHA-256 into
//! the store, so a copy of the database opens nothing.

use sqlx::AnyConnection;

use crate::auth::{hash_session_id, random_token};
use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};

pub const INVITATION_SECS: i64 = 7 * 24 * 60 * 60;
pub const PASSWORD_RESET_SECS: i64 = 60 * 60;
pub const EMAIL_CHANGE_SECS: i64 = 24 * 60 * 60;

/// `(token for the link, hash to store)`.
pub fn new_token() -> (String, String) {
    let token = random_token();
    let hash = hash_session_id(&token);
    (token, hash)
}

pub fn hash(token: &str) -> String {
    hash_session_id(token)
}

/// Every refused link looks the same: unknown, used, revoked or expired.
pub fn link_invalid() -> AppError {
    AppError::new(
        axum::http::StatusCode::NOT_FOUND,
        benefits_api::ErrorCode::LinkInvalid,
        "This link is not valid any more: it was already used, was withdrawn or has expired. Ask for a new one.",
    )
}

/// A user's live one-time token for `purpose`: `(user_id, new_email)`.
pub async fn live_user_token(conn: &mut AnyConnection, token: &str, purpose: &str) -> ApiResult<(String, Option<String>)> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT user_id, new_email FROM user_tokens WHERE token_hash = $1 AND purpose = $2 AND used_unix IS NULL AND expires_unix > $3",
    )
    .bind(hash(token))
    .bind(purpose)
    .bind(now_unix())
    .fetch_optional(conn)
    .await?;
    row.ok_or_else(link_invalid)
}

/// Marks the token used; `false` when another request used it first.
pub async fn use_user_token(conn: &mut AnyConnection, token: &str) -> ApiResult<bool> {
    let done = sqlx::query("UPDATE user_tokens SET used_unix = $1 WHERE token_hash = $2 AND used_unix IS NULL")
        .bind(now_unix())
        .bind(hash(token))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_user_token(
    conn: &mut AnyConnection,
    user_id: &str,
    purpose: &str,
    new_email: Option<&str>,
    valid_secs: i64,
) -> ApiResult<String> {
    let (token, hash) = new_token();
    let now = now_unix();
    sqlx::query("INSERT INTO user_tokens (token_hash, user_id, purpose, new_email, created_unix, expires_unix) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(hash)
        .bind(user_id)
        .bind(purpose)
        .bind(new_email)
        .bind(now)
        .bind(now + valid_secs)
        .execute(conn)
        .await?;
    Ok(token)
}
