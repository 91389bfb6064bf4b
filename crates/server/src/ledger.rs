//! The grant ledger in the store: recording what the evaluation unlocks (the
//! rules are `benefits_domain::grants`), and the operator's correction of a
//! partner's first benefit date.

use benefits_domain::Grant;
use chrono::NaiveDate;
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::UserRow;
use crate::clock::{fmt_date, now_rfc3339};
use crate::error::ApiResult;
use crate::notify::{self, Links};
use crate::store;
use crate::workspace::Snapshot;

/// Records the snapshot's due grants and, before the first grant, the first
/// benefit date. Idempotent: a grant already recorded is left as it is, and
/// a stored first benefit date is never overwritten here. Returns how many
/// grants were recorded.
///
/// With `links`, the admins are told of a benefit year that started or a
/// tier reached by what was recorded (the demo seed records history untold).
pub async fn record(conn: &mut AnyConnection, snap: &Snapshot, links: Option<&Links>) -> ApiResult<usize> {
    let pid = &snap.partner.id;
    let mut recorded = 0;
    let earlier = match links {
        Some(_) => store::grants(&mut *conn, pid).await?,
        None => Vec::new(),
    };
    let mut newly: Vec<&Grant> = Vec::new();
    if let Some(first) = snap.due.first_benefit_date {
        let set = sqlx::query("UPDATE partners SET first_benefit_date = $1 WHERE id = $2 AND first_benefit_date IS NULL")
            .bind(fmt_date(first))
            .bind(pid)
            .execute(&mut *conn)
            .await?;
        if set.rows_affected() == 1 {
            store::audit(&mut *conn, None, Some(pid), "partner.first_benefit_date", &format!("partner:{pid}"), None, Some(json!({"first_benefit_date": fmt_date(first)}))).await?;
        }
    }
    let now = now_rfc3339();
    for g in &snap.due.new_grants {
        let cause = serde_json::to_string(&g.cause)?;
        let done = sqlx::query(
            "INSERT INTO grants (partner_id, benefit_id, year_start, granted_on, catalog_version, cause_json, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT DO NOTHING",
        )
        .bind(pid)
        .bind(&g.benefit_id)
        .bind(fmt_date(g.year_start))
        .bind(fmt_date(g.granted_on))
        .bind(&g.catalog_version)
        .bind(&cause)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            recorded += 1;
            newly.push(g);
            store::audit(&mut *conn, None, Some(pid), "grant.record", &format!("benefit:{}@{}", g.benefit_id, fmt_date(g.year_start)), None, Some(json!(g))).await?;
        }
    }
    store::bump_data_version(&mut *conn, pid).await?;
    if let Some(links) = links {
        tell_recorded(conn, snap, links, &earlier, &newly).await?;
    }
    Ok(recorded)
}

/// Tells the admins what the newly recorded grants mean, one benefit year at a time.
async fn tell_recorded(conn: &mut AnyConnection, snap: &Snapshot, links: &Links, earlier: &[Grant], newly: &[&Grant]) -> ApiResult<()> {
    let mut years: Vec<NaiveDate> = newly.iter().map(|g| g.year_start).collect();
    years.dedup();
    for year in years {
        let of_year: Vec<&Grant> = newly.iter().copied().filter(|g| g.year_start == year).collect();
        let year_end = snap.evaluation.benefit_year.filter(|y| y.start == year).map(|y| y.end);
        notify::events::grants_recorded(&mut *conn, links, &snap.partner.id, &snap.partner.name, &snap.catalog, earlier, &of_year, year_end).await?;
    }
    Ok(())
}

/// An operator's correction of the first benefit date, with the reason; audited.
/// Returns the date before, or `None` when the partner does not exist.
pub async fn correct_first_benefit_date(
    conn: &mut AnyConnection,
    operator: &UserRow,
    pid: &str,
    date: NaiveDate,
    reason: &str,
) -> ApiResult<Option<Option<String>>> {
    let Some(partner) = store::partner(&mut *conn, pid).await? else { return Ok(None) };
    sqlx::query("UPDATE partners SET first_benefit_date = $1 WHERE id = $2").bind(fmt_date(date)).bind(pid).execute(&mut *conn).await?;
    store::bump_data_version(&mut *conn, pid).await?;
    store::audit(
        &mut *conn,
        Some(operator),
        Some(pid),
        "partner.first_benefit_date.correct",
        &format!("partner:{pid}"),
        Some(json!({"first_benefit_date": partner.first_benefit_date})),
        Some(json!({"first_benefit_date": fmt_date(date), "reason": reason})),
    )
    .await?;
    Ok(Some(partner.first_benefit_date))
}
