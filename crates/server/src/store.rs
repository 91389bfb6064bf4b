//! Reading a partner's data into the domain's types, and the bookkeeping every
//! write shares: the audit log, the partner's data version, idempotency keys.

use std::collections::HashMap;

use benefits_domain::activation::BenefitState;
use benefits_domain::model::{MonthlyMau, MonthlyValue};
use benefits_domain::catalog::Published;
use benefits_domain::{Cents, Catalog, Grant, Month, Offer, OfferType, PartnerData, SaleLine, SaleStatus};
use benefits_api::contact::Contact;
use benefits_api::feed::Provenance;
use benefits_api::offers::OfferView;
use benefits_api::operator::SaleView;
use benefits_api::session::{Language, PartnerInfo};
use benefits_api::ErrorCode;
use chrono::NaiveDate;
use serde_json::Value;
use sqlx::AnyConnection;

use crate::auth::UserRow;
use crate::clock::{now_rfc3339, now_unix, parse_date};
use crate::error::{ApiResult, AppError};
use crate::extract::{IdemKey, Stored};
use crate::sql::Flag;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub account_email: String,
    pub first_benefit_date: Option<String>,
    pub engagement_manager_id: Option<String>,
    pub data_version: i64,
}

impl PartnerRow {
    pub fn info(&self) -> PartnerInfo {
        PartnerInfo { id: self.id.clone(), name: self.name.clone(), account_email: self.account_email.clone() }
    }
}

pub async fn partner(conn: &mut AnyConnection, pid: &str) -> ApiResult<Option<PartnerRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, account_email, first_benefit_date, engagement_manager_id, data_version FROM partners WHERE id = $1",
    )
    .bind(pid)
    .fetch_optional(conn)
    .await?)
}

/// The user's chosen language (`None` until they choose one).
pub async fn user_language(pool: &sqlx::AnyPool, user_id: &str) -> ApiResult<Option<Language>> {
    let code: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM users WHERE id = $1").bind(user_id).fetch_optional(pool).await?;
    Ok(code.flatten().as_deref().and_then(Language::parse))
}

/// The language to write to a user in (their choice; English until they choose).
pub async fn mail_lang(conn: &mut AnyConnection, user_id: &str) -> ApiResult<crate::mail::Lang> {
    let code: Option<Option<String>> = sqlx::query_scalar("SELECT language FROM users WHERE id = $1").bind(user_id).fetch_optional(conn).await?;
    Ok(code.flatten().as_deref().map_or(crate::mail::Lang::En, crate::mail::Lang::from_tag))
}

/// Saves the user's language choice.
pub async fn set_user_language(pool: &sqlx::AnyPool, user_id: &str, language: Language) -> ApiResult<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2").bind(language.as_str()).bind(user_id).execute(pool).await?;
    Ok(())
}

/// Every published catalog version's place in time.
pub async fn published_catalogs(conn: &mut AnyConnection) -> ApiResult<Vec<Published>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT seq, effective_from FROM catalogs ORDER BY seq").fetch_all(conn).await?;
    rows.into_iter().map(|(seq, from)| Ok(Published { seq, effective_from: parse_date(&from)? })).collect()
}

/// The sequence number of the catalog version in force on `day` (the domain
/// chooses); the first version published when every version is scheduled later.
pub async fn catalog_seq_on(conn: &mut AnyConnection, day: NaiveDate) -> ApiResult<i64> {
    let versions = published_catalogs(conn).await?;
    Ok(benefits_domain::catalog::in_force(&versions, day).or(versions.first().copied()).map_or(0, |v| v.seq))
}

pub async fn catalog_by_seq(conn: &mut AnyConnection, seq: i64) -> ApiResult<Catalog> {
    let json: String = sqlx::query_scalar("SELECT json FROM catalogs WHERE seq = $1").bind(seq).fetch_one(conn).await?;
    benefits_domain::parse::parse_catalog(&json).map_err(|e| AppError::internal(format!("stored catalog {seq}: {e}")))
}

#[derive(sqlx::FromRow)]
pub struct OfferRow {
    pub id: String,
    pub name: String,
    #[sqlx(rename = "type")]
    pub offer_type: String,
    pub live_on: Option<String>,
    pub delisted_on: Option<String>,
    pub version: i64,
    #[sqlx(flatten)]
    pub source: ProvenanceRow,
}

/// Where a feed row came from: the ingestion that last changed it.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct ProvenanceRow {
    pub ingestion_id: Option<i64>,
    pub ingested_via: Option<String>,
    pub ingested_at: Option<String>,
    pub ingested_file: Option<String>,
}

