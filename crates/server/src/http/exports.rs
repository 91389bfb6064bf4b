//! Exports: everything as JSON, and each data set as CSV in the feed's columns.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_api::exports::{BizappsEntry, ExportBundle, ExportFile, MauEntry};
use benefits_api::feed::FeedKind;
use benefits_domain::Cents;

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::http::openapi::PartnerScoped;
use crate::state::ApiContext;
use crate::store::{self, OfferRow, SaleRow};
use crate::workspace;

fn month(s: &str) -> ApiResult<benefits_domain::Month> {
    s.parse().map_err(|e| AppError::internal(format!("stored month: {e}")))
}

/// The partner's bizapps values with where each came from.
pub async fn bizapps_entries(conn: &mut sqlx::AnyConnection, pid: &str) -> ApiResult<Vec<BizappsEntry>> {
    store::bizapps(conn, pid)
        .await?
        .into_iter()
        .map(|b| Ok(BizappsEntry { id: b.id, month: month(&b.month)?, amount_usd: Cents(b.amount_cents), source: b.source.view() }))
        .collect()
}

/// The partner's Teams MAU rows with where each came from.
pub async fn mau_entries(conn: &mut sqlx::AnyConnection, pid: &str) -> ApiResult<Vec<MauEntry>> {
    store::teams_mau(conn, pid)
        .await?
        .into_iter()
        .map(|m| Ok(MauEntry { id: m.id, month: month(&m.month)?, app: m.app, mau: m.mau.max(0) as u64, source: m.source.view() }))
        .collect()
}

/// Offers, sales, metrics and today's evaluation, in one document.
#[utoipa::path(get, path = "/export.json", tag = "partner", operation_id = "export_json",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = ExportBundle), PartnerScoped))]
pub async fn json_export(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<ExportBundle>> {
    auth.partner_user(&pid)?;
    let snap = workspace::snapshot(&ctx, &pid, ctx.today()).await?;
    let mut tx = ctx.db.read.begin().await?;
    let offers = store::offers(&mut tx, &pid).await?.iter().map(OfferRow::view).collect::<ApiResult<_>>()?;
    let sales = store::sales(&mut tx, &pid).await?.iter().map(SaleRow::view).collect::<ApiResult<_>>()?;
    let bizapps = bizapps_entries(&mut tx, &pid).await?;
    let teams_mau = mau_entries(&mut tx, &pid).await?;
    tx.commit().await?;
    Ok(Json(ExportBundle { partner: snap.partner.info(), offers, sales, bizapps, teams_mau, evaluation: snap.evaluation.clone() }))
}

/// One data set as CSV in the feed's columns (offers, sales, bizapps, teams-mau).
#[utoipa::path(get, path = "/export/{file}", tag = "partner", operation_id = "export_csv",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("file" = inline(ExportFile), Path, description = "Which data set.")),
    responses((status = 200, content_type = "text/csv", body = String,
        headers(("Content-Disposition" = String, description = "attachment; filename=\"<pid>-<kind>.csv\""))), PartnerScoped))]
pub async fn csv_export(State(ctx): State<ApiContext>, auth: Auth, Path((pid, file)): Path<(String, String)>) -> ApiResult<Response> {
    auth.partner_user(&pid)?;
    let kind = ExportFile::parse(&file).ok_or_else(AppError::not_found)?.kind();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut conn = ctx.db.read.acquire().await?;
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    w.write_record(kind.columns().iter().map(|(c, _)| *c)).map_err(csv_err)?;
    // The feed's own columns, so that an export reads back as a feed file.
    match kind {
        FeedKind::Offers => {
            for o in store::offers(&mut conn, &pid).await? {
                w.write_record([pid.clone(), o.id, o.offer_type, o.name, o.live_on.unwrap_or_default(), o.delisted_on.unwrap_or_default()]).map_err(csv_err)?;
            }
        }
        FeedKind::Sales => {
            for s in store::sales(&mut conn, &pid).await? {
                w.write_record([s.external_id, pid.clone(), s.offer_id, s.date, Cents(s.amount_cents).to_string(), s.status]).map_err(csv_err)?;
            }
        }
        FeedKind::Bizapps => {
            for b in store::bizapps(&mut conn, &pid).await? {
                w.write_record([pid.clone(), b.month, Cents(b.amount_cents).to_string()]).map_err(csv_err)?;
            }
        }
        FeedKind::TeamsMau => {
            for m in store::teams_mau(&mut conn, &pid).await? {
                w.write_record([pid.clone(), m.app.unwrap_or_default(), m.month, m.mau.to_string()]).map_err(csv_err)?;
            }
        }
        FeedKind::Partners => return Err(AppError::not_found()),
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"{pid}-{}.csv\"", kind.slug());
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
