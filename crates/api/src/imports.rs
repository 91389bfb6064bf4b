//! Data imports: sales, Business Applications value and Teams MAU, as CSV or
//! a JSON array of rows. All or nothing.

use serde::{Deserialize, Serialize};

/// What an import (and its CSV export) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DataKind {
    #[serde(rename = "sales")]
    Sales,
    #[serde(rename = "bizapps")]
    Bizapps,
    #[serde(rename = "teams-mau")]
    TeamsMau,
}

impl DataKind {
    pub const ALL: [DataKind; 3] = [DataKind::Sales, DataKind::Bizapps, DataKind::TeamsMau];

    /// The path segment: `sales`, `bizapps`, `teams-mau`.
    pub fn slug(self) -> &'static str {
        match self {
            DataKind::Sales => "sales",
            DataKind::Bizapps => "bizapps",
            DataKind::TeamsMau => "teams-mau",
        }
    }

    pub fn parse(s: &str) -> Option<DataKind> {
        DataKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// (column, required), in the order of the CSV files.
    pub fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            DataKind::Sales => &[("external_id", true), ("date", true), ("amount_usd", true), ("status", true), ("offer_id", true)],
            DataKind::Bizapps => &[("external_id", false), ("month", true), ("amount_usd", true)],
            DataKind::TeamsMau => &[("external_id", false), ("app", false), ("month", true), ("mau", true)],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub kind: DataKind,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}
