//! The per-partner summary the console lists from: tier, effective tier, MBS,
//! activations and overdue contacts, kept in `partner_summary` so a page of
//! partners is one query, paged, sorted and filtered in the database, with no
//! evaluation per row.
//!
//! A row is stale when the partner's data version, the catalog in force or the
//! day has moved since it was written. Stale rows are refreshed by the jobs
//! (every partner, hourly), after a feed file (in the background) and, a
//! bounded number per request, by the list itself.

use chrono::NaiveDate;

use crate::clock::{fmt_date, now_rfc3339};
use crate::error::ApiResult;
use crate::state::ApiContext;
use crate::{store, workspace};

/// How many stale rows one list request refreshes before answering.
pub const REFRESH_PER_REQUEST: i64 = 200;

/// Evaluates the partner today and writes its summary.
pub async fn refresh(ctx: &ApiContext, pid: &str, today: NaiveDate) -> ApiResult<()> {
    let snap = workspace::snapshot(ctx, pid, today).await?;
    let (active, overdue) = snap.active_counts(today);
    sqlx::query(
        "INSERT INTO partner_summary (partner_id, as_of, data_version, catalog_seq, effective_tier, transact_tier_today, \
         mbs_cents, active_activations, overdue, refreshed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (partner_id) DO UPDATE SET as_of = excluded.as_of, data_version = excluded.data_version, \
         catalog_seq = excluded.catalog_seq, effective_tier = excluded.effective_tier, \
         transact_tier_today = excluded.transact_tier_today, mbs_cents = excluded.mbs_cents, \
         active_activations = excluded.active_activations, overdue = excluded.overdue, refreshed_at = excluded.refreshed_at",
    )
    .bind(pid)
    .bind(fmt_date(snap.as_of))
    .bind(snap.partner.data_version)
    .bind(snap.catalog_seq)
    .bind(snap.evaluation.effective_tier.map(i64::from))
    .bind(snap.evaluation.transact_tier_today.map(i64::from))
    .bind(snap.evaluation.metrics.mbs.value.0)
    .bind(active as i64)
    .bind(overdue as i64)
    .bind(now_rfc3339())
    .execute(&ctx.db.write)
    .await?;
    Ok(())
}

/// The partners whose summary is missing or stale: `$1` today, `$2` the
/// catalog sequence in force.
const STALE: &str = "FROM partners p LEFT JOIN partner_summary s ON s.partner_id = p.id \
     WHERE s.partner_id IS NULL OR s.data_version <> p.data_version OR s.as_of <> $1 OR s.catalog_seq <> $2";

/// Partners whose summary is missing or stale today (at most `limit`).
pub async fn stale(ctx: &ApiContext, today: NaiveDate, limit: Option<i64>) -> ApiResult<Vec<String>> {
    let mut conn = ctx.db.read.acquire().await?;
    let seq = store::catalog_seq_on(&mut conn, today).await?;
    let ids = sqlx::query_scalar(&format!("SELECT p.id {STALE} ORDER BY p.id LIMIT $3"))
    .bind(fmt_date(today))
    .bind(seq)
    .bind(limit.unwrap_or(i64::MAX))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids)
}

/// How many summaries are stale today.
pub async fn stale_count(ctx: &ApiContext, today: NaiveDate) -> ApiResult<u64> {
    let mut conn = ctx.db.read.acquire().await?;
    let seq = store::catalog_seq_on(&mut conn, today).await?;
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {STALE}"))
    .bind(fmt_date(today))
    .bind(seq)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n as u64)
}

/// Refreshes stale summaries (all when `limit` is `None`); returns how many.
pub async fn refresh_stale(ctx: &ApiContext, today: NaiveDate, limit: Option<i64>) -> ApiResult<usize> {
    let ids = stale(ctx, today, limit).await?;
    for pid in &ids {
        crate::db::retry(|| refresh(ctx, pid, today)).await?;
    }
    Ok(ids.len())
}

/// Refreshes every stale summary in the background (after a feed file), so
/// the next list is current without making the feed's caller wait.
pub fn refresh_in_background(ctx: ApiContext) {
    tokio::spawn(async move {
        let today = ctx.today();
        match refresh_stale(&ctx, today, None).await {
            Ok(n) => tracing::info!(partners = n, "partner summaries refreshed"),
            Err(e) => tracing::warn!(error = %e, "partner summaries not refreshed; the list and the jobs will retry"),
        }
    });
}
