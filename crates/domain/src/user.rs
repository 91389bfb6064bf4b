//! A partner's users: the roles a partner admin can give, and the rules for
//! names and emails entered in forms (users, offers).

use serde::{Deserialize, Serialize};

use crate::activation::Role;
use crate::contact::{is_valid_email, FieldError};

/// The roles inside a partner's account (an operator is never a partner's user).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    Admin,
    Member,
}

impl PartnerRole {
    pub const ALL: [PartnerRole; 2] = [PartnerRole::Admin, PartnerRole::Member];

    pub fn role(self) -> Role {
        match self {
            PartnerRole::Admin => Role::Admin,
            PartnerRole::Member => Role::Member,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.role().as_str()
    }

    pub fn parse(s: &str) -> Option<PartnerRole> {
        PartnerRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl From<PartnerRole> for Role {
    fn from(r: PartnerRole) -> Role {
        r.role()
    }
}

/// The longest name of a person or an offer, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// A name as entered: trimmed, not empty, at most [`NAME_MAX_CHARS`].
/// `missing` is the message when it is empty ("Enter the user's name.").
pub fn validate_name(field: &str, name: &str, missing: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError { field: field.into(), code: "required".into(), message: missing.into(), params: Default::default() });
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(FieldError {
            field: field.into(),
            code: "too_long".into(),
            message: format!("Use at most {NAME_MAX_CHARS} characters."),
            params: [("max".to_string(), NAME_MAX_CHARS.to_string())].into(),
        });
    }
    Ok(name.to_string())
}

/// An email address as entered: trimmed and valid ([`is_valid_email`]).
pub fn validate_email(field: &str, email: &str, missing: &str) -> Result<String, FieldError> {
    let email = email.trim();
    if email.is_empty() {
        return Err(FieldError { field: field.into(), code: "required".into(), message: missing.into(), params: Default::default() });
    }
    if !is_valid_email(email) {
        return Err(FieldError {
            field: field.into(),
            code: "invalid_email".into(),
            message: "Enter a valid email address, such as name@example.com.".into(),
            params: Default::default(),
        });
    }
    Ok(email.to_string())
}

/// A new user's email and name, every problem at once (the password policy is
/// checked on its own).
pub fn validate_new_user(email: &str, name: &str) -> Result<(String, String), Vec<FieldError>> {
    let email = validate_email("email", email, "Enter the user's email address.");
    let name = validate_name("name", name, "Enter the user's name.");
    match (email, name) {
        (Ok(e), Ok(n)) => Ok((e, n)),
        (e, n) => Err([e.err(), n.err()].into_iter().flatten().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_required_and_bounded() {
        assert_eq!(validate_name("name", "  Ana  ", "x").unwrap(), "Ana");
        assert_eq!(validate_name("name", "   ", "Enter it.").unwrap_err().code, "required");
        assert_eq!(validate_name("name", &"é".repeat(200), "x").unwrap().chars().count(), 200, "characters, not bytes");
        assert_eq!(validate_name("name", &"a".repeat(201), "x").unwrap_err().code, "too_long");
    }

    #[test]
    fn a_new_user_reports_every_field_at_fault() {
        let errors = validate_new_user("nope", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(fields, [("email", "invalid_email"), ("name", "required")]);
        assert_eq!(validate_new_user(" ana@contoso.example ", "Ana").unwrap(), ("ana@contoso.example".into(), "Ana".into()));
    }

    #[test]
    fn roles_parse_and_a_partner_role_is_never_an_operator() {
        assert_eq!(PartnerRole::parse("admin"), Some(PartnerRole::Admin));
        assert_eq!(PartnerRole::parse("operator"), None);
        assert!(PartnerRole::ALL.iter().all(|r| r.role() != Role::Operator));
    }
}
