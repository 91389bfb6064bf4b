//! Exports: everything as one JSON document, and each data set as CSV in the
//! feed's columns (so an export reads back as a feed file).

use benefits_domain::{Cents, Evaluation, Month};
use serde::{Deserialize, Serialize};

use crate::feed::{FeedKind, Provenance};
use crate::offers::OfferView;
use crate::operator::SaleView;
use crate::session::PartnerInfo;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BizappsEntry {
    /// The row's id (an operator deletes a wrong row by it).
    pub id: i64,
    pub month: Month,
    pub amount_usd: Cents,
    pub source: Provenance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MauEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub app: Option<String>,
    pub month: Month,
    pub mau: u64,
    pub source: Provenance,
}

/// `GET /api/partners/{pid}/export.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportBundle {
    pub partner: PartnerInfo,
    pub offers: Vec<OfferView>,
    pub sales: Vec<SaleView>,
    pub bizapps: Vec<BizappsEntry>,
    pub teams_mau: Vec<MauEntry>,
    pub evaluation: Evaluation,
}

/// The file name of a CSV export, in the feed's columns: `offers.csv`,
/// `sales.csv`, `bizapps.csv`, `teams-mau.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExportFile {
    #[serde(rename = "offers.csv")]
    Offers,
    #[serde(rename = "sales.csv")]
    Sales,
    #[serde(rename = "bizapps.csv")]
    Bizapps,
    #[serde(rename = "teams-mau.csv")]
    TeamsMau,
}

impl ExportFile {
    pub const ALL: [ExportFile; 4] = [ExportFile::Offers, ExportFile::Sales, ExportFile::Bizapps, ExportFile::TeamsMau];

    pub fn kind(self) -> FeedKind {
        match self {
            ExportFile::Offers => FeedKind::Offers,
            ExportFile::Sales => FeedKind::Sales,
            ExportFile::Bizapps => FeedKind::Bizapps,
            ExportFile::TeamsMau => FeedKind::TeamsMau,
        }
    }

    pub fn name(self) -> String {
        format!("{}.csv", self.kind().slug())
    }

    pub fn parse(s: &str) -> Option<ExportFile> {
        ExportFile::ALL.into_iter().find(|f| f.name() == s)
    }
}
