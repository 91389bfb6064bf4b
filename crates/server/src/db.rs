//! Opening the store: a SQLite file (the default) or a PostgreSQL database
//! (`--db postgres://…`), both through `sqlx::Any` so that every statement is
//! written once (docs/SCALE.md says why and what that costs).
//!
//! SQLite: WAL, `synchronous = FULL` (an acknowledged write survives a crash),
//! foreign keys on. Writes go through a single connection so transactions
//! never fight over SQLite's one writer lock; reads use a pool.
//! PostgreSQL: durability and foreign keys are the server's, always on; the
//! write pool's transactions are SERIALIZABLE, the read pool's REPEATABLE READ
//! (docs/SCALE.md, "Concurrency on PostgreSQL").

use std::path::Path;
use std::time::Duration;

use benefits_domain::{catalog::DEFAULT_CATALOG_JSON, Catalog};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::error::{ApiResult, AppError};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
/// The PostgreSQL twin of every SQLite migration, same numbers.
pub static MIGRATOR_PG: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-pg");

#[derive(Clone)]
pub struct Db {
    /// SQLite: exactly one connection, the app's writer. PostgreSQL: the pool.
    pub write: AnyPool,
    pub read: AnyPool,
    /// The store is SQLite (else PostgreSQL), for the few statements spelled per store.
    pub sqlite: bool,
}

/// What `--db` names.
#[derive(Debug)]
enum Location<'a> {
    Sqlite(&'a Path),
    Postgres(&'a str),
}

/// A SQLite file path, or a `postgres://` / `postgresql://` address. Any other
/// address is refused, naming the option, rather than taken as a path (which
/// would quietly create a SQLite file in a folder named `mysql:`). No message
/// repeats the address, which may carry a password.
fn location(path: &Path) -> Result<Location<'_>, StartError> {
    let Some(text) = path.to_str() else { return Ok(Location::Sqlite(path)) };
    match text.split_once("://") {
        None => Ok(Location::Sqlite(path)),
        Some((scheme, _)) if matches!(scheme.to_ascii_lowercase().as_str(), "postgres" | "postgresql") => Ok(Location::Postgres(text)),
        Some(_) => Err(StartError(
            "--db (BENEFITS_DB) must be the path of a SQLite file, such as data/benefits.sqlite3, or a postgres:// address: this address is neither"
                .into(),
        )),
    }
}

/// What `--db` names, fit to print: a PostgreSQL address without its password.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let Some((scheme, rest)) = text.split_once("://") else { return text.into_owned() };
    // The user information ends at the last '@' before the host's path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{}", &rest[at + 1..])
        }
        None => text.into_owned(),
    }
}

/// Whether a connection speaks to SQLite (the code paths that differ ask this).
pub fn is_sqlite(conn: &AnyConnection) -> bool {
    conn.backend_name() == "SQLite"
}

/// Opens and migrates the store named by `--db`, then makes sure a catalog is
/// published.
pub async fn open(path: &Path) -> Result<Db, StartError> {
    sqlx::any::install_default_drivers();
    let db = match location(path)? {
        Location::Sqlite(path) => open_sqlite(path).await?,
        Location::Postgres(url) => open_postgres(url).await?,
    };
    // Two servers starting on one empty PostgreSQL database race here.
    retry(|| async { Ok(ensure_catalog(&db.write).await?) }).await.map_err(|e| StartError(format!("cannot publish the default catalog: {e}")))?;
    Ok(db)
}

/// `sqlite://` URL of a file: the path percent-encoded (it may hold `?`, `#`,
/// `%` or spaces), plus the connection's open mode.
fn sqlite_url(path: &Path, mode: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'?').add(b'#').add(b'%');
    format!("sqlite://{}?mode={mode}", percent_encoding::utf8_percent_encode(&path.to_string_lossy(), SET))
}

/// SQLite's settings, set on every new connection: `AnyConnectOptions` is a
/// URL, which carries none of them. The writer's page cache holds the indexes
/// a large feed file probes (64 MiB at most).
fn sqlite_pool(max: u32, foreign_keys: bool, cache: bool) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(30)).after_connect(move |conn, _| {
        Box::pin(async move {
            conn.execute("PRAGMA busy_timeout = 10000").await?;
            conn.execute("PRAGMA journal_mode = WAL").await?;
            conn.execute("PRAGMA synchronous = FULL").await?;
            conn.execute(if foreign_keys { "PRAGMA foreign_keys = ON" } else { "PRAGMA foreign_keys = OFF" }).await?;
            if cache {
                conn.execute("PRAGMA cache_size = -65536").await?;
            }
            Ok(())
        })
    })
}

