//! Data imports (sales, Business Applications value, Teams MAU) from CSV or a
//! JSON array. All or nothing: one bad row rejects the file, naming line and field.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use benefits_domain::parse::one_of;
use benefits_domain::{Cents, Month, SaleStatus};
use benefits_api::imports::{DataKind as Kind, ImportResult};
use serde_json::{json, Value};

use crate::auth::Auth;
use crate::clock::fmt_date;
use crate::error::{ApiResult, AppError, RowError};
use benefits_api::ErrorCode;
use crate::extract::{body_bytes, content_type, IdempotencyKey, Stored, IMPORT_LIMIT};
use crate::http::openapi::{IdempotencyKeyParam, JsonBody, PartnerScoped};
use crate::state::ApiContext;
use crate::store;

pub const MAX_ROWS: usize = 100_000;
const MAX_ERRORS: usize = 200;

/// One input row: its line and its non-empty values by column.
struct RawRow {
    line: usize,
    values: HashMap<String, String>,
}

struct Errors(Vec<RowError>);

impl Errors {
    fn push(&mut self, line: usize, field: &str, message: impl Into<String>) {
        if self.0.len() < MAX_ERRORS {
            self.0.push(RowError { line, field: field.to_string(), message: message.into() });
        }
    }
}

fn too_many_rows() -> AppError {
    AppError::Import {
        errors: vec![RowError { line: MAX_ROWS + 2, field: "row".into(), message: format!("A file may have at most {MAX_ROWS} rows; split it.") }],
    }
}

fn read_csv(bytes: &[u8], kind: Kind, errors: &mut Errors) -> ApiResult<Vec<RawRow>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(_) => {
            errors.push(1, "header", "The header line is not valid CSV text (UTF-8).");
            return Ok(vec![]);
        }
    };
    if headers.iter().all(|h| h.is_empty()) {
        errors.push(1, "header", format!("The file is empty. The first line must name the columns: {}.", column_list(kind)));
        return Ok(vec![]);
    }
    check_columns(kind, headers.iter().map(String::as_str), 1, errors);
    let missing: Vec<&str> =
        kind.columns().iter().filter(|(c, req)| *req && !headers.iter().any(|h| h == c)).map(|(c, _)| *c).collect();
    for col in &missing {
        errors.push(1, col, format!("The header has no `{col}` column. The columns are: {}.", column_list(kind)));
    }
    if !missing.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                if rows.len() >= MAX_ROWS {
                    return Err(too_many_rows());
                }
                if r.iter().all(str::is_empty) {
                    continue;
                }
                let values = headers
                    .iter()
                    .zip(r.iter())
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(h, v)| (h.clone(), v.to_string()))
                    .collect();
                rows.push(RawRow { line, values });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("This line has {len} values; the header has {expected_len} columns.")
                    }
                    csv::ErrorKind::Utf8 { .. } => "This line is not valid UTF-8 text.".to_string(),
                    _ => "This line is not valid CSV.".to_string(),
                };
                errors.push(line, "row", message);
            }
        }
    }
    Ok(rows)
}

fn column_list(kind: Kind) -> String {
    kind.columns().iter().map(|(c, req)| if *req { c.to_string() } else { format!("{c} (optional)") }).collect::<Vec<_>>().join(", ")
}

fn check_columns<'a>(kind: Kind, present: impl Iterator<Item = &'a str>, line: usize, errors: &mut Errors) {
    for col in present {
        if !kind.columns().iter().any(|(c, _)| *c == col) {
            errors.push(line, col, format!("`{col}` is not a known column. The columns are: {}.", column_list(kind)));
        }
    }
}

fn read_json(bytes: &[u8], kind: Kind, errors: &mut Errors) -> ApiResult<Vec<RawRow>> {
    let items: Vec<Value> = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            AppError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidJson, format!("The body is not valid JSON: {e}"))
        } else {
            AppError::invalid_field("body", "invalid", "Send a JSON array of row objects.")
        }
    })?;
    if items.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let line = i + 1;
        let Value::Object(map) = item else {
            errors.push(line, "row", "Each array element must be an object.");
            continue;
        };
        check_columns(kind, map.keys().map(String::as_str), line, errors);
        let mut values = HashMap::new();
        for (k, v) in map {
            let text = match v {
                Value::Null => continue,
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => {
                    errors.push(line, &k, "must be a string or a number.");
                    continue;
                }
            };
            if !text.is_empty() {
                values.insert(k, text);
            }
        }
        rows.push(RawRow { line, values });
    }
    Ok(rows)
}

fn required<'a>(row: &'a RawRow, field: &str, errors: &mut Errors) -> Option<&'a str> {
    let v = row.values.get(field).map(String::as_str);
    if v.is_none() {
        errors.push(row.line, field, format!("{field} is required."));
    }
    v
}

fn external_id(row: &RawRow, required_here: bool, errors: &mut Errors) -> Option<String> {
    let v = if required_here { required(row, "external_id", errors)? } else { row.values.get("external_id")? };
    if v.chars().count() > 200 {
        errors.push(row.line, "external_id", "Use at most 200 characters.");
        return None;
    }
    Some(v.to_string())
}

