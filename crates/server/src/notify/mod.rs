//! Telling people: each event becomes, for each of its recipients, an in-app
//! notification and (unless their settings say no) an email in the durable
//! outbox, both written in the caller's transaction, so they exist exactly
//! when the change does. A notification row is unique per event and
//! recipient: the same event written twice (two servers, a job re-run after a
//! restart) tells nobody twice.

pub mod calendar;
pub mod digest;
pub mod events;
pub mod inbox;
pub mod notices;
pub mod prefs;
pub mod recipients;

use benefits_domain::notify::email_wanted;
use sqlx::AnyConnection;

use crate::clock::now_rfc3339;
use crate::error::ApiResult;
use crate::mail::{self, Lang};
use crate::state::Config;
pub use notices::{Audience, Notice};
pub use recipients::Recipient;

/// The addresses messages link to, from `--public-url`.
#[derive(Clone, Debug)]
pub struct Links {
    public_url: String,
}

impl Links {
    pub fn new(config: &Config) -> Links {
        Links { public_url: config.public_url.trim_end_matches('/').to_string() }
    }

    /// The full address of an app page (`path` starts with `/`).
    pub fn page(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Where a user changes which emails they receive (every email links to it).
    pub fn preferences(&self) -> String {
        self.page("/notifications#preferences")
    }
}

/// One event to tell: its unique key, the partner it concerns, the app page it is about.
pub struct Event<'a> {
    pub key: String,
    pub partner_id: Option<&'a str>,
    pub page: String,
    pub notice: Notice,
}

/// Tells `event` to each recipient once (the first entry for a user wins, so
/// an admin who is also the contact gets the contact's message). Returns how
/// many emails were queued.
pub async fn tell(conn: &mut AnyConnection, links: &Links, event: &Event<'_>, recipients: &[Recipient]) -> ApiResult<usize> {
    let kind = event.notice.kind();
    let url = links.page(&event.page);
    let preferences = links.preferences();
    let mut seen: Vec<&str> = Vec::new();
    let mut emailed = 0;
    for r in recipients {
        if seen.contains(&r.user_id.as_str()) {
            continue;
        }
        seen.push(&r.user_id);
        let rendered = event.notice.render(r.lang, r.audience, &url, &preferences);
        // Decided before the row is written, so the row says whether mail went.
        let locked = r.audience == Audience::Contact && match event.partner_id {
            Some(pid) => recipients::has_active_engagement(&mut *conn, pid).await?,
            None => false,
        };
        let wants = email_wanted(kind.group(), prefs::email_on(&mut *conn, &r.user_id, kind.group()).await?, locked);
        let inserted = sqlx::query(
            "INSERT INTO notifications (user_id, partner_id, event_key, kind, lang, title, body, link, emailed, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_key, user_id) DO NOTHING",
        )
        .bind(&r.user_id)
        .bind(event.partner_id)
        .bind(&event.key)
        .bind(kind.as_str())
        .bind(r.lang.tag())
        .bind(&rendered.title)
        .bind(&rendered.body)
        .bind(&event.page)
        .bind(i64::from(wants))
        .bind(now_rfc3339())
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1;
        if inserted && wants {
            mail::enqueue_rendered(&mut *conn, &r.email, &format!("notify_{}", kind.as_str()), r.lang, &rendered.email).await?;
            emailed += 1;
        }
    }
    Ok(emailed)
}

/// The language of a stored tag, for messages.
pub fn lang_of(tag: &str) -> Lang {
    Lang::from_tag(tag)
}
