//! Service tokens: the credentials of the marketplace's jobs, which may only
//! ingest feed files. A token is shown once and stored as its SHA-256 (a
//! 256-bit random secret needs no slow hash); revoked tokens stop at once.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use benefits_api::feed::{CreatedToken, TokenInfo};
use benefits_api::ErrorCode;
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::{hash_session_id, random_id, random_token, session_id_from, UserRow};
use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};
use crate::state::ApiContext;
use crate::store;

/// Every token starts with this, so that a leaked one is recognisable.
pub const PREFIX: &str = "bst_";

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    name: String,
    created_at: String,
    created_by: Option<String>,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

impl TokenRow {
    fn info(self) -> TokenInfo {
        TokenInfo {
            id: self.id,
            name: self.name,
            created_at: self.created_at,
            created_by: self.created_by,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        }
    }
}

pub fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid_field("name", "invalid", "Give the token a name of 1 to 100 characters (what uses it)."));
    }
    Ok(name.to_string())
}

const COLUMNS: &str = "t.id, t.name, t.created_at, u.email AS created_by, t.last_used_at, t.revoked_at";

pub async fn create(conn: &mut AnyConnection, name: &str, by: Option<&UserRow>) -> ApiResult<CreatedToken> {
    let name = check_name(name)?;
    let id = random_id("tok_");
    let token = format!("{PREFIX}{}", random_token());
    sqlx::query("INSERT INTO service_tokens (id, name, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(&name)
        .bind(hash_session_id(&token))
        .bind(now_rfc3339())
        .bind(by.map(|u| u.id.clone()))
        .execute(&mut *conn)
        .await?;
    store::audit(&mut *conn, by, None, "token.create", &format!("token:{id}"), None, Some(json!({"name": name}))).await?;
    let info = get(&mut *conn, &id).await?.ok_or_else(|| AppError::internal("token vanished"))?;
    Ok(CreatedToken { token_info: info, token })
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> ApiResult<Option<TokenInfo>> {
    let row: Option<TokenRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM service_tokens t LEFT JOIN users u ON u.id = t.created_by WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(TokenRow::info))
}

pub async fn list(conn: &mut AnyConnection) -> ApiResult<Vec<TokenInfo>> {
    let rows: Vec<TokenRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM service_tokens t LEFT JOIN users u ON u.id = t.created_by ORDER BY t.created_at DESC, t.id"))
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(TokenRow::info).collect())
}

/// Revokes a token (again: no change). `None` when there is no such token.
pub async fn revoke(conn: &mut AnyConnection, id: &str, by: Option<&UserRow>) -> ApiResult<Option<TokenInfo>> {
    let Some(before) = get(&mut *conn, id).await? else { return Ok(None) };
    if before.revoked_at.is_some() {
        return Ok(Some(before));
    }
    sqlx::query("UPDATE service_tokens SET revoked_at = $1 WHERE id = $2").bind(now_rfc3339()).bind(id).execute(&mut *conn).await?;
    let after = get(&mut *conn, id).await?;
    store::audit(&mut *conn, by, None, "token.revoke", &format!("token:{id}"), Some(json!(before)), Some(json!(after))).await?;
    Ok(after)
}

/// The caller of a feed route: a valid, unrevoked service token.
#[derive(Clone, Debug)]
pub struct ServiceCaller {
    pub token_id: String,
    pub name: String,
}

fn invalid_token() -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::InvalidToken, "This route needs a valid service token (Authorization: Bearer …); this one is unknown or revoked.")
}

impl FromRequestParts<ApiContext> for ServiceCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self, Self::Rejection> {
        let bearer = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = bearer.map(str::trim) else {
            // A signed-in person is not a marketplace job.
            if session_id_from(parts).is_some() {
                return Err(AppError::forbidden("Feed files are sent by the marketplace with a service token; operators upload them in the console."));
            }
            return Err(AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "Send a service token: Authorization: Bearer …"));
        };
        if !token.starts_with(PREFIX) {
            return Err(invalid_token());
        }
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT id, name FROM service_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                .bind(hash_session_id(token))
                .fetch_optional(&ctx.db.read)
                .await?;
        let (token_id, name) = row.ok_or_else(invalid_token)?;
        sqlx::query("UPDATE service_tokens SET last_used_at = $1 WHERE id = $2").bind(now_rfc3339()).bind(&token_id).execute(&ctx.db.write).await?;
        Ok(ServiceCaller { token_id, name })
    }
}
