//! The one error type of the API: every failure becomes an
//! [`ErrorBody`] `{code, message, field?, errors?}` with a stable [`ErrorCode`].

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use benefits_api::{ErrorBody, ErrorCode, ErrorItem};
use benefits_domain::activation::TransitionError;
use benefits_domain::contact::FieldError;
use benefits_domain::error::InputError;

/// One bad row of an import: its line and the domain's error (the column in `field`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub error: InputError,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Any client error with a stable code.
    #[error("{message}")]
    Client { status: StatusCode, code: ErrorCode, message: String, field: Option<String> },
    #[error("{message}")]
    Validation { message: String, errors: Vec<FieldError> },
    /// The evaluation input refused by the domain (422 `invalid_input`), with
    /// its code and parameters.
    #[error("{0}")]
    Input(InputError),
    #[error("the import was rejected")]
    Import { errors: Vec<RowError> },
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// The server is at capacity for this kind of work; try again shortly.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// PostgreSQL failed the transaction as not serializable (40001), broke a
    /// deadlock (40P01) or two requests raced for one idempotency key: the
    /// whole request may be run again at once (`http::retry` does, a few
    /// times; then it answers 503 like [`AppError::Busy`]).
    #[error("serialization failure")]
    Retry,
    /// A server fault; the detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::Client { status, code, message: message.into(), field: None }
    }

    pub fn with_field(status: StatusCode, code: ErrorCode, message: impl Into<String>, field: impl Into<String>) -> AppError {
        AppError::Client { status, code, message: message.into(), field: Some(field.into()) }
    }

    pub fn not_found() -> AppError {
        AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "Nothing was found at this address.")
    }

    pub fn unauthenticated() -> AppError {
        AppError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "Sign in to continue.")
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn csrf(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, ErrorCode::CsrfFailed, message)
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn version_mismatch() -> AppError {
        AppError::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::VersionMismatch,
            "Someone changed this in the meantime. Reload to see the latest version and try again.",
        )
    }

    /// One invalid field, reported like the multi-field form errors.
    pub fn invalid_field(field: impl Into<String>, code: &str, message: impl Into<String>) -> AppError {
        let (field, message) = (field.into(), message.into());
        AppError::Validation {
            message: message.clone(),
            errors: vec![FieldError { field, code: code.to_string(), message, params: Default::default() }],
        }
    }

    /// A bulk action naming too few or too many rows (code `count`).
    pub fn invalid_count(field: &str, max: usize, message: impl Into<String>) -> AppError {
        AppError::invalid_field_max(field, "count", max, message)
    }

    /// One invalid field whose rule is a limit, given as the parameter
    /// `max` so the app words it in any language (`count`, `too_long`,
    /// `range_too_long`).
    pub fn invalid_field_max(field: impl Into<String>, code: &str, max: usize, message: impl Into<String>) -> AppError {
        let message = message.into();
        AppError::Validation {
            message: message.clone(),
            errors: vec![FieldError {
                field: field.into(),
                code: code.to_string(),
                message,
                params: [("max".to_string(), max.to_string())].into(),
            }],
        }
    }

    /// The evaluation input's error (422 `invalid_input`).
    pub fn invalid_input(e: InputError) -> AppError {
        AppError::Input(e)
    }

    /// The domain's error about one field of a JSON body (422 `validation_failed`,
    /// its code and parameters in `errors[0]`); `root` names an unnamed field.
    pub fn input(e: InputError, root: &str) -> AppError {
        let field = if e.field.is_empty() { root.to_string() } else { e.field.clone() };
        AppError::Validation { message: format!("{field}: {}", e.message()), errors: vec![FieldError::from(InputError { field, ..e })] }
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }

    /// This error as the refusal of one row of a bulk request: it names the
    /// row (`sales[2]`, or `sales[2].note` for a field of it); a row that does
    /// not exist is an invalid field, not a missing page.
    pub fn for_item(self, path: &str) -> AppError {
        match self {
            AppError::Client { code: ErrorCode::NotFound, .. } => AppError::invalid_field(path, "unknown", "There is no such row."),
            AppError::Client { status, code, message, .. } => AppError::Client { status, code, message, field: Some(path.to_string()) },
            AppError::Validation { message, errors } => AppError::Validation {
                message,
                errors: errors.into_iter().map(|e| FieldError { field: format!("{path}.{}", e.field), ..e }).collect(),
            },
            other => other,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Client { status, .. } => *status,
            AppError::Validation { .. } | AppError::Input(_) | AppError::Import { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } | AppError::Retry => StatusCode::SERVICE_UNAVAILABLE,
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
        AppError::new(status, ErrorCode::from(&e), e.to_string())
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> AppError {
        if store_retry(&e) {
            return AppError::Retry;
        }
        if store_busy(&e) {
            return AppError::Busy { retry_after_secs: 1 };
        }
        AppError::Internal(format!("database: {e}"))
    }
}

/// PostgreSQL undid the transaction so that another could commit: a
/// serialization failure (40001) or a broken deadlock (40P01). Running the
/// whole transaction again is the documented remedy, and usually succeeds at once.
pub(crate) fn store_retry(e: &sqlx::Error) -> bool {
    let Some(db) = e.as_database_error() else { return false };
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_none() && matches!(db.code().as_deref(), Some("40001" | "40P01"))
}

/// The store could not serve the request now, and the same request may work
/// in a moment: no pooled connection came free in time; SQLite was busy or
/// locked past its busy timeout (primary codes 5 and 6); PostgreSQL found a
/// lock taken (55P03) or cancelled a statement at its timeout (57014)
/// (40001 and 40P01 are [`store_retry`]'s).
fn store_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLite's extended codes keep the primary code in the low byte.
                code.and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| matches!(c & 0xff, 5 | 6))
            } else {
                matches!(code.as_deref(), Some("55P03" | "57014"))
            }
        }
        _ => false,
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> AppError {
        AppError::Internal(format!("json: {e}"))
    }
}

