//! `GET /api/partners/{pid}/workspace`: everything the partner pages show, once.

use benefits_domain::explain::{explain_daily, Explanation};
use benefits_domain::{evaluate_daily, DailyInput, Evaluation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::benefits::BenefitView;
use crate::contact::ContactView;
use crate::date;
use crate::session::PartnerInfo;

/// The partner's stored data as the evaluation's daily input (sales summed by
/// day, offer and status: at most two years of days, however many lines), and
/// what only the server knows (benefit records, contact, engagement manager).
/// The evaluation and its explanation are not sent: the browser computes both
/// from `input` with the same domain functions as the server, so they would
/// only cross the wire twice. The lines themselves are paged by
/// `GET /api/partners/{pid}/sales`. `input.partner.granted_benefits` is set,
/// so the support-ticket advice computed in the browser is the server's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub partner: PartnerInfo,
    #[serde(with = "date")]
    pub as_of: NaiveDate,
    pub input: DailyInput,
    pub benefits: Vec<BenefitView>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact: Option<ContactView>,
    /// Assigned while a transact offer is live.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub engagement_manager: Option<Person>,
}

impl Workspace {
    /// The evaluation, computed from `input`: the server's, from the lines.
    pub fn evaluation(&self) -> Evaluation {
        evaluate_daily(&self.input)
    }

    /// Why: the window, the months and when the tier was reached, from
    /// `input` (no line verdicts: those come paged from the server).
    pub fn explanation(&self) -> Explanation {
        explain_daily(&self.input)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// `?as_of=YYYY-MM-DD`: the workspace on another day (default: today).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct WorkspaceQuery {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    pub as_of: Option<NaiveDate>,
}
