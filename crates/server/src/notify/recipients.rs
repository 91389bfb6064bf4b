//! Who receives an event, at which address and in which language. Every
//! lookup is scoped to one partner (or to the program's operators), so a
//! message never reaches another partner's people.

use benefits_domain::activation::BenefitStatus;
use sqlx::AnyConnection;

use super::notices::Audience;
use crate::error::ApiResult;
use crate::mail::Lang;

/// One person to tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: String,
    pub email: String,
    pub lang: Lang,
    pub audience: Audience,
}

/// The partner's marketing contact, at the contact's address, in the contact's preferred language.
pub async fn contact(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<Recipient>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT user_id, email, language FROM contacts WHERE partner_id = $1").bind(pid).fetch_optional(conn).await?;
    Ok(row
        .map(|(user_id, email, language)| Recipient { user_id, email, lang: Lang::from_tag(&language), audience: Audience::Contact })
        .into_iter()
        .collect())
}

/// The partner's admins, each in their own language.
pub async fn admins(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<Recipient>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, email FROM users WHERE partner_id = $1 AND role = 'admin' ORDER BY id").bind(pid).fetch_all(&mut *conn).await?;
    people(conn, rows, Audience::Admin).await
}

/// The Rewards team for a partner: its engagement manager, or every operator when none is assigned.
pub async fn team(conn: &mut AnyConnection, pid: &str) -> ApiResult<Vec<Recipient>> {
    let manager: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.id, u.email FROM partners p JOIN users u ON u.id = p.engagement_manager_id AND u.role = 'operator' WHERE p.id = $1",
    )
    .bind(pid)
    .fetch_all(&mut *conn)
    .await?;
    if !manager.is_empty() {
        return people(conn, manager, Audience::Team).await;
    }
    operators(conn).await
}

/// Every operator.
pub async fn operators(conn: &mut AnyConnection) -> ApiResult<Vec<Recipient>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, email FROM users WHERE role = 'operator' ORDER BY id").fetch_all(&mut *conn).await?;
    people(conn, rows, Audience::Team).await
}

async fn people(conn: &mut AnyConnection, rows: Vec<(String, String)>, audience: Audience) -> ApiResult<Vec<Recipient>> {
    let mut out = Vec::with_capacity(rows.len());
    for (user_id, email) in rows {
        let lang = crate::store::mail_lang(&mut *conn, &user_id).await?;
        out.push(Recipient { user_id, email, lang, audience });
    }
    Ok(out)
}

/// The partner has a benefit the Rewards team is working on.
pub async fn has_active_engagement(conn: &mut AnyConnection, pid: &str) -> ApiResult<bool> {
    let active = BenefitStatus::ACTIVE.map(|s| format!("'{}'", s.as_str())).join(", ");
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM benefit_records WHERE partner_id = $1 AND status IN ({active})"))
        .bind(pid)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// The user is the marketing contact of a partner with an engagement under way.
pub async fn is_contact_of_active_engagement(conn: &mut AnyConnection, user_id: &str) -> ApiResult<bool> {
    let pids: Vec<String> = sqlx::query_scalar("SELECT partner_id FROM contacts WHERE user_id = $1").bind(user_id).fetch_all(&mut *conn).await?;
    for pid in pids {
        if has_active_engagement(&mut *conn, &pid).await? {
            return Ok(true);
        }
    }
    Ok(false)
}
