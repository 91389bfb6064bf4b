//! The program operators' routes: partners, sales and fraud flags, the
//! activation queue, delivery and revocation, catalogs, the audit log.

use benefits_domain::activation::{Action, BenefitStatus, RevocationReason};
use benefits_domain::catalog::VersionState;
use benefits_domain::{Catalog, Cents, OfferType, SaleStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date;
use crate::feed::Provenance;

/// How the partner list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartnerSort {
    #[default]
    Name,
    Mbs,
    Tier,
    Overdue,
}

/// The largest page of partners.
pub const MAX_PARTNER_PAGE: u32 = 200;
/// The page size when none is asked for.
pub const DEFAULT_PARTNER_PAGE: u32 = 50;

/// `GET /api/operator/partners`: search, filters, order and page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PartnerQuery {
    /// A part of the partner's name, id or account email, or of one of its users' emails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The effective tier; 0 for partners with none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000))]
    pub tier: Option<u32>,
    /// Partners with at least one offer of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_type: Option<OfferType>,
    /// `true`: only partners with an overdue contact; `false`: only those without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// The engagement manager's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<PartnerSort>,
    /// Descending (default ascending; name ties are broken by id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<bool>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000000000))]
    pub offset: Option<u64>,
}

/// One page of partners and how many match in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerPage {
    /// Partners matching the search and filters, over every page.
    pub total: u64,
    pub offset: u64,
    pub limit: u32,
    /// Partners whose figures are being refreshed (their last known figures are shown).
    pub refreshing: u64,
    pub items: Vec<PartnerSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    pub id: String,
    pub name: String,
    pub account_email: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub effective_tier: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub transact_tier_today: Option<u32>,
    /// TTM marketplace-billed sales.
    pub mbs: Cents,
    pub active_activations: u64,
    pub overdue: u64,
    /// The engagement manager's user id.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub engagement_manager_id: Option<String>,
}

/// One sales line with the operator's fraud flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleView {
    pub id: i64,
    pub partner_id: String,
    pub external_id: String,
    #[serde(with = "date")]
    pub date: NaiveDate,
    pub amount_usd: Cents,
    /// As the feed reported it.
    pub status: SaleStatus,
    pub fraud: bool,
    /// The operator's note on the fraud flag.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub fraud_note: Option<String>,
    /// `fraud` when flagged, else `status`: what the evaluation uses.
    pub effective_status: SaleStatus,
    pub offer_id: String,
    pub version: i64,
    pub source: Provenance,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FraudFlag {
    pub fraud: bool,
    /// Why (required, 1 to 2000 characters): kept with the sale and in the audit log.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"))]
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueContact {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub language: String,
}

/// One benefit being worked on, in the activation queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub partner_id: String,
    pub partner_name: String,
    pub benefit_id: String,
    pub benefit_name: String,
    #[serde(with = "date")]
    pub year_start: NaiveDate,
    pub status: BenefitStatus,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub activated_on: Option<NaiveDate>,
    #[serde(with = "date::option")]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact_by: Option<NaiveDate>,
    pub contact_overdue: bool,
    /// Whole days past `contact_by` while the contact is overdue; 0 otherwise.
    pub days_overdue: u32,
    /// The partner's engagement manager (a user id).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub engagement_manager_id: Option<String>,
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub contact: Option<QueueContact>,
}

/// The delivery steps an operator records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdvanceTo {
    Contacted,
    InProgress,
    Delivered,
}

impl AdvanceTo {
    /// The step an operator's action asks for (`MarkContacted` → `Contacted`, …).
    pub fn for_action(action: Action) -> Option<AdvanceTo> {
        [AdvanceTo::Contacted, AdvanceTo::InProgress, AdvanceTo::Delivered].into_iter().find(|to| BenefitStatus::from(*to) == action.status())
    }
}

