//! Exports: everything as JSON, and each data set as re-importable CSV.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_api::exports::{BizappsEntry, ExportBundle, ExportFile, MauEntry};
use benefits_api::imports::DataKind;
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
    let bizapps = store::bizapps(&mut tx, &pid)
        .await?
        .into_iter()
        .map(|b| Ok(BizappsEntry { month: month(&b.month)?, external_id: b.external_id, amount_usd: Cents(b.amount_cents) }))
        .collect::<ApiResult<_>>()?;
    let teams_mau = store::teams_mau(&mut tx, &pid)
        .await?
        .into_iter()
        .map(|m| Ok(MauEntry { month: month(&m.month)?, external_id: m.external_id, app: m.app, mau: m.mau.max(0) as u64 }))
        .collect::<ApiResult<_>>()?;
    tx.commit().await?;
    Ok(Json(ExportBundle { partner: snap.partner.info(), offers, sales, bizapps, teams_mau, evaluation: snap.evaluation.clone() }))
}

/// One data set as CSV in the import's columns.
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
    match kind {
        DataKind::Sales => {
            for s in store::sales(&mut conn, &pid).await? {
                w.write_record([s.external_id, s.date, Cents(s.amount_cents).to_string(), s.status, s.offer_id]).map_err(csv_err)?;
            }
        }
        DataKind::Bizapps => {
            for b in store::bizapps(&mut conn, &pid).await? {
                w.write_record([b.external_id.unwrap_or_default(), b.month, Cents(b.amount_cents).to_string()]).map_err(csv_err)?;
            }
        }
        DataKind::TeamsMau => {
            for m in store::teams_mau(&mut conn, &pid).await? {
                w.write_record([m.external_id.unwrap_or_default(), m.app.unwrap_or_default(), m.month, m.mau.to_string()]).map_err(csv_err)?;
            }
        }
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"{pid}-{}.csv\"", kind.slug());
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
