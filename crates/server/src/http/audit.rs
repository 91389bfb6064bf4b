//! The audit trail on screen: operators see every entry, a partner's admins
//! their partner's; filtered by partner, actor, action and date range, paged
//! by a cursor (the id), newest first; the filtered trail as CSV.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_api::operator::{AuditActor, AuditEntry, AuditPage, AuditQuery, PartnerAuditQuery, MAX_AUDIT_PAGE};
use benefits_api::ErrorCode;
use chrono::Days;

use crate::auth::Auth;
use crate::clock::fmt_date;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiQuery;
use crate::http::openapi::{PartnerScoped, Query, SignedIn};
use crate::sql::Builder;
use crate::state::ApiContext;

/// The page size when none is asked for.
const DEFAULT_PAGE: u32 = 100;

type AuditRow = (i64, String, Option<String>, Option<String>, Option<String>, String, String, Option<String>, Option<String>);

/// The audit trail, newest first, filtered and paged.
#[utoipa::path(get, path = "/audit", tag = "operator", operation_id = "operator_audit",
    security(("session" = [])),
    params(AuditQuery),
    responses((status = 200, body = AuditPage), SignedIn, Query))]
pub async fn operator_page(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Json<AuditPage>> {
    auth.operator()?;
    Ok(Json(page(&ctx, &q).await?))
}

/// The partner's own audit trail (its admins), newest first, filtered and paged.
#[utoipa::path(get, path = "/audit", tag = "partner", operation_id = "partner_audit",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), PartnerAuditQuery),
    responses((status = 200, body = AuditPage), PartnerScoped, Query))]
pub async fn partner_page(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<PartnerAuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    auth.partner_admin(&pid)?;
    Ok(Json(page(&ctx, &q.for_partner(&pid)).await?))
}

/// The filtered audit trail as CSV (every match, newest first).
#[utoipa::path(get, path = "/audit/export", tag = "operator", operation_id = "operator_audit_csv",
    security(("session" = [])),
    params(AuditQuery),
    responses((status = 200, content_type = "text/csv", body = String,
        headers(("Content-Disposition" = String, description = "attachment; filename=\"audit.csv\""))), SignedIn, Query))]
pub async fn operator_csv(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Response> {
    auth.operator()?;
    csv_response(&ctx, &q, "audit.csv").await
}

/// The partner's filtered audit trail as CSV (its admins).
#[utoipa::path(get, path = "/audit/export", tag = "partner", operation_id = "partner_audit_csv",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), PartnerAuditQuery),
    responses((status = 200, content_type = "text/csv", body = String,
        headers(("Content-Disposition" = String, description = "attachment; filename=\"<pid>-audit.csv\""))), PartnerScoped, Query))]
pub async fn partner_csv(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<PartnerAuditQuery>,
) -> ApiResult<Response> {
    auth.partner_admin(&pid)?;
    let name = format!("{pid}-audit.csv");
    csv_response(&ctx, &q.for_partner(&pid), &name).await
}

fn query_error(field: &str, message: impl Into<String>) -> AppError {
    AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message, field)
}

/// The WHERE clause for the filters (the cursor and order are the caller's).
fn filters(b: &mut Builder<'_>, q: &AuditQuery) -> ApiResult<()> {
    b.push(" WHERE 1 = 1");
    if let Some(pid) = q.partner_id.as_deref() {
        b.push(" AND partner_id = ").push_bind(pid.to_string());
    }
    if let Some(actor) = q.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        b.push(" AND (actor_id = ").push_bind(actor.to_string()).push(" OR lower(actor_email) = lower(").push_bind(actor.to_string()).push("))");
    }
    if let Some(action) = q.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        // `benefit` is the group of `benefit.activate`, `benefit.revoke`, …
        b.push(" AND (action = ").push_bind(action.to_string()).push(" OR substr(action, 1, CAST(").push_bind(action.len() as i64 + 1).push(" AS INTEGER)");
        b.push(") = ").push_bind(format!("{action}.")).push(")");
    }
    if q.before.is_some_and(|b| b < 1) {
        return Err(query_error("before", "`before` is an entry id, 1 or more."));
    }
    // `at` is RFC 3339 UTC text, so days compare as text. A `from` after
    // `to` is an empty range, not an error.
    if let Some(from) = q.from {
        b.push(" AND at >= ").push_bind(fmt_date(from));
    }
    if let Some(to) = q.to {
        let next = to.checked_add_days(Days::new(1)).ok_or_else(|| query_error("to", "`to` is too late."))?;
        b.push(" AND at < ").push_bind(fmt_date(next));
    }
    Ok(())
}

fn check_limit(limit: u32) -> ApiResult<()> {
    if (1..=MAX_AUDIT_PAGE).contains(&limit) {
        Ok(())
    } else {
        Err(query_error("limit", format!("limit must be between 1 and {MAX_AUDIT_PAGE}.")))
    }
}

async fn page(ctx: &ApiContext, q: &AuditQuery) -> ApiResult<AuditPage> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    check_limit(limit)?;
    let mut b = Builder::new("SELECT id, at, actor_id, actor_email, partner_id, action, target, before_json, after_json FROM audit_log");
    filters(&mut b, q)?;
    if let Some(before) = q.before {
        b.push(" AND id < ").push_bind(before);
    }
    // One more than the page tells whether an older page exists.
    b.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    let mut rows: Vec<AuditRow> = b.build_query_as().fetch_all(&ctx.db.read).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_before = if more { rows.last().map(|r| r.0) } else { None };
    Ok(AuditPage { items: rows.into_iter().map(entry).collect(), next_before })
}

fn entry((id, at, actor_id, actor_email, partner_id, action, target, before, after): AuditRow) -> AuditEntry {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    AuditEntry {
        id,
        at,
        actor: actor_id.map(|id| AuditActor { id, email: actor_email }),
        partner_id,
        action,
        target,
        before: parse(before),
        after: parse(after),
    }
}

async fn csv_response(ctx: &ApiContext, q: &AuditQuery, file_name: &str) -> ApiResult<Response> {
    let mut b = Builder::new("SELECT id, at, actor_id, actor_email, partner_id, action, target, before_json, after_json FROM audit_log");
    filters(&mut b, q)?;
    if let Some(before) = q.before {
        b.push(" AND id < ").push_bind(before);
    }
    b.push(" ORDER BY id DESC");
    // Every match by default; `limit`, when given, keeps the newest that many.
    if let Some(limit) = q.limit {
        check_limit(limit)?;
        b.push(" LIMIT ").push_bind(i64::from(limit));
    }
    let rows: Vec<AuditRow> = b.build_query_as().fetch_all(&ctx.db.read).await?;
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "at", "actor_id", "actor_email", "partner_id", "action", "target", "before", "after"]).map_err(csv_err)?;
    for (id, at, actor_id, actor_email, partner_id, action, target, before, after) in rows {
        w.write_record([
            id.to_string(),
            at,
            actor_id.unwrap_or_default(),
            actor_email.unwrap_or_default(),
            partner_id.unwrap_or_default(),
            action,
            target,
            before.unwrap_or_default(),
            after.unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")).map_err(AppError::internal)?;
    res.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    Ok(res)
}
