//! Account settings: the partner's users (people join by invitation, see `invitations`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_domain::contact::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::{Auth, UserRow};
use crate::error::{ApiResult, AppError};
use crate::extract::{with_etag, ApiJson, IfMatch};
use crate::state::ApiContext;
use crate::store;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub version: i64,
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> Self {
        UserView { id: u.id.clone(), email: u.email.clone(), name: u.name.clone(), role: u.role.clone(), version: u.version }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    pub role: String,
}

fn field(field: &str, code: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

fn partner_role(role: &str, errors: &mut Vec<FieldError>) {
    if role != "admin" && role != "member" {
        errors.push(field("role", "invalid_role", "Choose admin or member."));
    }
}

pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<UserView>>> {
    auth.partner_user(&pid)?;
    let users: Vec<UserRow> =
        sqlx::query_as("SELECT id, partner_id, email, name, role, version FROM users WHERE partner_id = ? ORDER BY name, email")
            .bind(&pid)
            .fetch_all(&ctx.db.read)
            .await?;
    Ok(Json(users.iter().map(UserView::from).collect()))
}

async fn partner_user_row(conn: &mut sqlx::SqliteConnection, pid: &str, uid: &str) -> ApiResult<UserRow> {
    store::user(conn, uid).await?.filter(|u| u.partner_id.as_deref() == Some(pid)).ok_or_else(AppError::not_found)
}

async fn admin_count(conn: &mut sqlx::SqliteConnection, pid: &str) -> ApiResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE partner_id = ? AND role = 'admin'").bind(pid).fetch_one(conn).await?)
}

fn last_admin() -> AppError {
    AppError::conflict("last_admin", "The partner account must keep at least one admin. Make another user an admin first.")
}

pub async fn patch(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, uid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<PatchUser>,
) -> ApiResult<Response> {
    auth.partner_admin(&pid)?;
    let mut errors = Vec::new();
    partner_role(&body.role, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation { message: errors[0].message.clone(), errors });
    }
    let mut tx = ctx.db.write.begin().await?;
    let before = partner_user_row(&mut tx, &pid, &uid).await?;
    if_match.check(before.version)?;
    if before.role == "admin" && body.role != "admin" && admin_count(&mut tx, &pid).await? <= 1 {
        return Err(last_admin());
    }
    let after = UserRow { role: body.role.clone(), version: before.version + 1, ..before.clone() };
    if after.role != before.role {
        sqlx::query("UPDATE users SET role = ?, version = version + 1 WHERE id = ? AND version = ?")
            .bind(&after.role)
            .bind(&uid)
            .bind(before.version)
            .execute(&mut *tx)
            .await?;
        store::bump_data_version(&mut tx, &pid).await?;
        // A new role starts from a new sign-in: no session keeps the old rights.
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(&uid).execute(&mut *tx).await?;
        store::audit(
            &mut tx,
            Some(&auth.user),
            Some(&pid),
            "user.role",
            &format!("user:{uid}"),
            Some(json!(UserView::from(&before))),
            Some(json!(UserView::from(&after))),
        )
        .await?;
        tx.commit().await?;
        Ok(with_etag(StatusCode::OK, after.version, &UserView::from(&after)))
    } else {
        Ok(with_etag(StatusCode::OK, before.version, &UserView::from(&before)))
    }
}

pub async fn delete(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, uid)): Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<Response> {
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
            "is_marketing_contact",
            "This user is the marketing contact. Assign another marketing contact before removing them.",
        ));
    }
    // Its sessions go with it (ON DELETE CASCADE).
    sqlx::query("DELETE FROM users WHERE id = ?").bind(&uid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "user.delete", &format!("user:{uid}"), Some(json!(UserView::from(&before))), None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
