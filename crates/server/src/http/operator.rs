//! The Rewards team's routes: partners, sales and fraud flags, the activation
//! queue, delivery and revocation, catalogs, audit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::benefits::BenefitView;
use benefits_api::operator::{
    Advance, AuditActor, AuditEntry, AuditQuery, CatalogEntry, FraudFlag, LimitQuery, PartnerQuery, PartnerSummary, QueueContact,
    QueueItem, Revoke, SaleView,
};
use benefits_api::feed::PublishQuery;
use benefits_domain::activation::{BenefitState, BenefitStatus, Role};
use benefits_domain::catalog::{version_state, Published, VersionState};
use benefits_domain::Catalog;
use serde_json::json;

use crate::auth::Auth;
use crate::clock::{fmt_date, now_rfc3339, parse_date};
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, IfMatch, Stored, Tagged};
use crate::http::benefits::{apply, Transition};
use crate::http::openapi::{IfMatchRequired, JsonBody, PartnerScoped, Query, SignedIn, Versioned};
use crate::state::ApiContext;
use crate::store::{self, PartnerRow, SaleRow};
use crate::workspace;

/// Partners with their tier and activation figures.
#[utoipa::path(get, path = "/partners", tag = "operator", operation_id = "operator_partners",
    security(("session" = [])),
    params(PartnerQuery),
    responses((status = 200, body = Vec<PartnerSummary>), SignedIn, Query))]
pub async fn partners(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<PartnerQuery>) -> ApiResult<Json<Vec<PartnerSummary>>> {
    auth.operator()?;
    let pattern = format!("%{}%", q.q.unwrap_or_default().trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let rows: Vec<PartnerRow> = sqlx::query_as(
        "SELECT id, name, account_email, first_benefit_date, engagement_manager_id, data_version FROM partners \
         WHERE name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' ORDER BY name LIMIT 500",
    )
    .bind(&pattern)
    .bind(&pattern)
    .fetch_all(&ctx.db.read)
    .await?;
    let today = ctx.today();
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let snap = workspace::snapshot(&ctx, &p.id, today).await?;
        let (active, overdue) = snap.active_counts(today);
        out.push(PartnerSummary {
            id: p.id,
            name: p.name,
            account_email: p.account_email,
            effective_tier: snap.evaluation.effective_tier,
            transact_tier_today: snap.evaluation.transact_tier_today,
            mbs: snap.evaluation.metrics.mbs.value,
            active_activations: active as u64,
            overdue: overdue as u64,
        });
    }
    Ok(Json(out))
}

async fn existing_partner(ctx: &ApiContext, pid: &str) -> ApiResult<PartnerRow> {
    let mut conn = ctx.db.read.acquire().await?;
    store::partner(&mut conn, pid).await?.ok_or_else(AppError::not_found)
}

/// A partner's sales lines with their fraud flags.
#[utoipa::path(get, path = "/partners/{pid}/sales", tag = "operator", operation_id = "operator_sales",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<SaleView>), PartnerScoped))]
pub async fn partner_sales(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<SaleView>>> {
    auth.operator()?;
    existing_partner(&ctx, &pid).await?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(store::sales(&mut conn, &pid).await?.iter().map(SaleRow::view).collect::<ApiResult<_>>()?))
}

/// A partner's benefits with the operator's actions.
#[utoipa::path(get, path = "/partners/{pid}/benefits", tag = "operator", operation_id = "operator_benefits",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<BenefitView>), PartnerScoped))]
pub async fn partner_benefits(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<BenefitView>>> {
    auth.operator()?;
    let today = ctx.today();
    let snap = workspace::snapshot(&ctx, &pid, today).await?;
    Ok(Json(snap.benefit_views(snap.actor(Role::Operator, &auth.user.id), today)))
}

/// Flag a sale as fraudulent, or clear the flag, with a note.
#[utoipa::path(post, path = "/sales/{sale_id}/fraud", tag = "operator", operation_id = "flag_fraud",
    security(("session" = [], "csrf" = [])),
    params(("sale_id" = i64, Path, description = "The sale's id."), IfMatchRequired),
    request_body = FraudFlag,
    responses((status = 200, body = SaleView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned))]
