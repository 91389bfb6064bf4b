//! Account settings: the partner's users. People join by invitation
//! (`invitations`): nobody types another person's password.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::users::{RoleChange, UserView};
use serde_json::json;

use crate::auth::{Auth, UserRow};
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, IfMatch, Tagged};
use crate::http::openapi::{IfMatchOptional, IfMatchRequired, JsonBody, PartnerScoped, Versioned};
use crate::state::ApiContext;
use crate::store;

fn view(u: &UserRow) -> UserView {
    UserView { id: u.id.clone(), email: u.email.clone(), name: u.name.clone(), role: u.role(), version: u.version }
}

/// The partner's users.
#[utoipa::path(get, path = "/users", tag = "partner", operation_id = "users",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<UserView>), PartnerScoped))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<UserView>>> {
    auth.partner_user(&pid)?;
    let users: Vec<UserRow> =
        sqlx::query_as("SELECT id, partner_id, email, name, role, version FROM users WHERE partner_id = $1 ORDER BY name, email")
            .bind(&pid)
            .fetch_all(&ctx.db.read)
            .await?;
    Ok(Json(users.iter().map(view).collect()))
}

async fn partner_user_row(conn: &mut sqlx::AnyConnection, pid: &str, uid: &str) -> ApiResult<UserRow> {
    store::user(conn, uid).await?.filter(|u| u.partner_id.as_deref() == Some(pid)).ok_or_else(AppError::not_found)
}

async fn admin_count(conn: &mut sqlx::AnyConnection, pid: &str) -> ApiResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE partner_id = $1 AND role = 'admin'").bind(pid).fetch_one(conn).await?)
}

fn last_admin() -> AppError {
    AppError::conflict(ErrorCode::LastAdmin, "The partner account must keep at least one admin. Make another user an admin first.")
}

/// Change a user's role (admins); their sessions end. The account keeps at least one admin.
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
        let changed = sqlx::query("UPDATE users SET role = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(&after.role)
            .bind(&uid)
            .bind(before.version)
            .execute(&mut *tx)
            .await?;
        if changed.rows_affected() != 1 {
            return Err(AppError::version_mismatch());
        }
        store::bump_data_version(&mut tx, &pid).await?;
        // A new role starts from a new sign-in: no session keeps the old rights.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&uid).execute(&mut *tx).await?;
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

/// Remove a user (admins), ending their sessions; not the last admin, nor the marketing contact.
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
        sqlx::query_scalar("SELECT user_id FROM contacts WHERE partner_id = $1 AND user_id = $2").bind(&pid).bind(&uid).fetch_optional(&mut *tx).await?;
    if is_contact.is_some() {
        return Err(AppError::conflict(
            ErrorCode::IsMarketingContact,
            "This user is the marketing contact. Assign another marketing contact before removing them.",
        ));
    }
    // Its sessions go with it (ON DELETE CASCADE).
    sqlx::query("DELETE FROM users WHERE id = $1").bind(&uid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "user.delete", &format!("user:{uid}"), Some(json!(view(&before))), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
