//! Passwords (Argon2id), server-side sessions, the caller extractor and the
//! login rate limiter.

use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use base64::Engine as _;
use benefits_domain::activation::Role;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::clock::now_unix;
use crate::error::{ApiResult, AppError};
use crate::security_log;
use crate::state::ApiContext;

pub const SESSION_COOKIE: &str = "__Host-benefits_session";
pub const IDLE_SECS: i64 = 30 * 60;
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// `seen_unix` is written at most this often, so reads stay reads.
const TOUCH_EVERY_SECS: i64 = 60;

/// Argon2id cost. Production uses OWASP's recommendation; tests may go lower.
#[derive(Clone, Copy, Debug)]
pub struct PasswordParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl PasswordParams {
    pub const OWASP: PasswordParams = PasswordParams { m_kib: 19_456, t: 2, p: 1 };

    fn argon2(self) -> Argon2<'static> {
        let params = Params::new(self.m_kib, self.t, self.p, None).expect("valid argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

pub fn hash_password(password: &str, params: PasswordParams) -> ApiResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    params
        .argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2: {e}")))
}

/// Runs Argon2 work off the async threads, at most as many at once as the
/// machine has cores. When none frees up within `argon2_wait` the caller gets
/// 503 with Retry-After instead of queueing memory-hungry work without bound.
pub async fn argon2_work<T: Send + 'static>(ctx: &ApiContext, f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    let permit = match tokio::time::timeout(ctx.config.argon2_wait, ctx.argon2.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(AppError::Busy { retry_after_secs: 1 }),
    };
    tokio::task::spawn_blocking(move || {
        let _held = permit;
        f()
    })
    .await
    .map_err(AppError::internal)
}

/// Verifies with the parameters stored in the hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// 256 random bits, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A short random id for rows (96 bits).
pub fn random_id(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub fn hash_session_id(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={ABSOLUTE_SECS}")
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signed-in user.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub partner_id: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub version: i64,
}

impl UserRow {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Member)
    }
}

/// The caller of an authenticated route.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: UserRow,
    pub session_hash: String,
    pub csrf_token: String,
    /// The client's address, for security events.
    pub ip: String,
    /// The user has a second factor (TOTP).
    pub has_mfa: bool,
    /// The server requires a second factor of this user before the operator routes.
    pub mfa_missing: bool,
}

/// The cookie value, if the request carries one.
pub fn session_id_from(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    csrf_token: String,
    created_unix: i64,
    seen_unix: i64,
    id: String,
    partner_id: Option<String>,
    email: String,
    name: String,
    role: String,
    version: i64,
    #[sqlx(try_from = "crate::sql::Flag")]
    has_mfa: bool,
}

/// Looks up a live session; ends it when it has expired.
pub async fn load_session(ctx: &ApiContext, id: &str) -> ApiResult<Option<Auth>> {
    let hash = hash_session_id(id);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.csrf_token, s.created_unix, s.seen_unix, u.id, u.partner_id, u.email, u.name, u.role, u.version, \
         CASE WHEN u.totp_secret IS NOT NULL THEN 1 ELSE 0 END AS has_mfa FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&ctx.db.read)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_unix();
    if now - row.seen_unix > IDLE_SECS || now - row.created_unix > ABSOLUTE_SECS {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&hash).execute(&ctx.db.write).await?;
        return Ok(None);
    }
    if now - row.seen_unix >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET seen_unix = $1 WHERE id_hash = $2").bind(now).bind(&hash).execute(&ctx.db.write).await?;
    }
    let user = UserRow { id: row.id, partner_id: row.partner_id, email: row.email, name: row.name, role: row.role, version: row.version };
    let mfa_missing = ctx.config.require_mfa_for_operators && user.role() == Role::Operator && !row.has_mfa;
    Ok(Some(Auth { user, session_hash: hash, csrf_token: row.csrf_token, ip: String::new(), has_mfa: row.has_mfa, mfa_missing }))
}

pub fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<ApiContext> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self, Self::Rejection> {
        let id = session_id_from(parts).ok_or_else(AppError::unauthenticated)?;
        let mut auth = load_session(ctx, &id).await?.ok_or_else(AppError::unauthenticated)?;
        auth.ip = crate::client_ip::client_ip(parts, &ctx.config.trusted_proxies);
        if is_state_changing(&parts.method) {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), auth.csrf_token.as_bytes()) {
                security_log::refusal("csrf_refused", Some(&auth.user.id), &auth.ip, "csrf_token");
                return Err(AppError::csrf("The request lacks a valid X-CSRF-Token header. Reload the page and try again."));
            }
        }
        Ok(auth)
    }
}

