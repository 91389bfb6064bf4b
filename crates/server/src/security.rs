//! Response security headers, the Origin / Sec-Fetch-Site check for
//! state-changing requests, and request logging without personal data.

use std::path::Path;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::auth::is_state_changing;
use crate::error::AppError;
use crate::state::ApiContext;

/// The `sha256-…` sources of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else { break };
        let tag = &lower[start..tag_end];
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else { break };
        if !has_src_attribute(tag) {
            let body = &html[tag_end + 1..close];
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        at = close + 1;
    }
    out
}

fn has_src_attribute(tag: &str) -> bool {
    tag.split(|c: char| c.is_whitespace()).any(|attr| attr.starts_with("src=") || attr == "src")
}

/// The policy: no inline script except the hashed ones of the served index.html.
pub fn content_security_policy(dist: Option<&Path>) -> String {
    let hashes = dist
        .and_then(|d| std::fs::read_to_string(d.join("index.html")).ok())
        .map(|html| inline_script_hashes(&html))
        .unwrap_or_default();
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for h in hashes {
        script_src.push(' ');
        script_src.push_str(&h);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// Adds the security headers to every response.
pub async fn security_headers(State(ctx): State<ApiContext>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctx.csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if ctx.config.is_https() {
        // Browsers then never try plain http for this host again.
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// API answers hold personal and partner data: no browser or proxy keeps a
/// copy, unless a handler said the answer is public and cacheable.
pub async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses state-changing requests that a browser marks as coming from
/// another site, or whose Origin is not this host.
pub async fn same_origin_writes(State(ctx): State<ApiContext>, req: Request, next: Next) -> Response {
    if is_state_changing(req.method()) {
        if let Err(e) = check_origin(&req) {
            let (parts, _) = req.into_parts();
            let ip = crate::client_ip::client_ip(&parts, &ctx.config.trusted_proxies);
            crate::security_log::refusal("csrf_refused", None, &ip, "origin");
            return e.into_response();
        }
    }
    next.run(req).await
}

fn check_origin(req: &Request) -> Result<(), AppError> {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
            return Err(AppError::csrf("Requests from other sites are not accepted."));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/')).unwrap_or("");
        if origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            return Err(AppError::csrf("The request's Origin does not match this site."));
        }
    }
    Ok(())
}

/// Logs method, route template, status and latency; never bodies, query
/// strings, cookies or path values.
/// Install with `route_layer`, so that the matched route template is known.
pub async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let res = next.run(req).await;
    let route = route.unwrap_or_else(|| "(unmatched)".to_string());
    tracing::info!(
        method = %method,
        route = %route,
        status = res.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = "<html><head><SCRIPT type=\"module\">init()</SCRIPT><script src=\"/a.js\"></script>\
                    <script>\n  boot();\n</script></head></html>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn the_policy_never_allows_inline_scripts_wholesale() {
        let csp = content_security_policy(None);
        assert!(csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
