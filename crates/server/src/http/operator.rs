//! The Rewards team's routes: partners, sales and fraud flags, the activation
//! queue, delivery and revocation, catalogs, audit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::benefits::BenefitView;
use benefits_api::operator::{
    Advance, CatalogEntry, CatalogImpact, PartnerImpact, PartnerPage, PartnerQuery, PartnerSort, PartnerSummary, Revoke, SaleView,
    DEFAULT_LIST_PAGE, DEFAULT_PARTNER_PAGE, MAX_LIST_PAGE, MAX_PARTNER_PAGE,
};
use benefits_api::feed::PublishQuery;
use benefits_domain::activation::Role;
use benefits_domain::catalog::{version_state, Published, VersionState};
use benefits_domain::Catalog;
use serde_json::json;
use benefits_domain::Cents;

use crate::auth::Auth;
use crate::clock::{fmt_date, now_rfc3339, parse_date};
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, ApiQuery, IfMatch, Stored};
use crate::http::benefits::{apply, Transition};
use crate::http::openapi::{IfMatchRequired, JsonBody, PartnerScoped, Query, SignedIn, Versioned};
use crate::state::ApiContext;
use crate::store::{self, PartnerRow, SaleRow};
use crate::workspace;
use crate::sql::Builder;

/// A page of partners with their tier and activation figures, read from the
/// per-partner summary (see `crate::summary`): searched, filtered, ordered and
/// paged in the database, with the total count.
#[utoipa::path(get, path = "/partners", tag = "operator", operation_id = "operator_partners",
    security(("session" = [])),
    params(PartnerQuery),
    responses((status = 200, body = PartnerPage), SignedIn, Query))]
pub async fn partners(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<PartnerQuery>) -> ApiResult<Json<PartnerPage>> {
    auth.operator()?;
    let limit = q.limit.unwrap_or(DEFAULT_PARTNER_PAGE);
    if !(1..=MAX_PARTNER_PAGE).contains(&limit) {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("limit must be between 1 and {MAX_PARTNER_PAGE}."), "limit"));
    }
    let offset = q.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("offset must be at most {MAX_OFFSET}."), "offset"));
    }
    if q.tier.is_some_and(|t| t > MAX_TIER) {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("tier must be between 0 and {MAX_TIER}."), "tier"));
    }
    let today = ctx.today();
    // One scan when every summary is current (the usual case at scale);
    // otherwise refresh a bounded batch and count what is left.
    let mut refreshing = crate::summary::stale_count(&ctx, today).await?;
    if refreshing > 0 {
        crate::summary::refresh_stale(&ctx, today, Some(crate::summary::REFRESH_PER_REQUEST)).await?;
        refreshing = crate::summary::stale_count(&ctx, today).await?;
    }

    let mut count = Builder::new("SELECT COUNT(*) FROM partners p LEFT JOIN partner_summary s ON s.partner_id = p.id");
    partner_filters(&mut count, &q);
    let total: i64 = count.build_query_scalar().fetch_one(&ctx.db.read).await?;

    let mut page = Builder::new(
        "SELECT p.id, p.name, p.account_email, p.engagement_manager_id, s.effective_tier, s.transact_tier_today, \
         COALESCE(s.mbs_cents, 0) AS mbs_cents, COALESCE(s.active_activations, 0) AS active_activations, \
         COALESCE(s.overdue, 0) AS overdue FROM partners p LEFT JOIN partner_summary s ON s.partner_id = p.id",
    );
    partner_filters(&mut page, &q);
    let dir = if q.desc.unwrap_or(false) { "DESC" } else { "ASC" };
    let key = match q.sort.unwrap_or_default() {
        PartnerSort::Name => "p.name",
        PartnerSort::Mbs => "COALESCE(s.mbs_cents, 0)",
        PartnerSort::Tier => "COALESCE(s.effective_tier, 0)",
        PartnerSort::Overdue => "COALESCE(s.overdue, 0)",
    };
    page.push(format_args!(" ORDER BY {key} {dir}, p.name {dir}, p.id {dir} LIMIT "));
    page.push_bind(i64::from(limit));
    page.push(" OFFSET ");
    page.push_bind(offset as i64);
    let rows: Vec<SummaryRow> = page.build_query_as().fetch_all(&ctx.db.read).await?;
    Ok(Json(PartnerPage {
        total: total as u64,
        offset,
        limit,
        refreshing,
        items: rows.into_iter().map(SummaryRow::view).collect(),
    }))
}

/// The bounds the document states for `offset` and `tier`.
const MAX_OFFSET: u64 = 1_000_000_000;

/// `limit` (1 to 200, default 50) and `offset` of the activation queue and
/// the sales list; out of bounds is refused naming the field, never capped.
pub fn page_bounds(limit: Option<u32>, offset: Option<u64>) -> ApiResult<(u32, u64)> {
    let limit = limit.unwrap_or(DEFAULT_LIST_PAGE);
    if !(1..=MAX_LIST_PAGE).contains(&limit) {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("limit must be between 1 and {MAX_LIST_PAGE}."), "limit"));
    }
    let offset = offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("offset must be at most {MAX_OFFSET}."), "offset"));
    }
    Ok((limit, offset))
}
const MAX_TIER: u32 = 1000;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    account_email: String,
    engagement_manager_id: Option<String>,
    effective_tier: Option<i64>,
    transact_tier_today: Option<i64>,
    mbs_cents: i64,
    active_activations: i64,
    overdue: i64,
}