async fn open_sqlite(path: &Path) -> Result<Db, StartError> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StartError(format!("cannot create the folder {}: {e}", parent.display())))?;
        }
    }
    migrate_sqlite(path).await?;
    let fail = |e: sqlx::Error| StartError(format!("cannot open the database {}: {e}", path.display()));
    let write = sqlite_pool(1, true, true).min_connections(1).connect(&sqlite_url(path, "rwc")).await.map_err(fail)?;
    let read = sqlite_pool(4, true, false).connect(&sqlite_url(path, "ro")).await.map_err(fail)?;
    Ok(Db { write, read, sqlite: true })
}

/// Runs the migrations on a connection of its own without foreign key
/// enforcement (a migration that rebuilds a referenced table needs that, as
/// SQLite's ALTER TABLE procedure says), then checks every foreign key.
async fn migrate_sqlite(path: &Path) -> Result<(), StartError> {
    let fail = |e: &dyn std::fmt::Display| StartError(format!("cannot migrate the database {}: {e}", path.display()));
    let pool = sqlite_pool(1, false, false).connect(&sqlite_url(path, "rwc")).await.map_err(|e| fail(&e))?;
    MIGRATOR.run(&pool).await.map_err(|e| fail(&e))?;
    // SQLite-only check; PostgreSQL enforces foreign keys during its migrations and needs none.
    let broken: Vec<(String, i64)> = sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check").fetch_all(&pool).await.map_err(|e| fail(&e))?;
    if let Some((table, rowid)) = broken.first() {
        return Err(fail(&format!("{} rows break a foreign key (first: {table} row {rowid})", broken.len())));
    }
    pool.close().await;
    Ok(())
}

/// Two pools, as on SQLite, though PostgreSQL has no single-writer lock:
///
/// - `write`: every transaction (and every statement outside one) is
///   SERIALIZABLE. SQLite runs one write at a time, so each read-check-write
///   (If-Match, idempotency keys, the last admin, a job's claim) sees
///   exactly what it changes; SERIALIZABLE gives PostgreSQL the same result,
///   failing one of two transactions that would not run serially with 40001,
///   which the caller runs again (`http::retry`, [`retry`]). A session
///   default rather than `BEGIN ISOLATION LEVEL …` at each call site, so no
///   write path can forget it.
/// - `read`: REPEATABLE READ, READ ONLY: a read transaction sees one
///   snapshot, as a SQLite read transaction in WAL mode does, and never
///   fails to serialize; a write through it fails, as on SQLite's `mode=ro`.
///
/// A statement that waits longer than the timeout fails (and the request
/// answers 503) instead of holding a connection forever.
async fn open_postgres(url: &str) -> Result<Db, StartError> {
    // The error never repeats the address: it may carry a password.
    let fail = |what: &str, e: &dyn std::fmt::Display| StartError(format!("cannot {what} the PostgreSQL database named by --db (BENEFITS_DB): {e}"));
    // One attempt first: the pool would retry a refused connection until its
    // acquire timeout, keeping a mistyped address waiting half a minute.
    AnyConnection::connect(url).await.map_err(|e| fail("open", &e))?.close().await.map_err(|e| fail("open", &e))?;
    let write = postgres_pool(16, "SERIALIZABLE").connect(url).await.map_err(|e| fail("open", &e))?;
    MIGRATOR_PG.run(&write).await.map_err(|e| fail("migrate", &e))?;
    let read = postgres_pool(16, "REPEATABLE READ, READ ONLY").connect(url).await.map_err(|e| fail("open", &e))?;
    Ok(Db { write, read, sqlite: false })
}

/// A PostgreSQL pool whose transactions default to `characteristics`.
fn postgres_pool(max: u32, characteristics: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(30)).after_connect(move |conn, _| {
        Box::pin(async move {
            conn.execute("SET statement_timeout = '30s'").await?;
            conn.execute(format!("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {characteristics}").as_str()).await?;
            Ok(())
        })
    })
}

