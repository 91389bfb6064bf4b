//! The program's jobs: record the grants due today, write back expired
//! activations (through the domain's `expire()`), warn of expiries within 14
//! days, mark overdue contacts, send the Rewards team's daily digest.
//!
//! `benefits serve` runs them at start and then every hour; `benefits
//! run-jobs` once. Several servers may share one database: each run is for
//! one hour (its slot), and only the server whose insert of the slot's claim
//! row succeeds runs it; the others skip. Every write is also conditional on
//! the row's version, so even an overlapping run changes nothing twice.

use benefits_domain::activation::{self, BenefitState, BenefitStatus};
use chrono::{NaiveDate, Timelike};
use serde::Serialize;
use serde_json::json;

use crate::clock::{fmt_date, now_rfc3339};
use crate::error::ApiResult;
use crate::state::ApiContext;
use crate::notify::{self, Links};
use crate::{db, store, workspace};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct JobReport {
    /// False when another server had claimed this hour's run.
    pub claimed: bool,
    pub slot: String,
    pub partners: usize,
    pub grants_recorded: usize,
    pub expired: usize,
    pub expiry_warnings: usize,
    pub overdue_marked: usize,
    /// Operators sent today's digest of overdue contacts by this run.
    pub digests: usize,
    /// Partner summaries written (stale ones: data, catalog or day moved).
    pub summaries_refreshed: usize,
}

/// The slot of a run: the day (from the server's clock) and the UTC hour.
pub fn slot(today: NaiveDate) -> String {
    format!("{}T{:02}", fmt_date(today), chrono::Utc::now().hour())
}

/// Claims the slot's run and, if this server got it, runs the jobs.
pub async fn run(ctx: &ApiContext, runner: &str) -> ApiResult<JobReport> {
    let today = ctx.today();
    let slot = slot(today);
    if !db::retry(|| claim(ctx, &slot, runner)).await? {
        return Ok(JobReport { claimed: false, slot, ..JobReport::default() });
    }
    let mut report = run_unclaimed(ctx, today).await?;
    // Sign-in failures past the limiter's window count for nothing any more.
    crate::auth::LoginLimiter::purge(&ctx.db.write, ctx.limiter.window).await?;
    report.claimed = true;
    report.slot = slot.clone();
    let summary = serde_json::to_string(&report)?;
    db::retry(|| async {
        sqlx::query("UPDATE job_runs SET finished_at = $1, summary = $2 WHERE slot = $3")
            .bind(now_rfc3339())
            .bind(&summary)
            .bind(&slot)
            .execute(&ctx.db.write)
            .await?;
        Ok(())
    })
    .await?;
    Ok(report)
}