fn amount(row: &RawRow, errors: &mut Errors) -> Option<Cents> {
    let v = required(row, "amount_usd", errors)?;
    v.parse::<Cents>().map_err(|e| errors.push(row.line, "amount_usd", format!("`{v}` {e}."))).ok()
}

fn month(row: &RawRow, errors: &mut Errors) -> Option<Month> {
    let v = required(row, "month", errors)?;
    v.parse::<Month>().map_err(|e| errors.push(row.line, "month", format!("`{v}` {e}."))).ok()
}

/// A row ready to store: its key, and its values as stored.
struct Parsed {
    line: usize,
    key: String,
    external_id: Option<String>,
    cols: Vec<Value>,
}

fn parse_rows(kind: Kind, rows: &[RawRow], offers: &HashSet<String>, errors: &mut Errors) -> Vec<Parsed> {
    let mut out = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let before = errors.0.len();
        let parsed = match kind {
            Kind::Sales => {
                let ext = external_id(row, true, errors);
                let date = required(row, "date", errors)
                    .and_then(|v| benefits_domain::parse::date::parse(v).map_err(|m| errors.push(row.line, "date", m)).ok());
                let amount = amount(row, errors);
                let status = required(row, "status", errors).and_then(|v| {
                    SaleStatus::parse(v).or_else(|| {
                        errors.push(row.line, "status", format!("`{v}` {}.", one_of(SaleStatus::ALL.map(SaleStatus::as_str))));
                        None
                    })
                });
                let offer = required(row, "offer_id", errors).and_then(|v| {
                    if offers.contains(v) {
                        Some(v.to_string())
                    } else {
                        errors.push(row.line, "offer_id", format!("`{v}` is not one of your offers. Add the offer first."));
                        None
                    }
                });
                match (ext, date, amount, status, offer) {
                    (Some(ext), Some(date), Some(amount), Some(status), Some(offer)) => Some(Parsed {
                        line: row.line,
                        key: ext.clone(),
                        external_id: Some(ext),
                        cols: vec![json!(fmt_date(date)), json!(amount.0), json!(status.as_str()), json!(offer)],
                    }),
                    _ => None,
                }
            }
            Kind::Bizapps => {
                let ext = external_id(row, false, errors);
                match (month(row, errors), amount(row, errors)) {
                    (Some(m), Some(a)) if errors.0.len() == before => Some(Parsed {
                        line: row.line,
                        key: ext.clone().unwrap_or_else(|| format!("month:{m}")),
                        external_id: ext,
                        cols: vec![json!(m.to_string()), json!(a.0)],
                    }),
                    _ => None,
                }
            }
            Kind::TeamsMau => {
                let ext = external_id(row, false, errors);
                let app = row.values.get("app").cloned();
                if app.as_ref().is_some_and(|a| a.chars().count() > 200) {
                    errors.push(row.line, "app", "Use at most 200 characters.");
                }
                let mau = required(row, "mau", errors).and_then(|v| {
                    v.parse::<u32>()
                        .map_err(|_| errors.push(row.line, "mau", format!("`{v}` must be a whole number of users, 0 or more.")))
                        .ok()
                });
                match (month(row, errors), mau) {
                    (Some(m), Some(mau)) if errors.0.len() == before => Some(Parsed {
                        line: row.line,
                        key: ext.clone().unwrap_or_else(|| format!("app:{}|month:{m}", app.clone().unwrap_or_default())),
                        external_id: ext,
                        cols: vec![json!(app), json!(m.to_string()), json!(mau)],
                    }),
                    _ => None,
                }
            }
        };
        if let Some(p) = parsed {
            if let Some(first) = seen.insert(p.key.clone(), p.line) {
                let field = if p.external_id.is_some() { "external_id" } else { "month" };
                errors.push(p.line, field, format!("This row repeats line {first} (same key `{}`).", p.key));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Import a data set from CSV (the export's columns) or a JSON array of row
/// objects (admins). All or nothing: one bad row rejects the file, naming line and column.
#[utoipa::path(post, path = "/imports/{kind}", tag = "partner", operation_id = "import",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("kind" = inline(Kind), Path, description = "What the file holds."),
        IdempotencyKeyParam),
    request_body(description = "CSV with a header line, or a JSON array of objects keyed by the same columns.",
        content(("text/csv"), (Vec<Object> = "application/json"))),
    responses((status = 200, body = ImportResult), PartnerScoped, JsonBody))]
pub async fn import(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path((pid, kind)): Path<(String, String)>,
    IdempotencyKey(key): IdempotencyKey,
    req: Request,
) -> ApiResult<Stored<ImportResult>> {
    auth.partner_admin(&pid)?;
    let kind = Kind::parse(&kind).ok_or_else(AppError::not_found)?;
    let route = format!("POST /api/partners/{pid}/imports/{}", kind.slug());
    let ct = content_type(req.headers());
    let is_csv = matches!(ct.as_str(), "text/csv" | "application/csv");
    if !is_csv && ct != "application/json" {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the file as text/csv or as a JSON array (application/json).",
        ));
    }
    let bytes = body_bytes(req, IMPORT_LIMIT).await?;
    let mut errors = Errors(Vec::new());
    let rows = if is_csv { read_csv(&bytes, kind, &mut errors)? } else { read_json(&bytes, kind, &mut errors)? };

    let mut tx = ctx.db.write.begin().await?;
    if let Some(stored) = store::idempotent_replay(&mut tx, &auth.user.id, &route, key.as_ref()).await? {
        return Ok(stored);
    }
    store::partner(&mut tx, &pid).await?.ok_or_else(AppError::not_found)?;
    let offers: HashSet<String> =
        sqlx::query_scalar("SELECT id FROM offers WHERE partner_id = ?").bind(&pid).fetch_all(&mut *tx).await?.into_iter().collect();
    let parsed = parse_rows(kind, &rows, &offers, &mut errors);
    if !errors.0.is_empty() {
        errors.0.sort_by_key(|e| e.line);
        return Err(AppError::Import { errors: errors.0 });
    }

    let (table, key_col, cols): (&str, &str, &[&str]) = match kind {
        Kind::Sales => ("sales", "external_id", &["date", "amount_cents", "status", "offer_id"]),
        Kind::Bizapps => ("bizapps_values", "row_key", &["month", "amount_cents"]),
        Kind::TeamsMau => ("teams_mau", "row_key", &["app", "month", "mau"]),
    };
    let existing = existing_rows(&mut tx, table, key_col, cols, &pid).await?;
    let mut result = ImportResult { kind, rows: parsed.len() as u64, inserted: 0, updated: 0, unchanged: 0 };
    for p in &parsed {
        match existing.get(&p.key) {
            Some(old) if *old == p.cols => result.unchanged += 1,
            Some(_) => {
                let sets = cols.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
                let bump = if kind == Kind::Sales { ", version = version + 1" } else { "" };
                let sql = format!("UPDATE {table} SET {sets}{bump} WHERE partner_id = ? AND {key_col} = ?");
                let mut q = sqlx::query(&sql);
                for v in &p.cols {
                    q = bind_value(q, v);
                }
                q.bind(&pid).bind(&p.key).execute(&mut *tx).await?;
                result.updated += 1;
            }
            None => {
                let (extra_cols, extra_vals) = match kind {
                    Kind::Sales => ("partner_id, external_id", vec![json!(pid), json!(p.key)]),
                    _ => ("partner_id, row_key, external_id", vec![json!(pid), json!(p.key), json!(p.external_id)]),
                };
                let n = extra_vals.len() + cols.len();
                let sql = format!(
                    "INSERT INTO {table} ({extra_cols}, {}) VALUES ({})",
                    cols.join(", "),
                    vec!["?"; n].join(", ")
                );
                let mut q = sqlx::query(&sql);
                for v in extra_vals.iter().chain(&p.cols) {
                    q = bind_value(q, v);
                }
                q.execute(&mut *tx).await?;
                result.inserted += 1;
            }
        }
    }
    if result.inserted + result.updated > 0 {
        store::bump_data_version(&mut tx, &pid).await?;
    }
    store::audit(&mut tx, Some(&auth.user), Some(&pid), &format!("import.{}", kind.slug()), kind.slug(), None, Some(json!(result))).await?;
    let stored = Stored::json(StatusCode::OK, None, &result)?;
    store::idempotent_store(&mut tx, &auth.user.id, &route, key.as_ref(), &stored).await?;
    tx.commit().await?;
    Ok(stored)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

