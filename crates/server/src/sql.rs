//! The SQL spellings PostgreSQL and SQLite do not share, each written once.
//! Everything else the server sends is SQL both engines run alike (see
//! docs/SCALE.md, "Portable SQL"); these return SQLite's form today.

/// The text at `path` (dot-separated keys) of the JSON held as text in `col`.
/// SQLite-only `json_extract`; PostgreSQL will need `(col::jsonb #>> '{a,b}')`.
pub fn json_text(col: &str, path: &str) -> String {
    format!("json_extract({col}, '$.{path}')")
}

#[cfg(test)]
mod tests {
    use super::json_text;

    #[test]
    fn json_text_reads_a_nested_key() {
        assert_eq!(json_text("l.after_json", "state.changed_on"), "json_extract(l.after_json, '$.state.changed_on')");
    }
}
