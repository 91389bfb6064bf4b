//! Numbers, money, dates and plural forms in the user's language, for text
//! the server writes (email). The browser formats with its own `Intl`, which
//! costs nothing to download; these follow the same CLDR patterns, so a
//! Polish user reads `96 480,50 USD` and `24 lis 2026` in both places.
//! Pure: the caller gives the language and the date.

use chrono::{Datelike, NaiveDate};

use crate::Cents;

/// A language of the workspace and its email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Pl,
}

/// The CLDR plural category of a whole number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

/// CLDR's group separator for Polish (and the space before the currency code).
const NBSP: char = '\u{a0}';

impl Lang {
    /// The language of a tag such as `pl`, `pl-PL`, `en-GB`; English when unknown.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("pl") {
            Lang::Pl
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag: `en` / `pl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pl => "pl",
        }
    }

    /// The plural category of `n` (CLDR: English one/other; Polish one/few/many).
    pub fn plural(self, n: i64) -> Plural {
        let n = n.unsigned_abs();
        match self {
            Lang::En if n == 1 => Plural::One,
            Lang::En => Plural::Other,
            Lang::Pl if n == 1 => Plural::One,
            Lang::Pl if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => Plural::Few,
            Lang::Pl => Plural::Many,
        }
    }

    /// A whole number with the language's grouping: `12,500` / `12 500`
    /// (Polish groups only from five digits, as CLDR's minimumGroupingDigits 2).
    pub fn count(self, n: u64) -> String {
        let digits = n.to_string();
        match self {
            Lang::En => group(&digits, ','),
            Lang::Pl if digits.len() <= 4 => digits,
            Lang::Pl => group(&digits, NBSP),
        }
    }

    /// US dollars with cents: `$96,480.50`, `-$250.00` / `96 480,50 USD`, `-250,00 USD`.
    pub fn money(self, c: Cents) -> String {
        let sign = if c.0 < 0 { "-" } else { "" };
        let abs = c.0.unsigned_abs();
        let (whole, cents) = (abs / 100, abs % 100);
        match self {
            Lang::En => format!("{sign}${}.{cents:02}", self.count(whole)),
            Lang::Pl => format!("{sign}{},{cents:02}{NBSP}USD", self.count(whole)),
        }
    }

    /// A date: `24 Nov 2026` / `24 lis 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        const PL: [&str; 12] = ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"];
        let names = match self {
            Lang::En => EN,
            Lang::Pl => PL,
        };
        format!("{} {} {}", d.day(), names[d.month0() as usize], d.year())
    }
}

fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: String) -> String {
        s.replace(NBSP, " ")
    }

    #[test]
    fn money_in_both_languages() {
        assert_eq!(Lang::En.money(Cents(9_648_050)), "$96,480.50");
        assert_eq!(plain(Lang::Pl.money(Cents(9_648_050))), "96 480,50 USD");
        assert_eq!(Lang::En.money(Cents(-25_000)), "-$250.00");
        assert_eq!(plain(Lang::Pl.money(Cents(-25_000))), "-250,00 USD");
        assert_eq!(plain(Lang::Pl.money(Cents(123_456))), "1234,56 USD", "four digits are not grouped in Polish");
        assert_eq!(plain(Lang::Pl.money(Cents(400_000_000))), "4 000 000,00 USD");
        assert_eq!(Lang::En.money(Cents(5)), "$0.05");
    }

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(Lang::En.date(d), "24 Nov 2026");
        assert_eq!(Lang::Pl.date(d), "24 lis 2026");
        assert_eq!(Lang::Pl.date(NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()), "1 paź 2025");
    }

    #[test]
    fn plural_categories_in_both_languages() {
        use Plural::*;
        let pl: Vec<Plural> = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112, 0].iter().map(|&n| Lang::Pl.plural(n)).collect();
        assert_eq!(pl, [One, Few, Few, Many, Many, Many, Many, Many, Few, Many, Few, Many, Many]);
        assert_eq!(Lang::En.plural(1), One);
        assert_eq!(Lang::En.plural(0), Other);
        assert_eq!(Lang::En.plural(2), Other);
    }

    #[test]
    fn tags() {
        assert_eq!(Lang::from_tag("pl-PL"), Lang::Pl);
        assert_eq!(Lang::from_tag("PL"), Lang::Pl);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::Pl.tag(), "pl");
    }
}
