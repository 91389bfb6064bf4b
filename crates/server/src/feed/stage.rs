//! The feed's SQL: a temporary stage table per file, the checks that need the
//! store, and the set-based apply (audit of changed rows, then one upsert).
//! Every statement is built from the kind's [`Spec`]: fixed column names, no input.
//!
//! Written for SQLite and PostgreSQL alike: the stage tables are temporary
//! tables created inside the ingestion's transaction (a rollback drops them on
//! both), named without a schema (no stored table shares their names), a
//! staged row is known by its `line` (SQLite's rowid, as `INTEGER PRIMARY
//! KEY`) and a stored one by its key, NULL-safe equality is `IS NOT DISTINCT
//! FROM`, and only the audit's JSON object is spelled per store
//! ([`crate::sql::json_object`]). The upsert's SELECT keeps `WHERE true`, which
//! SQLite's parser needs before `ON CONFLICT`.

use benefits_domain::error::{InputCode, InputError};
use sqlx::AnyConnection;

use super::kind::{spec, Kind, Spec};
use super::rows::{Errors, Val};
use super::{IngestResult, Source};
use crate::error::ApiResult;
use crate::sql::Builder;

/// Records the ingestion (its counts are filled in by [`finish`]) and creates the stage table.
pub async fn begin(conn: &mut AnyConnection, kind: Kind, source: &Source, now: &str) -> ApiResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO ingestions (kind, source, actor, file_name, rows, inserted, updated, unchanged, at) VALUES ($1, $2, $3, $4, 0, 0, 0, 0, $5) RETURNING id",
    )
    .bind(kind.slug())
    .bind(source.via)
    .bind(&source.actor)
    .bind(&source.file_name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let spec = spec(kind);
    let cols: Vec<String> = spec.stage.iter().map(|(c, t)| format!("{c} {t}")).collect();
    // Inside the transaction: a rollback drops it too.
    sqlx::query("DROP TABLE IF EXISTS feed_stage").execute(&mut *conn).await?;
    sqlx::query(&format!("CREATE TEMP TABLE feed_stage (line INTEGER PRIMARY KEY, {})", cols.join(", "))).execute(&mut *conn).await?;
    Ok(id)
}

/// Adds checked rows to the stage table.
pub async fn insert(conn: &mut AnyConnection, kind: Kind, batch: &[(usize, Vec<Val>)]) -> ApiResult<()> {
    let spec = spec(kind);
    let cols: Vec<&str> = spec.stage.iter().map(|(c, _)| *c).collect();
    let mut qb = Builder::new(format!("INSERT INTO feed_stage (line, {}) ", cols.join(", ")));
    qb.push_values(batch, |mut b, (line, values)| {
        b.push_bind(*line as i64);
        for v in values {
            match v {
                Val::Null => b.push_bind(None::<String>),
                Val::Int(i) => b.push_bind(*i),
                Val::Text(t) => b.push_bind(t.clone()),
            };
        }
    });
    qb.build().execute(conn).await?;
    Ok(())
}

fn join_on(a: &str, b: &str, cols: &[&str]) -> String {
    cols.iter().map(|c| format!("{a}.{c} = {b}.{c}")).collect::<Vec<_>>().join(" AND ")
}

/// True where the stored row `t` and the staged row `s` hold the same values.
fn same(spec: &Spec, t: &str, s: &str) -> String {
    spec.values.iter().map(|c| format!("{t}.{c} IS NOT DISTINCT FROM {s}.{c}")).collect::<Vec<_>>().join(" AND ")
}

/// The input field a stage column came from, for row errors.
fn field_of(kind: Kind, col: &str) -> &'static str {
    match (kind, col) {
        (Kind::Partners, _) => "partner_id",
        (Kind::Offers, "id") => "offer_id",
        (Kind::Sales, _) => "external_id",
        _ => "month",
    }
}

async fn lines(conn: &mut AnyConnection, sql: &str) -> ApiResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(sql).fetch_all(conn).await?)
}

/// The checks that need the store: the partner and offer each row names
/// exist, a key appears once in the file, a sale keeps its partner.
pub async fn check(conn: &mut AnyConnection, kind: Kind, errors: &mut Errors) -> ApiResult<()> {
    let spec = spec(kind);
    let limit = super::rows::MAX_ERRORS;
    let keys = spec.unique_in_file;
    sqlx::query(&format!("CREATE INDEX feed_stage_unique ON feed_stage ({}, line)", keys.join(", "))).execute(&mut *conn).await?;
    let dup = format!(
        "SELECT s.line, CAST(MIN(o.line) AS TEXT) FROM feed_stage s JOIN feed_stage o ON {} AND o.line < s.line \
         GROUP BY s.line ORDER BY s.line LIMIT {limit}",
        join_on("o", "s", keys)
    );
    let field = field_of(kind, keys[keys.len() - 1]);
    for (line, first) in lines(&mut *conn, &dup).await? {
        errors.push(line as usize, field, InputError::new("", InputCode::DuplicateKey).with("first", first));
    }
    if kind != Kind::Partners {
        let sql = format!(
            "SELECT line, partner_id FROM feed_stage s WHERE NOT EXISTS (SELECT 1 FROM partners p WHERE p.id = s.partner_id) ORDER BY line LIMIT {limit}"
        );
        for (line, pid) in lines(&mut *conn, &sql).await? {
            errors.push(line as usize, "partner_id", InputError::new("", InputCode::UnknownPartner).value(&pid));
        }
    }
    if kind == Kind::Sales {
        let sql = format!(
            "SELECT line, offer_id FROM feed_stage s WHERE EXISTS (SELECT 1 FROM partners p WHERE p.id = s.partner_id) \
             AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.partner_id = s.partner_id AND o.id = s.offer_id) ORDER BY line LIMIT {limit}"
        );
        for (line, oid) in lines(&mut *conn, &sql).await? {
            errors.push(line as usize, "offer_id", InputError::new("", InputCode::UnknownOffer).value(&oid));
        }
        let sql = format!(
            "SELECT s.line, t.partner_id FROM feed_stage s JOIN sales t ON t.external_id = s.external_id AND t.partner_id <> s.partner_id \
             ORDER BY s.line LIMIT {limit}"
        );
        for (line, other) in lines(&mut *conn, &sql).await? {
            errors.push(line as usize, "partner_id", InputError::new("", InputCode::SaleOfOtherPartner).with("partner", other));
        }
    }
    Ok(())
}

