//! The partner's offers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::offers::{Delisting, NewOffer, OfferChange, OfferView};
use benefits_domain::Offer;
use serde_json::json;

use crate::auth::{self, Auth};
use crate::clock::{fmt_date, now_rfc3339};
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, IdempotencyKey, IfMatch, Stored, Tagged};
use crate::http::openapi::{IdempotencyKeyParam, IfMatchRequired, JsonBody, PartnerScoped, Versioned};
use crate::state::ApiContext;
use crate::store::{self, OfferRow};

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid_field("name", "required", "Enter the offer's name."));
    }
    if name.chars().count() > 200 {
        return Err(AppError::invalid_field("name", "too_long", "Use at most 200 characters."));
    }
    Ok(name.to_string())
}

fn check_id(id: &str) -> ApiResult<()> {
    let ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !ok {
        return Err(AppError::invalid_field("id", "invalid_id", "Use 1 to 64 letters, digits, dots, dashes or underscores."));
    }
    Ok(())
}

/// Checks the offer against the domain's rules for a partner's offers.
fn check_offer(offer: &Offer) -> ApiResult<()> {
    benefits_domain::parse::validate_offer(offer).map_err(|e| AppError::invalid_field(e.field, "invalid", e.message))
}

/// The partner's offers.
#[utoipa::path(get, path = "/offers", tag = "partner", operation_id = "offers",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<OfferView>), PartnerScoped))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<OfferView>>> {
    auth.partner_user(&pid)?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(store::offers(&mut conn, &pid).await?.iter().map(OfferRow::view).collect::<ApiResult<_>>()?))
}

/// Add an offer (admins).
#[utoipa::path(post, path = "/offers", tag = "partner", operation_id = "create_offer",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), IdempotencyKeyParam),
    request_body = NewOffer,
    responses((status = 201, body = OfferView, headers(("ETag" = String))), PartnerScoped, JsonBody,
        (status = 409, body = ErrorBody, description = "`offer_exists`: an offer with this id exists.")))]
pub async fn create(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<NewOffer>,
) -> ApiResult<Stored<OfferView>> {
    auth.partner_admin(&pid)?;
    let route = format!("POST /api/partners/{pid}/offers");
    let name = check_name(&body.name)?;
    let id = match body.id.as_deref() {
        Some(id) => {
            check_id(id)?;
            id.to_string()
        }
        None => auth::random_id("offer-"),
    };
    let offer = Offer { id: id.clone(), offer_type: body.offer_type, live_on: body.live_on, delisted_on: body.delisted_on };
    check_offer(&offer)?;

    let mut tx = ctx.db.write.begin().await?;
    if let Some(stored) = store::idempotent_replay(&mut tx, &auth.user.id, &route, key.as_ref()).await? {
        return Ok(stored);
    }
    if store::offer(&mut tx, &pid, &id).await?.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::OfferExists, "An offer with this id already exists.", "id"));
    }
    sqlx::query("INSERT INTO offers (partner_id, id, name, type, live_on, delisted_on, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)")
        .bind(&pid)
        .bind(&id)
        .bind(&name)
        .bind(offer.offer_type.as_str())
        .bind(fmt_date(offer.live_on))
        .bind(offer.delisted_on.map(fmt_date))
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
    store::bump_data_version(&mut tx, &pid).await?;
    let view = store::offer(&mut tx, &pid, &id).await?.ok_or_else(|| AppError::internal("offer vanished"))?.view()?;
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "offer.create", &format!("offer:{id}"), None, Some(json!(view))).await?;
    let stored = Stored::json(StatusCode::CREATED, Some(view.version), &view)?;
    store::idempotent_store(&mut tx, &auth.user.id, &route, key.as_ref(), &stored).await?;
    tx.commit().await?;
    Ok(stored)
}

async fn update(
    ctx: &ApiContext,
    auth: &Auth,
    pid: &str,
    oid: &str,
    if_match: &IfMatch,
    action: &str,
    change: impl FnOnce(&mut OfferRow) -> ApiResult<()>,
) -> ApiResult<Tagged<OfferView>> {
    auth.partner_admin(pid)?;
    let mut tx = ctx.db.write.begin().await?;
    let before = store::offer(&mut tx, pid, oid).await?.ok_or_else(AppError::not_found)?;
    let before_view = before.view()?;
    let version = before.version;
    let mut row = before;
    // A malformed change is refused for what it is, whatever the version.
    change(&mut row)?;
    if_match.check(version)?;
    check_offer(&row.domain()?)?;
    sqlx::query("UPDATE offers SET name = ?, live_on = ?, delisted_on = ?, version = version + 1 WHERE partner_id = ? AND id = ? AND version = ?")
        .bind(&row.name)
        .bind(&row.live_on)
        .bind(&row.delisted_on)
        .bind(pid)
        .bind(oid)
        .bind(row.version)
        .execute(&mut *tx)
        .await?;
    store::bump_data_version(&mut tx, pid).await?;
    let after = store::offer(&mut tx, pid, oid).await?.ok_or_else(|| AppError::internal("offer vanished"))?.view()?;
    store::audit(&mut tx, Some(&auth.user), Some(pid), action, &format!("offer:{oid}"), Some(json!(before_view)), Some(json!(after))).await?;
    tx.commit().await?;
    Ok(Tagged(after.version, after))
}

/// Rename an offer or move its go-live date (admins).
#[utoipa::path(patch, path = "/offers/{oid}", tag = "partner", operation_id = "change_offer",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("oid" = String, Path, description = "The offer's id."), IfMatchRequired),
    request_body = OfferChange,
    responses((status = 200, body = OfferView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned))]
pub async fn patch(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, oid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<OfferChange>,
) -> ApiResult<Tagged<OfferView>> {
    update(&ctx, &auth, &pid, &oid, &if_match, "offer.update", |row| {
        if let Some(name) = &body.name {
            row.name = check_name(name)?;
        }
        if let Some(d) = body.live_on {
            row.live_on = fmt_date(d);
        }
        Ok(())
    })
    .await
}

/// Delist an offer from a date (admins).
#[utoipa::path(post, path = "/offers/{oid}/delist", tag = "partner", operation_id = "delist_offer",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("oid" = String, Path, description = "The offer's id."), IfMatchRequired),
    request_body = Delisting,
    responses((status = 200, body = OfferView, headers(("ETag" = String))), PartnerScoped, JsonBody, Versioned))]
pub async fn delist(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, oid)): Path<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<Delisting>,
) -> ApiResult<Tagged<OfferView>> {
    update(&ctx, &auth, &pid, &oid, &if_match, "offer.delist", |row| {
        row.delisted_on = Some(fmt_date(body.delisted_on));
        Ok(())
    })
    .await
}
