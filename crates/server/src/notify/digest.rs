//! The Rewards team's daily digest of activations whose contact-by date has
//! passed: one per operator per day, claimed by the notification row's
//! unique key (`digest:<day>`, the operator), so several servers or job runs
//! on one day send it once.

use benefits_domain::activation::BenefitState;
use chrono::NaiveDate;

use super::notices::{Notice, Overdue};
use super::{recipients, tell, Event, Links};
use crate::clock::fmt_date;
use crate::error::ApiResult;
use crate::state::ApiContext;
use crate::store;

#[derive(sqlx::FromRow)]
struct Row {
    partner_name: String,
    manager_id: Option<String>,
    benefit_id: String,
    state_json: String,
}

/// An overdue activation and the operator responsible (none: every operator).
struct Item {
    manager_id: Option<String>,
    overdue: Overdue,
}

/// Sends today's digest to every operator with overdue activations; returns the emails queued.
pub async fn send(ctx: &ApiContext, today: NaiveDate) -> ApiResult<usize> {
    let items = overdue(ctx, today).await?;
    if items.is_empty() {
        return Ok(0);
    }
    let operators = {
        let mut conn = ctx.db.read.acquire().await?;
        recipients::operators(&mut conn).await?
    };
    let links = Links::new(&ctx.config);
    let mut sent = 0;
    for op in operators {
        // An engagement manager's partners, and those nobody manages.
        let mine: Vec<Overdue> = items
            .iter()
            .filter(|i| i.manager_id.as_deref().is_none_or(|m| m == op.user_id))
            .map(|i| i.overdue.clone())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let event = Event {
            key: format!("digest:{}", fmt_date(today)),
            partner_id: None,
            page: "/operator".into(),
            notice: Notice::OverdueDigest { day: today, items: mine },
        };
        sent += crate::db::retry(|| tell_once(ctx, &links, &event, &op)).await?;
    }
    Ok(sent)
}

/// Tells one operator the digest, unless a notification row with its key
/// exists: `tell` inserts it `ON CONFLICT DO NOTHING` and queues the email
/// only when its insert made the row, in the same transaction. Of two job
/// runs (two servers) at once, SQLite's IMMEDIATE makes the second wait and
/// then find the row; PostgreSQL's second waits for the first's commit, then
/// inserts nothing or fails with 40001 and, run again, finds the row. Either
/// way one email.
async fn tell_once(ctx: &ApiContext, links: &Links, event: &Event<'_>, op: &recipients::Recipient) -> ApiResult<usize> {
    let mut tx = crate::db::begin_immediate(&ctx.db.write).await?;
    let sent = tell(&mut tx, links, event, std::slice::from_ref(op)).await?;
    tx.commit().await?;
    Ok(sent)
}

/// Every activation past its contact date today, oldest date first.
async fn overdue(ctx: &ApiContext, today: NaiveDate) -> ApiResult<Vec<Item>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.name AS partner_name, m.id AS manager_id, r.benefit_id, r.state_json \
         FROM benefit_records r JOIN partners p ON p.id = r.partner_id \
         LEFT JOIN users m ON m.id = p.engagement_manager_id AND m.role = 'operator' \
         WHERE r.status = 'activated' AND r.contact_by < $1",
    )
    .bind(fmt_date(today))
    .fetch_all(&ctx.db.read)
    .await?;
    let catalog = {
        let mut conn = ctx.db.read.acquire().await?;
        let seq = store::catalog_seq_on(&mut conn, today).await?;
        store::catalog_by_seq(&mut conn, seq).await?
    };
    let mut items = Vec::new();
    for r in rows {
        let state: BenefitState = serde_json::from_str(&r.state_json)?;
        let (Some(contact_by), true) = (state.contact_by, state.contact_overdue(today) && state.status_on(today).is_active()) else { continue };
        let benefit = catalog.benefit(&r.benefit_id).map_or_else(|| r.benefit_id.clone(), |b| b.name.clone());
        items.push(Item { manager_id: r.manager_id, overdue: Overdue { partner: r.partner_name, benefit, contact_by } });
    }
    items.sort_by(|a, b| a.overdue.contact_by.cmp(&b.overdue.contact_by).then_with(|| a.overdue.partner.cmp(&b.overdue.partner)));
    Ok(items)
}
