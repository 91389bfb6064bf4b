//! Extractors whose rejections are [`AppError`]s: JSON bodies that name the bad
//! field, `If-Match` versions and `Idempotency-Key`s.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Digest as _;

use crate::error::AppError;
use benefits_domain::error::{InputCode, InputError};
use benefits_api::ErrorCode;

/// Body limit for ordinary JSON requests.
pub const JSON_LIMIT: usize = 1024 * 1024;
pub const EVALUATE_LIMIT: usize = 2 * 1024 * 1024;

pub fn payload_too_large(limit: usize) -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        format!("The request body is larger than the {} MiB allowed here.", limit / (1024 * 1024)),
    )
}

/// Reads the whole body, mapping an over-limit body to 413.
pub async fn body_bytes(req: Request, limit: usize) -> Result<Bytes, AppError> {
    match Bytes::from_request(req, &()).await {
        Ok(b) => Ok(b),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(payload_too_large(limit)),
        Err(_) => Err(AppError::bad_request("The request body could not be read.")),
    }
}

pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Parses JSON text into `T`: syntax errors are 400 `invalid_json`; wrong types,
/// missing or unknown fields are 422 `validation_failed` naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            return Err(json_error(path, &inner));
        }
    };
    de.end().map_err(|e| json_error(String::new(), &e))?;
    Ok(value)
}

fn json_error(path: String, e: &serde_json::Error) -> AppError {
    if e.is_syntax() || e.is_eof() {
        return AppError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidJson, format!("The body is not valid JSON: {e}"));
    }
    // The domain's reading of serde's words: the same codes and parameters
    // as the evaluation input's (`missing`, `unknown_field`, `wrong_type`, …).
    AppError::input(benefits_domain::parse::describe(path, e), "body")
}

/// Every request body of the API is a JSON object; serde would also read a
/// struct from an array of its fields in order, which no client means.
fn require_object(bytes: &[u8]) -> Result<(), AppError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return Ok(());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| json_error(String::new(), &e))?;
    Err(AppError::input(InputError::new("body", InputCode::NotAnObject), "body"))
}

/// No text of the program holds U+0000 (PostgreSQL's text cannot; SQLite's
/// can, so the refusal is the same on both stores): a body with one is
/// refused naming the first field that has it. JSON spells it `\u0000` (a
/// raw NUL byte is not valid JSON), so only such a body is walked.
fn refuse_nul(bytes: &[u8]) -> Result<(), AppError> {
    if !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| json_error(String::new(), &e))?;
    match nul_path(&value, String::new()) {
        Some(path) => Err(AppError::input(InputError::new(path, InputCode::NulCharacter), "body")),
        None => Ok(()),
    }
}

/// The path (`contact.name`, `sales[2].note`) of the first string or key holding U+0000.
fn nul_path(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0').then_some(at),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| nul_path(v, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() { k.replace('\0', "\\u0000") } else { format!("{at}.{}", k.replace('\0', "\\u0000")) };
            if k.contains('\0') {
                Some(path)
            } else {
                nul_path(v, path)
            }
        }),
        _ => None,
    }
}

/// Refuses a request whose address holds U+0000 (`%00`) before any handler
/// reads it: 400, like any other malformed query, naming the query parameter
/// (or `path`).
pub async fn refuse_nul_in_uri(req: Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri();
    let field = if uri.path().contains("%00") {
        Some("path".to_string())
    } else if let Some(query) = uri.query().filter(|q| q.contains("%00")) {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let name = pairs.iter().find(|(k, v)| k.contains('\0') || v.contains('\0')).map(|(k, _)| k.replace('\0', "\\u0000"));
        Some(name.unwrap_or_else(|| "query".to_string()))
    } else {
        None
    };
    match field {
        Some(field) => AppError::Client {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::BadRequest,
            message: format!("`{field}` must not contain the NUL character (U+0000)."),
            field: Some(field),
        }
        .into_response(),
        None => next.run(req).await,
    }
}

