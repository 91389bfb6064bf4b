//! The events of the program and who hears of each, called by the code that
//! makes the change, inside its transaction.

use benefits_domain::activation::BenefitState;
use benefits_domain::notify::EventKind;
use benefits_domain::{Catalog, Grant, GrantCause};
use chrono::NaiveDate;
use sqlx::AnyConnection;

use super::notices::Notice;
use super::{recipients, tell, Event, Links};
use crate::clock::fmt_date;
use crate::error::ApiResult;

/// The page of a partner's benefit in the workspace.
pub fn benefit_page(pid: &str, bid: &str) -> String {
    format!("/partners/{pid}/benefits#{bid}")
}

fn team_page(pid: &str) -> String {
    format!("/operator/partners/{pid}")
}

/// A contact was assigned, or changed to another person or address: a welcome to the new contact.
pub async fn contact_assigned(
    conn: &mut AnyConnection,
    links: &Links,
    pid: &str,
    partner: &str,
    contact_version: i64,
    tier: Option<u32>,
    benefits: Vec<String>,
) -> ApiResult<usize> {
    let event = Event {
        key: format!("contact:{pid}:{contact_version}"),
        partner_id: Some(pid),
        page: format!("/partners/{pid}/benefits"),
        notice: Notice::ContactAssigned { partner: partner.to_string(), tier, benefits },
    };
    let to = recipients::contact(&mut *conn, pid).await?;
    tell(conn, links, &event, &to).await
}

/// What a benefit's record was and became; `version` is the record's new version.
pub struct Moved<'a> {
    pub pid: &'a str,
    pub partner: &'a str,
    pub bid: &'a str,
    pub benefit: &'a str,
    pub year_start: &'a str,
    pub version: i64,
    pub before: &'a BenefitState,
    pub after: &'a BenefitState,
}

/// A benefit moved (activated, a delivery step, revoked, expired, opted out).
pub async fn benefit_moved(conn: &mut AnyConnection, links: &Links, m: &Moved<'_>) -> ApiResult<usize> {
    let Some(kind) = EventKind::of_transition(m.before.status, m.after.status) else { return Ok(0) };
    let (partner, benefit) = (m.partner.to_string(), m.benefit.to_string());
    let (notice, mut to) = match kind {
        EventKind::Activated => {
            let Some(contact_by) = m.after.contact_by else { return Ok(0) };
            let mut to = recipients::contact(&mut *conn, m.pid).await?;
            to.extend(recipients::admins(&mut *conn, m.pid).await?);
            (Notice::Activated { partner, benefit, contact_by }, to)
        }
        EventKind::Contacted | EventKind::InProgress | EventKind::Delivered => {
            (Notice::Advanced { partner, benefit, step: kind }, recipients::contact(&mut *conn, m.pid).await?)
        }
        EventKind::Revoked => {
            let Some(reason) = m.after.revocation else { return Ok(0) };
            let mut to = recipients::contact(&mut *conn, m.pid).await?;
            to.extend(recipients::admins(&mut *conn, m.pid).await?);
            (Notice::Revoked { partner, benefit, reason, note: m.after.note.clone() }, to)
        }
        EventKind::Expired => (Notice::Expired { partner, benefit }, recipients::contact(&mut *conn, m.pid).await?),
        EventKind::OptedOut => (Notice::OptedOut { partner, benefit }, recipients::team(&mut *conn, m.pid).await?),
        _ => return Ok(0),
    };
    let key = format!("benefit:{}:{}:{}:{}", m.pid, m.bid, m.year_start, m.version);
    let page = if kind == EventKind::OptedOut { team_page(m.pid) } else { benefit_page(m.pid, m.bid) };
    let mut sent = tell(&mut *conn, links, &Event { key: key.clone(), partner_id: Some(m.pid), page, notice: notice.clone() }, &to).await?;
    if kind == EventKind::Activated {
        // The Rewards team reads the same event from the console.
        to = recipients::team(&mut *conn, m.pid).await?;
        let event = Event { key, partner_id: Some(m.pid), page: team_page(m.pid), notice };
        sent += tell(conn, links, &event, &to).await?;
    }
    Ok(sent)
}

/// An active benefit expires within the warning period: the contact is told once per expiry date.
pub async fn expiring_soon(
    conn: &mut AnyConnection,
    links: &Links,
    m: &Moved<'_>,
    expires_on: NaiveDate,
    to: &[recipients::Recipient],
) -> ApiResult<usize> {
    let event = Event {
        key: format!("expiring:{}:{}:{}:{}", m.pid, m.bid, m.year_start, fmt_date(expires_on)),
        partner_id: Some(m.pid),
        page: benefit_page(m.pid, m.bid),
        notice: Notice::ExpiringSoon { partner: m.partner.to_string(), benefit: m.benefit.to_string(), expires_on },
    };
    tell(conn, links, &event, to).await
}

/// Grants were just recorded: a benefit year that had none started, or a
/// higher transact tier than the year's grants so far was reached. Told to the admins.
#[allow(clippy::too_many_arguments)] // what the message says, each from its own place
pub async fn grants_recorded(
    conn: &mut AnyConnection,
    links: &Links,
    pid: &str,
    partner: &str,
    catalog: &Catalog,
    earlier: &[Grant],
    recorded: &[&Grant],
    year_end: Option<NaiveDate>,
) -> ApiResult<usize> {
    let Some(first) = recorded.first() else { return Ok(0) };
    let year = first.year_start;
    let name = |g: &&Grant| catalog.benefit(&g.benefit_id).map_or_else(|| g.benefit_id.clone(), |b| b.name.clone());
    let tier_of = |g: &Grant| match g.cause {
        GrantCause::Tier { tier, .. } => Some(tier),
        GrantCause::OfferLive { .. } => None,
    };
    let same_year: Vec<&Grant> = earlier.iter().filter(|g| g.year_start == year).collect();
    let new_tier = recorded.iter().filter_map(|g| tier_of(g)).max();
    let notice = if same_year.is_empty() {
        let Some(end) = year_end else { return Ok(0) };
        Notice::BenefitYearStarted { partner: partner.to_string(), start: year, end, tier: new_tier, benefits: recorded.iter().map(name).collect() }
    } else {
        let before = same_year.iter().filter_map(|g| tier_of(g)).max();
        match new_tier {
            Some(t) if before.is_none_or(|b| t > b) => Notice::TierReached {
                partner: partner.to_string(),
                tier: t,
                benefits: recorded.iter().filter(|g| tier_of(g).is_some()).map(name).collect(),
            },
            _ => return Ok(0),
        }
    };
    let key = match &notice {
        Notice::TierReached { tier, .. } => format!("tier:{pid}:{}:{tier}", fmt_date(year)),
        _ => format!("year:{pid}:{}", fmt_date(year)),
    };
    let event = Event { key, partner_id: Some(pid), page: format!("/partners/{pid}/benefits"), notice };
    let to = recipients::admins(&mut *conn, pid).await?;
    tell(conn, links, &event, &to).await
}
