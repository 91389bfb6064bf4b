//! Presentation helpers: formatting, progress maths, chart scales and button
//! states. Plain functions, so the browser tests can check them directly.
//! None of this decides a rule: tiers, gaps and allowed actions come from
//! `benefits_domain`; these only turn its answers into words and pixels.

use benefits_api::benefits::BenefitView;
use benefits_domain::activation::{self, Action, Actor, BenefitState, BenefitStatus};
use benefits_domain::catalog::MetricTiers;
use benefits_domain::Cents;
use chrono::NaiveDate;

use crate::locale::{self, format, text};

/// `1234567` → `"1,234,567"` (machine-readable exports; people see `count`).
pub fn group_thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// US dollars with cents in the current language: `$25,000.00`, `-$250.00` / `25 000,00 USD`.
pub fn usd(c: Cents) -> String {
    format::money(locale::current(), c)
}

/// Whole US dollars when the cents are zero (thresholds): `$4,000,000` / `4 000 000 USD`.
pub fn usd_short(c: Cents) -> String {
    format::money_short(locale::current(), c)
}

/// A count of users: `12,500` / `12 500`.
pub fn count(n: u64) -> String {
    format::count(locale::current(), n)
}

/// `Some(2)` → `"Tier 2"` / `"Warstwa 2"`; `None` → `"No tier"` / `"Brak warstwy"`.
pub fn tier_label(tier: Option<u32>) -> String {
    text::tier_label(locale::current(), tier)
}

/// A date as partners read it: `15 Jul 2025` / `15 lip 2025`.
pub fn date_long(d: NaiveDate) -> String {
    format::date(locale::current(), d)
}

/// `2025-07` → `July 2025` / `lipiec 2025`; `short` gives the month alone (`Jul` / `lip`).
pub fn month_label(m: benefits_domain::Month, short: bool) -> String {
    format::month(locale::current(), m, short)
}

/// `1 day`, `12 days` / `1 dzień`, `2 dni`, `5 dni`.
pub fn days(n: i64) -> String {
    text::days(locale::current(), n)
}

/// How far `value` has come from `floor` (the current tier's minimum, or 0)
/// towards `target` (the next tier's minimum), as a whole percentage 0–100.
/// A value at or past the target is 100; at or below the floor, 0.
pub fn progress_percent(value: i128, floor: i128, target: i128) -> u8 {
    if value >= target {
        return 100;
    }
    if target <= floor || value <= floor {
        return 0;
    }
    // Round down, so that 100 % is only shown once the tier is reached.
    (((value - floor) * 100) / (target - floor)).clamp(0, 99) as u8
}

/// Progress of a metric towards its next tier, from the catalog's tier table:
/// the floor is the minimum of the tier reached (0 when none).
pub fn metric_progress<T: Magnitude>(
    tiers: &MetricTiers<T>,
    value: T,
    current: Option<u32>,
    next: Option<u32>,
) -> Option<u8> {
    let target = tiers.tiers.iter().find(|t| Some(t.tier) == next)?.min.magnitude();
    let floor = current
        .and_then(|c| tiers.tiers.iter().find(|t| t.tier == c))
        .map_or(0, |t| t.min.magnitude());
    Some(progress_percent(value.magnitude(), floor.min(target), target))
}

/// A metric value as one comparable number: cents, or users.
pub trait Magnitude: Copy {
    fn magnitude(self) -> i128;
}

impl Magnitude for Cents {
    fn magnitude(self) -> i128 {
        self.0 as i128
    }
}

impl Magnitude for u64 {
    fn magnitude(self) -> i128 {
        self as i128
    }
}

/// A "nice" upper bound for a chart axis: 1, 2 or 5 times a power of ten, at
/// least `max` (and at least 1).
pub fn nice_ceiling(max: i128) -> i128 {
    let max = max.max(1);
    let mut step: i128 = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// Height of `value` in a chart `height` units tall whose axis tops at `ceiling`.
/// Integer units (the SVG viewBox is large enough), so no float formatting is shipped.
pub fn bar_height(value: i128, ceiling: i128, height: i64) -> i64 {
    if ceiling <= 0 || value <= 0 {
        return 0;
    }
    (value.min(ceiling) * height as i128 / ceiling) as i64
}

/// One button a benefit row can show, with why it is disabled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionButton {
    pub action: Action,
    pub label: &'static str,
    pub enabled: bool,
    /// Shown next to a disabled button (never only a greyed-out colour).
    pub reason: Option<String>,
}

pub fn action_label(a: Action) -> &'static str {
    text::action(locale::current(), a)
}

/// The buttons a partner sees on a benefit: the actions the state machine
/// allows today. Activate stays visible but disabled, with the domain's own
/// reason, while no marketing contact is assigned.
pub fn partner_buttons(state: &BenefitState, actor: Actor, contact_assigned: bool, today: NaiveDate) -> Vec<ActionButton> {
    activation::available_actions(state, actor, today)
        .into_iter()
        .filter(|a| matches!(a, Action::Activate | Action::OptOut))
        .map(|action| {
            let reason = if action == Action::Activate {
                activation::activate(state, actor, contact_assigned, None, today)
                    .err()
                    .map(|e| text::transition_error(locale::current(), &e))
            } else {
                None
            };
            ActionButton { action, label: action_label(action), enabled: reason.is_none(), reason }
        })
        .collect()
}