pub async fn flag_fraud(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(sale_id): Path<String>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<FraudFlag>,
) -> ApiResult<Tagged<SaleView>> {
    auth.operator()?;
    let note = crate::http::corrections::check_reason("note", &body.note)?;
    let sale_id: i64 = sale_id.parse().map_err(|_| AppError::not_found())?;
    let mut tx = ctx.db.write.begin().await?;
    let before = store::sale(&mut tx, sale_id).await?.ok_or_else(AppError::not_found)?;
    if_match.check(before.version)?;
    if before.fraud == body.fraud {
        return Ok(Tagged(before.version, before.view()?));
    }
    sqlx::query("UPDATE sales SET fraud = ?, fraud_note = ?, version = version + 1 WHERE id = ? AND version = ?")
        .bind(body.fraud)
        .bind(&note)
        .bind(sale_id)
        .bind(before.version)
        .execute(&mut *tx)
        .await?;
    store::bump_data_version(&mut tx, &before.partner_id).await?;
    let after = store::sale(&mut tx, sale_id).await?.ok_or_else(|| AppError::internal("sale vanished"))?;
    store::audit(
        &mut tx,
        Some(&auth.user),
        Some(&before.partner_id),
        if body.fraud { "sale.flag_fraud" } else { "sale.unflag_fraud" },
        &format!("sale:{sale_id}"),
        Some(json!(before.view()?)),
        Some(json!(after.view()?)),
    )
    .await?;
    tx.commit().await?;
    Ok(Tagged(after.version, after.view()?))
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    partner_id: String,
    partner_name: String,
    benefit_id: String,
    year_start: String,
    state_json: String,
    version: i64,
    c_name: Option<String>,
    c_email: Option<String>,
    c_phone: Option<String>,
    c_language: Option<String>,
}

/// The activation queue: benefits being worked on, overdue first.
#[utoipa::path(get, path = "/activations", tag = "operator", operation_id = "activations",
    security(("session" = [])),
    responses((status = 200, body = Vec<QueueItem>), SignedIn))]
pub async fn activations(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<QueueItem>>> {
    auth.operator()?;
    let today = ctx.today();
    // The stored status as of its last change; `status_on(today)` below drops the ones expired since.
    let active = BenefitStatus::ACTIVE.map(|s| format!("'{}'", s.as_str())).join(", ");
    let rows: Vec<QueueRow> = sqlx::query_as(&format!(
        "SELECT r.partner_id, p.name AS partner_name, r.benefit_id, r.year_start, r.state_json, r.version, \
                u.name AS c_name, c.email AS c_email, c.phone AS c_phone, c.language AS c_language \
         FROM benefit_records r JOIN partners p ON p.id = r.partner_id \
         LEFT JOIN contacts c ON c.partner_id = r.partner_id LEFT JOIN users u ON u.id = c.user_id \
         WHERE r.status IN ({active})"
    ))
    .fetch_all(&ctx.db.read)
    .await?;
    let catalog = {
        let mut conn = ctx.db.read.acquire().await?;
        let seq = store::catalog_seq_on(&mut conn, today).await?;
        store::catalog_by_seq(&mut conn, seq).await?
    };
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let state: BenefitState = serde_json::from_str(&r.state_json)?;
        let status = state.status_on(today);
        if !status.is_active() {
            continue;
        }
        items.push(QueueItem {
            benefit_name: catalog.benefit(&r.benefit_id).map(|b| b.name.clone()).unwrap_or_else(|| r.benefit_id.clone()),
            partner_id: r.partner_id,
            partner_name: r.partner_name,
            benefit_id: r.benefit_id,
            year_start: crate::clock::parse_date(&r.year_start)?,
            status,
            activated_on: state.activated_on,
            contact_by: state.contact_by,
            contact_overdue: state.contact_overdue(today),
            version: r.version,
            contact: match (r.c_name, r.c_email, r.c_phone, r.c_language) {
                (Some(name), Some(email), Some(phone), Some(language)) => Some(QueueContact { name, email, phone, language }),
                _ => None,
            },
        });
    }
    items.sort_by(|a, b| {
        b.contact_overdue
            .cmp(&a.contact_overdue)
            .then_with(|| a.contact_by.cmp(&b.contact_by))
            .then_with(|| a.partner_id.cmp(&b.partner_id))
            .then_with(|| a.benefit_id.cmp(&b.benefit_id))
    });
    Ok(Json(items))
}

