//! A user's in-app notifications: the list, the unread count, marking read.
//! Every query is by the signed-in user's id: nobody reads another's.

use benefits_api::notifications::{EventKind, Notification, NotificationList};
use sqlx::AnyConnection;

use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    title: String,
    body: String,
    link: String,
    partner_id: Option<String>,
    created_at: String,
    read_at: Option<String>,
}

fn kind(s: &str) -> ApiResult<EventKind> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| AppError::internal("stored notification kind"))
}

pub async fn list(conn: &mut AnyConnection, user_id: &str, limit: i64) -> ApiResult<NotificationList> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, title, body, link, partner_id, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(Notification {
                id: r.id,
                kind: kind(&r.kind)?,
                title: r.title,
                body: r.body,
                link: r.link,
                partner_id: r.partner_id,
                created_at: r.created_at,
                read: r.read_at.is_some(),
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(NotificationList { unread: unread(conn, user_id).await?, items })
}

pub async fn unread(conn: &mut AnyConnection, user_id: &str) -> ApiResult<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL").bind(user_id).fetch_one(conn).await?;
    Ok(n.max(0) as u64)
}

/// Marks one of the user's notifications read; `false` when it is not theirs (or does not exist).
pub async fn mark_read(conn: &mut AnyConnection, user_id: &str, id: i64) -> ApiResult<bool> {
    let mine: Option<i64> =
        sqlx::query_scalar("SELECT id FROM notifications WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).fetch_optional(&mut *conn).await?;
    if mine.is_none() {
        return Ok(false);
    }
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
        .bind(now_rfc3339())
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(true)
}

pub async fn mark_all_read(conn: &mut AnyConnection, user_id: &str) -> ApiResult<()> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL").bind(now_rfc3339()).bind(user_id).execute(conn).await?;
    Ok(())
}
