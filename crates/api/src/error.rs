//! The one error body of the API: `{code, message, field?, errors?}`.

use benefits_domain::activation::TransitionError;
use serde::{Deserialize, Serialize};

/// The stable, machine-readable reason of an error. Clients branch on this,
/// never on the message (which is for people and may change).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // The request itself.
    BadRequest,
    InvalidJson,
    ValidationFailed,
    InvalidInput,
    ImportRejected,
    UnsupportedMediaType,
    PayloadTooLarge,
    NotFound,
    MethodNotAllowed,
    // Who is asking.
    Unauthenticated,
    InvalidCredentials,
    Forbidden,
    CsrfFailed,
    RateLimited,
    /// A one-time link (invitation, password reset, email change) that is
    /// unknown, used, withdrawn or expired: all look the same.
    LinkInvalid,
    /// The password was right; the account's second factor is needed (`totp`).
    MfaRequired,
    /// The TOTP or recovery code is not valid (or was used already).
    MfaInvalid,
    /// Operators must turn on a second factor before using the operator routes.
    MfaSetupRequired,
    // Concurrency.
    PreconditionRequired,
    VersionMismatch,
    // Conflicts with stored data.
    EmailTaken,
    LastAdmin,
    IsMarketingContact,
    OfferExists,
    CatalogVersionExists,
    OfferHasSales,
    /// The marketing contact cannot turn off benefit updates while an engagement is active.
    PreferenceLocked,
    // The feed.
    InvalidToken,
    UnknownFeedKind,
    PartnerExists,
    /// The same Idempotency-Key with a different request.
    IdempotencyKeyReused,
    // The benefit state machine (`benefits_domain::activation::TransitionError`).
    MarketingContactRequired,
    NotUnlocked,
    AlreadyActive,
    AlreadyDelivered,
    Revoked,
    Expired,
    AlreadyOptedOut,
    NotAllowedForRole,
    InvalidTransition,
    NotExpiredYet,
    // The server.
    /// At capacity for this kind of work (sign-in hashing); see Retry-After.
    Busy,
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order (`Internal` stays last; a test
    /// checks the list is whole), for clients that word each one.
    pub const ALL: [ErrorCode; 43] = {
        use ErrorCode::*;
        [
            BadRequest,
            InvalidJson,
            ValidationFailed,
            InvalidInput,
            ImportRejected,
            UnsupportedMediaType,
            PayloadTooLarge,
            NotFound,
            MethodNotAllowed,
            Unauthenticated,
            InvalidCredentials,
            Forbidden,
            CsrfFailed,
            RateLimited,
            LinkInvalid,
            MfaRequired,
            MfaInvalid,
            MfaSetupRequired,
            PreconditionRequired,
            VersionMismatch,
            EmailTaken,
            LastAdmin,
            IsMarketingContact,
            OfferExists,
            CatalogVersionExists,
            OfferHasSales,
            PreferenceLocked,
            InvalidToken,
            UnknownFeedKind,
            PartnerExists,
            IdempotencyKeyReused,
            MarketingContactRequired,
            NotUnlocked,
            AlreadyActive,
            AlreadyDelivered,
            Revoked,
            Expired,
            AlreadyOptedOut,
            NotAllowedForRole,
            InvalidTransition,
            NotExpiredYet,
            Busy,
            Internal,
        ]
    };

    /// The code as it appears on the wire (`version_mismatch`).
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            InvalidJson => "invalid_json",
            ValidationFailed => "validation_failed",
            InvalidInput => "invalid_input",
            ImportRejected => "import_rejected",
            UnsupportedMediaType => "unsupported_media_type",
            PayloadTooLarge => "payload_too_large",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Unauthenticated => "unauthenticated",
            InvalidCredentials => "invalid_credentials",
            Forbidden => "forbidden",
            CsrfFailed => "csrf_failed",
            RateLimited => "rate_limited",
            LinkInvalid => "link_invalid",
            MfaRequired => "mfa_required",
            MfaInvalid => "mfa_invalid",
            MfaSetupRequired => "mfa_setup_required",
            PreconditionRequired => "precondition_required",
            VersionMismatch => "version_mismatch",
            EmailTaken => "email_taken",
            LastAdmin => "last_admin",
            IsMarketingContact => "is_marketing_contact",
            OfferExists => "offer_exists",
            CatalogVersionExists => "catalog_version_exists",
            OfferHasSales => "offer_has_sales",
            PreferenceLocked => "preference_locked",
            InvalidToken => "invalid_token",
            UnknownFeedKind => "unknown_feed_kind",
            PartnerExists => "partner_exists",
            IdempotencyKeyReused => "idempotency_key_reused",
            MarketingContactRequired => "marketing_contact_required",
            NotUnlocked => "not_unlocked",
            AlreadyActive => "already_active",
            AlreadyDelivered => "already_delivered",
            Revoked => "revoked",
            Expired => "expired",
            AlreadyOptedOut => "already_opted_out",
            NotAllowedForRole => "not_allowed_for_role",
            InvalidTransition => "invalid_transition",
            NotExpiredYet => "not_expired_yet",
            Busy => "busy",
            Internal => "internal",
        }
    }
}