impl From<AdvanceTo> for BenefitStatus {
    fn from(to: AdvanceTo) -> BenefitStatus {
        match to {
            AdvanceTo::Contacted => BenefitStatus::Contacted,
            AdvanceTo::InProgress => BenefitStatus::InProgress,
            AdvanceTo::Delivered => BenefitStatus::Delivered,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Advance {
    pub to: AdvanceTo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    pub reason: RevocationReason,
    /// At most 2000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogEntry {
    pub version: String,
    /// RFC 3339.
    pub published_at: String,
    /// The publishing operator's email; none for the catalog the server ships.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub published_by: Option<String>,
    /// The version applies from this day.
    #[serde(with = "date")]
    pub effective_from: NaiveDate,
    /// Scheduled (published ahead of its date), in force, or superseded.
    pub state: VersionState,
    /// In force today.
    pub current: bool,
    pub catalog: Catalog,
}

/// The largest page of the audit trail.
pub const MAX_AUDIT_PAGE: u32 = 1000;

/// `GET /api/operator/audit` (and its CSV export): filters and a cursor page,
/// newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this partner's entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// The actor's user id or email (exact; any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// An action (`benefit.activate`) or its group (`benefit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// From this day (UTC), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub from: Option<NaiveDate>,
    /// Up to this day (UTC), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub to: Option<NaiveDate>,
    /// The cursor: entries older than this id (the previous page's `next_before`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub before: Option<i64>,
    /// Page size, 1 to 1000 (default 100). The CSV export has every match, or the newest this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
}

/// `GET /api/partners/{pid}/audit` (and its CSV export): the partner's own
/// trail, with the same filters but the partner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PartnerAuditQuery {
    /// The actor's user id or email (exact; any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// An action (`benefit.activate`) or its group (`benefit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub before: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
}

impl PartnerAuditQuery {
    /// The operator's query for this partner.
    pub fn for_partner(self, pid: &str) -> AuditQuery {
        AuditQuery {
            partner_id: Some(pid.to_string()),
            actor: self.actor,
            action: self.action,
            from: self.from,
            to: self.to,
            before: self.before,
            limit: self.limit,
        }
    }
}

/// One page of the audit trail, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// The `before` of the next (older) page; `null` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_before: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditActor {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// None for the system (seeding, imports by the program).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub actor: Option<AuditActor>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub partner_id: Option<String>,
    /// Such as `benefit.activate`, `user.role`.
    pub action: String,
    /// Such as `benefit:co-marketing@2025-03-01`.
    pub target: String,
    /// The resource before and after, as its API view.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}

/// An operator, as offered for engagement manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorView {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// `PUT /api/operator/partners/{pid}/engagement-manager`: an operator's user
/// id, or `null` to leave the partner without one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManagerAssignment {
    // Required, though it may be null: a body without it is refused.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1, max_length = 64))]
    pub user_id: Option<String>,
}

/// `POST /api/operator/engagement-managers`: one manager (or none) for several
/// partners at once, all or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkManagerAssignment {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub partner_ids: Vec<String>,
    // Required, though it may be null: a body without it is refused.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1, max_length = 64))]
    pub user_id: Option<String>,
}

/// A partner's engagement manager after an assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagerOfPartner {
    pub partner_id: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub manager: Option<OperatorView>,
}

/// One field that a change moved, as text (`None`: absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// Dotted path, such as `state.status`.
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub before: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub after: Option<String>,
}

impl AuditEntry {
    /// The readable difference of `before` and `after` (see `json_changes`).
    /// A creation has only `after`s, a removal only `before`s.
    pub fn changes(&self) -> Vec<FieldChange> {
        json_changes(self.before.as_ref(), self.after.as_ref())
    }
}

/// The readable difference of two JSON documents: every leaf (objects by
/// dotted path, arrays by `[index]`) whose value differs, in path order.
pub fn json_changes(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<FieldChange> {
    let leaves = |v: Option<&serde_json::Value>| {
        let mut out = std::collections::BTreeMap::new();
        if let Some(v) = v {
            flatten("", v, &mut out);
        }
        out
    };
    let (before, after) = (leaves(before), leaves(after));
    let fields: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    fields
        .into_iter()
        .filter(|f| before.get(*f) != after.get(*f))
        .map(|f| FieldChange { field: f.clone(), before: before.get(f).cloned(), after: after.get(f).cloned() })
        .collect()
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut std::collections::BTreeMap<String, String>) {
    use serde_json::Value;
    let name = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(&name(k), v, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{}[{i}]", prefix_or_value(prefix)), v, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix_or_value(prefix), s.clone());
        }
        Value::Null => {
            out.insert(prefix_or_value(prefix), "—".to_string());
        }
        other => {
            out.insert(prefix_or_value(prefix), other.to_string());
        }
    }
}

/// A top-level scalar has no field name of its own.
fn prefix_or_value(prefix: &str) -> String {
    if prefix.is_empty() { "value".to_string() } else { prefix.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> AuditEntry {
        AuditEntry { id: 1, at: "2025-07-15T10:00:00Z".into(), actor: None, partner_id: None, action: "x".into(), target: "y".into(), before, after }
    }

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange { field: field.into(), before: before.map(Into::into), after: after.map(Into::into) }
    }

    #[test]
    fn only_the_fields_that_moved_nested_ones_by_their_path() {
        let e = entry(
            Some(json!({"name": "Acme", "account_email": "a@acme.example", "state": {"status": "activated", "note": null}, "version": 1})),
            Some(json!({"name": "Acme Apps", "account_email": "a@acme.example", "state": {"status": "contacted", "note": "Called"}, "version": 2})),
        );
        assert_eq!(
            e.changes(),
            vec![
                change("name", Some("Acme"), Some("Acme Apps")),
                change("state.note", Some("—"), Some("Called")),
                change("state.status", Some("activated"), Some("contacted")),
                change("version", Some("1"), Some("2")),
            ]
        );
    }

    #[test]
    fn a_creation_has_only_afters_and_a_removal_only_befores() {
        assert_eq!(entry(None, Some(json!({"version": "2026.1"}))).changes(), vec![change("version", None, Some("2026.1"))]);
        assert_eq!(entry(Some(json!({"fraud": true})), None).changes(), vec![change("fraud", Some("true"), None)]);
        assert_eq!(entry(Some(json!(["a"])), Some(json!(["a", "b"]))).changes(), vec![change("value[1]", None, Some("b"))]);
        assert_eq!(
            json_changes(Some(&json!({"tiers": [{"tier": 1, "min": "0.00"}, {"tier": 2, "min": "25000.00"}]})), Some(&json!({"tiers": [{"tier": 1, "min": "0.00"}, {"tier": 2, "min": "40000.00"}]}))),
            vec![change("tiers[1].min", Some("25000.00"), Some("40000.00"))]
        );
        assert!(entry(Some(json!({"a": 1})), Some(json!({"a": 1}))).changes().is_empty());
    }
}

