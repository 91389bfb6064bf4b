//! Checking one feed row: each field's format, with an error naming line and
//! field. Whether its partner or offer exists is checked against the store.

use benefits_domain::error::{InputCode, InputError};
use benefits_domain::parse::{date, one_of};
use benefits_domain::{Cents, Month, OfferType, SaleStatus};

use super::kind::Kind;
use crate::error::RowError;

/// A stored value of a staged row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
}

/// The errors of one file: the first `MAX_ERRORS` kept, all counted.
#[derive(Default, Debug)]
pub struct Errors {
    pub list: Vec<RowError>,
    pub total: usize,
}

pub const MAX_ERRORS: usize = 200;

impl Errors {
    /// Records `error` at `line`, naming the column `field`.
    pub fn push(&mut self, line: usize, field: &str, error: InputError) {
        self.total += 1;
        if self.list.len() < MAX_ERRORS {
            self.list.push(RowError { line, error: InputError { field: field.to_string(), ..error } });
        }
    }
}

/// One row's cells, in the order of [`Kind::columns`]; `None` is empty.
pub struct Cells<'a> {
    pub line: usize,
    pub values: &'a [Option<String>],
}

struct Check<'a, 'e> {
    kind: Kind,
    cells: Cells<'a>,
    errors: &'e mut Errors,
    ok: bool,
}

impl Check<'_, '_> {
    fn fail(&mut self, field: &str, error: InputError) {
        self.ok = false;
        self.errors.push(self.cells.line, field, error);
    }

    fn get(&self, field: &str) -> Option<&str> {
        let i = self.kind.columns().iter().position(|(c, _)| *c == field)?;
        self.cells.values.get(i)?.as_deref()
    }

    fn required(&mut self, field: &str) -> Option<String> {
        let v = self.get(field).map(str::to_string);
        if v.is_none() {
            self.fail(field, InputError::new(field, InputCode::Missing));
        }
        v
    }

    /// A marketplace identifier: 1 to 64 letters, digits, dots, dashes or underscores.
    fn id(&mut self, field: &str) -> Option<String> {
        let v = self.required(field)?;
        if let Err(e) = benefits_domain::parse::validate_offer_id(&v) {
            self.fail(field, e.value(&v));
            return None;
        }
        Some(v)
    }

    fn text(&mut self, field: &str, required: bool) -> Option<Option<String>> {
        let v = if required { Some(self.required(field)?) } else { self.get(field).map(str::to_string) };
        if v.as_ref().is_some_and(|t| t.chars().count() > TEXT_MAX) {
            self.fail(field, InputError::new(field, InputCode::TextTooLong).with("max", TEXT_MAX));
            return None;
        }
        Some(v)
    }

    fn date(&mut self, field: &str, required: bool) -> Option<Option<chrono::NaiveDate>> {
        let v = if required { Some(self.required(field)?) } else { self.get(field).map(str::to_string) };
        match v {
            None => Some(None),
            Some(v) => match date::parse(&v) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    self.fail(field, e);
                    None
                }
            },
        }
    }

    fn amount(&mut self) -> Option<Cents> {
        let v = self.required("amount_usd")?;
        v.parse::<Cents>().map_err(|e| self.fail("amount_usd", InputError::new("", e.code()).value(&v))).ok()
    }

    fn month(&mut self) -> Option<Month> {
        let v = self.required("month")?;
        v.parse::<Month>().map_err(|_| self.fail("month", InputError::new("", InputCode::InvalidMonth).value(&v))).ok()
    }
}

/// The longest name in a feed row, in characters (as in the forms).
const TEXT_MAX: usize = benefits_domain::user::NAME_MAX_CHARS;

fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

fn opt(s: Option<String>) -> Val {
    s.map_or(Val::Null, Val::Text)
}

/// Checks one row; on success, its values in the order of the kind's stage columns.
pub fn check(kind: Kind, cells: Cells<'_>, errors: &mut Errors) -> Option<Vec<Val>> {
    // No text of the program holds U+0000 (PostgreSQL's text cannot): each
    // such cell is named by line and column, before anything else reads the row.
    let mut nul = false;
    for ((column, _), value) in kind.columns().iter().zip(cells.values) {
        if value.as_deref().is_some_and(|v| v.contains('\0')) {
            errors.push(cells.line, column, InputError::new("", InputCode::NulCharacter));
            nul = true;
        }
    }
    if nul {
        return None;
    }
    let mut c = Check { kind, cells, errors, ok: true };
    let out = match kind {
        Kind::Partners => {
            let id = c.id("partner_id");
            let name = c.text("name", true).flatten();
            let email = c.required("account_email");
            let email = email.filter(|e| {
                let ok = e.len() <= 254 && e.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.'));
                if !ok {
                    c.fail("account_email", InputError::new("", InputCode::NotAnEmail).value(e));
                }
                ok
            });
            vec![text(id?), text(name?), text(email?)]
        }
        Kind::Offers => {
            let pid = c.id("partner_id");
            let oid = c.id("offer_id");
            let t = c.required("type").and_then(|v| {
                OfferType::parse(&v).or_else(|| {
                    c.fail("type", one_of("type", &v, OfferType::ALL.map(OfferType::as_str)));
                    None
                })
            });
            let name = c.text("name", true).flatten();
            let live = c.date("live_on", false);
            let delisted = c.date("delisted_on", false);
            if let (Some(Some(l)), Some(Some(d))) = (live, delisted) {
                if d < l {
                    c.fail("delisted_on", InputError::new("", InputCode::DelistedBeforeLive).value(&d.to_string()));
                }
            }
            let fmt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
            vec![text(pid?), text(oid?), text(t?.as_str()), text(name?), opt(fmt(live?)), opt(fmt(delisted?))]
        }
        Kind::Sales => {
            let ext = c.text("external_id", true).flatten();
            let pid = c.id("partner_id");
            let oid = c.id("offer_id");
            let day = c.date("date", true).flatten();
            let amount = c.amount();
            let status = c.required("status").and_then(|v| {
                SaleStatus::parse(&v).or_else(|| {
                    c.fail("status", one_of("status", &v, SaleStatus::ALL.map(SaleStatus::as_str)));
                    None
                })
            });
            vec![text(pid?), text(ext?), text(oid?), text(day?.to_string()), Val::Int(amount?.0), text(status?.as_str())]
        }
        Kind::Bizapps => {
            let pid = c.id("partner_id");
            let month = c.month();
            let amount = c.amount();
            let month = month?;
            vec![text(pid?), text(format!("month:{month}")), text(month.to_string()), Val::Int(amount?.0)]
        }
        Kind::TeamsMau => {
            let pid = c.id("partner_id");
            let app = c.text("app", false).flatten();
            let month = c.month();
            let mau = c.required("mau").and_then(|v| {
                v.parse::<u32>().map_err(|_| c.fail("mau", InputError::new("", InputCode::NotACount).value(&v))).ok()
            });
            let (app, month) = (app, month?);
            let key = format!("app:{}|month:{month}", app.clone().unwrap_or_default());
            vec![text(pid?), text(key), opt(app), text(month.to_string()), Val::Int(i64::from(mau?))]
        }
    };
    c.ok.then_some(out)
}