/// Inserts the slot's claim row: true when this insert made it. The slot is
/// the table's primary key, so of two servers inserting at once exactly one
/// inserts; on PostgreSQL the other waits for the first to commit, then
/// inserts nothing or (SERIALIZABLE: the row is not in its snapshot) fails
/// with 40001 and, run again, inserts nothing.
async fn claim(ctx: &ApiContext, slot: &str, runner: &str) -> ApiResult<bool> {
    let done = sqlx::query("INSERT INTO job_runs (slot, claimed_by, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(slot)
        .bind(runner)
        .bind(now_rfc3339())
        .execute(&ctx.db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The jobs themselves, without the claim (each step is idempotent).
pub async fn run_unclaimed(ctx: &ApiContext, today: NaiveDate) -> ApiResult<JobReport> {
    let mut report = JobReport::default();
    let partners: Vec<String> = sqlx::query_scalar("SELECT id FROM partners ORDER BY id").fetch_all(&ctx.db.read).await?;
    for pid in &partners {
        let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM grants WHERE partner_id = $1").bind(pid).fetch_one(&ctx.db.read).await?;
        // Evaluating today records what is due.
        db::retry(|| workspace::snapshot(ctx, pid, today)).await?;
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM grants WHERE partner_id = $1").bind(pid).fetch_one(&ctx.db.read).await?;
        report.grants_recorded += (after - before).max(0) as usize;
    }
    report.partners = partners.len();
    let states = write_back_states(ctx, today).await?;
    report.expired = states.expired;
    report.expiry_warnings = states.warned;
    report.overdue_marked = states.overdue;
    report.digests = notify::digest::send(ctx, today).await?;
    if report.expired + report.expiry_warnings + report.digests > 0 {
        ctx.mail_wake.notify_one();
    }
    report.summaries_refreshed = crate::summary::refresh_stale(ctx, today, None).await?;
    Ok(report)
}

#[derive(sqlx::FromRow)]
struct ActiveRow {
    partner_id: String,
    benefit_id: String,
    year_start: String,
    state_json: String,
    version: i64,
    overdue_marked_on: Option<String>,
}

#[derive(Default)]
struct States {
    expired: usize,
    warned: usize,
    overdue: usize,
}

/// The names messages use: the partner's, and the benefit's in today's catalog.
struct Names {
    catalog: benefits_domain::Catalog,
    partners: std::collections::HashMap<String, String>,
}

impl Names {
    async fn load(ctx: &ApiContext, today: NaiveDate) -> ApiResult<Names> {
        let mut conn = ctx.db.read.acquire().await?;
        let seq = store::catalog_seq_on(&mut conn, today).await?;
        let catalog = store::catalog_by_seq(&mut conn, seq).await?;
        let partners = sqlx::query_as::<_, (String, String)>("SELECT id, name FROM partners").fetch_all(&mut *conn).await?.into_iter().collect();
        Ok(Names { catalog, partners })
    }

    fn moved<'a>(&'a self, r: &'a ActiveRow, version: i64, before: &'a BenefitState, after: &'a BenefitState) -> notify::events::Moved<'a> {
        notify::events::Moved {
            pid: &r.partner_id,
            partner: self.partners.get(&r.partner_id).map_or(&r.partner_id, |n| n),
            bid: &r.benefit_id,
            benefit: self.catalog.benefit(&r.benefit_id).map_or(&r.benefit_id, |b| &b.name),
            year_start: &r.year_start,
            version,
            before,
            after,
        }
    }
}

/// Writes back the expiries, warns of coming ones and marks the overdue contacts of active records.
async fn write_back_states(ctx: &ApiContext, today: NaiveDate) -> ApiResult<States> {
    let rows: Vec<ActiveRow> = sqlx::query_as(
        "SELECT partner_id, benefit_id, year_start, state_json, version, overdue_marked_on FROM benefit_records \
         WHERE status IN ('activated', 'contacted', 'in_progress')",
    )
    .fetch_all(&ctx.db.read)
    .await?;
    let names = Names::load(ctx, today).await?;
    let links = Links::new(&ctx.config);
    let mut done = States::default();
    for r in rows {
        let state: BenefitState = serde_json::from_str(&r.state_json)?;
        if state.status_on(today) == BenefitStatus::Expired {
            if let Ok(next) = activation::expire(&state, today) {
                done.expired += usize::from(db::retry(|| expire(ctx, &names, &r, &state, &next)).await?);
            }
            continue;
        }
        if let Some(expires_on) = benefits_domain::notify::expiry_to_warn(&state, today) {
            done.warned += db::retry(|| warn_expiry(ctx, &links, names.moved(&r, r.version, &state, &state), expires_on)).await?;
        }
        if state.contact_overdue(today) && r.overdue_marked_on.is_none() {
            done.overdue += usize::from(db::retry(|| mark_overdue(ctx, &r, today)).await?);
        }
    }
    Ok(done)
}

/// Tells the contact of an expiry within the warning period (once per expiry date).
async fn warn_expiry(ctx: &ApiContext, links: &Links, m: notify::events::Moved<'_>, expires_on: NaiveDate) -> ApiResult<usize> {
    let to = {
        let mut conn = ctx.db.read.acquire().await?;
        notify::recipients::contact(&mut conn, m.pid).await?
    };
    // IMMEDIATE: another server's job run may be writing the same event.
    let mut tx = crate::db::begin_immediate(&ctx.db.write).await?;
    let sent = notify::events::expiring_soon(&mut tx, links, &m, expires_on, &to).await?;
    tx.commit().await?;
    Ok(sent)
}

async fn expire(ctx: &ApiContext, names: &Names, r: &ActiveRow, before: &BenefitState, next: &BenefitState) -> ApiResult<bool> {
    let mut tx = ctx.db.write.begin().await?;
    let done = sqlx::query(
        "UPDATE benefit_records SET status = $1, state_json = $2, version = version + 1, updated_at = $3 \
         WHERE partner_id = $4 AND benefit_id = $5 AND year_start = $6 AND version = $7",
    )
    .bind(next.status.as_str())
    .bind(serde_json::to_string(next)?)
    .bind(now_rfc3339())
    .bind(&r.partner_id)
    .bind(&r.benefit_id)
    .bind(&r.year_start)
    .bind(r.version)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        store::bump_data_version(&mut tx, &r.partner_id).await?;
        store::audit(
            &mut tx,
            None,
            Some(&r.partner_id),
            "benefit.expire",
            &format!("benefit:{}@{}", r.benefit_id, r.year_start),
            Some(json!({"state": before, "version": r.version})),
            Some(json!({"state": next, "version": r.version + 1})),
        )
        .await?;
        notify::events::benefit_moved(&mut tx, &Links::new(&ctx.config), &names.moved(r, r.version + 1, before, next)).await?;
    }
    tx.commit().await?;
    Ok(done)
}

async fn mark_overdue(ctx: &ApiContext, r: &ActiveRow, today: NaiveDate) -> ApiResult<bool> {
    let mut tx = ctx.db.write.begin().await?;
    let done = sqlx::query(
        "UPDATE benefit_records SET overdue_marked_on = $1 WHERE partner_id = $2 AND benefit_id = $3 AND year_start = $4 AND overdue_marked_on IS NULL",
    )
    .bind(fmt_date(today))
    .bind(&r.partner_id)
    .bind(&r.benefit_id)
    .bind(&r.year_start)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        store::audit(
            &mut tx,
            None,
            Some(&r.partner_id),
            "benefit.contact_overdue",
            &format!("benefit:{}@{}", r.benefit_id, r.year_start),
            None,
            Some(json!({"marked_on": fmt_date(today)})),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Runs the jobs now and then every `every`, for as long as the server runs.
pub fn spawn(ctx: ApiContext, every: std::time::Duration) {
    let runner = format!("serve pid {} {}", std::process::id(), crate::auth::random_id(""));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match run(&ctx, &runner).await {
                Ok(r) if r.claimed => tracing::info!(slot = %r.slot, grants = r.grants_recorded, expired = r.expired, overdue = r.overdue_marked, "jobs ran"),
                Ok(r) => tracing::info!(slot = %r.slot, "jobs of this hour already claimed by another server"),
                Err(e) => tracing::error!(error = %e, "jobs failed"),
            }
        }
    });
}