/// Publishes the shipped default catalog into an empty catalog table.
async fn ensure_catalog(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalogs").fetch_one(pool).await?;
    if n == 0 {
        let version = Catalog::default_catalog().version;
        sqlx::query("INSERT INTO catalogs (version, json, published_at, published_by) VALUES ($1, $2, $3, NULL)")
            .bind(version)
            .bind(DEFAULT_CATALOG_JSON)
            .bind(crate::clock::now_rfc3339())
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// A transaction that takes the write lock up front, for a read that decides a
/// write another server's job run may be making at the same moment.
/// SQLite: `BEGIN IMMEDIATE` (a deferred transaction that reads, then finds
/// another process's write, fails instead of waiting). PostgreSQL:
/// SERIALIZABLE, as every transaction of the write pool; the caller runs it
/// through [`retry`].
pub async fn begin_immediate(pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    let conn = pool.acquire().await?;
    let statement = if is_sqlite(&conn) { "BEGIN IMMEDIATE" } else { "BEGIN ISOLATION LEVEL SERIALIZABLE" };
    sqlx::Transaction::begin(conn, Some(statement.into())).await
}

/// A write transaction of one partner's data that waits its turn instead of
/// failing. Every write to a partner's data bumps `partners.data_version`, so
/// under SERIALIZABLE two writes to one partner always conflict and one is run
/// again (a busy partner's writes then end in 503s). Here PostgreSQL's
/// transaction is READ COMMITTED and first locks the partner's row: the next
/// writer of that partner waits for the lock, and each statement after it sees
/// what the previous writer committed, so the checks (If-Match, idempotency
/// key, the evaluation) are made on current data. A SERIALIZABLE writer of the
/// same partner (a feed file) also updates that row, so it either waits for
/// the lock or fails to serialize and runs again. SQLite: the one writer, as
/// every write transaction. A partner that does not exist locks nothing; the
/// caller's own lookup answers 404.
pub async fn begin_partner_write(pool: &AnyPool, pid: &str) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    let conn = pool.acquire().await?;
    if is_sqlite(&conn) {
        return sqlx::Transaction::begin(conn, None).await;
    }
    let mut tx = sqlx::Transaction::begin(conn, Some("BEGIN ISOLATION LEVEL READ COMMITTED".into())).await?;
    sqlx::query("SELECT id FROM partners WHERE id = $1 FOR UPDATE").bind(pid).fetch_optional(&mut *tx).await?;
    Ok(tx)
}

/// How many times a transaction PostgreSQL failed to serialize is run in all
/// before the caller gives up (503 with Retry-After, or the job's error).
pub const ATTEMPTS: u32 = 8;

/// The wait before attempt `attempt + 1`: about 4, 8, 16, 32, 64, 128, 256 ms
/// (1 s in all at most), each between half and all of that at random, so
/// that the transactions that collided do not collide again in step.
pub fn backoff(attempt: u32) -> Duration {
    let ceiling = 2u64 << attempt.clamp(1, 7);
    Duration::from_millis(rand::Rng::gen_range(&mut rand::thread_rng(), ceiling / 2..=ceiling))
}

/// Runs `op`, one whole transaction, again when it failed as
/// [`AppError::Retry`] (PostgreSQL's 40001 / 40P01), at most [`ATTEMPTS`]
/// times in all. For work outside a request (jobs, the digest); a request is
/// run again whole by `http::retry`.
pub async fn retry<T, F, Fut>(mut op: F) -> ApiResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ApiResult<T>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(AppError::Retry) if attempt < ATTEMPTS => {
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            done => return done,
        }
    }
}

/// A start-up failure, printed to the person running the server as is.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

#[cfg(test)]
mod tests {
    /// A PostgreSQL address is printed without its password; a path as is.
    #[test]
    fn display_drops_the_password() {
        use std::path::Path;
        assert_eq!(super::display(Path::new("postgres://benefits:s3cret@db:5432/b?sslmode=require")), "postgres://benefits@db:5432/b?sslmode=require");
        assert_eq!(super::display(Path::new("postgres://db/b")), "postgres://db/b");
        assert_eq!(super::display(Path::new("data/benefits.sqlite3")), "data/benefits.sqlite3");
    }

    /// Every statement is written with PostgreSQL's numbered placeholders; the
    /// SQLite driver must bind `$N` by its number (not by position) and let one
    /// number appear twice.
    #[tokio::test]
    async fn numbered_placeholders_bind_by_number() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let got: String = sqlx::query_scalar("SELECT $2 || '-' || $1 || '-' || $2").bind("a").bind("b").fetch_one(&pool).await.unwrap();
        assert_eq!(got, "b-a-b");
    }
}
