//! Account settings: the partner's users.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::users::{NewUser, RoleChange, UserView};
use benefits_domain::contact::{is_valid_email, FieldError};
use serde_json::json;

use crate::auth::{self, Auth, UserRow};
use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, IdempotencyKey, IfMatch, Stored, Tagged};
use crate::http::openapi::{IdempotencyKeyParam, IfMatchOptional, IfMatchRequired, JsonBody, PartnerScoped, Versioned};
use crate::state::ApiContext;
use crate::store;

fn view(u: &UserRow) -> UserView {
    UserView { id: u.id.clone(), email: u.email.clone(), name: u.name.clone(), role: u.role(), version: u.version }
}

fn field(field: &str, code: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// The partner's users.
#[utoipa::path(get, path = "/users", tag = "partner", operation_id = "users",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<UserView>), PartnerScoped))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<UserView>>> {
    auth.partner_user(&pid)?;
    let users: Vec<UserRow> =
        sqlx::query_as("SELECT id, partner_id, email, name, role, version FROM users WHERE partner_id = ? ORDER BY name, email")
            .bind(&pid)
            .fetch_all(&ctx.db.read)
            .await?;
    Ok(Json(users.iter().map(view).collect()))
}

/// Add a user (admins).
#[utoipa::path(post, path = "/users", tag = "partner", operation_id = "create_user",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), IdempotencyKeyParam),
    request_body = NewUser,
    responses((status = 201, body = UserView, headers(("ETag" = String))), PartnerScoped, JsonBody,
        (status = 409, body = ErrorBody, description = "`email_taken`: a user with this email exists.")))]
pub async fn create(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<Stored<UserView>> {
    auth.partner_admin(&pid)?;
    let route = format!("POST /api/partners/{pid}/users");
    {
        let mut conn = ctx.db.read.acquire().await?;
        if let Some(stored) = store::idempotent_replay(&mut conn, &auth.user.id, &route, key.as_deref()).await? {
            return Ok(stored);
        }
    }
    let email = body.email.trim().to_string();
    let name = body.name.trim().to_string();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(field("email", "required", "Enter the user's email address."));
    } else if !is_valid_email(&email) {
        errors.push(field("email", "invalid_email", "Enter a valid email address, such as name@example.com."));
    }
    if name.is_empty() {
        errors.push(field("name", "required", "Enter the user's name."));
    } else if name.chars().count() > 200 {
        errors.push(field("name", "too_long", "Use at most 200 characters."));
    }
    let len = body.password.chars().count();
    if !(10..=128).contains(&len) {
        errors.push(field("password", "invalid_length", "Use a password of 10 to 128 characters."));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation { message: errors[0].message.clone(), errors });
    }
    let params = ctx.config.password;
    let password = body.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password, params)).await.map_err(AppError::internal)??;

    let mut tx = ctx.db.write.begin().await?;
    if let Some(stored) = store::idempotent_replay(&mut tx, &auth.user.id, &route, key.as_deref()).await? {
        return Ok(stored);
    }
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = ? COLLATE NOCASE").bind(&email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::EmailTaken, "A user with this email already exists.", "email"));
    }
    let user = UserRow {
        id: auth::random_id("u_"),
        partner_id: Some(pid.clone()),
        email,
        name,
        role: body.role.as_str().to_string(),
        version: 1,
    };
    sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)")
        .bind(&user.id)
        .bind(&pid)
        .bind(&user.email)
        .bind(&user.name)
        .bind(&user.role)
        .bind(&hash)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
    let view = view(&user);
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "user.create", &format!("user:{}", user.id), None, Some(json!(view))).await?;
    let stored = Stored::json(StatusCode::CREATED, Some(1), &view)?;
    store::idempotent_store(&mut tx, &auth.user.id, &route, key.as_deref(), &stored).await?;
    tx.commit().await?;
    Ok(stored)
}

