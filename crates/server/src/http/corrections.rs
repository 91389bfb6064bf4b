//! The operators' corrections of program data, each audited with who, when,
//! why, before and after: delisting an offer, deleting a wrong feed row,
//! correcting a partner's first benefit date; and the grant ledger's views.

use axum::extract::{Path, State};
use axum::Json;
use benefits_api::feed::{DeleteRow, DeletedRow, DelistOffer, FirstBenefitDate, FirstBenefitDateChange, GrantView, Ledger};
use benefits_api::offers::OfferView;
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::Grant;
use serde_json::{json, Value};

use crate::auth::Auth;
use crate::clock::{fmt_date, parse_date};
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::openapi::{JsonBody, PartnerScoped};
use crate::state::ApiContext;
use crate::store;
use crate::{ledger, workspace};

/// A reason is required for every correction: 1 to 2000 characters.
pub fn check_reason(field: &str, reason: &str) -> ApiResult<String> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(AppError::invalid_field(field, "required", "Say why (it is kept in the audit log)."));
    }
    if r.chars().count() > 2000 {
        return Err(AppError::invalid_field_max(field, "too_long", 2000, "Use at most 2000 characters."));
    }
    Ok(r.to_string())
}

/// Delist an offer, with the reason (audited).
#[utoipa::path(post, path = "/partners/{pid}/offers/{oid}/delist", tag = "operator", operation_id = "operator_delist_offer",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("oid" = String, Path, description = "The offer's id.")),
    request_body = DelistOffer,
    responses((status = 200, body = OfferView), PartnerScoped, JsonBody))]
pub async fn delist_offer(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, oid)): Path<(String, String)>,
    ApiJson(body): ApiJson<DelistOffer>,
) -> ApiResult<Json<OfferView>> {
    auth.operator()?;
    let reason = check_reason("reason", &body.reason)?;
    let mut tx = ctx.db.write.begin().await?;
    let before = store::offer(&mut tx, &pid, &oid).await?.ok_or_else(AppError::not_found)?;
    let mut offer = before.domain()?;
    offer.delisted_on = Some(body.delisted_on);
    benefits_domain::parse::validate_offer(&offer).map_err(|e| AppError::input(e, "delisted_on"))?;
    sqlx::query("UPDATE offers SET delisted_on = $1, version = version + 1 WHERE partner_id = $2 AND id = $3")
        .bind(fmt_date(body.delisted_on))
        .bind(&pid)
        .bind(&oid)
        .execute(&mut *tx)
        .await?;
    store::bump_data_version(&mut tx, &pid).await?;
    let after = store::offer(&mut tx, &pid, &oid).await?.ok_or_else(|| AppError::internal("offer vanished"))?.view()?;
    let mut after_json = json!(after);
    after_json["reason"] = json!(reason);
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "offer.delist", &format!("offer:{oid}"), Some(json!(before.view()?)), Some(after_json)).await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Delete a wrong feed row, with the reason (audited): an offer by its id; a
/// sale, bizapps or Teams MAU row by the `id` shown in the partner's data. An
/// offer with sales is refused.
#[utoipa::path(post, path = "/partners/{pid}/rows/{kind}/{key}/delete", tag = "operator", operation_id = "operator_delete_row",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("kind" = String, Path, description = "offers, sales, bizapps or teams-mau."),
        ("key" = String, Path, description = "The offer id, or the row's id.")),
    request_body = DeleteRow,
    responses((status = 200, body = DeletedRow), PartnerScoped, JsonBody,
        (status = 409, body = ErrorBody, description = "`offer_has_sales`: delete or correct its sales first.")))]
