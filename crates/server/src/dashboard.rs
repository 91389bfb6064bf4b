//! The program dashboard's figures, each one SQL aggregate over the
//! per-partner summary, the offers, the grant ledger and the activation
//! records (the benefit records and the audit entries of their moves). Rust
//! only fills the weeks and months that had nothing.

use std::collections::BTreeMap;

use benefits_api::dashboard::{Dashboard, MonthBenefits, NearTier, OfferTypeCount, SlaWeek, StateCount, TierCount};
use benefits_domain::activation::{BenefitStatus, CONTACT_WITHIN_DAYS};
use benefits_domain::{Catalog, Cents, Month, OfferType};
use chrono::{Datelike, Days, NaiveDate};
use sqlx::AnyConnection;

use crate::clock::{fmt_date, parse_date};
use crate::error::{ApiResult, AppError};
use crate::sql::Builder;
use crate::sql::json_text;

/// The most partners listed as close to their next tier.
pub const NEAR_TIER_LIMIT: i64 = 100;

/// Every figure of the dashboard for `from..=to`; tiers and offers as of `today`.
pub async fn figures(conn: &mut AnyConnection, catalog: &Catalog, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> ApiResult<Dashboard> {
    let partners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partners").fetch_one(&mut *conn).await?;
    Ok(Dashboard {
        from,
        to,
        as_of: today,
        partners: partners as u64,
        by_tier: by_tier(conn).await?,
        by_offer_type: by_offer_type(conn, today).await?,
        activations_by_state: activations_by_state(conn, from, to).await?,
        contact_sla: contact_sla(conn, from, to, today).await?,
        benefits_by_month: benefits_by_month(conn, from, to).await?,
        near_next_tier: near_next_tier(conn, catalog).await?,
    })
}

async fn by_tier(conn: &mut AnyConnection) -> ApiResult<Vec<TierCount>> {
    let rows: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT s.effective_tier, COUNT(*) FROM partners p LEFT JOIN partner_summary s ON s.partner_id = p.id \
         GROUP BY s.effective_tier ORDER BY s.effective_tier NULLS FIRST",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(tier, n)| TierCount { tier: tier.map(|t| t as u32), partners: n as u64 }).collect())
}

/// Every offer type, with zero where no partner has a live offer of it.
async fn by_offer_type(conn: &mut AnyConnection, today: NaiveDate) -> ApiResult<Vec<OfferTypeCount>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT type, COUNT(DISTINCT partner_id) FROM offers \
         WHERE live_on IS NOT NULL AND live_on <= $1 AND (delisted_on IS NULL OR delisted_on > $1) GROUP BY type",
    )
    .bind(fmt_date(today))
    .fetch_all(&mut *conn)
    .await?;
    let counts: BTreeMap<String, i64> = rows.into_iter().collect();
    Ok(OfferType::ALL
        .into_iter()
        .map(|t| OfferTypeCount { offer_type: t, partners: counts.get(t.as_str()).copied().unwrap_or(0) as u64 })
        .collect())
}

async fn activations_by_state(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<StateCount>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT status, COUNT(*) FROM benefit_records WHERE {} BETWEEN $1 AND $2 GROUP BY status",
        json_text(crate::db::is_sqlite(conn), "state_json", "activated_on")
    ))
    .bind(fmt_date(from))
    .bind(fmt_date(to))
    .fetch_all(&mut *conn)
    .await?;
    let counts: BTreeMap<String, i64> = rows.into_iter().collect();
    Ok(BenefitStatus::ALL
        .into_iter()
        .filter_map(|s| counts.get(s.as_str()).map(|n| StateCount { status: s, benefits: *n as u64 }))
        .collect())
}

/// Per week of activation: the first operator move of each activation (the
/// audit entry of `benefit.advance` after it) against its contact date, the
/// domain's `CONTACT_WITHIN_DAYS` after activation. SQL finds each
/// activation's first move; the date arithmetic and the weeks are Rust's, so
/// the statement is one both SQLite and PostgreSQL run.
async fn contact_sla(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> ApiResult<Vec<SlaWeek>> {
    let sqlite = crate::db::is_sqlite(conn);
    let activated_on = json_text(sqlite, "r.state_json", "activated_on");
    let changed_on = json_text(sqlite, "l.after_json", "state.changed_on");
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT {activated_on}, r.status, \
                (SELECT MIN({changed_on}) FROM audit_log l \
                   WHERE l.partner_id = r.partner_id AND l.action = 'benefit.advance' \
                     AND l.target = 'benefit:' || r.benefit_id || '@' || r.year_start \
                     AND {changed_on} >= {activated_on}) \
         FROM benefit_records r WHERE {activated_on} BETWEEN $1 AND $2"
    ))
    .bind(fmt_date(from))
    .bind(fmt_date(to))
    .fetch_all(&mut *conn)
    .await?;
    let mut weeks: BTreeMap<NaiveDate, SlaWeek> = BTreeMap::new();
    let mut week = monday_of(from);
    while week <= to {
        weeks.insert(week, SlaWeek { week, activated: 0, in_time: 0, late: 0, pending: 0 });
        week = week + Days::new(7);
    }
    for (activated_on, status, contacted_on) in rows {
        let activated_on = parse_date(&activated_on)?;
        let contacted_on = contacted_on.as_deref().map(parse_date).transpose()?;
        let due = activated_on + Days::new(CONTACT_WITHIN_DAYS);
        let waiting = contacted_on.is_none() && status == BenefitStatus::Activated.as_str();
        let w = weeks.entry(monday_of(activated_on)).or_insert(SlaWeek { week: monday_of(activated_on), activated: 0, in_time: 0, late: 0, pending: 0 });
        w.activated += 1;
        w.in_time += u64::from(contacted_on.is_some_and(|c| c <= due));
        w.late += u64::from(contacted_on.is_some_and(|c| c > due) || (waiting && due < today));
        w.pending += u64::from(waiting && due >= today);
    }
    Ok(weeks.into_values().collect())
}