impl AppError {
    /// The JSON body of this error.
    pub fn body(&self) -> ErrorBody {
        match self {
            AppError::Client { code, message, field, .. } => {
                ErrorBody { code: *code, message: message.clone(), field: field.clone(), errors: Vec::new() }
            }
            AppError::Validation { message, errors } => ErrorBody {
                code: ErrorCode::ValidationFailed,
                message: message.clone(),
                field: errors.first().map(|e| e.field.clone()),
                errors: errors
                    .iter()
                    .map(|e| ErrorItem {
                        field: e.field.clone(),
                        message: e.message.clone(),
                        code: Some(e.code.clone()),
                        params: e.params.clone(),
                        line: None,
                    })
                    .collect(),
            },
            AppError::Input(e) => ErrorBody {
                code: ErrorCode::InvalidInput,
                message: e.to_string(),
                field: (!e.field.is_empty()).then(|| e.field.clone()),
                errors: vec![ErrorItem {
                    field: e.field.clone(),
                    message: e.message(),
                    code: Some(e.code.as_str().to_string()),
                    params: e.params.clone(),
                    line: None,
                }],
            },
            AppError::Import { errors } => {
                let n = errors.len();
                let rows = if n == 1 { "1 problem".to_string() } else { format!("{n} problems") };
                ErrorBody {
                    code: ErrorCode::ImportRejected,
                    message: format!("Nothing was imported: the file has {rows}. Fix them and import the whole file again."),
                    field: errors.first().map(|e| e.error.field.clone()),
                    errors: errors
                        .iter()
                        .map(|e| ErrorItem {
                            field: e.error.field.clone(),
                            message: e.error.message(),
                            code: Some(e.error.code.as_str().to_string()),
                            params: e.error.params.clone(),
                            line: Some(e.line as u64),
                        })
                        .collect(),
                }
            }
            AppError::RateLimited { retry_after_secs } => ErrorBody::new(
                ErrorCode::RateLimited,
                format!("Too many failed sign-in attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60).max(1)),
            ),
            AppError::Busy { .. } | AppError::Retry => ErrorBody::new(ErrorCode::Busy, "The server is busy. Try again in a moment."),
            AppError::Internal(_) => ErrorBody::new(ErrorCode::Internal, "Something went wrong on our side. Try again later."),
        }
    }
}

/// Marks a response whose request failed with [`AppError::Retry`]: nothing it
/// did was committed, so `http::retry` may run it again.
#[derive(Clone, Copy, Debug)]
pub struct Retryable;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            // The detail never contains request bodies or credentials: only our own messages.
            tracing::error!(error = %detail, "internal error");
        }
        let mut res = (self.status(), axum::Json(self.body())).into_response();
        let retry_after = match self {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } => Some(retry_after_secs),
            AppError::Retry => {
                res.extensions_mut().insert(Retryable);
                Some(1)
            }
            _ => None,
        };
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

#[cfg(test)]
mod store_busy_tests {
    use axum::http::StatusCode;

    use super::AppError;

    /// A pool with no free connection answers 503, not 500.
    #[test]
    fn a_pool_timeout_is_busy() {
        assert_eq!(AppError::from(sqlx::Error::PoolTimedOut).status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(AppError::from(sqlx::Error::RowNotFound).status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    /// A write that finds SQLite's write lock taken (past a zero busy
    /// timeout) is busy: 503 with Retry-After.
    #[tokio::test]
    async fn a_locked_sqlite_file_is_busy() {
        use sqlx::sqlite::SqliteConnectOptions;
        use sqlx::{ConnectOptions, Connection};
        let path = std::env::temp_dir().join(format!("benefits-busy-{}.sqlite3", std::process::id()));
        let options = SqliteConnectOptions::new().filename(&path).create_if_missing(true).busy_timeout(std::time::Duration::ZERO);
        let mut holder = options.connect().await.unwrap();
        sqlx::query("CREATE TABLE IF NOT EXISTS t (x INTEGER)").execute(&mut holder).await.unwrap();
        let mut other = options.connect().await.unwrap();
        let mut tx = holder.begin_with("BEGIN IMMEDIATE").await.unwrap();
        sqlx::query("INSERT INTO t VALUES (1)").execute(&mut *tx).await.unwrap();
        let err = sqlx::query("INSERT INTO t VALUES (2)").execute(&mut other).await.unwrap_err();
        let app = AppError::from(err);
        assert_eq!(app.status(), StatusCode::SERVICE_UNAVAILABLE, "{app:?}");
        tx.rollback().await.unwrap();
        drop((holder, other));
        let _ = std::fs::remove_file(&path);
    }
}
