//! The SQL spellings PostgreSQL and SQLite do not share, each written once.
//! Everything else the server sends is SQL both engines run alike (see
//! docs/SCALE.md, "Portable SQL"); these return SQLite's form today.

/// The text at `path` (dot-separated keys) of the JSON held as text in `col`.
/// SQLite-only `json_extract`; PostgreSQL will need `(col::jsonb #>> '{a,b}')`.
pub fn json_text(col: &str, path: &str) -> String {
    format!("json_extract({col}, '$.{path}')")
}

/// A 0/1 INTEGER flag read as a `bool`. Through `sqlx::Any` a `bool` decodes
/// only from a boolean value, and SQLite has none (`fraud <> 0` comes back as
/// an integer), so flags are read as the integer they are stored as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(<i64 as sqlx::Decode<'r, sqlx::Any>>::decode(value)? != 0))
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

#[cfg(test)]
mod tests {
    use super::json_text;

    #[test]
    fn json_text_reads_a_nested_key() {
        assert_eq!(json_text("l.after_json", "state.changed_on"), "json_extract(l.after_json, '$.state.changed_on')");
    }
}