pub async fn delete_row(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, kind, key)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<DeleteRow>,
) -> ApiResult<Json<DeletedRow>> {
    auth.operator()?;
    let reason = check_reason("reason", &body.reason)?;
    let mut tx = ctx.db.write.begin().await?;
    store::partner(&mut tx, &pid).await?.ok_or_else(AppError::not_found)?;
    // Sales, bizapps and Teams MAU rows are named by their numeric id.
    let row_id = if kind == "offers" { 0 } else { key.parse::<i64>().map_err(|_| AppError::not_found())? };
    let before: Value = match kind.as_str() {
        "offers" => {
            let offer = store::offer(&mut tx, &pid, &key).await?.ok_or_else(AppError::not_found)?;
            let sales: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales WHERE partner_id = $1 AND offer_id = $2").bind(&pid).bind(&key).fetch_one(&mut *tx).await?;
            if sales > 0 {
                return Err(AppError::conflict(ErrorCode::OfferHasSales, format!("This offer has {sales} sales lines; delete or correct them first.")));
            }
            json!(offer.view()?)
        }
        "sales" => json!(store::sale(&mut tx, row_id).await?.filter(|s| s.partner_id == pid).ok_or_else(AppError::not_found)?.view()?),
        "bizapps" => {
            let b = store::bizapps(&mut tx, &pid).await?.into_iter().find(|b| b.id == row_id).ok_or_else(AppError::not_found)?;
            json!({"id": b.id, "month": b.month, "amount_cents": b.amount_cents})
        }
        "teams-mau" => {
            let m = store::teams_mau(&mut tx, &pid).await?.into_iter().find(|m| m.id == row_id).ok_or_else(AppError::not_found)?;
            json!({"id": m.id, "app": m.app, "month": m.month, "mau": m.mau})
        }
        _ => return Err(AppError::not_found()),
    };
    let sql = match kind.as_str() {
        "offers" => "DELETE FROM offers WHERE partner_id = $1 AND id = $2",
        "sales" => "DELETE FROM sales WHERE partner_id = $1 AND id = $2",
        "bizapps" => "DELETE FROM bizapps_values WHERE partner_id = $1 AND id = $2",
        _ => "DELETE FROM teams_mau WHERE partner_id = $1 AND id = $2",
    };
    // Offers are keyed by their text id, the other rows by their integer id
    // (bound as an integer: PostgreSQL does not compare BIGINT with TEXT).
    let delete = sqlx::query(sql).bind(&pid);
    let delete = if kind == "offers" { delete.bind(&key) } else { delete.bind(row_id) };
    delete.execute(&mut *tx).await?;
    store::bump_data_version(&mut tx, &pid).await?;
    store::audit(
        &mut tx,
        Some(&auth.user),
        Some(&pid),
        &format!("feed.{kind}.delete"),
        &format!("{kind}:{key}"),
        Some(before.clone()),
        Some(json!({"deleted": true, "reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(DeletedRow { kind, key, deleted: before }))
}

/// Correct the partner's first benefit date, with the reason (audited): the only way it moves.
#[utoipa::path(put, path = "/partners/{pid}/first-benefit-date", tag = "operator", operation_id = "correct_first_benefit_date",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    request_body = FirstBenefitDate,
    responses((status = 200, body = FirstBenefitDateChange), PartnerScoped, JsonBody))]
pub async fn correct_first_benefit_date(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    ApiJson(body): ApiJson<FirstBenefitDate>,
) -> ApiResult<Json<FirstBenefitDateChange>> {
    auth.operator()?;
    let reason = check_reason("reason", &body.reason)?;
    if body.first_benefit_date > ctx.today() {
        return Err(AppError::invalid_field("first_benefit_date", "in_future", "The first benefit date cannot be in the future."));
    }
    let mut tx = ctx.db.write.begin().await?;
    let before = ledger::correct_first_benefit_date(&mut tx, &auth.user, &pid, body.first_benefit_date, &reason).await?.ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    let before = before.as_deref().map(parse_date).transpose()?;
    Ok(Json(FirstBenefitDateChange { before, first_benefit_date: body.first_benefit_date }))
}

async fn ledger_view(ctx: &ApiContext, pid: &str) -> ApiResult<Ledger> {
    let snap = workspace::snapshot(ctx, pid, ctx.today()).await?;
    let view = |g: &Grant| GrantView {
        benefit_id: g.benefit_id.clone(),
        benefit_name: snap.catalog.benefit(&g.benefit_id).map(|b| b.name.clone()),
        year_start: g.year_start,
        granted_on: g.granted_on,
        catalog_version: g.catalog_version.clone(),
        cause: g.cause.describe(),
        cause_detail: g.cause.clone(),
    };
    let first_benefit_date = snap.partner.first_benefit_date.as_deref().map(parse_date).transpose()?;
    Ok(Ledger { first_benefit_date, grants: snap.grants.iter().rev().map(view).collect() })
}

/// A partner's grant ledger and first benefit date.
#[utoipa::path(get, path = "/partners/{pid}/grants", tag = "operator", operation_id = "operator_grants",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Ledger), PartnerScoped))]
pub async fn operator_grants(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Ledger>> {
    auth.operator()?;
    Ok(Json(ledger_view(&ctx, &pid).await?))
}

/// The partner's grant ledger: what was granted, for which benefit year, when and why.
#[utoipa::path(get, path = "/grants", tag = "partner", operation_id = "grants",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Ledger), PartnerScoped))]
pub async fn partner_grants(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Ledger>> {
    auth.partner_user(&pid)?;
    Ok(Json(ledger_view(&ctx, &pid).await?))
}
