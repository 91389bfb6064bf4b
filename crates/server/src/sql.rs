//! The SQL spellings PostgreSQL and SQLite do not share, each written once,
//! and the statement builder that writes numbered placeholders for both.
//! Everything else the server sends is SQL both engines run alike (see
//! docs/SCALE.md, "Portable SQL").

use std::fmt::Write as _;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments as _};

/// The text at `path` (dot-separated keys) of the JSON held as text in `col`:
/// SQLite's `json_extract`, PostgreSQL's `#>>` over the text cast to jsonb.
pub fn json_text(sqlite: bool, col: &str, path: &str) -> String {
    if sqlite {
        format!("json_extract({col}, '$.{path}')")
    } else {
        format!("(CAST({col} AS jsonb) #>> '{{{}}}')", path.replace('.', ","))
    }
}

/// A JSON object of `'key', value` pairs, as text: SQLite's `json_object`,
/// PostgreSQL's `json_build_object` (cast to text: the audit keeps JSON as TEXT).
pub fn json_object(sqlite: bool, pairs: &str) -> String {
    if sqlite {
        format!("json_object({pairs})")
    } else {
        format!("CAST(json_build_object({pairs}) AS TEXT)")
    }
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

/// A statement built from pieces with bound values, written with numbered
/// placeholders (`$1`, `$2`, …). sqlx's `QueryBuilder<Any>` writes `?`, which
/// PostgreSQL rejects; this is the subset of its API the server uses.
pub struct Builder<'args> {
    text: String,
    args: Option<AnyArguments<'args>>,
    binds: usize,
}

impl<'args> Builder<'args> {
    pub fn new(init: impl Into<String>) -> Self {
        Builder { text: init.into(), args: Some(AnyArguments::default()), binds: 0 }
    }

    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        write!(self.text, "{sql}").expect("writing to a String");
        self
    }

    /// Binds `value` and writes its placeholder.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + sqlx::Encode<'args, Any> + sqlx::Type<Any>,
    {
        // Encoding an i64, a string or an Option of one into AnyArguments cannot fail.
        self.args.as_mut().expect("Builder used after build").add(value).expect("encode a bound value");
        self.binds += 1;
        write!(self.text, "${}", self.binds).expect("writing to a String");
        self
    }

    /// `VALUES (…), (…)`, one row per item, `each` binding the row's values.
    pub fn push_values<I, F>(&mut self, items: I, mut each: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Row<'_, 'args>, I::Item),
    {
        self.push("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            self.push(if i == 0 { "(" } else { ", (" });
            each(Row { builder: self, first: true }, item);
            self.push(")");
        }
        self
    }

    /// The statement as written so far.
    pub fn sql(&self) -> &str {
        &self.text
    }

    fn take_args(&mut self) -> AnyArguments<'args> {
        self.args.take().expect("Builder built twice")
    }

    pub fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        let args = self.take_args();
        sqlx::query_with(&self.text, args)
    }

    pub fn build_query_as<T>(&mut self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let args = self.take_args();
        sqlx::query_as_with(&self.text, args)
    }

    pub fn build_query_scalar<T>(&mut self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let args = self.take_args();
        sqlx::query_scalar_with(&self.text, args)
    }
}

/// One row of [`Builder::push_values`]: its binds, comma-separated.
pub struct Row<'b, 'args> {
    builder: &'b mut Builder<'args>,
    first: bool,
}

impl<'args> Row<'_, 'args> {
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + sqlx::Encode<'args, Any> + sqlx::Type<Any>,
    {
        if !self.first {
            self.builder.push(", ");
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::json_text;

    #[test]
    fn json_text_reads_a_nested_key() {
        assert_eq!(json_text(true, "l.after_json", "state.changed_on"), "json_extract(l.after_json, '$.state.changed_on')");
        assert_eq!(json_text(false, "l.after_json", "state.changed_on"), "(CAST(l.after_json AS jsonb) #>> '{state,changed_on}')");
    }
}
