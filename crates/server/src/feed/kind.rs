//! Where each feed kind's rows are stored. The kinds and their columns are
//! wire types (`benefits_api::feed::FeedKind`).

pub use benefits_api::feed::FeedKind as Kind;

/// How one kind is stored: the target table, its key and value columns (the
/// stage table uses the same names), and what a new or changed row also sets.
pub struct Spec {
    pub table: &'static str,
    /// `(name, SQL type)` of every stored column, keys first.
    pub stage: &'static [(&'static str, &'static str)],
    pub keys: &'static [&'static str],
    pub values: &'static [&'static str],
    /// The columns that must be unique within one file.
    pub unique_in_file: &'static [&'static str],
    /// The stage column naming the partner.
    pub partner_col: &'static str,
    /// Extra `(column, SQL value)` set on insert.
    pub insert_extra: &'static [(&'static str, &'static str)],
    /// Set on update, after the values.
    pub update_extra: &'static str,
    /// The audit target prefix and the stage column after it.
    pub target: (&'static str, &'static str),
}

/// How `kind` is stored.
pub fn spec(kind: Kind) -> Spec {
    match kind {
        Kind::Partners => Spec {
            table: "partners",
            stage: &[("id", "TEXT"), ("name", "TEXT"), ("account_email", "TEXT")],
            keys: &["id"],
            values: &["name", "account_email"],
            unique_in_file: &["id"],
            partner_col: "id",
            insert_extra: &[("data_version", "0"), ("created_at", "?now")],
            update_extra: "",
            target: ("partner:", "id"),
        },
        Kind::Offers => Spec {
            table: "offers",
            stage: &[("partner_id", "TEXT"), ("id", "TEXT"), ("type", "TEXT"), ("name", "TEXT"), ("live_on", "TEXT"), ("delisted_on", "TEXT")],
            keys: &["partner_id", "id"],
            values: &["type", "name", "live_on", "delisted_on"],
            unique_in_file: &["partner_id", "id"],
            partner_col: "partner_id",
            insert_extra: &[("version", "1"), ("created_at", "?now")],
            update_extra: ", version = offers.version + 1",
            target: ("offer:", "id"),
        },
        Kind::Sales => Spec {
            table: "sales",
            stage: &[("partner_id", "TEXT"), ("external_id", "TEXT"), ("offer_id", "TEXT"), ("date", "TEXT"), ("amount_cents", "BIGINT"), ("status", "TEXT")],
            keys: &["partner_id", "external_id"],
            values: &["offer_id", "date", "amount_cents", "status"],
            unique_in_file: &["external_id"],
            partner_col: "partner_id",
            insert_extra: &[("fraud", "0"), ("version", "1")],
            update_extra: ", version = sales.version + 1",
            target: ("sale:", "external_id"),
        },
        Kind::Bizapps => Spec {
            table: "bizapps_values",
            stage: &[("partner_id", "TEXT"), ("row_key", "TEXT"), ("month", "TEXT"), ("amount_cents", "BIGINT")],
            keys: &["partner_id", "row_key"],
            values: &["month", "amount_cents"],
            unique_in_file: &["partner_id", "row_key"],
            partner_col: "partner_id",
            insert_extra: &[],
            update_extra: "",
            target: ("bizapps:", "row_key"),
        },
        Kind::TeamsMau => Spec {
            table: "teams_mau",
            stage: &[("partner_id", "TEXT"), ("row_key", "TEXT"), ("app", "TEXT"), ("month", "TEXT"), ("mau", "BIGINT")],
            keys: &["partner_id", "row_key"],
            values: &["app", "month", "mau"],
            unique_in_file: &["partner_id", "row_key"],
            partner_col: "partner_id",
            insert_extra: &[],
            update_extra: "",
            target: ("teams_mau:", "row_key"),
        },
    }
}
