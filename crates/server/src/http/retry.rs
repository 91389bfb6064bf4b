//! Runs a request again when PostgreSQL failed its transaction to keep the
//! writes serializable (`AppError::Retry`: 40001, 40P01, or two requests
//! racing for one idempotency key).
//!
//! Valid because every handler's writes are one transaction (docs/SCALE.md,
//! "Concurrency on PostgreSQL", lists the audit): a failed attempt committed
//! nothing, so running the request again is running it for the first time.
//! What a handler does outside its transaction is harmless to repeat:
//! waking the mailer, filling the evaluation cache, touching the session's
//! last-seen time. SQLite serialises every write on one connection and never
//! fails this way, so its requests pass straight through.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::db;
use crate::error::Retryable;
use crate::extract::payload_too_large;
use crate::state::ApiContext;

/// Route middleware (innermost, so a replay runs the extractors and the
/// handler only): keeps the body (the largest a route accepts, a feed file;
/// each route's own limit still applies) to send it again.
pub async fn serialization_failures(State(ctx): State<ApiContext>, req: Request, next: Next) -> Response {
    if ctx.db.sqlite {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let limit = crate::http::feed::FEED_LIMIT;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else { return payload_too_large(limit).into_response() };
    let mut attempt = 1;
    loop {
        let res = next.clone().run(Request::from_parts(parts.clone(), Body::from(bytes.clone()))).await;
        if attempt >= db::ATTEMPTS || res.extensions().get::<Retryable>().is_none() {
            return res;
        }
        tracing::debug!(attempt, path = %parts.uri.path(), "serialization failure; running the request again");
        tokio::time::sleep(db::backoff(attempt)).await;
        attempt += 1;
    }
}
