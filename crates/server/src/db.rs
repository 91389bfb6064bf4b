//! Opening the SQLite store: WAL, `synchronous = FULL` (an acknowledged write
//! survives a crash), foreign keys on. Writes go through a single connection so
//! transactions never fight over SQLite's one writer lock; reads use a pool.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use benefits_domain::{catalog::DEFAULT_CATALOG_JSON, Catalog};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    /// Exactly one connection: the app's writer.
    pub write: SqlitePool,
    pub read: SqlitePool,
}

/// SQLite-only connection settings (its PRAGMAs); PostgreSQL will need its own
/// pool options: durability and foreign keys are the server's there, always on.
fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::from_str("sqlite://")
        .expect("static sqlite url")
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

/// What `--db` names must be a SQLite file: an address such as
/// `postgres://…` is refused, naming the option, rather than taken as a path
/// (which would quietly create a SQLite file in a folder named `postgres:`).
/// The message never repeats the address, which may carry a password.
pub fn check_path(path: &Path) -> Result<(), StartError> {
    let text = path.to_string_lossy();
    if let Some((scheme, _)) = text.split_once("://") {
        let what = match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => "PostgreSQL is not supported by this build yet (issue 13)",
            _ => "an address is not a file path",
        };
        return Err(StartError(format!("--db (BENEFITS_DB) must be the path of a SQLite file, such as data/benefits.sqlite3: {what}")));
    }
    Ok(())
}

/// Opens (creating the file and its folder when missing) and migrates the store,
/// then makes sure a catalog is published.
pub async fn open(path: &Path) -> Result<Db, StartError> {
    check_path(path)?;
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StartError(format!("cannot create the folder {}: {e}", parent.display())))?;
        }
    }
    migrate(path).await?;
    // The writer's page cache holds the indexes a large feed file probes (64 MiB at most).
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options(path).pragma("cache_size", "-65536"))
        .await
        .map_err(|e| StartError(format!("cannot open the database {}: {e}", path.display())))?;
    ensure_catalog(&write).await.map_err(|e| StartError(format!("cannot publish the default catalog: {e}")))?;
    let read = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options(path).read_only(true))
        .await
        .map_err(|e| StartError(format!("cannot open the database {}: {e}", path.display())))?;
    Ok(Db { write, read })
}

/// Runs the migrations on a connection of its own without foreign key
/// enforcement (a migration that rebuilds a referenced table needs that, as
/// SQLite's ALTER TABLE procedure says), then checks every foreign key.
async fn migrate(path: &Path) -> Result<(), StartError> {
    let fail = |e: &dyn std::fmt::Display| StartError(format!("cannot migrate the database {}: {e}", path.display()));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options(path).foreign_keys(false))
        .await
        .map_err(|e| fail(&e))?;
    MIGRATOR.run(&pool).await.map_err(|e| fail(&e))?;
    // SQLite-only check; PostgreSQL enforces foreign keys during its migrations and needs none.
    let broken: Vec<(String, i64)> = sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check").fetch_all(&pool).await.map_err(|e| fail(&e))?;
    if let Some((table, rowid)) = broken.first() {
        return Err(fail(&format!("{} rows break a foreign key (first: {table} row {rowid})", broken.len())));
    }
    pool.close().await;
    Ok(())
}

/// Publishes the shipped default catalog into an empty catalog table.
async fn ensure_catalog(pool: &SqlitePool) -> Result<(), sqlx::Error> {
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
/// SQLite-only `BEGIN IMMEDIATE`; PostgreSQL will need the SERIALIZABLE
/// isolation level (retrying serialization failures) or a row lock instead.
pub async fn begin_immediate(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
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
