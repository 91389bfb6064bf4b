//! The partner's sales lines with the rule's verdict, filtered, sorted and
//! paged here (the workspace carries daily totals only): a partner with
//! 100,000 lines gets one page, never the whole list.

use std::cmp::Ordering;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::sales::{SaleItem, SalesPage, SalesQuery, SalesSort, SalesSummary, DEFAULT_SALES_PAGE, MAX_SALES_OFFSET, MAX_SALES_PAGE};
use benefits_api::ErrorCode;
use benefits_domain::explain::SaleVerdict;
use benefits_domain::{Cents, EvaluationInput, SaleLine, Window};

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiQuery;
use crate::http::openapi::{PartnerScoped, Query};
use crate::state::ApiContext;
use crate::workspace;

/// The partner's sales lines (today's verdicts), filtered, sorted and paged.
#[utoipa::path(get, path = "/sales", tag = "partner", operation_id = "partner_sales",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id."), SalesQuery),
    responses((status = 200, body = SalesPage), PartnerScoped, Query))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiQuery(q): ApiQuery<SalesQuery>) -> ApiResult<Json<SalesPage>> {
    auth.partner_user(&pid)?;
    let (offset, limit) = bounds(&q)?;
    let snap = workspace::snapshot(&ctx, &pid, ctx.today()).await?;
    Ok(Json(page(&snap.input, &q, offset, limit)))
}

fn bounds(q: &SalesQuery) -> ApiResult<(u64, u32)> {
    let limit = q.limit.unwrap_or(DEFAULT_SALES_PAGE);
    if !(1..=MAX_SALES_PAGE).contains(&limit) {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("limit must be between 1 and {MAX_SALES_PAGE}."), "limit"));
    }
    let offset = q.offset.unwrap_or(0);
    if offset > MAX_SALES_OFFSET {
        return Err(AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, format!("offset must be at most {MAX_SALES_OFFSET}."), "offset"));
    }
    Ok((offset, limit))
}

/// One page of `input`'s lines under `q`, with the summary of all of them.
/// Only the page's lines are copied: the rest are filtered and sorted by reference.
pub fn page(input: &EvaluationInput, q: &SalesQuery, offset: u64, limit: u32) -> SalesPage {
    let window = Window::ttm(input.as_of);
    let judged: Vec<(usize, &SaleLine, SaleVerdict)> =
        input.partner.sales.iter().enumerate().map(|(i, s)| (i, s, SaleVerdict::of(s.date, s.status, &window))).collect();
    let summary = summarize(&judged);
    let mut rows: Vec<&(usize, &SaleLine, SaleVerdict)> = judged.iter().filter(|(_, s, v)| keeps(q, s, *v)).collect();
    let by = q.sort.unwrap_or_default();
    let desc = q.desc.unwrap_or(false);
    rows.sort_unstable_by(|a, b| {
        let o = order(by, a, b);
        if desc { o.reverse() } else { o }
    });
    let items = rows
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(limit as usize)
        .map(|(_, s, v)| SaleItem { date: s.date, amount_usd: s.amount_usd, status: s.status, offer_id: s.offer_id.clone(), verdict: *v })
        .collect();
    SalesPage { as_of: input.as_of, items, total: rows.len() as u64, offset, limit, summary }
}

fn keeps(q: &SalesQuery, s: &SaleLine, v: SaleVerdict) -> bool {
    q.verdict.is_none_or(|g| g.keeps(v))
        && q.status.is_none_or(|st| st == s.status)
        && q.offer.as_deref().is_none_or(|o| o.is_empty() || o == s.offer_id)
        && q.from.is_none_or(|d| s.date >= d)
        && q.to.is_none_or(|d| s.date <= d)
}

/// Date then input order; amount then date then input order (a total order,
/// so pages never overlap).
fn order(by: SalesSort, a: &(usize, &SaleLine, SaleVerdict), b: &(usize, &SaleLine, SaleVerdict)) -> Ordering {
    match by {
        SalesSort::Date => a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)),
        SalesSort::Amount => a.1.amount_usd.cmp(&b.1.amount_usd).then(a.1.date.cmp(&b.1.date)).then(a.0.cmp(&b.0)),
    }
}

fn summarize(judged: &[(usize, &SaleLine, SaleVerdict)]) -> SalesSummary {
    let mut sum = SalesSummary { lines: judged.len() as u64, ..SalesSummary::default() };
    let mut counted = 0i128;
    for (_, s, v) in judged {
        if v.counted() {
            sum.counted_lines += 1;
            counted += s.amount_usd.0 as i128;
        } else if v.excluded() {
            sum.excluded_lines += 1;
        } else {
            sum.outside_lines += 1;
        }
    }
    sum.counted_usd = Cents::from_wide(counted);
    let mut offers: Vec<&str> = judged.iter().map(|(_, s, _)| s.offer_id.as_str()).collect();
    offers.sort_unstable();
    offers.dedup();
    sum.offers = offers.into_iter().map(str::to_string).collect();
    sum
}
