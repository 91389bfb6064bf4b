//! Exports: everything as one JSON document, and each data set as CSV in the
//! import's columns (so an export can be imported again).

use benefits_domain::{Cents, Evaluation, Month};
use serde::{Deserialize, Serialize};

use crate::imports::DataKind;
use crate::offers::OfferView;
use crate::operator::SaleView;
use crate::session::PartnerInfo;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BizappsEntry {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub external_id: Option<String>,
    pub month: Month,
    pub amount_usd: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MauEntry {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub external_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub app: Option<String>,
    pub month: Month,
    pub mau: u64,
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

/// The file name of a CSV export: `sales.csv`, `bizapps.csv`, `teams-mau.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExportFile {
    #[serde(rename = "sales.csv")]
    Sales,
    #[serde(rename = "bizapps.csv")]
    Bizapps,
    #[serde(rename = "teams-mau.csv")]
    TeamsMau,
}

impl ExportFile {
    pub fn of(kind: DataKind) -> ExportFile {
        match kind {
            DataKind::Sales => ExportFile::Sales,
            DataKind::Bizapps => ExportFile::Bizapps,
            DataKind::TeamsMau => ExportFile::TeamsMau,
        }
    }

    pub fn kind(self) -> DataKind {
        match self {
            ExportFile::Sales => DataKind::Sales,
            ExportFile::Bizapps => DataKind::Bizapps,
            ExportFile::TeamsMau => DataKind::TeamsMau,
        }
    }

    pub fn name(self) -> String {
        format!("{}.csv", self.kind().slug())
    }

    pub fn parse(s: &str) -> Option<ExportFile> {
        DataKind::parse(s.strip_suffix(".csv")?).map(ExportFile::of)
    }
}