fn bind_value<'q>(q: Query<'q>, v: &'q Value) -> Query<'q> {
    match v {
        Value::Null => q.bind(None::<String>),
        Value::Number(n) => q.bind(n.as_i64().unwrap_or(0)),
        Value::String(s) => q.bind(s.as_str()),
        other => q.bind(other.to_string()),
    }
}

/// The partner's stored rows of a table, by key, as JSON values comparable with [`Parsed::cols`].
async fn existing_rows(
    conn: &mut sqlx::SqliteConnection,
    table: &str,
    key_col: &str,
    cols: &[&str],
    pid: &str,
) -> ApiResult<HashMap<String, Vec<Value>>> {
    use sqlx::{Row, TypeInfo, ValueRef};
    let sql = format!("SELECT {key_col}, {} FROM {table} WHERE partner_id = ?", cols.join(", "));
    let rows = sqlx::query(&sql).bind(pid).fetch_all(conn).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        let key: String = row.try_get(0)?;
        let mut values = Vec::with_capacity(cols.len());
        for i in 1..row.columns().len() {
            let raw = row.try_get_raw(i)?;
            let v = if raw.is_null() {
                Value::Null
            } else if raw.type_info().name() == "INTEGER" {
                json!(row.try_get::<i64, _>(i)?)
            } else {
                json!(row.try_get::<String, _>(i)?)
            };
            values.push(v);
        }
        out.insert(key, values);
    }
    Ok(out)
}