impl Auth {
    pub fn role(&self) -> Role {
        self.user.role()
    }

    fn refused(&self, reason: &'static str, e: AppError) -> AppError {
        security_log::refusal("authorisation_refused", Some(&self.user.id), &self.ip, reason);
        e
    }

    /// The caller belongs to partner `pid` (any role). Others learn nothing.
    pub fn partner_user(&self, pid: &str) -> ApiResult<()> {
        if self.role() == Role::Operator {
            return Err(self.refused(
                "operator_on_partner_route",
                AppError::forbidden("Program operators work on partners through the /api/operator routes."),
            ));
        }
        if self.user.partner_id.as_deref() != Some(pid) {
            return Err(self.refused("other_partner", AppError::not_found()));
        }
        Ok(())
    }

    /// The caller is an admin of partner `pid`.
    pub fn partner_admin(&self, pid: &str) -> ApiResult<()> {
        self.partner_user(pid)?;
        if self.role() != Role::Admin {
            return Err(self.refused("not_admin", AppError::forbidden("Only an admin of your partner account can do this.")));
        }
        Ok(())
    }

    pub fn operator(&self) -> ApiResult<()> {
        if self.role() != Role::Operator {
            return Err(self.refused("not_operator", AppError::forbidden("Only program operators can do this.")));
        }
        if self.mfa_missing {
            return Err(self.refused(
                "mfa_setup_required",
                AppError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    benefits_api::ErrorCode::MfaSetupRequired,
                    "Turn on two-step sign-in (an authenticator app) in Your account first: this server requires it for operators.",
                ),
            ));
        }
        Ok(())
    }
}

/// Failed logins per key within a sliding window, kept in the database so
/// that every app server counts the same attempts. Keys: `ip:<addr>` (per-IP
/// limit), `acct:<email>|<addr>` (this client on this account) and
/// `acct:<email>` (the account from anywhere: only slows sign-in down, never
/// refuses it, so an attacker cannot lock the owner out). Keys are stored as
/// their SHA-256: they hold emails and addresses.
pub struct LoginLimiter {
    pool: AnyPool,
    sqlite: bool,
    pub window: Duration,
}

/// Provisional failures recorded by [`LoginLimiter::reserve`].
#[derive(Debug)]
pub struct Reservation {
    attempt: String,
    /// Failures the account already had from anywhere, before this attempt.
    pub account_failures: usize,
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

impl LoginLimiter {
    pub fn new(db: &crate::db::Db) -> LoginLimiter {
        LoginLimiter { pool: db.write.clone(), sqlite: db.sqlite, window: LOGIN_WINDOW }
    }

    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }

    /// In one transaction that holds every key's lock: refuses (`Ok(Err(seconds
    /// to wait))`) when a limited key is full, otherwise counts this attempt as
    /// a failure on every key. Parallel attempts, on this server or another,
    /// therefore cannot all pass the check. `limited` are `(key, max)`;
    /// `counted` only counts.
    pub async fn reserve(&self, limited: &[(&str, usize)], counted: Option<&str>) -> ApiResult<Result<Reservation, u64>> {
        let now = now_ms();
        let cutoff = now.saturating_sub(self.window_ms());
        let mut keys: Vec<(String, Option<usize>)> = limited.iter().map(|(k, max)| (crate::tokens::hash(k), Some(*max))).collect();
        keys.extend(counted.map(|c| (crate::tokens::hash(c), None)));
        let mut tx = if self.sqlite {
            // The single writer, taken up front: the check and the count are one step.
            crate::db::begin_immediate(&self.pool).await?
        } else {
            // READ COMMITTED by name (the write pool's default may be stricter):
            // once a key's row lock is ours, each later statement sees what the
            // previous holder committed. Row locks are taken in one order (no deadlock).
            let conn = self.pool.acquire().await?;
            let mut tx = sqlx::Transaction::begin(conn, Some("BEGIN ISOLATION LEVEL READ COMMITTED".into())).await?;
            let mut sorted: Vec<&str> = keys.iter().map(|(h, _)| h.as_str()).collect();
            sorted.sort_unstable();
            for h in &sorted {
                sqlx::query("INSERT INTO login_keys (key_hash) VALUES ($1) ON CONFLICT DO NOTHING").bind(*h).execute(&mut *tx).await?;
            }
            for h in &sorted {
                sqlx::query("SELECT key_hash FROM login_keys WHERE key_hash = $1 FOR UPDATE").bind(*h).fetch_optional(&mut *tx).await?;
            }
            tx
        };
        let mut account_failures = 0;
        for (h, max) in &keys {
            sqlx::query("DELETE FROM login_failures WHERE key_hash = $1 AND at_ms <= $2").bind(h).bind(cutoff).execute(&mut *tx).await?;
            match max {
                Some(max) => {
                    // The `max` most recent: when there are that many, the
                    // oldest of them leaving the window frees a place.
                    let recent: Vec<i64> = sqlx::query_scalar("SELECT at_ms FROM login_failures WHERE key_hash = $1 ORDER BY at_ms DESC LIMIT $2")
                        .bind(h)
                        .bind(i64::try_from(*max).unwrap_or(i64::MAX))
                        .fetch_all(&mut *tx)
                        .await?;
                    if recent.len() >= *max {
                        tx.rollback().await?;
                        let oldest = recent.last().copied().unwrap_or(now);
                        let wait_ms = self.window_ms().saturating_sub(now.saturating_sub(oldest));
                        return Ok(Err(u64::try_from(wait_ms / 1000).unwrap_or(0).max(1)));
                    }
                }
                None => {
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key_hash = $1").bind(h).fetch_one(&mut *tx).await?;
                    account_failures = usize::try_from(n).unwrap_or(usize::MAX);
                }
            }
        }
        let attempt = random_token();
        for (h, _) in &keys {
            sqlx::query("INSERT INTO login_failures (key_hash, at_ms, attempt) VALUES ($1, $2, $3)")
                .bind(h)
                .bind(now)
                .bind(&attempt)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Ok(Reservation { attempt, account_failures }))
    }

