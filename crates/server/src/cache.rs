//! The evaluation cache: each partner's snapshot of today, and the workspace
//! bodies rendered from it, bounded in bytes.
//!
//! - Today only: a snapshot for another date (`?as_of=`) is computed and
//!   dropped, so no client can fill the cache with dates.
//! - Bounded in bytes: every entry weighs what it holds (a snapshot: the size
//!   of its input, evaluation and explanation as JSON, a close measure of the
//!   heap behind them; a body: its length). Beyond the bound the least useful
//!   entries are evicted (quick_cache's CLOCK-Pro).
//! - Invalidated by every write: an entry is kept with the partner's data
//!   version and the catalog sequence it was computed from; a write bumps the
//!   data version, publishing a catalog bumps the sequence, and the next read
//!   finds the entry stale, removes it and computes afresh.
//! - Safe to drop: nothing is only here; `clear` costs recomputation, never
//!   correctness.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use benefits_domain::Catalog;
use chrono::NaiveDate;
use quick_cache::sync::{Cache, DefaultLifecycle};
use quick_cache::{DefaultHashBuilder, OptionsBuilder, Weighter};

use crate::workspace::Snapshot;

/// The default bound of the whole cache.
pub const DEFAULT_BYTES: u64 = 64 * 1024 * 1024;

/// What a snapshot or body was derived from; a mismatch means stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub data_version: i64,
    pub catalog_seq: i64,
    pub day: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Snapshot(String),
    /// A workspace body per partner and viewer kind.
    Body(String, u8),
}

#[derive(Clone)]
enum Entry {
    Snapshot(Arc<Snapshot>),
    Body(Version, Bytes),
}

#[derive(Clone)]
struct ByBytes;

/// Per entry bookkeeping that the weight does not see (key, hash, slot).
const ENTRY_OVERHEAD: u64 = 128;

impl Weighter<Key, Entry> for ByBytes {
    fn weight(&self, key: &Key, entry: &Entry) -> u64 {
        let key_len = match key {
            Key::Snapshot(pid) | Key::Body(pid, _) => pid.len() as u64,
        };
        let held = match entry {
            Entry::Snapshot(s) => s.bytes,
            Entry::Body(_, b) => b.len() as u64,
        };
        ENTRY_OVERHEAD + key_len + held
    }
}

pub struct EvalCache {
    entries: Cache<Key, Entry, ByBytes>,
    capacity: u64,
    catalog: Mutex<Option<(i64, Arc<Catalog>)>>,
}

impl Default for EvalCache {
    fn default() -> Self {
        EvalCache::with_capacity(DEFAULT_BYTES)
    }
}

impl EvalCache {
    pub fn with_capacity(bytes: u64) -> EvalCache {
        // quick_cache wants an estimate of the number of entries to size its
        // tables; 64 KB per entry is typical of a partner's workspace.
        let items = usize::try_from(bytes / (64 * 1024)).unwrap_or(usize::MAX).max(16);
        // quick_cache splits the bound between its shards and refuses an entry
        // heavier than a shard's share: with its default (cores x 4 shards) a
        // 100,000-line partner's snapshot (~9 MB) was never kept, so each of
        // its reads evaluated again. Two shards let an entry weigh up to about
        // half the bound; reads take a shard's read lock only.
        let options = OptionsBuilder::new().estimated_items_capacity(items).weight_capacity(bytes).shards(2).build().expect("valid cache options");
        let entries = Cache::with_options(options, ByBytes, DefaultHashBuilder::default(), DefaultLifecycle::default());
        EvalCache { entries, capacity: bytes, catalog: Mutex::new(None) }
    }

    /// The bound, in bytes.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// The bytes held now (always at most `capacity`).
    pub fn weight(&self) -> u64 {
        self.entries.weight()
    }

    /// Entries held now (snapshots and bodies).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops everything; the next reads compute again.
    pub fn clear(&self) {
        self.entries.clear();
        *self.catalog.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The partner's cached snapshot if it is still current.
    pub fn snapshot(&self, pid: &str, current: Version) -> Option<Arc<Snapshot>> {
        let key = Key::Snapshot(pid.to_string());
        match self.entries.get(&key)? {
            Entry::Snapshot(s) if s.version() == current => Some(s),
            _ => {
                self.entries.remove(&key);
                None
            }
        }
    }

    /// Keeps a snapshot if it is of `today`; other dates are not kept.
    pub fn put_snapshot(&self, s: &Arc<Snapshot>, today: NaiveDate) {
        if s.as_of == today {
            self.entries.insert(Key::Snapshot(s.partner.id.clone()), Entry::Snapshot(s.clone()));
        }
    }

    pub fn body(&self, pid: &str, kind: u8, current: Version) -> Option<Bytes> {
        match self.entries.get(&Key::Body(pid.to_string(), kind))? {
            Entry::Body(v, b) if v == current => Some(b),
            _ => None,
        }
    }

    /// Keeps a workspace body rendered from today's snapshot.
    pub fn put_body(&self, s: &Snapshot, kind: u8, today: NaiveDate, body: Bytes) {
        if s.as_of == today {
            self.entries.insert(Key::Body(s.partner.id.clone(), kind), Entry::Body(s.version(), body));
        }
    }

    /// The catalog of sequence `seq`, or `load` it (one catalog is kept).
    pub fn catalog(&self, seq: i64) -> Option<Arc<Catalog>> {
        let held = self.catalog.lock().unwrap_or_else(|e| e.into_inner());
        held.as_ref().filter(|(s, _)| *s == seq).map(|(_, c)| c.clone())
    }

    pub fn put_catalog(&self, seq: i64, catalog: Arc<Catalog>) {
        *self.catalog.lock().unwrap_or_else(|e| e.into_inner()) = Some((seq, catalog));
    }
}

/// Counts the bytes a value serializes to, without keeping them.
pub fn json_size(value: &impl serde::Serialize) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Serializing plain data into a counter cannot fail; an error would only
    // make the estimate smaller, never unsafe.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}