impl SummaryRow {
    fn view(self) -> PartnerSummary {
        PartnerSummary {
            id: self.id,
            name: self.name,
            account_email: self.account_email,
            effective_tier: self.effective_tier.map(|t| t as u32),
            transact_tier_today: self.transact_tier_today.map(|t| t as u32),
            mbs: Cents(self.mbs_cents),
            active_activations: self.active_activations as u64,
            overdue: self.overdue as u64,
            engagement_manager_id: self.engagement_manager_id,
        }
    }
}

/// The WHERE clause of the partner list: search and filters, all bound.
fn partner_filters(b: &mut Builder<'_>, q: &PartnerQuery) {
    b.push(" WHERE 1 = 1");
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        b.push(" AND (lower(p.name) LIKE lower(").push_bind(pattern.clone()).push(") ESCAPE '\\'");
        b.push(" OR lower(p.id) LIKE lower(").push_bind(pattern.clone()).push(") ESCAPE '\\'");
        b.push(" OR lower(p.account_email) LIKE lower(").push_bind(pattern.clone()).push(") ESCAPE '\\'");
        b.push(" OR EXISTS (SELECT 1 FROM users u WHERE u.partner_id = p.id AND lower(u.email) LIKE lower(").push_bind(pattern).push(") ESCAPE '\\'))");
    }
    match q.tier {
        Some(0) => {
            b.push(" AND s.effective_tier IS NULL");
        }
        Some(t) => {
            b.push(" AND s.effective_tier = ").push_bind(i64::from(t));
        }
        None => {}
    }
    if let Some(t) = q.offer_type {
        b.push(" AND EXISTS (SELECT 1 FROM offers o WHERE o.partner_id = p.id AND o.type = ").push_bind(t.as_str()).push(")");
    }
    match q.overdue {
        Some(true) => {
            b.push(" AND COALESCE(s.overdue, 0) > 0");
        }
        Some(false) => {
            b.push(" AND COALESCE(s.overdue, 0) = 0");
        }
        None => {}
    }
    if let Some(m) = q.manager.as_deref() {
        b.push(" AND p.engagement_manager_id = ").push_bind(m.to_string());
    }
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
        return Err(AppError::invalid_field_max("note", "too_long", 2000, "Use at most 2000 characters."));
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
    let effective_from = effective_from(&q, today)?;
    let catalog = catalog_body(req).await?;
    let mut tx = ctx.db.write.begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT seq FROM catalogs WHERE version = $1").bind(&catalog.version).fetch_optional(&mut *tx).await?;
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
    sqlx::query("INSERT INTO catalogs (version, json, published_at, published_by, effective_from) VALUES ($1, $2, $3, $4, $5)")
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

/// `?effective_from=`: today by default, never before today.
fn effective_from(q: &PublishQuery, today: chrono::NaiveDate) -> ApiResult<chrono::NaiveDate> {
    let day = match q.effective_from.as_deref() {
        None | Some("") => today,
        Some(s) => benefits_domain::parse::date::parse(s).map_err(|e| AppError::input(e, "effective_from"))?,
    };
    benefits_domain::catalog::check_effective_from(day, today).map_err(|e| AppError::input(e, "effective_from"))?;
    Ok(day)
}

/// A catalog sent as JSON, parsed and checked by the domain (errors name the field).
async fn catalog_body(req: axum::extract::Request) -> ApiResult<Catalog> {
    let ct = crate::extract::content_type(req.headers());
    if ct != "application/json" {
        return Err(AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, "Send the catalog as JSON."));
    }
    let bytes = crate::extract::body_bytes(req, crate::extract::JSON_LIMIT).await?;
    let text = std::str::from_utf8(&bytes).map_err(|_| AppError::bad_request("The body is not UTF-8 text."))?;
    benefits_domain::parse::parse_catalog(text).map_err(|e| AppError::input(e, "catalog"))
}

/// What publishing a proposed catalog version would change, before it is
/// published: its fields against the version in force on `effective_from`,
/// and every partner whose tier or benefits would move (each evaluated by the
/// domain on its stored data under both catalogs). Nothing is written.
#[utoipa::path(post, path = "/catalogs/impact", tag = "operator", operation_id = "catalog_impact",
    security(("session" = [], "csrf" = [])),
    params(PublishQuery),
    request_body = Catalog,
    responses((status = 200, body = CatalogImpact), SignedIn, JsonBody))]
pub async fn catalog_impact(
    State(ctx): State<ApiContext>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PublishQuery>,
    req: axum::extract::Request,
) -> ApiResult<Json<CatalogImpact>> {
    auth.operator()?;
    let day = effective_from(&q, ctx.today())?;
    let proposed = catalog_body(req).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let seq = store::catalog_seq_on(&mut conn, day).await?;
    let current = store::catalog_by_seq(&mut conn, seq).await?;
    let catalog_changes = benefits_api::operator::json_changes(Some(&serde_json::to_value(&current)?), Some(&serde_json::to_value(&proposed)?));
    let partners: Vec<PartnerRow> =
        sqlx::query_as("SELECT id, name, account_email, first_benefit_date, engagement_manager_id, data_version FROM partners ORDER BY name, id")
            .fetch_all(&mut *conn)
            .await?;
    let mut changed = Vec::new();
    let mut tier_changes = 0;
    for p in &partners {
        let data = store::partner_data(&mut conn, p).await?;
        let impact = benefits_domain::tier_impact(&data, day, &current, &proposed);
        tier_changes += u64::from(impact.changes_tier());
        if impact.changes_anything() {
            changed.push(PartnerImpact { partner_id: p.id.clone(), name: p.name.clone(), impact });
        }
    }
    Ok(Json(CatalogImpact {
        effective_from: day,
        compared_with: current.version.clone(),
        catalog_changes,
        partners: partners.len() as u64,
        tier_changes,
        changed,
    }))
}