/// A JSON body (`Content-Type: application/json`, at most [`JSON_LIMIT`]).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let ct = content_type(req.headers());
        if ct != "application/json" && !(ct.starts_with("application/") && ct.ends_with("+json")) {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = body_bytes(req, JSON_LIMIT).await?;
        require_object(&bytes)?;
        refuse_nul(&bytes)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The version in `If-Match`, or `None` when absent.
pub struct IfMatch(pub Option<i64>);

impl IfMatch {
    /// The version the client expects; 428 when it sent none.
    pub fn required(&self) -> Result<i64, AppError> {
        self.0.ok_or_else(|| {
            AppError::new(
                StatusCode::PRECONDITION_REQUIRED,
                ErrorCode::PreconditionRequired,
                "Send If-Match with the version you last saw (the ETag) so that concurrent changes are not lost.",
            )
        })
    }

    /// Checks a current version against the expected one.
    pub fn check(&self, current: i64) -> Result<(), AppError> {
        if self.required()? != current {
            return Err(AppError::version_mismatch());
        }
        Ok(())
    }

    /// Checks only when the client sent one.
    pub fn check_if_present(&self, current: i64) -> Result<(), AppError> {
        match self.0 {
            Some(v) if v != current => Err(AppError::version_mismatch()),
            _ => Ok(()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = v.to_str().unwrap_or("").trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| IfMatch(Some(n)))
            .ok_or_else(|| AppError::with_field(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, "If-Match must be a version such as \"3\".", "If-Match"))
    }
}

/// `Idempotency-Key`, when sent, with the fingerprint of the request it came with.
pub struct IdempotencyKey(pub Option<IdemKey>);

#[derive(Clone, Debug)]
pub struct IdemKey {
    pub key: String,
    /// SHA-256 of the body: a retry must send the same request.
    pub fingerprint: String,
}

/// Set by [`fingerprint_body`] on requests that carry an Idempotency-Key.
#[derive(Clone, Debug)]
pub struct BodyFingerprint(pub String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(v) = parts.headers.get("idempotency-key") else { return Ok(IdempotencyKey(None)) };
        match v.to_str() {
            Ok(s) if is_idempotency_key(s) => {
                let fingerprint = parts.extensions.get::<BodyFingerprint>().map(|f| f.0.clone()).unwrap_or_default();
                Ok(IdempotencyKey(Some(IdemKey { key: s.to_string(), fingerprint })))
            }
            _ => Err(AppError::with_field(
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                "Idempotency-Key must be 1 to 200 visible characters.",
                "Idempotency-Key",
            )),
        }
    }
}

/// The OpenAPI document's pattern for the key, `^[!-~]([ -~]{0,198}[!-~])?$`:
/// 1 to 200 printable ASCII characters (spaces inside only; no tab, no
/// control character). Checked before anything else about the request, so a
/// bad key is always 400, whatever the state of the benefit.
fn is_idempotency_key(s: &str) -> bool {
    (1..=200).contains(&s.len()) && s.bytes().all(|b| (b' '..=b'~').contains(&b)) && !s.starts_with(' ') && !s.ends_with(' ')
}

/// Middleware: hashes the body of a write that carries an Idempotency-Key
/// (content type and bytes), so that a reuse of the key with another body is
/// told apart from a retry.
pub async fn fingerprint_body(req: Request, next: axum::middleware::Next) -> Response {
    if !req.headers().contains_key("idempotency-key") || !crate::auth::is_state_changing(req.method()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // The largest body any route accepts (a feed file); each route's own limit still applies.
    let limit = crate::http::feed::FEED_LIMIT;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return payload_too_large(limit).into_response(),
    };
    let mut hasher = sha2::Sha256::new();
    hasher.update(content_type(&parts.headers).as_bytes());
    hasher.update([0u8]);
    hasher.update(&bytes);
    parts.extensions.insert(BodyFingerprint(hex::encode(hasher.finalize())));
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header value")
}

/// A `T` already written as JSON (a cached rendering, or the first answer to
/// an idempotent request, replayed): the type says what the body holds.
#[derive(Debug)]
pub struct Stored<T> {
    pub status: StatusCode,
    pub etag: Option<i64>,
    pub body: Bytes,
    of: PhantomData<fn() -> T>,
}

impl<T> Clone for Stored<T> {
    fn clone(&self) -> Self {
        Stored { status: self.status, etag: self.etag, body: self.body.clone(), of: PhantomData }
    }
}

impl<T: Serialize> Stored<T> {
    pub fn json(status: StatusCode, etag: Option<i64>, value: &T) -> Result<Stored<T>, AppError> {
        Ok(Stored::raw(status, etag, Bytes::from(serde_json::to_vec(value)?)))
    }
}

impl<T> Stored<T> {
    /// Bytes that were serialised from a `T` earlier.
    pub fn raw(status: StatusCode, etag: Option<i64>, body: Bytes) -> Stored<T> {
        Stored { status, etag, body, of: PhantomData }
    }
}

impl<T> IntoResponse for Stored<T> {
    fn into_response(self) -> Response {
        let mut res = (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], self.body).into_response();
        if let Some(v) = self.etag {
            res.headers_mut().insert(header::ETAG, etag(v));
        }
        res
    }
}

/// One versioned resource: JSON with its version as the `ETag`.
pub struct Tagged<T>(pub i64, pub T);

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let mut res = axum::Json(self.1).into_response();
        res.headers_mut().insert(header::ETAG, etag(self.0));
        res
    }
}

/// A query string; a malformed one is 400 `bad_request`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| AppError::bad_request(format!("The query string is not valid: {}", e.body_text())))
    }
}
