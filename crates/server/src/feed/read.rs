//! Streaming a feed file row by row: CSV with a header row (the `csv` crate)
//! or a JSON array (serde_json, one element at a time). Nothing holds the
//! whole file; each checked row goes to `sink` as soon as it is read.

use std::fmt;
use std::io::Read;

use serde::de::{Deserializer as _, SeqAccess, Visitor};
use benefits_domain::error::{InputCode, InputError};
use serde_json::Value;

use super::kind::Kind;
use super::rows::{check, Cells, Errors, Val};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// From a media type (`text/csv`, `application/json`).
    pub fn from_media_type(ct: &str) -> Option<Format> {
        match ct {
            "text/csv" | "application/csv" => Some(Format::Csv),
            "application/json" => Some(Format::Json),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The receiver of checked rows: `(line, values)`; `false` stops reading.
pub trait Sink {
    fn row(&mut self, line: usize, values: Vec<Val>) -> bool;
}

/// Reads and checks every row; returns how many rows the file has.
pub fn read<R: Read>(reader: R, format: Format, kind: Kind, errors: &mut Errors, sink: &mut dyn Sink) -> usize {
    match format {
        Format::Csv => read_csv(reader, kind, errors, sink),
        Format::Json => read_json(reader, kind, errors, sink),
    }
}

fn too_many(line: usize, errors: &mut Errors) {
    errors.push(line, "row", InputError::new("", InputCode::TooManyRows).with("max", MAX_ROWS));
}

fn read_csv<R: Read>(reader: R, kind: Kind, errors: &mut Errors, sink: &mut dyn Sink) -> usize {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(BomSkip::new(reader));
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(_) => {
            errors.push(1, "header", InputError::new("", InputCode::HeaderNotText));
            return 0;
        }
    };
    if headers.iter().all(|h| h.is_empty()) {
        errors.push(1, "header", InputError::new("", InputCode::EmptyFile).with("columns", kind.column_list()));
        return 0;
    }
    // Where each of the kind's columns is in this file.
    let mut positions = Vec::with_capacity(kind.columns().len());
    for (col, required) in kind.columns() {
        let at = headers.iter().position(|h| h == col);
        if at.is_none() && *required {
            errors.push(1, col, InputError::new("", InputCode::MissingColumn).with("columns", kind.column_list()));
        }
        positions.push(at);
    }
    for h in headers.iter().filter(|h| !kind.columns().iter().any(|(c, _)| c == h)) {
        errors.push(1, h, InputError::new("", InputCode::UnknownColumn).with("columns", kind.column_list()));
    }
    if errors.total > 0 {
        return 0;
    }
    let mut record = csv::StringRecord::new();
    let mut cells: Vec<Option<String>> = vec![None; positions.len()];
    let mut rows = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                if record.iter().all(str::is_empty) {
                    continue;
                }
                rows += 1;
                if rows > MAX_ROWS {
                    too_many(line, errors);
                    break;
                }
                for (cell, at) in cells.iter_mut().zip(&positions) {
                    *cell = at.and_then(|i| record.get(i)).filter(|v| !v.is_empty()).map(str::to_string);
                }
                if let Some(values) = check(kind, Cells { line, values: &cells }, errors) {
                    if !sink.row(line, values) {
                        break;
                    }
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let error = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        InputError::new("", InputCode::ColumnCount).with("len", len).with("expected", expected_len)
                    }
                    csv::ErrorKind::Utf8 { .. } => InputError::new("", InputCode::LineNotUtf8),
                    csv::ErrorKind::Io(_) => {
                        errors.push(line, "file", InputError::new("", InputCode::Unreadable));
                        break;
                    }
                    _ => InputError::new("", InputCode::NotCsv),
                };
                rows += 1;
                errors.push(line, "row", error);
            }
        }
    }
    rows
}

/// Skips a UTF-8 byte order mark at the start of a stream.
struct BomSkip<R> {
    inner: R,
    checked: bool,
    pending: Vec<u8>,
}

impl<R: Read> BomSkip<R> {
    fn new(inner: R) -> Self {
        BomSkip { inner, checked: false, pending: Vec::new() }
    }
}

impl<R: Read> Read for BomSkip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut n = 0;
            while n < 3 {
                let m = self.inner.read(&mut head[n..])?;
                if m == 0 {
                    break;
                }
                n += m;
            }
            if head[..n] != *b"\xEF\xBB\xBF" {
                self.pending = head[..n].to_vec();
            }
        }
        if !self.pending.is_empty() {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Visits the top-level array one element at a time; the line of an element
/// is its position in the array (1 = the first). Yields the element count.
struct Elements<'a> {
    kind: Kind,
    errors: &'a mut Errors,
    sink: &'a mut dyn Sink,
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of row objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let columns = self.kind.columns();
        let mut cells: Vec<Option<String>> = vec![None; columns.len()];
        let mut line = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            line += 1;
            if line > MAX_ROWS {
                too_many(line, self.errors);
                break;
            }
            let Value::Object(map) = item else {
                self.errors.push(line, "row", InputError::new("", InputCode::NotARowObject));
                continue;
            };
            for k in map.keys().filter(|k| !columns.iter().any(|(c, _)| c == k)) {
                self.errors.push(line, k, InputError::new("", InputCode::UnknownColumn).with("columns", self.kind.column_list()));
            }
            let mut bad = false;
            for (cell, (col, _)) in cells.iter_mut().zip(columns) {
                *cell = match map.get(*col) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(_) => {
                        self.errors.push(line, col, InputError::new("", InputCode::NotScalar));
                        bad = true;
                        None
                    }
                };
            }
            if bad {
                continue;
            }
            if let Some(values) = check(self.kind, Cells { line, values: &cells }, self.errors) {
                if !self.sink.row(line, values) {
                    break;
                }
            }
        }
        Ok(line)
    }
}

fn read_json<R: Read>(reader: R, kind: Kind, errors: &mut Errors, sink: &mut dyn Sink) -> usize {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let result = (&mut de).deserialize_seq(Elements { kind, errors: &mut *errors, sink });
    match result {
        Ok(rows) => {
            if let Err(e) = de.end() {
                errors.push(rows + 1, "file", InputError::new("", InputCode::TrailingText).with("detail", e));
            }
            rows
        }
        Err(e) if e.is_data() => {
            errors.push(0, "file", InputError::new("", InputCode::NotAnArray));
            0
        }
        Err(e) => {
            errors.push(0, "file", InputError::new("", InputCode::InvalidJson).with("line", e.line()).with("column", e.column()).with("detail", e));
            0
        }
    }
}
