//! Numbers, money, dates, month names and plural categories in the user's
//! language, from the browser's own `Intl` (nothing added to the download).
//! Money is formatted from its exact decimal text (`"96480.50"`): `Intl`
//! takes a numeric string as an exact decimal, so no amount goes through f64.

use std::cell::RefCell;

use benefits_domain::{Cents, Month};
use chrono::{Datelike, NaiveDate};
use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::Locale;

/// The BCP 47 tags `Intl` is asked for. English keeps the app's day-month-year
/// dates ("24 Nov 2026", en-GB) and US-dollar amounts ("$96,480.50", en-US).
fn number_tag(l: Locale) -> &'static str {
    match l {
        Locale::en => "en-US",
        Locale::pl => "pl-PL",
    }
}

fn date_tag(l: Locale) -> &'static str {
    match l {
        Locale::en => "en-GB",
        Locale::pl => "pl-PL",
    }
}

/// The formatters of one locale, built once (building an `Intl` object is slow).
struct Formatters {
    locale: Locale,
    money: Function,
    money_whole: Function,
    number: Function,
    date: Function,
    month_long: Function,
    month_short: Function,
    month_year: Function,
    timestamp: Function,
    plural: Intl::PluralRules,
}

thread_local! {
    static CACHE: RefCell<Vec<Formatters>> = const { RefCell::new(Vec::new()) };
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn tags(tag: &str) -> Array {
    Array::of1(&s(tag))
}

fn build(locale: Locale) -> Formatters {
    let n = tags(number_tag(locale));
    let d = tags(date_tag(locale));
    let money = |digits: f64| {
        Intl::NumberFormat::new(
            &n,
            &options(&[
                ("style", s("currency")),
                ("currency", s("USD")),
                ("minimumFractionDigits", digits.into()),
                ("maximumFractionDigits", 2.into()),
            ]),
        )
        .format()
    };
    let date = |pairs: &[(&str, JsValue)]| Intl::DateTimeFormat::new(&d, &options(pairs)).format();
    Formatters {
        locale,
        money: money(2.0),
        money_whole: money(0.0),
        number: Intl::NumberFormat::new(&n, &Object::new()).format(),
        date: date(&[("day", s("numeric")), ("month", s("short")), ("year", s("numeric"))]),
        month_long: date(&[("month", s("long"))]),
        month_short: date(&[("month", s("short"))]),
        month_year: date(&[("month", s("long")), ("year", s("numeric"))]),
        timestamp: date(&[
            ("day", s("numeric")),
            ("month", s("short")),
            ("year", s("numeric")),
            ("hour", s("2-digit")),
            ("minute", s("2-digit")),
        ]),
        plural: Intl::PluralRules::new(&tags(number_tag(locale)), &Object::new()),
    }
}

fn with<R>(locale: Locale, f: impl FnOnce(&Formatters) -> R) -> R {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let i = match cache.iter().position(|x| x.locale == locale) {
            Some(i) => i,
            None => {
                cache.push(build(locale));
                cache.len() - 1
            }
        };
        f(&cache[i])
    })
}

fn call(f: &Function, arg: &JsValue) -> String {
    f.call1(&JsValue::NULL, arg).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// The exact decimal text of an amount: `-12345` → `"-123.45"`.
pub fn decimal_text(c: Cents) -> String {
    let sign = if c.0 < 0 { "-" } else { "" };
    let abs = c.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// US dollars with cents: `$96,480.50` / `96 480,50 USD`.
pub fn money(locale: Locale, c: Cents) -> String {
    with(locale, |f| call(&f.money, &s(&decimal_text(c))))
}

/// Whole dollars when there are no cents (thresholds): `$4,000,000` / `4 000 000 USD`.
pub fn money_short(locale: Locale, c: Cents) -> String {
    if c.0 % 100 != 0 {
        return money(locale, c);
    }
    with(locale, |f| call(&f.money_whole, &s(&(c.0 / 100).to_string())))
}

/// A whole number with the locale's grouping: `12,500` / `12 500`.
pub fn count(locale: Locale, n: u64) -> String {
    with(locale, |f| call(&f.number, &s(&n.to_string())))
}

fn js_date(y: i32, m0: u32, d: u32) -> js_sys::Date {
    // Noon, so no time-zone offset can move the day.
    let date = js_sys::Date::new_with_year_month_day_hr(y as u32, m0 as i32, d as i32, 12);
    // `new Date(y, …)` reads years 0–99 as 1900–1999; set the full year.
    date.set_full_year(y as u32);
    date
}

/// `24 Nov 2026` / `24 lis 2026`.
pub fn date(locale: Locale, d: NaiveDate) -> String {
    with(locale, |f| call(&f.date, &js_date(d.year(), d.month0(), d.day())))
}

/// A month for charts and tables: `November 2026` / `listopad 2026`; with
/// `short`, the month alone in its short form (`Nov` / `lis`).
pub fn month(locale: Locale, m: Month, short: bool) -> String {
    with(locale, |f| {
        let d = js_date(m.year(), m.month() - 1, 1);
        call(if short { &f.month_short } else { &f.month_year }, &d)
    })
}

/// A moment (RFC 3339) with date and time, in the browser's time zone:
/// `24 Nov 2026, 14:05` / `24 lis 2026, 14:05`. Text that is not a date is shown as it is.
pub fn timestamp(locale: Locale, iso: &str) -> String {
    let date = js_sys::Date::new(&s(iso));
    if date.get_time().is_nan() {
        return iso.to_string();
    }
    with(locale, |f| call(&f.timestamp, &date))
}

/// The month's full name alone: `November` / `listopad`.
pub fn month_name(locale: Locale, month1: u32) -> String {
    with(locale, |f| call(&f.month_long, &js_date(2000, month1.clamp(1, 12) - 1, 1)))
}

/// The CLDR plural category of a whole number: `one`, `few`, `many` or `other`.
pub fn plural_category(locale: Locale, n: i64) -> Plural {
    let cat = with(locale, |f| f.plural.select(n as f64)).as_string().unwrap_or_default();
    match cat.as_str() {
        "one" => Plural::One,
        "few" => Plural::Few,
        "many" => Plural::Many,
        _ => Plural::Other,
    }
}

/// The plural categories the translations provide (`plural.*.one` …): the
/// domain's, which the server's mail uses too.
pub use benefits_domain::locale::Plural;
