//! The state every handler shares.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use crate::auth::{LoginLimiter, PasswordParams};
use crate::clock::Clock;
use crate::db::Db;
use crate::cache::EvalCache;

pub struct Config {
    /// The built web app; `None` or a missing folder serves a "build the app" message.
    pub dist: Option<PathBuf>,
    pub password: PasswordParams,
    pub clock: Clock,
    /// Failed logins allowed per account and per IP within the window.
    pub login_limit_account: usize,
    pub login_limit_ip: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dist: None,
            password: PasswordParams::OWASP,
            clock: Clock::default(),
            login_limit_account: 5,
            login_limit_ip: 20,
        }
    }
}

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub limiter: LoginLimiter,
    pub cache: EvalCache,
    /// The Content-Security-Policy, with the hashes of index.html's inline scripts.
    pub csp: String,
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
        ApiContext(Arc::new(Inner { db, config, limiter: LoginLimiter::default(), cache, csp }))
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.config.clock.today()
    }
}