/// Record a delivery step: contacted, in progress, delivered.
#[utoipa::path(post, path = "/partners/{pid}/benefits/{bid}/advance", tag = "operator", operation_id = "advance",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("bid" = String, Path, description = "The benefit's id."), IfMatchRequired),
    request_body = Advance,
    responses((status = 200, body = BenefitView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned,
        (status = 409, body = ErrorBody, description = "The benefit's state does not allow this step (`invalid_transition`, `revoked`, …).")))]
pub async fn advance(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, bid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<Advance>,
) -> ApiResult<Stored<BenefitView>> {
    auth.operator()?;
    apply(&ctx, &auth, &pid, &bid, &if_match, Transition::Advance(body.to.into()), None).await
}

/// Revoke a benefit for a program reason.
#[utoipa::path(post, path = "/partners/{pid}/benefits/{bid}/revoke", tag = "operator", operation_id = "revoke",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("bid" = String, Path, description = "The benefit's id."), IfMatchRequired),
    request_body = Revoke,
    responses((status = 200, body = BenefitView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned,
        (status = 409, body = ErrorBody, description = "The benefit's state does not allow a revocation.")))]
pub async fn revoke(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, bid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<Revoke>,
) -> ApiResult<Stored<BenefitView>> {
    auth.operator()?;
    if body.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(AppError::invalid_field("note", "too_long", "Use at most 2000 characters."));
    }
    apply(&ctx, &auth, &pid, &bid, &if_match, Transition::Revoke(body.reason, body.note), None).await
}

/// Published catalog versions, latest effective first, each scheduled, in force or superseded.
#[utoipa::path(get, path = "/catalogs", tag = "operator", operation_id = "catalogs",
    security(("session" = [])),
    responses((status = 200, body = Vec<CatalogEntry>), SignedIn))]
pub async fn catalogs(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<CatalogEntry>>> {
    auth.operator()?;
    type Row = (i64, String, String, String, Option<String>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.seq, c.version, c.json, c.published_at, u.email, c.effective_from FROM catalogs c LEFT JOIN users u ON u.id = c.published_by \
         ORDER BY c.effective_from DESC, c.seq DESC",
    )
    .fetch_all(&ctx.db.read)
    .await?;
    let versions: Vec<Published> = rows.iter().map(|r| Ok(Published { seq: r.0, effective_from: parse_date(&r.5)? })).collect::<ApiResult<_>>()?;
    let today = ctx.today();
    rows.into_iter()
        .zip(&versions)
        .map(|((_, version, json, published_at, published_by, _), v)| {
            let catalog: Catalog = serde_json::from_str(&json)?;
            let state = version_state(&versions, *v, today);
            Ok(CatalogEntry { version, published_at, published_by, effective_from: v.effective_from, state, current: state == VersionState::InForce, catalog })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Json)
}

/// Publish a new catalog version, in force from `effective_from` (today by
/// default; a later day schedules it). Grants already recorded are kept
/// whatever it says. Parsed and checked by the domain.
#[utoipa::path(post, path = "/catalogs", tag = "operator", operation_id = "publish_catalog",
    security(("session" = [], "csrf" = [])),
    params(PublishQuery),
    request_body = Catalog,
    responses((status = 201, body = CatalogEntry), SignedIn, JsonBody,
        (status = 409, body = ErrorBody, description = "`catalog_version_exists`: give the new catalog a new version.")))]
