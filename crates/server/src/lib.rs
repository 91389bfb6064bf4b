//! The Benefits workspace server: the JSON API over SQLite, the web app's
//! static files, and the `benefits` command's subcommands. Every business rule
//! comes from `benefits_domain`.

pub mod auth;
pub mod cache;
pub mod cli;
pub mod dashboard;
pub mod client_ip;
pub mod clock;
pub mod db;
pub mod error;
pub mod extract;
pub mod feed;
pub mod http;
pub mod jobs;
pub mod ledger;
pub mod mail;
pub mod mfa;
pub mod notify;
pub mod security;
pub mod security_log;
pub mod seed;
pub mod service_tokens;
pub mod sql;
pub mod state;
pub mod store;
pub mod summary;
pub mod tokens;
pub mod workspace;

pub use state::{ApiContext, Config};

/// The application router; `main` serves it, tests drive it with `oneshot`.
pub fn app(ctx: ApiContext) -> axum::Router {
    http::router(ctx)
}
