//! The program dashboard's figures, each one SQL aggregate over the
//! per-partner summary, the offers, the grant ledger and the activation
//! records (the benefit records and the audit entries of their moves). Rust
//! only fills the weeks and months that had nothing.

use std::collections::BTreeMap;

use benefits_api::dashboard::{Dashboard, MonthBenefits, NearTier, OfferTypeCount, SlaWeek, StateCount, TierCount};
use benefits_domain::activation::{BenefitStatus, CONTACT_WITHIN_DAYS};
use benefits_domain::{Catalog, Cents, Month, OfferType};
use chrono::{Datelike, Days, NaiveDate};
use sqlx::SqliteConnection;

use crate::clock::{fmt_date, parse_date};
use crate::error::{ApiResult, AppError};

/// The most partners listed as close to their next tier.
pub const NEAR_TIER_LIMIT: i64 = 100;

/// Every figure of the dashboard for `from..=to`; tiers and offers as of `today`.
pub async fn figures(conn: &mut SqliteConnection, catalog: &Catalog, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> ApiResult<Dashboard> {
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

async fn by_tier(conn: &mut SqliteConnection) -> ApiResult<Vec<TierCount>> {
    let rows: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT s.effective_tier, COUNT(*) FROM partners p LEFT JOIN partner_summary s ON s.partner_id = p.id \
         GROUP BY s.effective_tier ORDER BY s.effective_tier",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(tier, n)| TierCount { tier: tier.map(|t| t as u32), partners: n as u64 }).collect())
}

/// Every offer type, with zero where no partner has a live offer of it.
async fn by_offer_type(conn: &mut SqliteConnection, today: NaiveDate) -> ApiResult<Vec<OfferTypeCount>> {
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

async fn activations_by_state(conn: &mut SqliteConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<StateCount>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM benefit_records \
         WHERE json_extract(state_json, '$.activated_on') BETWEEN $1 AND $2 GROUP BY status",
    )
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
/// domain's `CONTACT_WITHIN_DAYS` after activation.
async fn contact_sla(conn: &mut SqliteConnection, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> ApiResult<Vec<SlaWeek>> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "WITH acts AS ( \
           SELECT r.partner_id, r.benefit_id, r.year_start, r.status, \
                  json_extract(r.state_json, '$.activated_on') AS activated_on, \
                  date(json_extract(r.state_json, '$.activated_on'), '+' || $3 || ' days') AS due \
           FROM benefit_records r WHERE json_extract(r.state_json, '$.activated_on') BETWEEN $1 AND $2 \
         ), seen AS ( \
           SELECT a.*, (SELECT MIN(json_extract(l.after_json, '$.state.changed_on')) FROM audit_log l \
               WHERE l.partner_id = a.partner_id AND l.action = 'benefit.advance' \
                 AND l.target = 'benefit:' || a.benefit_id || '@' || a.year_start \
                 AND json_extract(l.after_json, '$.state.changed_on') >= a.activated_on) AS contacted_on \
           FROM acts a \
         ) \
         SELECT date(activated_on, '-6 days', 'weekday 1') AS week, COUNT(*), \
                COALESCE(SUM(contacted_on IS NOT NULL AND contacted_on <= due), 0), \
                COALESCE(SUM((contacted_on IS NOT NULL AND contacted_on > due) OR (contacted_on IS NULL AND status = 'activated' AND due < $4)), 0), \
                COALESCE(SUM(contacted_on IS NULL AND status = 'activated' AND due >= $4), 0) \
         FROM seen GROUP BY week ORDER BY week",
    )
    .bind(fmt_date(from))
    .bind(fmt_date(to))
    .bind(CONTACT_WITHIN_DAYS as i64)
    .bind(fmt_date(today))
    .fetch_all(&mut *conn)
    .await?;
    let mut weeks: BTreeMap<NaiveDate, SlaWeek> = BTreeMap::new();
    let mut week = monday_of(from);
    while week <= to {
        weeks.insert(week, SlaWeek { week, activated: 0, in_time: 0, late: 0, pending: 0 });
        week = week + Days::new(7);
    }
    for (week, activated, in_time, late, pending) in rows {
        let week = parse_date(&week)?;
        weeks.insert(week, SlaWeek { week, activated: activated as u64, in_time: in_time as u64, late: late as u64, pending: pending as u64 });
    }
    Ok(weeks.into_values().collect())
}

/// The Monday on or before `day`.
fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Grants recorded and benefits delivered, per calendar month.
async fn benefits_by_month(conn: &mut SqliteConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Vec<MonthBenefits>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT m, SUM(g), SUM(d) FROM ( \
           SELECT substr(granted_on, 1, 7) AS m, 1 AS g, 0 AS d FROM grants WHERE granted_on BETWEEN $1 AND $2 \
           UNION ALL \
           SELECT substr(json_extract(state_json, '$.changed_on'), 1, 7), 0, 1 FROM benefit_records \
           WHERE status = 'delivered' AND json_extract(state_json, '$.changed_on') BETWEEN $1 AND $2 \
         ) GROUP BY m ORDER BY m",
    )
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
async fn near_next_tier(conn: &mut SqliteConnection, catalog: &Catalog) -> ApiResult<Vec<NearTier>> {
    let tiers: Vec<serde_json::Value> =
        catalog.metrics.mbs.tiers.iter().map(|t| serde_json::json!({"tier": t.tier, "min": t.min.0})).collect();
    let rows: Vec<(String, String, Option<i64>, i64, i64, i64)> = sqlx::query_as(
        "WITH t AS (SELECT json_extract(value, '$.tier') AS tier, json_extract(value, '$.min') AS min FROM json_each($1)), \
         s AS ( \
           SELECT p.id, p.name, s.effective_tier, s.mbs_cents, \
                  (SELECT t.tier FROM t WHERE t.min > s.mbs_cents \
                     AND t.tier > MAX(COALESCE(s.effective_tier, 0), COALESCE(s.transact_tier_today, 0)) ORDER BY t.min LIMIT 1) AS next_tier \
           FROM partners p JOIN partner_summary s ON s.partner_id = p.id WHERE s.transact_tier_today IS NOT NULL \
         ) \
         SELECT s.id, s.name, s.effective_tier, s.mbs_cents, s.next_tier, t.min FROM s JOIN t ON t.tier = s.next_tier \
         WHERE s.mbs_cents * 10 >= t.min * 9 \
         ORDER BY (t.min - s.mbs_cents) * 1.0 / t.min, s.name, s.id LIMIT $2",
    )
    .bind(serde_json::Value::Array(tiers).to_string())
    .bind(NEAR_TIER_LIMIT)
    .fetch_all(&mut *conn)
    .await?;
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
