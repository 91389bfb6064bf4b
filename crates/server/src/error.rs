//! The one error type of the API: every failure becomes `{code, message, field?, errors?}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use benefits_domain::activation::TransitionError;
use benefits_domain::contact::FieldError;
use serde::Serialize;
use serde_json::json;

/// One bad row of an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Any client error with a stable code.
    #[error("{message}")]
    Client { status: StatusCode, code: &'static str, message: String, field: Option<String> },
    #[error("{message}")]
    Validation { message: String, errors: Vec<FieldError> },
    #[error("the import was rejected")]
    Import { errors: Vec<RowError> },
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// The server is at capacity for this kind of work; try again shortly.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// A server fault; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Client { status, code, message: message.into(), field: None }
    }

    pub fn with_field(status: StatusCode, code: &'static str, message: impl Into<String>, field: impl Into<String>) -> AppError {
        AppError::Client { status, code, message: message.into(), field: Some(field.into()) }
    }

    pub fn not_found() -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", "Nothing was found at this address.")
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "Sign in to continue.")
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn csrf(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "csrf_failed", message)
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn version_mismatch() -> AppError {
        AppError::new(
            StatusCode::PRECONDITION_FAILED,
            "version_mismatch",
            "Someone changed this in the meantime. Reload to see the latest version and try again.",
        )
    }

    /// One invalid field, reported like the multi-field form errors.
    pub fn invalid_field(field: impl Into<String>, code: &str, message: impl Into<String>) -> AppError {
        let (field, message) = (field.into(), message.into());
        AppError::Validation {
            message: message.clone(),
            errors: vec![FieldError { field, code: code.to_string(), message }],
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Client { status, .. } => *status,
            AppError::Validation { .. } | AppError::Import { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> AppError {
        let status = match e {
            TransitionError::NotAllowedForRole { .. } => StatusCode::FORBIDDEN,
            _ => StatusCode::CONFLICT,
        };
        AppError::new(status, e.code(), e.to_string())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        AppError::Internal(format!("database: {e}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> AppError {
        AppError::Internal(format!("json: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            AppError::Client { code, message, field, .. } => match field {
                Some(f) => json!({"code": code, "message": message, "field": f}),
                None => json!({"code": code, "message": message}),
            },
            AppError::Validation { message, errors } => {
                let mut v = json!({"code": "validation_failed", "message": message, "errors": errors});
                if let Some(first) = errors.first() {
                    v["field"] = json!(first.field);
                }
                v
            }
            AppError::Import { errors } => {
                let n = errors.len();
                let rows = if n == 1 { "1 problem".to_string() } else { format!("{n} problems") };
                let mut v = json!({
                    "code": "import_rejected",
                    "message": format!("Nothing was imported: the file has {rows}. Fix them and import the whole file again."),
                    "errors": errors,
                });
                if let Some(first) = errors.first() {
                    v["field"] = json!(first.field);
                }
                v
            }
            AppError::RateLimited { retry_after_secs } => json!({
                "code": "rate_limited",
                "message": format!("Too many failed sign-in attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60).max(1)),
            }),
            AppError::Busy { .. } => json!({
                "code": "busy",
                "message": "The server is busy. Try again in a moment.",
            }),
            AppError::Internal(detail) => {
                // The detail never contains request bodies or credentials: only our own messages.
                tracing::error!(error = %detail, "internal error");
                json!({"code": "internal", "message": "Something went wrong on our side. Try again later."})
            }
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}
