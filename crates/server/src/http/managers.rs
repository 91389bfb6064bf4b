//! Engagement managers: any operator assigns one (or none) to a partner, or
//! to several partners at once (all or nothing); every change is audited.
//! The partner sees their manager in the workspace once a Transact offer is live.

use axum::extract::{Path, State};
use axum::Json;
use benefits_api::operator::{BulkManagerAssignment, ManagerAssignment, ManagerOfPartner, OperatorView};
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::openapi::{JsonBody, PartnerScoped, SignedIn};
use crate::state::ApiContext;
use crate::store;

/// The most partners one bulk assignment may name.
pub const BULK_LIMIT: usize = 500;

/// Every operator, by name: whom a partner can be assigned to.
#[utoipa::path(get, path = "/operators", tag = "operator", operation_id = "operator_list",
    security(("session" = [])),
    responses((status = 200, body = Vec<OperatorView>), SignedIn))]
pub async fn operators(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<OperatorView>>> {
    auth.operator()?;
    let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT id, name, email FROM users WHERE role = 'operator' ORDER BY name, id")
        .fetch_all(&ctx.db.read)
        .await?;
    Ok(Json(rows.into_iter().map(|(id, name, email)| OperatorView { id, name, email }).collect()))
}

/// The partner's engagement manager, if any.
#[utoipa::path(get, path = "/partners/{pid}/engagement-manager", tag = "operator", operation_id = "engagement_manager",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = ManagerOfPartner), PartnerScoped))]
pub async fn current(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<ManagerOfPartner>> {
    auth.operator()?;
    let mut conn = ctx.db.read.acquire().await?;
    let partner = store::partner(&mut conn, &pid).await?.ok_or_else(AppError::not_found)?;
    let manager = manager_of(&mut conn, &partner).await?;
    Ok(Json(ManagerOfPartner { partner_id: pid, manager }))
}

/// The partner's engagement manager, if it is (still) an operator.
pub async fn manager_of(conn: &mut AnyConnection, partner: &store::PartnerRow) -> ApiResult<Option<OperatorView>> {
    Ok(match partner.engagement_manager_id.as_deref() {
        Some(uid) => manager(conn, Some(uid), "user_id").await.ok().flatten(),
        None => None,
    })
}

/// Assign the partner's engagement manager (an operator), or remove it with `null`.
#[utoipa::path(put, path = "/partners/{pid}/engagement-manager", tag = "operator", operation_id = "assign_engagement_manager",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    request_body = ManagerAssignment,
    responses((status = 200, body = ManagerOfPartner), PartnerScoped, JsonBody))]
pub async fn assign(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiJson(body): ApiJson<ManagerAssignment>,
) -> ApiResult<Json<ManagerOfPartner>> {
    auth.operator()?;
    let mut tx = ctx.db.write.begin().await?;
    let manager = manager(&mut tx, body.user_id.as_deref(), "user_id").await?;
    let done = set_manager(&mut tx, &auth, &pid, manager).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(Json(done))
}

/// Assign one engagement manager (or none) to several partners: all or
/// nothing, audited per partner.
#[utoipa::path(post, path = "/engagement-managers", tag = "operator", operation_id = "assign_engagement_managers",
    security(("session" = [], "csrf" = [])),
    request_body = BulkManagerAssignment,
    responses((status = 200, body = Vec<ManagerOfPartner>), SignedIn, JsonBody))]
pub async fn assign_many(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<BulkManagerAssignment>) -> ApiResult<Json<Vec<ManagerOfPartner>>> {
    auth.operator()?;
    if body.partner_ids.is_empty() || body.partner_ids.len() > BULK_LIMIT {
        return Err(AppError::invalid_count("partner_ids", BULK_LIMIT, format!("Name between 1 and {BULK_LIMIT} partners.")));
    }
    let mut tx = ctx.db.write.begin().await?;
    let manager = manager(&mut tx, body.user_id.as_deref(), "user_id").await?;
    let mut out = Vec::with_capacity(body.partner_ids.len());
    for (i, pid) in body.partner_ids.iter().enumerate() {
        match set_manager(&mut tx, &auth, pid, manager.clone()).await? {
            Some(done) => out.push(done),
            // Nothing is written: the transaction is dropped.
            None => return Err(AppError::invalid_field(format!("partner_ids[{i}]"), "unknown", format!("There is no partner {pid}."))),
        }
    }
    tx.commit().await?;
    Ok(Json(out))
}

/// The operator named by `user_id`, or a field error.
async fn manager(conn: &mut AnyConnection, user_id: Option<&str>, field: &str) -> ApiResult<Option<OperatorView>> {
    let Some(uid) = user_id else { return Ok(None) };
    let row: Option<(String, String, String)> = sqlx::query_as("SELECT id, name, email FROM users WHERE id = $1 AND role = 'operator'")
        .bind(uid)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(id, name, email)| Some(OperatorView { id, name, email }))
        .ok_or_else(|| AppError::invalid_field(field, "not_an_operator", "An engagement manager must be one of the program's operators."))
}

/// Sets the manager; `None` when the partner does not exist.
async fn set_manager(conn: &mut AnyConnection, auth: &Auth, pid: &str, manager: Option<OperatorView>) -> ApiResult<Option<ManagerOfPartner>> {
    let Some(before) = store::partner(&mut *conn, pid).await? else { return Ok(None) };
    let new_id = manager.as_ref().map(|m| m.id.clone());
    if before.engagement_manager_id != new_id {
        sqlx::query("UPDATE partners SET engagement_manager_id = $1, data_version = data_version + 1 WHERE id = $2")
            .bind(&new_id)
            .bind(pid)
            .execute(&mut *conn)
            .await?;
        store::audit(
            &mut *conn,
            Some(&auth.user),
            Some(pid),
            "partner.engagement_manager",
            &format!("partner:{pid}"),
            Some(json!({ "engagement_manager_id": before.engagement_manager_id })),
            Some(json!({ "engagement_manager_id": new_id })),
        )
        .await?;
    }
    Ok(Some(ManagerOfPartner { partner_id: pid.to_string(), manager }))
}
