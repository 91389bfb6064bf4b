//! The state every handler shares.

use std::net::IpAddr;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};

use crate::auth::{LoginLimiter, PasswordParams};
use crate::clock::Clock;
use crate::db::Db;
use crate::mail::MailConfig;
use crate::cache::EvalCache;

pub struct Config {
    /// The built web app; `None` or a missing folder serves a "build the app" message.
    pub dist: Option<PathBuf>,
    pub password: PasswordParams,
    pub clock: Clock,
    /// Failed logins allowed per client and account, and per IP, within the window.
    pub login_limit_account: usize,
    pub login_limit_ip: usize,
    /// The address people open (`--public-url`); links in mail start with it.
    pub public_url: String,
    /// Peers whose `X-Forwarded-For` is believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<IpAddr>,
    /// Argon2 computations at once (each takes ~19 MiB), and how long a
    /// request waits for one before the server answers 503.
    pub argon2_permits: usize,
    pub argon2_wait: Duration,
    pub mail: MailConfig,
    /// Operators must have a second factor to sign in.
    pub require_mfa_for_operators: bool,
    /// Days a browser keeps its offline copy of a user's data (`--offline-max-age-days`).
    pub offline_max_age_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dist: None,
            password: PasswordParams::OWASP,
            clock: Clock::default(),
            login_limit_account: 5,
            login_limit_ip: 20,
            public_url: "http://127.0.0.1:8080".into(),
            trusted_proxies: Vec::new(),
            argon2_permits: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            argon2_wait: Duration::from_secs(2),
            mail: MailConfig::default(),
            require_mfa_for_operators: false,
            offline_max_age_days: benefits_api::session::OFFLINE_MAX_AGE_DAYS,
        }
    }
}

impl Config {
    /// `public_url` + `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }

    pub fn is_https(&self) -> bool {
        self.public_url.to_ascii_lowercase().starts_with("https://")
    }
}

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub limiter: LoginLimiter,
    pub cache: EvalCache,
    /// The Content-Security-Policy, with the hashes of index.html's inline scripts.
    pub csp: String,
    pub argon2: Arc<Semaphore>,
    /// Rung after a commit that queued mail.
    pub mail_wake: Arc<Notify>,
}

#[derive(Clone)]
pub struct ApiContext(pub Arc<Inner>);

impl Deref for ApiContext {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl ApiContext {
    pub fn new(db: Db, config: Config) -> ApiContext {
        ApiContext::with_cache(db, config, EvalCache::default())
    }

    /// A context with an evaluation cache of its own bound.
    pub fn with_cache(db: Db, config: Config, cache: EvalCache) -> ApiContext {
        let csp = crate::security::content_security_policy(config.dist.as_deref());
        let argon2 = Arc::new(Semaphore::new(config.argon2_permits.max(1)));
        let limiter = LoginLimiter::new(&db);
        ApiContext(Arc::new(Inner {
            db,
            config,
            limiter,
            cache,
            csp,
            argon2,
            mail_wake: Arc::new(Notify::new()),
        }))
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.config.clock.today()
    }

    /// The mail worker for this server's store and settings.
    pub fn mail_worker(&self) -> Result<crate::mail::Worker, String> {
        Ok(crate::mail::Worker {
            pool: self.db.write.clone(),
            transport: crate::mail::Transport::new(&self.config.mail)?,
            from: self.config.mail.from.clone(),
            wake: self.mail_wake.clone(),
            poll: Duration::from_secs(1),
        })
    }
}