impl From<&TransitionError> for ErrorCode {
    fn from(e: &TransitionError) -> ErrorCode {
        match e {
            TransitionError::MarketingContactRequired => ErrorCode::MarketingContactRequired,
            TransitionError::NotUnlocked => ErrorCode::NotUnlocked,
            TransitionError::AlreadyActive => ErrorCode::AlreadyActive,
            TransitionError::AlreadyDelivered => ErrorCode::AlreadyDelivered,
            TransitionError::Revoked => ErrorCode::Revoked,
            TransitionError::Expired => ErrorCode::Expired,
            TransitionError::AlreadyOptedOut => ErrorCode::AlreadyOptedOut,
            TransitionError::NotAllowedForRole { .. } => ErrorCode::NotAllowedForRole,
            TransitionError::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            TransitionError::NotExpiredYet => ErrorCode::NotExpiredYet,
        }
    }
}

/// One item of a multi-field error: a form field (with its `code`) or a row of
/// an import (with its `line`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorItem {
    /// The field (or import column) at fault.
    pub field: String,
    pub message: String,
    /// The field's own reason: a form's (`required`, `invalid_email`, …) or
    /// the domain's input error code (`benefits_domain::error::InputCode`:
    /// `not_a_calendar_date`, `unknown_partner`, …), for imports too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The code's parameters (`max`, `min`, `value`, `allowed`, …), to word
    /// the reason in another language.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
    /// The line of an import file (the header is line 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// Every 4xx and 5xx answer of the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// For people: what was wrong and what to do.
    pub message: String,
    /// The (first) field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field or row at fault (`validation_failed`, `import_rejected`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorItem>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            code,
            message: message.into(),
            field: None,
            errors: Vec::new(),
        }
    }

    /// The message for one form field, from `errors` or the single `field`.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field && e.line.is_none())
            .map(|e| e.message.as_str())
            .or_else(|| {
                (self.field.as_deref() == Some(field) && self.errors.is_empty())
                    .then_some(self.message.as_str())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_code_once_in_order() {
        // Declaration order with `Internal` last: a code added anywhere but
        // after `Internal` shifts an index, and one after it lengthens the enum.
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(*code as usize, i, "{code:?}");
        }
        assert_eq!(ErrorCode::ALL.len(), ErrorCode::Internal as usize + 1);
    }

    #[test]
    fn as_str_is_the_wire_form() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().into())
            );
        }
    }

    #[test]
    fn transition_errors_keep_the_domain_codes() {
        let e = TransitionError::MarketingContactRequired;
        assert_eq!(ErrorCode::from(&e).as_str(), e.code());
    }

    #[test]
    fn an_error_without_field_or_items_omits_them() {
        let body = ErrorBody::new(ErrorCode::NotFound, "Nothing here.");
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"code":"not_found","message":"Nothing here."}"#
        );
    }
}