    /// The attempt succeeded: its provisional failures are withdrawn, and the
    /// client's own failures on this account are forgotten.
    /// On `conn`, so that it commits with the sign-in it belongs to (and, on
    /// SQLite, uses the writer the caller already holds).
    pub async fn succeeded(&self, conn: &mut sqlx::AnyConnection, r: &Reservation, forget: &str) -> ApiResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE attempt = $1").bind(&r.attempt).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM login_failures WHERE key_hash = $1").bind(crate::tokens::hash(forget)).execute(&mut *conn).await?;
        Ok(())
    }

    /// The attempt was not made (the server was busy, or the password was
    /// right and a second factor is awaited): it counts for nothing.
    pub async fn withdraw(&self, r: Reservation) -> ApiResult<()> {
        self.withdraw_ref(&r).await
    }

    /// [`Self::withdraw`] of a reservation still in use (withdrawing twice is harmless).
    pub async fn withdraw_ref(&self, r: &Reservation) -> ApiResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE attempt = $1").bind(&r.attempt).execute(&self.pool).await?;
        Ok(())
    }

    /// Forgets failures older than the window, and keys without failures
    /// (the hourly jobs call it; `reserve` forgets a key's old ones itself).
    pub async fn purge(pool: &AnyPool, window: Duration) -> ApiResult<u64> {
        let cutoff = now_ms().saturating_sub(i64::try_from(window.as_millis()).unwrap_or(i64::MAX));
        let gone = sqlx::query("DELETE FROM login_failures WHERE at_ms <= $1").bind(cutoff).execute(pool).await?.rows_affected();
        sqlx::query("DELETE FROM login_keys WHERE NOT EXISTS (SELECT 1 FROM login_failures f WHERE f.key_hash = login_keys.key_hash)")
            .execute(pool)
            .await?;
        Ok(gone)
    }
}

/// The sliding window of [`LoginLimiter`].
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The pause before checking a password for an account with `failures`
/// recent failures beyond `free`: 0.25 s, doubling, at most 4 s.
pub fn throttle_delay(failures: usize, free: usize) -> Duration {
    match failures.checked_sub(free) {
        None | Some(0) => Duration::ZERO,
        Some(n) => Duration::from_millis(250u64.saturating_mul(1 << (n - 1).min(4))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_hashes_use_argon2id_with_owasp_parameters() {
        let h = hash_password("correct horse battery", PasswordParams::OWASP).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn throttling_grows_and_is_bounded() {
        assert_eq!(throttle_delay(3, 5), Duration::ZERO);
        assert_eq!(throttle_delay(5, 5), Duration::ZERO);
        assert_eq!(throttle_delay(6, 5), Duration::from_millis(250));
        assert_eq!(throttle_delay(8, 5), Duration::from_millis(1000));
        assert_eq!(throttle_delay(500, 5), Duration::from_millis(4000));
    }

    #[test]
    fn session_tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits, URL-safe base64");
        assert_eq!(hash_session_id(&a).len(), 64);
        assert_ne!(hash_session_id(&a), a);
    }
}
