//! `GET /api/operator/dashboard`: the program as a whole, for a date range.

use axum::extract::State;
use axum::Json;
use benefits_api::dashboard::{Dashboard, DashboardQuery, MAX_RANGE_DAYS};
use benefits_domain::calendar::months_before;
use chrono::NaiveDate;

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiQuery;
use crate::http::openapi::{Query, SignedIn};
use crate::state::ApiContext;
use crate::{dashboard, store, summary};

/// Partners per effective tier and per offer type (today), activations by
/// state, the contact SLA per week and the benefits granted and delivered per
/// month (in the range), and the partners within 10 % of their next MBS tier.
/// Counted in the database. `to` defaults to today, `from` to six months
/// before `to`.
#[utoipa::path(get, path = "/dashboard", tag = "operator", operation_id = "operator_dashboard",
    security(("session" = [])),
    params(DashboardQuery),
    responses((status = 200, body = Dashboard), SignedIn, Query,
        (status = 422, body = benefits_api::ErrorBody, description = "`validation_failed` naming `from` or `to`: not a date, or a range that starts after it ends or is longer than five years.")))]
pub async fn get(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<DashboardQuery>) -> ApiResult<Json<Dashboard>> {
    auth.operator()?;
    let today = ctx.today();
    let (from, to) = range(&q, today)?;
    // The tiers come from the per-partner summary: bring stale rows up to
    // date first, as the partner list does (a bounded number per request).
    summary::refresh_stale(&ctx, today, Some(summary::REFRESH_PER_REQUEST)).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let seq = store::catalog_seq_on(&mut conn, today).await?;
    let catalog = store::catalog_by_seq(&mut conn, seq).await?;
    Ok(Json(dashboard::figures(&mut conn, &catalog, from, to, today).await?))
}

/// The range asked for, checked: real dates, `from` not after `to`, at most
/// `MAX_RANGE_DAYS` long.
fn range(q: &DashboardQuery, today: NaiveDate) -> ApiResult<(NaiveDate, NaiveDate)> {
    let day = |field: &str, v: &Option<String>| -> ApiResult<Option<NaiveDate>> {
        match v.as_deref() {
            None => Ok(None),
            Some(s) => benefits_domain::parse::date::parse(s).map(Some).map_err(|e| AppError::input(e, field)),
        }
    };
    let to = day("to", &q.to)?.unwrap_or(today);
    let from = day("from", &q.from)?.unwrap_or_else(|| months_before(to, 6));
    if from > to {
        return Err(AppError::invalid_field("from", "after_to", "The range starts after it ends: give a `from` on or before `to`."));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(AppError::invalid_field_max("from", "range_too_long", MAX_RANGE_DAYS as usize, format!("The range is at most {MAX_RANGE_DAYS} days long.")));
    }
    Ok((from, to))
}
