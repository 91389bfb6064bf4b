//! Sales lines for operators: the program-wide list (filtered and paged in the
//! database) and the fraud flag, one sale at a time or several with one note
//! (all or nothing, audited per sale).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::operator::{BulkFraud, FraudFlag, SalePage, SaleQuery, SaleView, MAX_BULK};
use benefits_api::ErrorCode;
use benefits_domain::SaleStatus;
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::Auth;
use crate::clock::fmt_date;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiQuery, IfMatch, Tagged};
use crate::http::corrections::check_reason;
use crate::http::openapi::{IfMatchRequired, JsonBody, PartnerScoped, Query, SignedIn, Versioned};
use crate::http::operator::page_bounds;
use crate::sql::Builder;
use crate::state::ApiContext;
use crate::store::{self, SaleRow, SALE_COLUMNS};

/// Sales lines of every partner (or one), newest first: filtered by partner,
/// offer, status and date range, paged in the database with the total count.
#[utoipa::path(get, path = "/sales", tag = "operator", operation_id = "operator_sale_list",
    security(("session" = [])),
    params(SaleQuery),
    responses((status = 200, body = SalePage), SignedIn, Query))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<SaleQuery>) -> ApiResult<Json<SalePage>> {
    auth.operator()?;
    let (limit, offset) = page_bounds(q.limit, q.offset)?;
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if from > to {
            return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, "`to` must not be before `from`.", "to"));
        }
    }
    let mut count = Builder::new("SELECT COUNT(*) FROM sales s");
    sale_filters(&mut count, &q);
    let total: i64 = count.build_query_scalar().fetch_one(&ctx.db.read).await?;
    let mut page = Builder::new(format!("SELECT {SALE_COLUMNS}"));
    sale_filters(&mut page, &q);
    page.push(" ORDER BY s.date DESC, s.id DESC LIMIT ").push_bind(i64::from(limit)).push(" OFFSET ").push_bind(offset as i64);
    let rows: Vec<SaleRow> = page.build_query_as().fetch_all(&ctx.db.read).await?;
    Ok(Json(SalePage { total: total as u64, offset, limit, items: rows.iter().map(SaleRow::view).collect::<ApiResult<_>>()? }))
}

/// The WHERE clause of the sales list, all bound. The status is the one the
/// evaluation uses: an operator's fraud flag makes any sale `fraud`.
fn sale_filters(b: &mut Builder<'_>, q: &SaleQuery) {
    b.push(" WHERE 1 = 1");
    if let Some(pid) = q.partner_id.as_deref() {
        b.push(" AND s.partner_id = ").push_bind(pid.to_string());
    }
    if let Some(oid) = q.offer_id.as_deref() {
        b.push(" AND s.offer_id = ").push_bind(oid.to_string());
    }
    match q.status {
        Some(SaleStatus::Fraud) => {
            b.push(" AND (s.fraud = 1 OR s.status = 'fraud')");
        }
        Some(st) => {
            b.push(" AND s.fraud = 0 AND s.status = ").push_bind(st.as_str());
        }
        None => {}
    }
    if let Some(from) = q.from {
        b.push(" AND s.date >= ").push_bind(fmt_date(from));
    }
    if let Some(to) = q.to {
        b.push(" AND s.date <= ").push_bind(fmt_date(to));
    }
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
    let note = check_reason("note", &body.note)?;
    let sale_id: i64 = sale_id.parse().map_err(|_| AppError::not_found())?;
    let mut tx = ctx.db.write.begin().await?;
    let after = set_fraud(&mut tx, &auth, sale_id, |v| if_match.check(v), body.fraud, &note).await?;
    tx.commit().await?;
    Ok(Tagged(after.version, after.view()?))
}

/// Flag (or clear) several sales with one note: all or nothing, audited per
/// sale. A sale that does not exist or changed since it was read refuses the
/// whole request, naming it (`sales[i]`).
#[utoipa::path(post, path = "/sales/fraud", tag = "operator", operation_id = "flag_fraud_many",
    security(("session" = [], "csrf" = [])),
    request_body = BulkFraud,
    responses((status = 200, body = Vec<SaleView>), SignedIn, JsonBody,
        (status = 412, body = benefits_api::ErrorBody, description = "`version_mismatch`: a named sale changed since it was read.")))]
pub async fn flag_fraud_many(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<BulkFraud>) -> ApiResult<Json<Vec<SaleView>>> {
    auth.operator()?;
    if body.sales.is_empty() || body.sales.len() > MAX_BULK {
        return Err(AppError::invalid_count("sales", MAX_BULK, format!("Name between 1 and {MAX_BULK} sales.")));
    }
    let note = check_reason("note", &body.note)?;
    let mut seen = std::collections::HashSet::new();
    for (i, s) in body.sales.iter().enumerate() {
        if !seen.insert(s.id) {
            return Err(AppError::invalid_field(format!("sales[{i}]"), "duplicate", format!("Sale {} is named twice.", s.id)));
        }
    }
    let mut tx = ctx.db.write.begin().await?;
    let mut out = Vec::with_capacity(body.sales.len());
    for (i, s) in body.sales.iter().enumerate() {
        // An error drops the transaction: nothing is written.
        let after = set_fraud(&mut tx, &auth, s.id, |v| same_version(v, s.version), body.fraud, &note).await.map_err(|e| e.for_item(&format!("sales[{i}]")))?;
        out.push(after.view()?);
    }
    tx.commit().await?;
    Ok(Json(out))
}

/// The one rule of the fraud flag: the sale at the version expected gets the
/// flag and its note, its partner's figures go stale, the change is audited.
/// Setting the flag it already has changes nothing.
async fn set_fraud(
    conn: &mut AnyConnection,
    auth: &Auth,
    sale_id: i64,
    check_version: impl FnOnce(i64) -> ApiResult<()>,
    fraud: bool,
    note: &str,
) -> ApiResult<SaleRow> {
    let before = store::sale(&mut *conn, sale_id).await?.ok_or_else(AppError::not_found)?;
    check_version(before.version)?;
    if before.fraud == fraud {
        return Ok(before);
    }
    sqlx::query("UPDATE sales SET fraud = $1, fraud_note = $2, version = version + 1 WHERE id = $3 AND version = $4")
        .bind(i64::from(fraud))
        .bind(note)
        .bind(sale_id)
        .bind(before.version)
        .execute(&mut *conn)
        .await?;
    store::bump_data_version(&mut *conn, &before.partner_id).await?;
    let after = store::sale(&mut *conn, sale_id).await?.ok_or_else(|| AppError::internal("sale vanished"))?;
    store::audit(
        &mut *conn,
        Some(&auth.user),
        Some(&before.partner_id),
        if fraud { "sale.flag_fraud" } else { "sale.unflag_fraud" },
        &format!("sale:{sale_id}"),
        Some(json!(before.view()?)),
        Some(json!(after.view()?)),
    )
    .await?;
    Ok(after)
}

fn same_version(current: i64, expected: i64) -> ApiResult<()> {
    if current == expected { Ok(()) } else { Err(AppError::version_mismatch()) }
}