impl ProvenanceRow {
    pub fn view(&self) -> Provenance {
        Provenance {
            ingestion_id: self.ingestion_id,
            ingested_via: self.ingested_via.clone(),
            ingested_at: self.ingested_at.clone(),
            file_name: self.ingested_file.clone(),
        }
    }
}

impl OfferRow {
    pub fn view(&self) -> ApiResult<OfferView> {
        let offer = self.domain()?;
        Ok(OfferView {
            id: offer.id,
            name: self.name.clone(),
            offer_type: offer.offer_type,
            live_on: offer.live_on,
            delisted_on: offer.delisted_on,
            version: self.version,
            source: self.source.view(),
        })
    }

    pub fn domain(&self) -> ApiResult<Offer> {
        Ok(Offer {
            id: self.id.clone(),
            offer_type: OfferType::parse(&self.offer_type).ok_or_else(|| AppError::internal("stored offer type"))?,
            live_on: self.live_on.as_deref().map(parse_date).transpose()?,
            delisted_on: self.delisted_on.as_deref().map(parse_date).transpose()?,
        })
    }
}

const OFFER_COLUMNS: &str = "o.id, o.name, o.type, o.live_on, o.delisted_on, o.version, o.ingestion_id, i.source AS ingested_via, i.at AS ingested_at, i.file_name AS ingested_file \
     FROM offers o LEFT JOIN ingestions i ON i.id = o.ingestion_id";

