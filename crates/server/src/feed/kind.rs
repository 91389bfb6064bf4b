//! The five feed kinds: their input columns and where their rows are stored.

/// A kind of marketplace feed file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Partners,
    Offers,
    Sales,
    Bizapps,
    TeamsMau,
}

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

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Partners, Kind::Offers, Kind::Sales, Kind::Bizapps, Kind::TeamsMau];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Partners => "partners",
            Kind::Offers => "offers",
            Kind::Sales => "sales",
            Kind::Bizapps => "bizapps",
            Kind::TeamsMau => "teams-mau",
        }
    }

    /// The input columns, in this order in every parsed row; all required
    /// except those marked optional (an empty value is a missing one).
    pub fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Kind::Partners => &[("partner_id", true), ("name", true), ("account_email", true)],
            Kind::Offers => &[("partner_id", true), ("offer_id", true), ("type", true), ("name", true), ("live_on", false), ("delisted_on", false)],
            Kind::Sales => &[("external_id", true), ("partner_id", true), ("offer_id", true), ("date", true), ("amount_usd", true), ("status", true)],
            Kind::Bizapps => &[("partner_id", true), ("month", true), ("amount_usd", true)],
            Kind::TeamsMau => &[("partner_id", true), ("app", false), ("month", true), ("mau", true)],
        }
    }

    pub fn column_list(self) -> String {
        self.columns().iter().map(|(c, req)| if *req { c.to_string() } else { format!("{c} (optional)") }).collect::<Vec<_>>().join(", ")
    }

    pub fn spec(self) -> Spec {
        match self {
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
                stage: &[("partner_id", "TEXT"), ("external_id", "TEXT"), ("offer_id", "TEXT"), ("date", "TEXT"), ("amount_cents", "INTEGER"), ("status", "TEXT")],
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
                stage: &[("partner_id", "TEXT"), ("row_key", "TEXT"), ("month", "TEXT"), ("amount_cents", "INTEGER")],
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
                stage: &[("partner_id", "TEXT"), ("row_key", "TEXT"), ("app", "TEXT"), ("month", "TEXT"), ("mau", "INTEGER")],
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
}
