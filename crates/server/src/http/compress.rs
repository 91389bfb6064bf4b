//! Compression of API responses: brotli or gzip, whichever the client prefers,
//! for bodies over 1 KB (smaller ones gain less than the header costs).
//!
//! Never for a response that carries a secret. With compression, the size of
//! a response reveals how well an attacker's reflected input matches the
//! secret beside it, which recovers the secret a byte at a time (BREACH). The
//! session responses carry the CSRF token, so `/api/session/*` is never
//! compressed, and any handler that returns another secret marks its response
//! with the `CarriesSecret` extension.

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::Router;
use axum::response::Response;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Bodies up to this size are sent as they are.
pub const MIN_COMPRESSED_BYTES: u16 = 1024;

/// Routes whose responses carry a secret (the session's CSRF token), as seen
/// inside the `/api` router (`nest` strips the prefix).
const SECRET_PREFIXES: &[&str] = &["/session/"];

/// A response extension: this body carries a secret, never compress it.
#[derive(Clone, Copy, Debug)]
pub struct CarriesSecret;

/// The `/api` router with compressed responses.
pub fn api<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(middleware::from_fn(mark_secrets))
        .layer(CompressionLayer::new().compress_when(SizeAbove::new(MIN_COMPRESSED_BYTES).and(NoSecret)))
}

/// Marks the responses of the routes that carry a secret.
async fn mark_secrets(req: Request, next: Next) -> Response {
    let secret = SECRET_PREFIXES.iter().any(|p| req.uri().path().starts_with(p));
    let mut res = next.run(req).await;
    if secret {
        res.extensions_mut().insert(CarriesSecret);
    }
    res
}

#[derive(Clone, Copy, Debug)]
struct NoSecret;

impl Predicate for NoSecret {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<CarriesSecret>().is_none()
    }
}
