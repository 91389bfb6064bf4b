//! The marketplace feed: partners, offers, sales, Business Applications value
//! and Teams MAU arrive as files covering many partners (CSV with a header row
//! or a JSON array). The command line, the service-token API, the operator
//! console and the demo seed all ingest through [`ingest`].
//!
//! A file is read as a stream: a blocking thread parses and checks each row
//! and hands batches to the store, which stages them in a temporary table
//! inside one transaction. The store then checks what needs the data (unknown
//! partner or offer, a key repeated in the file), and either applies the file
//! with set-based SQL (audit entries for changed rows, an upsert) or rolls
//! everything back: all or nothing.

pub mod kind;
pub mod read;
pub mod rows;
mod stage;

use std::io::Read;

use tokio::sync::mpsc;

pub use benefits_api::feed::IngestResult;
pub use kind::Kind;
pub use read::Format;
use rows::{Errors, Val};

use crate::db::Db;
use crate::error::{AppError, RowError};

/// Where a file came from, for the ingestion record and the audit log.
#[derive(Clone, Debug)]
pub struct Source {
    /// `cli`, `api`, `console` or `seed`.
    pub via: &'static str,
    /// The operator who uploaded it (console).
    pub user_id: Option<String>,
    /// The operator's email or the service token's name.
    pub actor: Option<String>,
    pub file_name: Option<String>,
}

/// Why a file was not ingested.
#[derive(Debug)]
pub enum FeedError {
    /// Bad rows (the first 200, by line) and how many problems in all; nothing written.
    Rejected { errors: Vec<RowError>, total: usize },
    Store(AppError),
}

impl From<sqlx::Error> for FeedError {
    fn from(e: sqlx::Error) -> Self {
        FeedError::Store(e.into())
    }
}

impl From<AppError> for FeedError {
    fn from(e: AppError) -> Self {
        FeedError::Store(e)
    }
}

impl From<FeedError> for AppError {
    fn from(e: FeedError) -> AppError {
        match e {
            FeedError::Rejected { errors, .. } => AppError::Import { errors },
            FeedError::Store(e) => e,
        }
    }
}

/// Rows handed from the parsing thread to the store at a time.
const BATCH: usize = 500;

struct ChannelSink {
    tx: mpsc::Sender<Vec<(usize, Vec<Val>)>>,
    batch: Vec<(usize, Vec<Val>)>,
}

impl read::Sink for ChannelSink {
    fn row(&mut self, line: usize, values: Vec<Val>) -> bool {
        self.batch.push((line, values));
        if self.batch.len() >= BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            return self.tx.blocking_send(full).is_ok();
        }
        true
    }
}

/// Ingests one feed file, all or nothing.
pub async fn ingest<R: Read + Send + 'static>(db: &Db, kind: Kind, format: Format, reader: R, source: Source) -> Result<IngestResult, FeedError> {
    let now = crate::clock::now_rfc3339();
    let mut tx = db.write.begin().await?;
    let ingestion_id = stage::begin(&mut tx, kind, &source, &now).await?;

    let (send, mut recv) = mpsc::channel::<Vec<(usize, Vec<Val>)>>(4);
    let parser = tokio::task::spawn_blocking(move || {
        let mut errors = Errors::default();
        let mut sink = ChannelSink { tx: send, batch: Vec::with_capacity(BATCH) };
        let rows = read::read(reader, format, kind, &mut errors, &mut sink);
        if !sink.batch.is_empty() {
            let _ = sink.tx.blocking_send(std::mem::take(&mut sink.batch));
        }
        (rows, errors)
    });
    let mut staged = 0usize;
    while let Some(batch) = recv.recv().await {
        staged += batch.len();
        stage::insert(&mut tx, kind, &batch).await?;
    }
    let (rows, mut errors) = parser.await.map_err(|e| AppError::internal(format!("feed parser: {e}")))?;

    stage::check(&mut tx, kind, &mut errors).await?;
    if errors.total > 0 {
        tx.rollback().await?;
        let mut list = errors.list;
        list.sort_by_key(|e| e.line);
        list.truncate(rows::MAX_ERRORS);
        return Err(FeedError::Rejected { errors: list, total: errors.total });
    }
    let (inserted, updated) = stage::apply(&mut tx, kind, ingestion_id, &source, &now).await?;
    let result = IngestResult {
        ingestion_id,
        kind,
        rows: rows as u64,
        inserted: inserted as u64,
        updated: updated as u64,
        unchanged: (staged - inserted - updated) as u64,
    };
    stage::finish(&mut tx, &result).await?;
    tx.commit().await?;
    Ok(result)
}