pub async fn publish_catalog(
    State(ctx): State<ApiContext>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PublishQuery>,
    req: axum::extract::Request,
) -> ApiResult<Stored<CatalogEntry>> {
    auth.operator()?;
    let today = ctx.today();
    let effective_from = match q.effective_from.as_deref() {
        None | Some("") => today,
        Some(s) => benefits_domain::parse::date::parse(s).map_err(|m| AppError::invalid_field("effective_from", "invalid", m))?,
    };
    if effective_from < today {
        return Err(AppError::invalid_field(
            "effective_from",
            "in_past",
            "A catalog version applies from today or a later day; grants already recorded are never re-decided.",
        ));
    }
    let ct = crate::extract::content_type(req.headers());
    if ct != "application/json" {
        return Err(AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, "Send the catalog as JSON."));
    }
    let bytes = crate::extract::body_bytes(req, crate::extract::JSON_LIMIT).await?;
    let text = std::str::from_utf8(&bytes).map_err(|_| AppError::bad_request("The body is not UTF-8 text."))?;
    let catalog = benefits_domain::parse::parse_catalog(text).map_err(|e| {
        let field = if e.field.is_empty() { "catalog".to_string() } else { e.field.clone() };
        AppError::invalid_field(field, "invalid", e.to_string())
    })?;
    let mut tx = ctx.db.write.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT seq FROM catalogs WHERE version = ?").bind(&catalog.version).fetch_optional(&mut *tx).await?;
    if exists.is_some() {
        return Err(AppError::with_field(
            StatusCode::CONFLICT,
            ErrorCode::CatalogVersionExists,
            format!("Catalog version `{}` is already published; give the new catalog a new version.", catalog.version),
            "catalog.version",
        ));
    }
    let published_at = now_rfc3339();
    let json_text = serde_json::to_string(&catalog)?;
    let from = fmt_date(effective_from);
    sqlx::query("INSERT INTO catalogs (version, json, published_at, published_by, effective_from) VALUES (?, ?, ?, ?, ?)")
        .bind(&catalog.version)
        .bind(&json_text)
        .bind(&published_at)
        .bind(&auth.user.id)
        .bind(&from)
        .execute(&mut *tx)
        .await?;
    let after = json!({"version": catalog.version, "effective_from": from});
    store::audit(&mut tx, Some(&auth.user), None, "catalog.publish", &format!("catalog:{}", catalog.version), None, Some(after)).await?;
    tx.commit().await?;
    let state = if effective_from > today { VersionState::Scheduled } else { VersionState::InForce };
    let entry = CatalogEntry {
        version: catalog.version.clone(),
        published_at,
        published_by: Some(auth.user.email.clone()),
        effective_from,
        state,
        current: state == VersionState::InForce,
        catalog,
    };
    Stored::json(StatusCode::CREATED, None, &entry)
}

type AuditRow = (i64, String, Option<String>, Option<String>, Option<String>, String, String, Option<String>, Option<String>);

pub async fn audit_entries(ctx: &ApiContext, partner_id: Option<&str>, limit: Option<i64>) -> ApiResult<Vec<AuditEntry>> {
    let limit = limit.unwrap_or(200).clamp(1, 1000);
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, actor_id, actor_email, partner_id, action, target, before_json, after_json FROM audit_log \
         WHERE (?1 IS NULL OR partner_id = ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(partner_id)
    .bind(limit)
    .fetch_all(&ctx.db.read)
    .await?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(rows
        .into_iter()
        .map(|(id, at, actor_id, actor_email, partner_id, action, target, before, after)| AuditEntry {
            id,
            at,
            actor: actor_id.map(|id| AuditActor { id, email: actor_email }),
            partner_id,
            action,
            target,
            before: parse(before),
            after: parse(after),
        })
        .collect())
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/audit", tag = "operator", operation_id = "operator_audit",
    security(("session" = [])),
    params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), SignedIn, Query))]
pub async fn audit(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> ApiResult<Json<Vec<AuditEntry>>> {
    auth.operator()?;
    Ok(Json(audit_entries(&ctx, q.partner_id.as_deref(), q.limit).await?))
}

/// The partner's own audit log (admins), newest first.
#[utoipa::path(get, path = "/audit", tag = "partner", operation_id = "partner_audit",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), LimitQuery),
    responses((status = 200, body = Vec<AuditEntry>), PartnerScoped, Query))]
pub async fn partner_audit(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiQuery(q): ApiQuery<LimitQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    auth.partner_admin(&pid)?;
    Ok(Json(audit_entries(&ctx, Some(&pid), q.limit).await?))
}