pub async fn offers(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<OfferRow>> {
    Ok(sqlx::query_as(&format!("SELECT {OFFER_COLUMNS} WHERE o.partner_id = $1 ORDER BY o.live_on IS NULL, o.live_on, o.id"))
        .bind(pid)
        .fetch_all(conn)
        .await?)
}

pub async fn offer(conn: &mut AnyConnection, pid: &str, oid: &str) -> ApiResult<Option<OfferRow>> {
    Ok(sqlx::query_as(&format!("SELECT {OFFER_COLUMNS} WHERE o.partner_id = $1 AND o.id = $2"))
        .bind(pid)
        .bind(oid)
        .fetch_optional(conn)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SaleRow {
    pub id: i64,
    pub partner_id: String,
    pub external_id: String,
    pub date: String,
    pub amount_cents: i64,
    pub status: String,
    pub offer_id: String,
    #[sqlx(try_from = "crate::sql::Flag")]
    pub fraud: bool,
    pub fraud_note: Option<String>,
    pub version: i64,
    #[sqlx(flatten)]
    pub source: ProvenanceRow,
}

impl SaleRow {
    pub fn effective_status(&self) -> ApiResult<SaleStatus> {
        if self.fraud {
            return Ok(SaleStatus::Fraud);
        }
        SaleStatus::parse(&self.status).ok_or_else(|| AppError::internal("stored sale status"))
    }

    pub fn view(&self) -> ApiResult<SaleView> {
        Ok(SaleView {
            id: self.id,
            partner_id: self.partner_id.clone(),
            external_id: self.external_id.clone(),
            date: parse_date(&self.date)?,
            amount_usd: Cents(self.amount_cents),
            status: SaleStatus::parse(&self.status).ok_or_else(|| AppError::internal("stored sale status"))?,
            fraud: self.fraud,
            fraud_note: self.fraud_note.clone(),
            effective_status: self.effective_status()?,
            offer_id: self.offer_id.clone(),
            version: self.version,
            source: self.source.view(),
        })
    }
}

/// `fraud` is INTEGER 0/1, read through `crate::sql::Flag`.
pub const SALE_COLUMNS: &str = "s.id, s.partner_id, s.external_id, s.date, s.amount_cents, s.status, s.offer_id, s.fraud, s.fraud_note, s.version, \
     s.ingestion_id, i.source AS ingested_via, i.at AS ingested_at, i.file_name AS ingested_file FROM sales s LEFT JOIN ingestions i ON i.id = s.ingestion_id";

pub async fn sales(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<SaleRow>> {
    Ok(sqlx::query_as(&format!("SELECT {SALE_COLUMNS} WHERE s.partner_id = $1 ORDER BY s.date, s.id"))
        .bind(pid)
        .fetch_all(conn)
        .await?)
}

pub async fn sale(conn: &mut AnyConnection, id: i64) -> ApiResult<Option<SaleRow>> {
    Ok(sqlx::query_as(&format!("SELECT {SALE_COLUMNS} WHERE s.id = $1")).bind(id).fetch_optional(conn).await?)
}

/// The partner's sales as the evaluation needs them, without provenance (the hot path).
async fn sale_lines(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<SaleLine>> {
    let rows: Vec<(String, i64, String, String, Flag)> =
        sqlx::query_as("SELECT date, amount_cents, status, offer_id, fraud FROM sales WHERE partner_id = $1").bind(pid).fetch_all(conn).await?;
    rows.into_iter()
        .map(|(date, cents, status, offer_id, Flag(fraud))| {
            let status = if fraud { SaleStatus::Fraud } else { SaleStatus::parse(&status).ok_or_else(|| AppError::internal("stored sale status"))? };
            Ok(SaleLine { date: parse_date(&date)?, amount_usd: Cents(cents), status, offer_id })
        })
        .collect()
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BizappsRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub month: String,
    pub amount_cents: i64,
    #[sqlx(flatten)]
    pub source: ProvenanceRow,
}

pub async fn bizapps(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<BizappsRow>> {
    Ok(sqlx::query_as(
        "SELECT b.id, b.external_id, b.month, b.amount_cents, b.ingestion_id, i.source AS ingested_via, i.at AS ingested_at, i.file_name AS ingested_file \
         FROM bizapps_values b LEFT JOIN ingestions i ON i.id = b.ingestion_id WHERE b.partner_id = $1 ORDER BY b.month, b.id",
    )
        .bind(pid)
        .fetch_all(conn)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MauRow {
    pub id: i64,
    pub external_id: Option<String>,
    pub app: Option<String>,
    pub month: String,
    pub mau: i64,
    #[sqlx(flatten)]
    pub source: ProvenanceRow,
}

pub async fn teams_mau(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<MauRow>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.external_id, m.app, m.month, m.mau, m.ingestion_id, i.source AS ingested_via, i.at AS ingested_at, i.file_name AS ingested_file \
         FROM teams_mau m LEFT JOIN ingestions i ON i.id = m.ingestion_id WHERE m.partner_id = $1 ORDER BY m.month, m.id",
    )
        .bind(pid)
        .fetch_all(conn)
        .await?)
}

fn month(s: &str) -> ApiResult<Month> {
    s.parse().map_err(|e| AppError::internal(format!("stored month: {e}")))
}

/// The partner's data as the domain sees it (no personal data: offers, sales, metrics).
pub async fn partner_data(conn: &mut AnyConnection, p: &PartnerRow) -> ApiResult<PartnerData> {
    let offers = offers(&mut *conn, &p.id).await?.iter().map(OfferRow::domain).collect::<ApiResult<Vec<_>>>()?;
    let sales = sale_lines(&mut *conn, &p.id).await?;
    let bizapps_value = bizapps(&mut *conn, &p.id)
        .await?
        .iter()
        .map(|b| Ok(MonthlyValue { month: month(&b.month)?, amount_usd: Cents(b.amount_cents) }))
        .collect::<ApiResult<Vec<_>>>()?;
    let teams_mau = teams_mau(&mut *conn, &p.id)
        .await?
        .iter()
        .map(|m| Ok(MonthlyMau { month: month(&m.month)?, mau: m.mau.max(0) as u64 }))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(PartnerData {
        offers,
        sales,
        bizapps_value,
        teams_mau,
        first_benefit_date: p.first_benefit_date.as_deref().map(parse_date).transpose()?,
        granted_benefits: None,
    })
}

/// One benefit's record for one benefit year.
#[derive(Clone, Debug)]
pub struct Record {
    pub benefit_id: String,
    pub year_start: String,
    pub state: BenefitState,
    pub version: i64,
    pub catalog_version: String,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    benefit_id: String,
    year_start: String,
    state_json: String,
    version: i64,
    catalog_version: String,
}

impl RecordRow {
    fn record(self) -> ApiResult<Record> {
        Ok(Record {
            state: serde_json::from_str(&self.state_json)?,
            benefit_id: self.benefit_id,
            year_start: self.year_start,
            version: self.version,
            catalog_version: self.catalog_version,
        })
    }
}

pub async fn records_for_year(conn: &mut AnyConnection, pid: &str, year_start: &str) -> ApiResult<HashMap<String, Record>> {
    let rows: Vec<RecordRow> = sqlx::query_as(
        "SELECT benefit_id, year_start, state_json, version, catalog_version FROM benefit_records WHERE partner_id = $1 AND year_start = $2",
    )
    .bind(pid)
    .bind(year_start)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| r.record().map(|r| (r.benefit_id.clone(), r))).collect()
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContactRow {
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
    pub version: i64,
    pub updated_at: String,
}

impl ContactRow {
    pub fn view(&self) -> Contact {
        Contact {
            user_id: self.user_id.clone(),
            user_name: self.user_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            language: self.language.clone(),
            version: self.version,
            updated_at: self.updated_at.clone(),
        }
    }
}

pub async fn contact(conn: &mut AnyConnection, pid: &str) -> ApiResult<Option<ContactRow>> {
    Ok(sqlx::query_as(
        "SELECT c.user_id, u.name AS user_name, c.email, c.phone, c.language, c.version, c.updated_at \
         FROM contacts c JOIN users u ON u.id = c.user_id WHERE c.partner_id = $1",
    )
    .bind(pid)
    .fetch_optional(conn)
    .await?)
}

pub async fn user(conn: &mut AnyConnection, uid: &str) -> ApiResult<Option<UserRow>> {
    Ok(sqlx::query_as("SELECT id, partner_id, email, name, role, version FROM users WHERE id = $1")
        .bind(uid)
        .fetch_optional(conn)
        .await?)
}

/// Marks the partner's derived views (evaluation, benefits) stale.
pub async fn bump_data_version(conn: &mut AnyConnection, pid: &str) -> ApiResult<()> {
    sqlx::query("UPDATE partners SET data_version = data_version + 1 WHERE id = $1").bind(pid).execute(conn).await?;
    Ok(())
}

/// Writes one audit entry: who, when, what, before and after.
pub async fn audit(
    conn: &mut AnyConnection,
    actor: Option<&UserRow>,
    partner_id: Option<&str>,
    action: &str,
    target: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_email, partner_id, action, target, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now_rfc3339())
    .bind(actor.map(|a| a.id.clone()))
    .bind(actor.map(|a| a.email.clone()))
    .bind(partner_id)
    .bind(action)
    .bind(target)
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// How long a stored response answers retries under its key.
pub const IDEMPOTENCY_SECS: i64 = 24 * 60 * 60;

/// The first stored response for this key, user and route, within 24 hours.
/// The same key with another request is refused: the client's retry logic is
/// broken, and replaying the first answer would silently lose the second.
pub async fn idempotent_replay<T>(conn: &mut AnyConnection, user_id: &str, route: &str, key: Option<&IdemKey>) -> ApiResult<Option<Stored<T>>> {
    let Some(k) = key else { return Ok(None) };
    let row: Option<(i64, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT status, etag, body, fingerprint FROM idempotency_keys WHERE user_id = $1 AND route = $2 AND key = $3 AND created_unix > $4",
    )
    .bind(user_id)
    .bind(route)
    .bind(&k.key)
    .bind(now_unix() - IDEMPOTENCY_SECS)
    .fetch_optional(conn)
    .await?;
    let Some((status, etag, body, fingerprint)) = row else { return Ok(None) };
    if fingerprint != k.fingerprint {
        return Err(AppError::with_field(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyKeyReused,
            "This Idempotency-Key was already used for a different request. Send a new key for a new request.",
            "Idempotency-Key",
        ));
    }
    let status = axum::http::StatusCode::from_u16(status as u16).unwrap_or(axum::http::StatusCode::OK);
    Ok(Some(Stored::raw(status, etag, body.into())))
}

/// Stores the response for retries; the user's expired keys go at the same time.
pub async fn idempotent_store<T>(conn: &mut AnyConnection, user_id: &str, route: &str, key: Option<&IdemKey>, res: &Stored<T>) -> ApiResult<()> {
    let Some(k) = key else { return Ok(()) };
    let now = now_unix();
    sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND created_unix <= $2")
        .bind(user_id)
        .bind(now - IDEMPOTENCY_SECS)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, route, key, status, etag, body, created_at, fingerprint, created_unix) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(user_id)
    .bind(route)
    .bind(&k.key)
    .bind(res.status.as_u16() as i64)
    .bind(res.etag)
    .bind(std::str::from_utf8(&res.body).map_err(AppError::internal)?)
    .bind(now_rfc3339())
    .bind(&k.fingerprint)
    .bind(now)
    .execute(conn)
    .await
    .map_err(|e| match e.as_database_error() {
        // Another request with this key committed first (it found no stored
        // answer either): run again, this one replays that answer.
        Some(db) if db.is_unique_violation() => AppError::Retry,
        _ => e.into(),
    })?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    benefit_id: String,
    year_start: String,
    granted_on: String,
    catalog_version: String,
    cause_json: String,
}

/// The partner's grant ledger, oldest first.
pub async fn grants(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<Grant>> {
    let rows: Vec<GrantRow> = sqlx::query_as(
        "SELECT benefit_id, year_start, granted_on, catalog_version, cause_json FROM grants WHERE partner_id = $1 ORDER BY year_start, granted_on, benefit_id",
    )
    .bind(pid)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Grant {
                benefit_id: r.benefit_id,
                year_start: parse_date(&r.year_start)?,
                granted_on: parse_date(&r.granted_on)?,
                catalog_version: r.catalog_version,
                cause: serde_json::from_str(&r.cause_json)?,
            })
        })
        .collect()
}
