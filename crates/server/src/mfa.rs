//! The second factor: TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, one
//! step of clock skew either way) with single-use recovery codes.

use rand::RngCore;
use totp_rs::{Builder, Secret, Totp};

const ISSUER: &str = "Benefits workspace";
const RECOVERY_CODES: usize = 10;

/// A new 160-bit secret, base32 (what authenticator apps take).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new().with_secret(secret).with_account_name(account).with_issuer(Some(ISSUER)).build().ok()
}

/// The `otpauth://` address an authenticator app reads (usually as a QR code).
pub fn otpauth_url(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account)?.to_url().ok()
}

/// The time step `code` is valid for at `unix`, if any. The caller refuses a
/// step it has already accepted, so a code works once.
pub fn verify(secret_base32: &str, code: &str, unix: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    totp(secret_base32, "")?.check(&code, u64::try_from(unix).ok()?).map(|s| s as i64)
}

/// Ten recovery codes such as `k7m2q-9xw4r`; each works once instead of a TOTP code.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: String = bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// How a recovery code is stored: lower-case, without spaces or hyphens, hashed.
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    crate::auth::hash_session_id(&normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_codes_are_accepted_within_one_step_and_not_beyond() {
        // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", T = 59 s gives 94287082 (8 digits);
        // with 6 digits that is 287082.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(verify(&secret, "287082", 59), Some(1));
        assert_eq!(verify(&secret, "287 082", 59 + 30), Some(1), "one step late is accepted");
        assert_eq!(verify(&secret, "287082", 59 + 90), None, "three steps late is not");
        assert_eq!(verify(&secret, "000000", 59), None);
        assert_eq!(verify("not base32!", "287082", 59), None);
    }

    #[test]
    fn secrets_and_recovery_codes_are_random_and_well_formed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32, "160 bits in base32");
        let url = otpauth_url(&a, "ada@northwind.example").unwrap();
        assert!(url.starts_with("otpauth://totp/") && url.contains(&a), "{url}");
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(recovery_hash("K7M2Q 9XW4R"), recovery_hash("k7m2q-9xw4r"));
    }
}
