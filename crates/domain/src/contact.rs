//! The marketing contact: one of the partner's users, with an email that is
//! not the partner account's own, an E.164 phone and a preferred language.

use serde::{Deserialize, Serialize};

/// The preferred languages offered (BCP 47 tags). The program itself runs in English.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("en-GB", "English (United Kingdom)"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt-BR", "Português (Brasil)"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("zh-Hans", "中文(简体)"),
    ("zh-Hant", "中文(繁體)"),
];

/// What the "Assign user" form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// One of the partner's users.
    pub user_id: String,
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    /// E.164 (`+48221234567`); spaces, dashes, dots and brackets are ignored.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[ ().-]*\+[ ().-]*[1-9]([ ().-]*[0-9]){7,14}[ ().-]*$"))]
    pub phone: String,
    /// A tag of [`LANGUAGES`].
    #[cfg_attr(feature = "openapi", schema(schema_with = language_schema))]
    pub language: String,
}

#[cfg(feature = "openapi")]
fn language_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(LANGUAGES.iter().map(|(tag, _)| *tag))).build()
}

/// A user of the partner's account, as far as contact validation needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: String,
    pub email: String,
}

/// One problem with one field of the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
    /// The code's parameters (`max` → `64`), for a message in another language.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: crate::error::Params,
}

impl FieldError {
    fn new(field: &str, code: &str, message: &str) -> FieldError {
        FieldError { field: field.into(), code: code.into(), message: message.into(), params: Default::default() }
    }
}

/// A document's error as a form field's: the domain's code, parameters and English reason.
impl From<crate::error::InputError> for FieldError {
    fn from(e: crate::error::InputError) -> FieldError {
        FieldError { message: e.message(), code: e.code.as_str().to_string(), field: e.field, params: e.params }
    }
}

/// A validated contact, trimmed and normalised (`+` phone digits, canonical language tag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarketingContact {
    pub user_id: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

/// Validates the form against the partner's users and the account's email.
/// Returns every field error at once, so the form can show them all.
pub fn validate_contact(
    input: &ContactInput,
    users: &[UserRef],
    account_email: &str,
) -> Result<MarketingContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let user_id = input.user_id.trim();
    if user_id.is_empty() {
        errors.push(FieldError::new("user_id", "required", "Choose a user from your account's user list."));
    } else if !users.iter().any(|u| u.id == user_id) {
        errors.push(FieldError::new(
            "user_id",
            "unknown_user",
            "This user is not in your account. Add them in account settings first.",
        ));
    }

    let email = input.email.trim();
    if email.is_empty() {
        errors.push(FieldError::new("email", "required", "Enter the contact's email address."));
    } else if !is_valid_email(email) {
        errors.push(FieldError::new("email", "invalid_email", "Enter a valid email address, such as name@example.com."));
    } else if email.eq_ignore_ascii_case(account_email.trim()) {
        errors.push(FieldError::new(
            "email",
            "same_as_account_email",
            "Use an email different from your partner account's email.",
        ));
    }

    let phone = normalise_phone(&input.phone);
    if input.phone.trim().is_empty() {
        errors.push(FieldError::new("phone", "required", "Enter the contact's phone number."));
    } else if !is_e164(&phone) {
        errors.push(FieldError::new(
            "phone",
            "invalid_phone",
            "Enter the phone number in international format: + and country code, up to 15 digits, e.g. +48221234567.",
        ));
    }

    let language = LANGUAGES.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(input.language.trim())).map(|(t, _)| *t);
    if input.language.trim().is_empty() {
        errors.push(FieldError::new("language", "required", "Choose a preferred language."));
    } else if language.is_none() {
        errors.push(FieldError::new("language", "unsupported_language", "Choose a language from the list."));
    }

    if errors.is_empty() {
        Ok(MarketingContact {
            user_id: user_id.to_string(),
            email: email.to_string(),
            phone,
            language: language.unwrap_or("en").to_string(),
        })
    } else {
        Err(errors)
    }
}

/// Removes the spaces, dashes, dots and brackets people type in phone numbers.
pub fn normalise_phone(raw: &str) -> String {
    raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect()
}

/// E.164: `+`, a country code not starting with 0, at most 15 digits in all.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else { return false };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A pragmatic address check: one `@`, a non-empty local part of printable
/// characters, a domain of dot-separated labels with a top-level part.
pub fn is_valid_email(email: &str) -> bool {
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || local.contains('@') || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let allowed_local = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    if !local.chars().all(allowed_local) {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Vec<UserRef> {
        vec![
            UserRef { id: "u1".into(), email: "ana@contoso.com".into() },
            UserRef { id: "u2".into(), email: "ben@contoso.com".into() },
        ]
    }

    fn input(user_id: &str, email: &str, phone: &str, language: &str) -> ContactInput {
        ContactInput { user_id: user_id.into(), email: email.into(), phone: phone.into(), language: language.into() }
    }

    fn codes(r: Result<MarketingContact, Vec<FieldError>>) -> Vec<(String, String)> {
        r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_valid_contact_is_normalised() {
        let c = validate_contact(&input(" u1 ", " ana@contoso.com ", "+48 22 123-45-67", "PT-br"), &users(), "account@contoso.com").unwrap();
        assert_eq!(c, MarketingContact {
            user_id: "u1".into(),
            email: "ana@contoso.com".into(),
            phone: "+48221234567".into(),
            language: "pt-BR".into()
        });
    }

    #[test]
    fn the_account_email_is_refused_whatever_its_case() {
        let got = codes(validate_contact(&input("u1", "Account@Contoso.COM", "+4822123456", "en"), &users(), "account@contoso.com"));
        assert_eq!(got, vec![("email".into(), "same_as_account_email".into())]);
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let got = codes(validate_contact(&input("", "", "", ""), &users(), "a@b.co"));
        let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["user_id", "email", "phone", "language"]);
        assert!(got.iter().all(|(_, c)| c == "required"));
        let got = codes(validate_contact(&input("u9", "not-an-email", "0048 22 123", "klingon"), &users(), "a@b.co"));
        assert_eq!(got, vec![
            ("user_id".into(), "unknown_user".into()),
            ("email".into(), "invalid_email".into()),
            ("phone".into(), "invalid_phone".into()),
            ("language".into(), "unsupported_language".into()),
        ]);
    }

    #[test]
    fn e164_phones() {
        for ok in ["+48221234567", "+14155552671", "+442071838750", "+861012345678901"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in ["48221234567", "+0221234567", "+1234567", "+1234567890123456", "+48 22", "+4822abc4567", ""] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn email_syntax() {
        for ok in ["a@b.co", "first.last+tag@sub.example.com", "o'brien@example.ie", "zoë@exämple.de"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@", "@b.co", "a@b", "a@b.c", "a b@c.de", "a@@b.co", ".a@b.co", "a..b@c.de", "a@-b.co", "a@b..co", "a@b.c0m1"] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }
}