async fn partner_user_row(conn: &mut sqlx::SqliteConnection, pid: &str, uid: &str) -> ApiResult<UserRow> {
    store::user(conn, uid).await?.filter(|u| u.partner_id.as_deref() == Some(pid)).ok_or_else(AppError::not_found)
}

async fn admin_count(conn: &mut sqlx::SqliteConnection, pid: &str) -> ApiResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE partner_id = ? AND role = 'admin'").bind(pid).fetch_one(conn).await?)
}

fn last_admin() -> AppError {
    AppError::conflict(ErrorCode::LastAdmin, "The partner account must keep at least one admin. Make another user an admin first.")
}

/// Change a user's role (admins). The account keeps at least one admin.
#[utoipa::path(patch, path = "/users/{uid}", tag = "partner", operation_id = "change_role",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("uid" = String, Path, description = "The user's id."), IfMatchRequired),
    request_body = RoleChange,
    responses((status = 200, body = UserView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned,
        (status = 409, body = ErrorBody, description = "`last_admin`: the account must keep an admin.")))]
pub async fn patch(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, uid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<RoleChange>,
) -> ApiResult<Tagged<UserView>> {
    auth.partner_admin(&pid)?;
    let role = body.role.as_str();
    let mut tx = ctx.db.write.begin().await?;
    let before = partner_user_row(&mut tx, &pid, &uid).await?;
    if_match.check(before.version)?;
    if before.role == "admin" && role != "admin" && admin_count(&mut tx, &pid).await? <= 1 {
        return Err(last_admin());
    }
    let after = UserRow { role: role.to_string(), version: before.version + 1, ..before.clone() };
    if after.role != before.role {
        sqlx::query("UPDATE users SET role = ?, version = version + 1 WHERE id = ? AND version = ?")
            .bind(&after.role)
            .bind(&uid)
            .bind(before.version)
            .execute(&mut *tx)
            .await?;
        store::bump_data_version(&mut tx, &pid).await?;
        store::audit(
            &mut tx,
            Some(&auth.user),
            Some(&pid),
            "user.role",
            &format!("user:{uid}"),
            Some(json!(view(&before))),
            Some(json!(view(&after))),
        )
        .await?;
        tx.commit().await?;
        Ok(Tagged(after.version, view(&after)))
    } else {
        Ok(Tagged(before.version, view(&before)))
    }
}

/// Remove a user (admins); not the last admin, nor the marketing contact.
#[utoipa::path(delete, path = "/users/{uid}", tag = "partner", operation_id = "delete_user",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("uid" = String, Path, description = "The user's id."), IfMatchOptional),
    responses((status = 204, description = "Removed."), PartnerScoped,
        (status = 400, body = ErrorBody, description = "`bad_request`: If-Match is not a version."),
        (status = 409, body = ErrorBody, description = "`last_admin` or `is_marketing_contact`."),
        (status = 412, body = ErrorBody, description = "`version_mismatch`: If-Match is not the current version.")))]
pub async fn delete(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, uid)): Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<StatusCode> {
    auth.partner_admin(&pid)?;
    let mut tx = ctx.db.write.begin().await?;
    let before = partner_user_row(&mut tx, &pid, &uid).await?;
    if_match.check_if_present(before.version)?;
    if before.role == "admin" && admin_count(&mut tx, &pid).await? <= 1 {
        return Err(last_admin());
    }
    let is_contact: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM contacts WHERE partner_id = ? AND user_id = ?").bind(&pid).bind(&uid).fetch_optional(&mut *tx).await?;
    if is_contact.is_some() {
        return Err(AppError::conflict(
            ErrorCode::IsMarketingContact,
            "This user is the marketing contact. Assign another marketing contact before removing them.",
        ));
    }
    sqlx::query("DELETE FROM users WHERE id = ?").bind(&uid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "user.delete", &format!("user:{uid}"), Some(json!(view(&before))), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
