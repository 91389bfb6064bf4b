//! The `benefits` command: `serve`, `seed-demo`, `evaluate`.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::auth::PasswordParams;
use crate::state::{ApiContext, Config};

#[derive(Parser, Debug)]
#[command(name = "benefits", version, about = "The Marketplace Rewards Benefits workspace")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "BENEFITS_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite database file (created, with its folder, when missing).
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
        /// The built web app (the folder with index.html).
        #[arg(long, env = "BENEFITS_DIST", default_value = "dist")]
        dist: PathBuf,
    },
    /// Fill a fresh database with demo partners, users and 18 months of data.
    SeedDemo {
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
        /// Erase every partner, user and record first.
        #[arg(long)]
        reset: bool,
        /// The seeding date (YYYY-MM-DD); the data ends on it. Default: today (UTC).
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Evaluate EVALUATE.md input from FILE (or standard input) and print the output.
    Evaluate {
        /// Input JSON file; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    benefits_domain::parse::date::parse(s)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Evaluate { file } => evaluate(file.as_deref()),
        Command::Serve { addr, db, dist } => run_async(serve(addr, db, dist)),
        Command::SeedDemo { db, reset, today } => run_async(seed(db, reset, today)),
    }
}

fn run_async(f: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt.block_on(f),
        Err(e) => {
            eprintln!("benefits: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `benefits evaluate`: exit 0 with the output, or 2 with one line naming the problem.
pub fn evaluate(file: Option<&Path>) -> ExitCode {
    let text = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => {
            let mut t = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut t) {
                eprintln!("cannot read standard input: {e}");
                return ExitCode::from(2);
            }
            t
        }
    };
    match benefits_domain::evaluate_json(&text) {
        Ok(out) => {
            let mut json = match serde_json::to_string_pretty(&out) {
                Ok(j) => j,
                Err(e) => {
                    eprintln!("cannot print the output: {e}");
                    return ExitCode::FAILURE;
                }
            };
            json.push('\n');
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(json.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // One line, whatever the message holds.
            eprintln!("{}", e.to_string().replace(['\n', '\r'], " "));
            ExitCode::from(2)
        }
    }
}

async fn serve(addr: SocketAddr, db_path: PathBuf, dist: PathBuf) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let db = match crate::db::open(&db_path).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("benefits: {e}");
            return ExitCode::FAILURE;
        }
    };
    let has_app = dist.join("index.html").is_file();
    let ctx = ApiContext::new(db, Config { dist: Some(dist.clone()), ..Config::default() });
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("benefits: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    println!("Benefits workspace: open http://{local}/");
    println!("Database: {}", db_path.display());
    if !has_app {
        println!(
            "The web app is not built ({} has no index.html): serving the API only. Build it with `trunk build --release`.",
            dist.display()
        );
    }
    let app = crate::app(ctx).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benefits: server error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn seed(db_path: PathBuf, reset: bool, today: Option<NaiveDate>) -> ExitCode {
    let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let db = match crate::db::open(&db_path).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("benefits: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = crate::seed::context(db, PasswordParams::OWASP);
    match crate::seed::seed_demo(&ctx, today, reset).await {
        Ok(()) => {
            println!("Seeded {} with demo data as of {today}.\n", db_path.display());
            print!("{}", crate::seed::accounts_table());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benefits seed-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
