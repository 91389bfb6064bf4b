//! A user's email settings per event group (no row: email on).

use benefits_api::notifications::{GroupPreference, Preferences};
use benefits_domain::notify::EventGroup;
use sqlx::AnyConnection;

use super::recipients::is_contact_of_active_engagement;
use crate::clock::now_rfc3339;
use crate::error::ApiResult;
use crate::sql::Flag;

pub async fn email_on(conn: &mut AnyConnection, user_id: &str, group: EventGroup) -> ApiResult<bool> {
    let v: Option<Flag> = sqlx::query_scalar("SELECT email FROM notification_preferences WHERE user_id = $1 AND event_group = $2")
        .bind(user_id)
        .bind(group.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(v.is_none_or(|Flag(on)| on))
}

/// Every group's setting, and whether benefit updates are locked on.
pub async fn view(conn: &mut AnyConnection, user_id: &str) -> ApiResult<Preferences> {
    let locked = is_contact_of_active_engagement(&mut *conn, user_id).await?;
    let mut groups = Vec::with_capacity(EventGroup::ALL.len());
    for group in EventGroup::ALL {
        let email = email_on(&mut *conn, user_id, group).await?;
        let locked = locked && group == EventGroup::BenefitUpdates;
        groups.push(GroupPreference { group, email: email || locked, locked });
    }
    Ok(Preferences { groups })
}

pub async fn set(conn: &mut AnyConnection, user_id: &str, group: EventGroup, email: bool) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, event_group, email, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, event_group) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(group.as_str())
    .bind(i64::from(email))
    .bind(now_rfc3339())
    .execute(conn)
    .await?;
    Ok(())
}