/// The state a partner's Activate or Opt out leads to, from the domain's own
/// transitions: shown at once while the request is in flight. `None` when the
/// rules refuse it (then nothing is previewed; the server's answer decides).
pub fn partner_preview(
    state: &BenefitState,
    action: Action,
    actor: Actor,
    contact_assigned: bool,
    expires_after_days: Option<u32>,
    today: NaiveDate,
) -> Option<BenefitState> {
    activation::partner_action(state, action, actor, contact_assigned, expires_after_days, today).ok()
}

/// `b` with the status and dates of `state` (an optimistic preview of a
/// transition; the server's answer replaces it).
pub fn with_state(b: &BenefitView, state: &BenefitState) -> BenefitView {
    BenefitView {
        status: state.status,
        activated_on: state.activated_on,
        contact_by: state.contact_by,
        expires_on: state.expires_on,
        contact_overdue: false,
        revocation: if state.revocation.is_some() { b.revocation.clone() } else { None },
        actions: Vec::new(),
        ..b.clone()
    }
}

/// A status word plus a symbol, so the status never relies on colour alone.
pub fn status_badge(status: BenefitStatus) -> (&'static str, &'static str) {
    let symbol = match status {
        BenefitStatus::Locked => "🔒",
        BenefitStatus::Unlocked => "○",
        BenefitStatus::Activated | BenefitStatus::Contacted | BenefitStatus::InProgress => "◐",
        BenefitStatus::Delivered => "✓",
        BenefitStatus::OptedOut => "–",
        BenefitStatus::Revoked => "✕",
        BenefitStatus::Expired => "⌛",
    };
    (symbol, text::status(locale::current(), status))
}

/// Spaces people and `Intl` put between thousands (`12 500`, with a no-break space in Polish).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}')
}

/// Parses a whole number typed by a user, allowing thousands separators and spaces.
pub fn parse_count(typed: &str) -> Result<u64, &'static str> {
    let l = locale::current();
    let cleaned: String = typed.chars().filter(|c| !is_space(*c) && *c != ',').collect();
    if cleaned.is_empty() {
        return Err(crate::trs!(field.whole_number));
    }
    cleaned.parse::<u64>().map_err(|_| leptos_i18n::td_string!(l, field.whole_users))
}

/// Parses an amount typed by a user; the exact-cents parsing is the domain's.
/// In English `,` groups thousands and a leading `$` is allowed (`$1,250.50`);
/// in Polish `,` is the decimal sign and spaces group (`1 250,50`), and `.` is
/// accepted as the decimal sign too.
pub fn parse_amount(typed: &str) -> Result<Cents, String> {
    let l = locale::current();
    let trimmed = typed.trim().trim_end_matches("USD").trim().trim_start_matches('$');
    let cleaned: String = match l {
        locale::Locale::pl => trimmed.chars().filter(|c| !is_space(*c)).map(|c| if c == ',' { '.' } else { c }).collect(),
        locale::Locale::en => trimmed.chars().filter(|c| !is_space(*c) && *c != ',').collect(),
    };
    let cleaned = cleaned.replacen("-$", "-", 1);
    cleaned.parse::<Cents>().map_err(|e| text::money_error(l, &e).to_string())
}

/// Today's date in the browser's time zone (the rules never read a clock themselves).
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date()).unwrap_or_default()
}

/// What a feed file holds, in words.
pub fn kind_label(kind: benefits_api::feed::FeedKind) -> &'static str {
    match kind {
        benefits_api::feed::FeedKind::Partners => crate::trs!(feed.kind_partners),
        benefits_api::feed::FeedKind::Offers => crate::trs!(feed.kind_offers),
        benefits_api::feed::FeedKind::Sales => crate::trs!(feed.kind_sales),
        benefits_api::feed::FeedKind::Bizapps => crate::trs!(feed.kind_bizapps),
        benefits_api::feed::FeedKind::TeamsMau => crate::trs!(feed.kind_teams),
    }
}

/// "Marketplace feed, 2025-07-15 (#3)" and the like.
pub fn describe_source(source: &benefits_api::feed::Provenance) -> String {
    let via = match source.ingested_via.as_deref() {
        Some("api") => crate::trs!(feed.via_api),
        Some("cli") => crate::trs!(feed.via_cli),
        Some("console") => crate::trs!(feed.via_console),
        Some("seed") => crate::trs!(feed.via_seed),
        _ => return crate::trs!(feed.via_none).into(),
    };
    let day = source.ingested_at.as_deref().map(|t| t.get(..10).unwrap_or(t)).unwrap_or("");
    let day = day.parse::<NaiveDate>().map(date_long).unwrap_or_else(|_| day.to_string());
    match source.file_name.as_deref() {
        Some(file) => format!("{via}, {day} (#{}, {file})", source.ingestion_id.unwrap_or(0)),
        None => format!("{via}, {day} (#{})", source.ingestion_id.unwrap_or(0)),
    }
}

