//! The durable outbox. A message is a row written in the same transaction as
//! the change that causes it, so it exists exactly when the change does. The
//! worker sends one message at a time and marks it sent afterwards: a crash in
//! between sends that one message again on restart, never loses it.
//!
//! Several servers' workers may share one database: before sending, a worker
//! claims the message with a lease ([`LEASE_SECS`]), a conditional UPDATE
//! that only one of them makes, so no message is sent twice by two workers.
//! A worker that dies mid-send leaves the message to be sent when its lease
//! runs out.

use std::sync::Arc;
use std::time::Duration;

use sqlx::{AnyConnection, AnyPool};
use tokio::sync::Notify;

use super::templates::{Lang, Message, Rendered};
use super::transport::Transport;
use crate::clock::now_unix;
use crate::error::ApiResult;

/// Retries wait 2, 4, 8 … seconds, at most this long: a message is retried forever.
const MAX_BACKOFF_SECS: i64 = 600;

/// How long a claimed message is left to its worker before another may send
/// it: longer than any send takes (lettre's SMTP timeout is a minute).
pub const LEASE_SECS: i64 = 300;

/// Queues `message` to `to` inside the caller's transaction.
pub async fn enqueue(conn: &mut AnyConnection, to: &str, lang: Lang, message: &Message) -> ApiResult<()> {
    enqueue_rendered(conn, to, message.template(), lang, &message.render(lang)).await
}

/// Queues an already rendered message (the notifications render their own).
pub async fn enqueue_rendered(conn: &mut AnyConnection, to: &str, template: &str, lang: Lang, r: &Rendered) -> ApiResult<()> {
    let now = now_unix();
    sqlx::query(
        "INSERT INTO mail_outbox (to_addr, template, lang, subject, text_body, html_body, created_unix, next_attempt_unix) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(to)
    .bind(template)
    .bind(lang.tag())
    .bind(&r.subject)
    .bind(&r.text)
    .bind(&r.html)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub fn backoff_secs(attempts: i64) -> i64 {
    1i64.checked_shl(attempts.clamp(1, 20) as u32).unwrap_or(MAX_BACKOFF_SECS).min(MAX_BACKOFF_SECS)
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    next_attempt_unix: i64,
    to_addr: String,
    template: String,
    subject: String,
    text_body: String,
    html_body: String,
    created_unix: i64,
    attempts: i64,
}

/// Delivers the outbox in the background.
pub struct Worker {
    pub pool: AnyPool,
    pub transport: Transport,
    pub from: String,
    /// Rung after a commit that queued mail, so it goes out at once.
    pub wake: Arc<Notify>,
    pub poll: Duration,
}

impl Worker {
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move { self.run().await })
    }

    async fn run(self) {
        tracing::info!(transport = %self.transport.describe(), "mail worker started");
        loop {
            match self.deliver_due().await {
                Ok(true) => continue,
                Ok(false) => {}
                // PostgreSQL undid a statement racing another worker's: look again.
                Err(e) if crate::error::store_retry(&e) => continue,
                Err(e) => tracing::error!(error = %e, "mail outbox"),
            }
            tokio::select! {
                _ = self.wake.notified() => {},
                _ = tokio::time::sleep(self.poll) => {},
            }
        }
    }

    /// Leases `m` to this worker: moves its next attempt a lease ahead where
    /// it still holds the time read. Of two workers that read the same row,
    /// only one changes it; on PostgreSQL the other finds the row changed
    /// (0 rows, or a serialization failure under SERIALIZABLE: not ours either).
    async fn claim(&self, m: &Due) -> Result<bool, sqlx::Error> {
        let claimed = sqlx::query("UPDATE mail_outbox SET next_attempt_unix = $1 WHERE id = $2 AND next_attempt_unix = $3 AND sent_unix IS NULL")
            .bind(now_unix() + LEASE_SECS)
            .bind(m.id)
            .bind(m.next_attempt_unix)
            .execute(&self.pool)
            .await;
        match claimed {
            Ok(done) => Ok(done.rows_affected() == 1),
            Err(e) if crate::error::store_retry(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Sends the oldest due message; `Ok(true)` when there may be more.
    async fn deliver_due(&self) -> Result<bool, sqlx::Error> {
        let due: Option<Due> = sqlx::query_as(
            "SELECT id, next_attempt_unix, to_addr, template, subject, text_body, html_body, created_unix, attempts FROM mail_outbox \
             WHERE sent_unix IS NULL AND next_attempt_unix <= $1 ORDER BY id LIMIT 1",
        )
        .bind(now_unix())
        .fetch_optional(&self.pool)
        .await?;
        let Some(m) = due else { return Ok(false) };
        if !self.claim(&m).await? {
            // Another worker took it; the next one may be free.
            return Ok(true);
        }
        let rendered = super::templates::Rendered { subject: m.subject.clone(), text: m.text_body, html: m.html_body };
        // Stable across retries, so a receiving system can drop a duplicate.
        let message_id = format!("<outbox-{}-{}@benefits.invalid>", m.id, m.created_unix);
        match self.transport.send(&self.from, &m.to_addr, &message_id, &rendered).await {
            Ok(()) => {
                // The body held the one-time link: it is not kept once delivered.
                // Sent is sent: the mark is made however often PostgreSQL undoes it.
                persist(|| {
                    sqlx::query("UPDATE mail_outbox SET sent_unix = $1, attempts = attempts + 1, text_body = '', html_body = '', last_error = NULL WHERE id = $2")
                        .bind(now_unix())
                        .bind(m.id)
                        .execute(&self.pool)
                })
                .await?;
                if let Transport::Dir(..) = self.transport {
                    tracing::info!(id = m.id, template = %m.template, subject = %m.subject, "mail written");
                } else {
                    tracing::info!(id = m.id, template = %m.template, "mail sent");
                }
                Ok(true)
            }
            Err(e) => {
                let attempts = m.attempts + 1;
                let wait = backoff_secs(attempts);
                tracing::warn!(id = m.id, template = %m.template, attempts, retry_in_secs = wait, error = %e, "mail not sent; will retry");
                let error = e.chars().take(500).collect::<String>();
                persist(|| {
                    sqlx::query("UPDATE mail_outbox SET attempts = $1, next_attempt_unix = $2, last_error = $3 WHERE id = $4")
                        .bind(attempts)
                        .bind(now_unix() + wait)
                        .bind(error.as_str())
                        .bind(m.id)
                        .execute(&self.pool)
                })
                .await?;
                // The next message may be for a server that answers.
                Ok(true)
            }
        }
    }
}

/// Runs a statement about a message this worker holds until PostgreSQL takes
/// it: SERIALIZABLE may fail even a one-row UPDATE (40001) when other
/// workers' statements touch neighbouring rows, and a sent message left
/// unmarked would be sent again when its lease ends.
async fn persist<F, Fut>(statement: F) -> Result<sqlx::any::AnyQueryResult, sqlx::Error>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<sqlx::any::AnyQueryResult, sqlx::Error>>,
{
    let mut attempt = 1;
    loop {
        match statement().await {
            Err(e) if crate::error::store_retry(&e) && attempt < 10 * crate::db::ATTEMPTS => {
                tokio::time::sleep(crate::db::backoff(attempt)).await;
                attempt += 1;
            }
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_ten_minutes() {
        assert_eq!([1, 2, 3, 4].map(backoff_secs), [2, 4, 8, 16]);
        assert_eq!(backoff_secs(10), 600);
        assert_eq!(backoff_secs(1000), 600);
    }
}
