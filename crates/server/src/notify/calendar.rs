//! A user's private calendar feed (`.ics`): the contact-by dates and expiry
//! dates of the engagements they follow and the partner's next benefit-year
//! anniversary. Its address holds a random secret of which only the SHA-256
//! is stored; making a new one revokes the old.

use benefits_domain::activation::{BenefitState, BenefitStatus};
use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};
use sqlx::AnyConnection;

use super::Links;
use crate::auth::UserRow;
use crate::clock::{fmt_date, now_rfc3339};
use crate::error::ApiResult;
use crate::mail::Lang;
use crate::state::ApiContext;
use crate::{store, tokens, workspace};

/// Replaces the user's feed secret with a new one; returns the new secret.
pub async fn regenerate(conn: &mut AnyConnection, user_id: &str) -> ApiResult<String> {
    let (token, hash) = tokens::new_token();
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(hash)
    .bind(now_rfc3339())
    .execute(conn)
    .await?;
    Ok(token)
}

pub async fn revoke(conn: &mut AnyConnection, user_id: &str) -> ApiResult<()> {
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}

/// When the user's feed was made, if they have one.
pub async fn created_at(conn: &mut AnyConnection, user_id: &str) -> ApiResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1").bind(user_id).fetch_optional(conn).await?)
}

/// The user a feed secret belongs to.
pub async fn owner(conn: &mut AnyConnection, token: &str) -> ApiResult<Option<UserRow>> {
    let uid: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1").bind(tokens::hash(token)).fetch_optional(&mut *conn).await?;
    match uid {
        Some(uid) => store::user(conn, &uid).await,
        None => Ok(None),
    }
}

/// The address of a feed.
pub fn url(links: &Links, token: &str) -> String {
    links.page(&format!("/api/ics/{token}.ics"))
}

/// One all-day entry.
struct Entry {
    uid: String,
    on: NaiveDate,
    summary: String,
    page: String,
}

/// The feed's text for `user` on `today`.
pub async fn render(ctx: &ApiContext, user: &UserRow, today: NaiveDate) -> ApiResult<String> {
    let lang = {
        let mut conn = ctx.db.read.acquire().await?;
        crate::store::mail_lang(&mut conn, &user.id).await?
    };
    let entries = match &user.partner_id {
        Some(pid) => partner_entries(ctx, pid, lang, today).await?,
        None => operator_entries(ctx, &user.id, lang, today).await?,
    };
    let links = Links::new(&ctx.config);
    let mut cal = Calendar::new();
    cal.name(match lang {
        Lang::En => "Marketplace Rewards benefits",
        Lang::Pl => "Korzyści programu Marketplace Rewards",
    });
    for e in entries {
        cal.push(Event::new().uid(&e.uid).summary(&e.summary).all_day(e.on).url(&links.page(&e.page)).done());
    }
    Ok(cal.done().to_string())
}

fn contact_summary(lang: Lang, partner: &str, benefit: &str) -> String {
    match lang {
        Lang::En => format!("Rewards team contact due: {benefit} ({partner})"),
        Lang::Pl => format!("Termin kontaktu zespołu Rewards: {benefit} ({partner})"),
    }
}

async fn partner_entries(ctx: &ApiContext, pid: &str, lang: Lang, today: NaiveDate) -> ApiResult<Vec<Entry>> {
    let snap = workspace::snapshot(ctx, pid, today).await?;
    let partner = &snap.partner.name;
    let mut out = Vec::new();
    for r in snap.records.values() {
        let status = r.state.status_on(today);
        if !status.is_active() {
            continue;
        }
        let benefit = snap.catalog.benefit(&r.benefit_id).map_or(r.benefit_id.as_str(), |b| b.name.as_str());
        let page = super::events::benefit_page(pid, &r.benefit_id);
        if let (BenefitStatus::Activated, Some(on)) = (status, r.state.contact_by) {
            let uid = format!("contact-by.{pid}.{}.{}@benefits", r.benefit_id, r.year_start);
            out.push(Entry { uid, on, summary: contact_summary(lang, partner, benefit), page: page.clone() });
        }
        if let Some(on) = r.state.expires_on {
            let summary = match lang {
                Lang::En => format!("{benefit} expires ({partner})"),
                Lang::Pl => format!("Korzyść {benefit} wygasa ({partner})"),
            };
            out.push(Entry { uid: format!("expires.{pid}.{}.{}@benefits", r.benefit_id, r.year_start), on, summary, page });
        }
    }
    if let Some(year) = &snap.evaluation.benefit_year {
        let on = year.end.succ_opt().unwrap_or(year.end);
        let summary = match lang {
            Lang::En => format!("New benefit year of {partner}"),
            Lang::Pl => format!("Nowy rok korzyści firmy {partner}"),
        };
        out.push(Entry { uid: format!("anniversary.{pid}.{}@benefits", fmt_date(on)), on, summary, page: format!("/partners/{pid}") });
    }
    out.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.uid.cmp(&b.uid)));
    Ok(out)
}

/// The contact-by dates of the activations the operator answers for: their
/// partners', and those of partners without an engagement manager.
async fn operator_entries(ctx: &ApiContext, user_id: &str, lang: Lang, today: NaiveDate) -> ApiResult<Vec<Entry>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT r.partner_id, p.name, r.benefit_id, r.year_start, r.state_json FROM benefit_records r JOIN partners p ON p.id = r.partner_id \
         LEFT JOIN users m ON m.id = p.engagement_manager_id AND m.role = 'operator' \
         WHERE r.status = 'activated' AND (m.id IS NULL OR m.id = $1)",
    )
    .bind(user_id)
    .fetch_all(&ctx.db.read)
    .await?;
    let catalog = {
        let mut conn = ctx.db.read.acquire().await?;
        let seq = store::catalog_seq_on(&mut conn, today).await?;
        store::catalog_by_seq(&mut conn, seq).await?
    };
    let mut out = Vec::new();
    for (pid, partner, bid, year, json) in rows {
        let state: BenefitState = serde_json::from_str(&json)?;
        let (BenefitStatus::Activated, Some(on)) = (state.status_on(today), state.contact_by) else { continue };
        let benefit = catalog.benefit(&bid).map_or(bid.as_str(), |b| b.name.as_str());
        out.push(Entry {
            uid: format!("contact-by.{pid}.{bid}.{year}@benefits"),
            on,
            summary: contact_summary(lang, &partner, benefit),
            page: format!("/operator/partners/{pid}"),
        });
    }
    out.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.uid.cmp(&b.uid)));
    Ok(out)
}
