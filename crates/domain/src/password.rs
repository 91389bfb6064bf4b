//! The password policy (NIST SP 800-63B, 5.1.1.2): long enough, not a known
//! common password, not the account's email. No composition rules, no expiry.
//!
//! The browser runs it while the user types and the server runs it again on
//! every password it stores, so a rule is never written twice.
//!
//! `data/common-passwords.txt` holds the entries of 12 or more characters
//! (shorter ones are refused by length anyway) of the `passwords` frequency
//! list shipped in the PyPI package `zxcvbn` 4.5.0 (the most common 30,000
//! passwords of the Xato corpus), lower-cased and sorted, plus a few
//! well-known long ones (`password1234`, `correcthorsebatterystaple`, …).
//! It is compiled into the wasm app, so it stays a few KB.

use std::fmt;

use serde::{Deserialize, Serialize};

pub const MIN_CHARS: usize = 12;
/// Long enough for any passphrase; bounds the work a request can ask of Argon2.
pub const MAX_CHARS: usize = 128;

const COMMON: &str = include_str!("../data/common-passwords.txt");

/// Why a password is refused. `code()` is stable; the parameters are for messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code")]
pub enum PasswordError {
    #[serde(rename = "password_too_short")]
    TooShort { min: usize, actual: usize },
    #[serde(rename = "password_too_long")]
    TooLong { max: usize, actual: usize },
    #[serde(rename = "password_common")]
    Common,
    #[serde(rename = "password_same_as_email")]
    SameAsEmail,
}

impl PasswordError {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort { .. } => "password_too_short",
            PasswordError::TooLong { .. } => "password_too_long",
            PasswordError::Common => "password_common",
            PasswordError::SameAsEmail => "password_same_as_email",
        }
    }
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasswordError::TooShort { min, .. } => {
                write!(f, "Use at least {min} characters. A few unrelated words make a long password that is easy to remember.")
            }
            PasswordError::TooLong { max, .. } => write!(f, "Use at most {max} characters."),
            PasswordError::Common => f.write_str("This password is on a list of commonly used passwords. Choose another one."),
            PasswordError::SameAsEmail => f.write_str("Do not use your email address as your password."),
        }
    }
}

impl std::error::Error for PasswordError {}

/// Whether `password` is on the shipped list (case-insensitive).
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON.lines().any(|p| p == lower)
}

/// Checks a new password for the account with `email`.
pub fn check(password: &str, email: &str) -> Result<(), PasswordError> {
    let actual = password.chars().count();
    if actual < MIN_CHARS {
        return Err(PasswordError::TooShort { min: MIN_CHARS, actual });
    }
    if actual > MAX_CHARS {
        return Err(PasswordError::TooLong { max: MAX_CHARS, actual });
    }
    let email = email.trim();
    let local = email.split('@').next().unwrap_or("");
    let trimmed = password.trim();
    if !email.is_empty() && (trimmed.eq_ignore_ascii_case(email) || trimmed.eq_ignore_ascii_case(local)) {
        return Err(PasswordError::SameAsEmail);
    }
    if is_common(password) || is_common(trimmed) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lowercase_and_long_entries_only() {
        let list: Vec<&str> = COMMON.lines().collect();
        assert!(list.len() > 200, "{}", list.len());
        assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert!(list.iter().all(|p| p.chars().count() >= MIN_CHARS && *p == p.to_lowercase()));
        assert!(COMMON.len() < 8 * 1024, "stays small: it is compiled into the wasm app");
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert_eq!(check("short", "a@b.example"), Err(PasswordError::TooShort { min: 12, actual: 5 }));
        // 11 characters, 22 bytes: still too short.
        assert_eq!(check("ąąąąąąąąąąą", "a@b.example").unwrap_err().code(), "password_too_short");
        assert!(check("ąąąąąąą żółw", "a@b.example").is_ok());
        let long = "x".repeat(129);
        assert_eq!(check(&long, "a@b.example"), Err(PasswordError::TooLong { max: 128, actual: 129 }));
        assert!(check(&"x y".repeat(42), "a@b.example").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for p in ["qwerty123456", "QWERTY123456", "Password1234", "1qaz2wsx3edc", "correct horse battery staple"] {
            assert_eq!(check(p, "a@b.example"), Err(PasswordError::Common), "{p}");
        }
        assert!(check("lantern orbit pickle", "a@b.example").is_ok());
    }

    #[test]
    fn the_email_or_its_local_part_is_refused() {
        assert_eq!(check("Anna.Kowalska@contoso.example", "anna.kowalska@contoso.example"), Err(PasswordError::SameAsEmail));
        assert_eq!(check("anna.kowalska", "anna.kowalska@contoso.example"), Err(PasswordError::SameAsEmail));
        assert!(check("anna.kowalska rides bikes", "anna.kowalska@contoso.example").is_ok());
    }

    #[test]
    fn errors_have_stable_codes_and_serialise_with_their_parameters() {
        let e = PasswordError::TooShort { min: 12, actual: 3 };
        assert_eq!(e.code(), "password_too_short");
        assert_eq!(serde_json::to_value(&e).unwrap(), serde_json::json!({"code": "password_too_short", "min": 12, "actual": 3}));
        assert!(e.to_string().contains("12"));
    }
}