/// Applies the staged file: an audit entry (before, after) per changed row,
/// then one upsert; bumps the data version of every partner it changed.
/// Returns (inserted, updated).
pub async fn apply(conn: &mut AnyConnection, kind: Kind, ingestion_id: i64, source: &Source, now: &str) -> ApiResult<(usize, usize)> {
    let spec = spec(kind);
    let (table, keys) = (spec.table, spec.keys);
    let on = join_on("t", "s", keys);
    let sqlite = crate::db::is_sqlite(conn);
    // A key column is never NULL in a stored row: NULL after the LEFT JOIN means no stored row.
    let missing = format!("t.{} IS NULL", keys[0]);
    sqlx::query("DROP TABLE IF EXISTS feed_changed").execute(&mut *conn).await?;
    // One probe of the stored rows per staged row; the audit and the upsert then touch only what changed.
    sqlx::query(&format!(
        "CREATE TEMP TABLE feed_changed AS SELECT s.line AS line, CASE WHEN {missing} THEN 1 ELSE 0 END AS is_new, s.{pcol} AS pid \
         FROM feed_stage s LEFT JOIN {table} t ON {on} WHERE {missing} OR NOT ({same})",
        pcol = spec.partner_col,
        same = same(&spec, "t", "s"),
    ))
    .execute(&mut *conn)
    .await?;
    let (changed, inserted): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COALESCE(CAST(SUM(is_new) AS BIGINT), 0) FROM feed_changed").fetch_one(&mut *conn).await?;

    let pairs = |alias: &str| spec.values.iter().map(|c| format!("'{c}', {alias}.{c}")).collect::<Vec<_>>().join(", ");
    sqlx::query(&format!(
        "INSERT INTO audit_log (at, actor_id, actor_email, partner_id, action, target, before_json, after_json) \
         SELECT $1, $2, $3, s.{pcol}, 'feed.{kind}.update', '{prefix}' || s.{tcol}, {before}, {after} \
         FROM feed_changed c JOIN feed_stage s ON s.line = c.line JOIN {table} t ON {on}",
        pcol = spec.partner_col,
        kind = kind.slug(),
        prefix = spec.target.0,
        tcol = spec.target.1,
        before = crate::sql::json_object(sqlite, &pairs("t")),
        after = crate::sql::json_object(sqlite, &format!("{}, 'ingestion_id', $4", pairs("s"))),
    ))
    .bind(now)
    .bind(&source.user_id)
    .bind(source.actor.as_deref().map(|a| format!("{a} ({})", source.via)).unwrap_or_else(|| source.via.to_string()))
    .bind(ingestion_id)
    .execute(&mut *conn)
    .await?;

    let cols: Vec<&str> = spec.stage.iter().map(|(c, _)| *c).collect();
    let extra_cols: String = spec.insert_extra.iter().map(|(c, _)| format!(", {c}")).collect();
    // The values are fixed SQL of the spec; the one timestamp is our own RFC 3339 text.
    let extra_vals: String = spec.insert_extra.iter().map(|(_, v)| if *v == "?now" { format!(", '{now}'") } else { format!(", {v}") }).collect();
    let sets: String = spec.values.iter().map(|c| format!("{c} = excluded.{c}, ")).collect();
    let unchanged = spec.values.iter().map(|c| format!("{table}.{c} IS NOT DISTINCT FROM excluded.{c}")).collect::<Vec<_>>().join(" AND ");
    sqlx::query(&format!(
        "INSERT INTO {table} ({cols}, ingestion_id{extra_cols}) SELECT {scols}, $1{extra_vals} \
         FROM feed_changed c JOIN feed_stage s ON s.line = c.line WHERE true \
         ON CONFLICT ({keys}) DO UPDATE SET {sets}ingestion_id = excluded.ingestion_id{update_extra} WHERE NOT ({unchanged})",
        cols = cols.join(", "),
        scols = cols.iter().map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", "),
        keys = keys.join(", "),
        update_extra = spec.update_extra,
    ))
    .bind(ingestion_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE partners SET data_version = data_version + 1 WHERE id IN (SELECT DISTINCT pid FROM feed_changed)")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DROP TABLE feed_changed").execute(&mut *conn).await?;
    Ok((inserted as usize, (changed - inserted) as usize))
}

/// Fills in the ingestion's counts and drops the stage table.
pub async fn finish(conn: &mut AnyConnection, r: &IngestResult) -> ApiResult<()> {
    sqlx::query("UPDATE ingestions SET rows = $1, inserted = $2, updated = $3, unchanged = $4 WHERE id = $5")
        .bind(r.rows as i64)
        .bind(r.inserted as i64)
        .bind(r.updated as i64)
        .bind(r.unchanged as i64)
        .bind(r.ingestion_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DROP TABLE feed_stage").execute(conn).await?;
    Ok(())
}
