//! Exports: everything as JSON, and each data set as re-importable CSV.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_domain::Cents;
use serde_json::{json, Value};

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::state::ApiContext;
use crate::store::{self, OfferRow, SaleRow};
use crate::workspace;

pub async fn json_export(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Value>> {
    auth.partner_user(&pid)?;
    let snap = workspace::snapshot(&ctx, &pid, ctx.today()).await?;
    let mut tx = ctx.db.read.begin().await?;
    let offers: Vec<_> = store::offers(&mut tx, &pid).await?.iter().map(OfferRow::view).collect();
    let sales: Vec<_> = store::sales(&mut tx, &pid).await?.iter().map(SaleRow::view).collect();
    let bizapps: Vec<Value> = store::bizapps(&mut tx, &pid)
        .await?
        .into_iter()
        .map(|b| json!({"external_id": b.external_id, "month": b.month, "amount_usd": Cents(b.amount_cents).to_string()}))
        .collect();
    let teams: Vec<Value> = store::teams_mau(&mut tx, &pid)
        .await?
        .into_iter()
        .map(|m| json!({"external_id": m.external_id, "app": m.app, "month": m.month, "mau": m.mau}))
        .collect();
    tx.commit().await?;
    Ok(Json(json!({
        "partner": snap.partner.info(),
        "offers": offers,
        "sales": sales,
        "bizapps": bizapps,
        "teams_mau": teams,
        "evaluation": snap.evaluation,
    })))
}

pub async fn csv_export(State(ctx): State<ApiContext>, auth: Auth, Path((pid, file)): Path<(String, String)>) -> ApiResult<Response> {
    auth.partner_user(&pid)?;
    let kind = file.strip_suffix(".csv").ok_or_else(AppError::not_found)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut conn = ctx.db.read.acquire().await?;
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    match kind {
        "sales" => {
            w.write_record(["external_id", "date", "amount_usd", "status", "offer_id"]).map_err(csv_err)?;
            for s in store::sales(&mut conn, &pid).await? {
                w.write_record([s.external_id, s.date, Cents(s.amount_cents).to_string(), s.status, s.offer_id]).map_err(csv_err)?;
            }
        }
        "bizapps" => {
            w.write_record(["external_id", "month", "amount_usd"]).map_err(csv_err)?;
            for b in store::bizapps(&mut conn, &pid).await? {
                w.write_record([b.external_id.unwrap_or_default(), b.month, Cents(b.amount_cents).to_string()]).map_err(csv_err)?;
            }
        }
        "teams-mau" => {
            w.write_record(["external_id", "app", "month", "mau"]).map_err(csv_err)?;
            for m in store::teams_mau(&mut conn, &pid).await? {
                w.write_record([m.external_id.unwrap_or_default(), m.app.unwrap_or_default(), m.month, m.mau.to_string()]).map_err(csv_err)?;
            }
        }
        _ => return Err(AppError::not_found()),
    }
    let body = w.into_inner().map_err(|e| AppError::internal(format!("csv: {e}")))?;
    let disposition = format!("attachment; filename=\"{pid}-{kind}.csv\"");
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