/// The Monday on or before `day`.
fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Grants recorded and benefits delivered, per calendar month.
async fn benefits_by_month(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<MonthBenefits>> {
    let changed_on = json_text(crate::db::is_sqlite(conn), "state_json", "changed_on");
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT m, CAST(SUM(g) AS BIGINT), CAST(SUM(d) AS BIGINT) FROM ( \
           SELECT substr(granted_on, 1, 7) AS m, 1 AS g, 0 AS d FROM grants WHERE granted_on BETWEEN $1 AND $2 \
           UNION ALL \
           SELECT substr({changed_on}, 1, 7), 0, 1 FROM benefit_records \
           WHERE status = 'delivered' AND {changed_on} BETWEEN $1 AND $2 \
         ) AS moves GROUP BY m ORDER BY m"
    ))
    .bind(fmt_date(from))
    .bind(fmt_date(to))
    .fetch_all(&mut *conn)
    .await?;
    let mut months: BTreeMap<Month, MonthBenefits> =
        (Month::of(from).ordinal()..=Month::of(to).ordinal()).map(Month::from_ordinal).map(|m| (m, MonthBenefits { month: m, granted: 0, delivered: 0 })).collect();
    for (m, granted, delivered) in rows {
        let month: Month = m.parse().map_err(|_| AppError::internal(format!("a stored month `{m}` does not parse")))?;
        months.insert(month, MonthBenefits { month, granted: granted as u64, delivered: delivered as u64 });
    }
    Ok(months.into_values().collect())
}

/// Transact partners whose TTM MBS is at least 90 % of the lowest MBS
/// threshold above both their MBS and their tier (catalog in force).
async fn near_next_tier(conn: &mut AnyConnection, catalog: &Catalog) -> ApiResult<Vec<NearTier>> {
    if catalog.metrics.mbs.tiers.is_empty() {
        return Ok(Vec::new());
    }
    // The catalog's thresholds as a bound VALUES list; the larger of two
    // values is a CASE (SQLite's two-argument MAX is PostgreSQL's GREATEST).
    let mut q = Builder::new("WITH t (tier, min) AS (");
    q.push_values(&catalog.metrics.mbs.tiers, |mut b, t| {
        b.push_bind(i64::from(t.tier)).push_bind(t.min.0);
    });
    q.push(
        "), s AS ( \
           SELECT p.id, p.name, s.effective_tier, s.mbs_cents, \
                  (SELECT t.tier FROM t WHERE t.min > s.mbs_cents AND t.tier > \
                     CASE WHEN COALESCE(s.effective_tier, 0) > COALESCE(s.transact_tier_today, 0) \
                          THEN COALESCE(s.effective_tier, 0) ELSE COALESCE(s.transact_tier_today, 0) END \
                   ORDER BY t.min LIMIT 1) AS next_tier \
           FROM partners p JOIN partner_summary s ON s.partner_id = p.id WHERE s.transact_tier_today IS NOT NULL \
         ) \
         SELECT s.id, s.name, s.effective_tier, s.mbs_cents, s.next_tier, t.min FROM s JOIN t ON t.tier = s.next_tier \
         WHERE s.mbs_cents * 10 >= t.min * 9 \
         ORDER BY (t.min - s.mbs_cents) * 1.0 / t.min, s.name, s.id LIMIT ",
    );
    q.push_bind(NEAR_TIER_LIMIT);
    let rows: Vec<(String, String, Option<i64>, i64, i64, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(partner_id, name, tier, mbs, next_tier, next_min)| NearTier {
            partner_id,
            name,
            tier: tier.map(|t| t as u32),
            mbs: Cents(mbs),
            next_tier: next_tier as u32,
            next_min: Cents(next_min),
            missing: Cents(next_min - mbs),
        })
        .collect())
}