/// `POST /api/operator/catalogs/impact`: what publishing a proposed catalog
/// version would change, before it is published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogImpact {
    /// The day the proposal would apply from; both catalogs are evaluated on it.
    #[serde(with = "date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub effective_from: NaiveDate,
    /// The version in force on that day, which the proposal is compared with.
    pub compared_with: String,
    /// Every field of the catalog that the proposal changes.
    pub catalog_changes: Vec<FieldChange>,
    /// Partners evaluated (all of them).
    pub partners: u64,
    /// Partners whose effective tier or transact tier would move.
    pub tier_changes: u64,
    /// Every partner the proposal changes anything for (tier or benefits), by name.
    pub changed: Vec<PartnerImpact>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerImpact {
    pub partner_id: String,
    pub name: String,
    pub impact: benefits_domain::TierImpact,
}

/// The largest page of the activation queue and of the sales lines.
pub const MAX_LIST_PAGE: u32 = 200;
/// Their page size when none is asked for.
pub const DEFAULT_LIST_PAGE: u32 = 50;
/// The most rows one bulk action may name.
pub const MAX_BULK: usize = 500;

/// The states an engagement is worked in: the activation queue's filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueueState {
    Activated,
    Contacted,
    InProgress,
}

impl QueueState {
    pub const ALL: [QueueState; 3] = [QueueState::Activated, QueueState::Contacted, QueueState::InProgress];

    pub fn as_str(self) -> &'static str {
        BenefitStatus::from(self).as_str()
    }

    pub fn parse(s: &str) -> Option<QueueState> {
        QueueState::ALL.into_iter().find(|q| q.as_str() == s)
    }
}

impl From<QueueState> for BenefitStatus {
    fn from(s: QueueState) -> BenefitStatus {
        match s {
            QueueState::Activated => BenefitStatus::Activated,
            QueueState::Contacted => BenefitStatus::Contacted,
            QueueState::InProgress => BenefitStatus::InProgress,
        }
    }
}

/// `GET /api/operator/activations`: filters and page. Overdue first, then by
/// contact-by date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ActivationQuery {
    /// One of the states being worked on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<QueueState>,
    /// `true`: only engagements past their contact-by date; `false`: only the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
    /// The partner's engagement manager (a user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000000000))]
    pub offset: Option<u64>,
}

/// One page of the activation queue and how many engagements match in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationPage {
    pub total: u64,
    /// Of `total`, those past their contact-by date.
    pub overdue: u64,
    pub offset: u64,
    pub limit: u32,
    pub items: Vec<QueueItem>,
}

/// `GET /api/operator/sales`: filters and page, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SaleQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
    /// The status the evaluation uses (`fraud` includes the operator's flags).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SaleStatus>,
    /// Sales on or after this day.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub from: Option<NaiveDate>,
    /// Sales on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::date::option")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, format = Date))]
    pub to: Option<NaiveDate>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1000000000))]
    pub offset: Option<u64>,
}

/// One page of sales lines and how many match in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalePage {
    pub total: u64,
    pub offset: u64,
    pub limit: u32,
    pub items: Vec<SaleView>,
}

/// A row named with the version the operator saw (a row changed since is refused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaleRef {
    pub id: i64,
    pub version: i64,
}

/// `POST /api/operator/sales/fraud`: flag (or clear) several sales with one
/// note, all or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkFraud {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub sales: Vec<SaleRef>,
    pub fraud: bool,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"))]
    pub note: String,
}

/// One engagement (a benefit of a partner in its current benefit year) with
/// the version the operator saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EngagementRef {
    pub partner_id: String,
    pub benefit_id: String,
    pub version: i64,
}

/// `POST /api/operator/activations/advance`: move several engagements each to
/// its next delivery step, all or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkAdvance {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub items: Vec<EngagementRef>,
}

/// A moved engagement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovedEngagement {
    pub partner_id: String,
    pub benefit: crate::benefits::BenefitView,
}

/// `GET /api/operator/partners/{pid}/overview`: the partner as a whole, in one
/// request: its workspace as the partner sees it, its feed data with where
/// each row came from, and its engagement manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerOverview {
    pub workspace: crate::workspace::Workspace,
    pub offers: Vec<crate::offers::OfferView>,
    pub bizapps: Vec<crate::exports::BizappsEntry>,
    pub teams_mau: Vec<crate::exports::MauEntry>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub manager: Option<OperatorView>,
}
