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
        .map(|b| json!({"id": b.id, "month": b.month, "amount_usd": Cents(b.amount_cents).to_string(), "source": b.source}))
        .collect();
    let teams: Vec<Value> = store::teams_mau(&mut tx, &pid)
        .await?
        .into_iter()
        .map(|m| json!({"id": m.id, "app": m.app, "month": m.month, "mau": m.mau, "source": m.source}))
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
    // The feed's own columns, so that an export can be read back as a feed file.
    match kind {
        "offers" => {
            w.write_record(["partner_id", "offer_id", "type", "name", "live_on", "delisted_on"]).map_err(csv_err)?;
            for o in store::offers(&mut conn, &pid).await? {
                w.write_record([pid.clone(), o.id, o.offer_type, o.name, o.live_on.unwrap_or_default(), o.delisted_on.unwrap_or_default()]).map_err(csv_err)?;
            }
        }
        "sales" => {
            w.write_record(["external_id", "partner_id", "offer_id", "date", "amount_usd", "status"]).map_err(csv_err)?;
            for s in store::sales(&mut conn, &pid).await? {
                w.write_record([s.external_id, pid.clone(), s.offer_id, s.date, Cents(s.amount_cents).to_string(), s.status]).map_err(csv_err)?;
            }
        }
        "bizapps" => {
            w.write_record(["partner_id", "month", "amount_usd"]).map_err(csv_err)?;
            for b in store::bizapps(&mut conn, &pid).await? {
                w.write_record([pid.clone(), b.month, Cents(b.amount_cents).to_string()]).map_err(csv_err)?;
            }
        }
        "teams-mau" => {
            w.write_record(["partner_id", "app", "month", "mau"]).map_err(csv_err)?;
            for m in store::teams_mau(&mut conn, &pid).await? {
                w.write_record([pid.clone(), m.app.unwrap_or_default(), m.month, m.mau.to_string()]).map_err(csv_err)?;
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
