//! The app's words for the domain's values, codes and errors, in a given
//! language. The domain speaks in enums and stable codes; only these functions
//! turn them into sentences (the server's English `message` is the fallback
//! for a code the app does not know).

use benefits_domain::activation::{Action, BenefitStatus, RevocationReason, Role, TransitionError};
use benefits_domain::catalog::BenefitKind;
use benefits_domain::error::{InputCode, InputError, Params, ValueKind};
use benefits_domain::evaluate::{MetricName, TicketReason};
use benefits_domain::money::MoneyError;
use benefits_domain::{OfferType, SaleStatus};
use leptos_i18n::td_string;

use super::format::{plural_category, Plural};
use crate::i18n::Locale;

/// Fills a translation's `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `Tier 2` / `Warstwa 2`; no tier: `No tier` / `Brak warstwy`.
pub fn tier_label(l: Locale, tier: Option<u32>) -> String {
    match tier {
        Some(t) => fill(td_string!(l, tier.label), &[("tier", &t.to_string())]),
        None => td_string!(l, tier.none).to_string(),
    }
}

fn plural(l: Locale, n: i64, one: &str, few: &str, many: &str, other: &str) -> String {
    let template = match plural_category(l, n) {
        Plural::One => one,
        Plural::Few => few,
        Plural::Many => many,
        Plural::Other => other,
    };
    fill(template, &[("n", &n.to_string())])
}

/// `1 day`, `2 days` / `1 dzień`, `2 dni`, `5 dni`.
pub fn days(l: Locale, n: i64) -> String {
    plural(l, n, td_string!(l, plural.days.one), td_string!(l, plural.days.few), td_string!(l, plural.days.many), td_string!(l, plural.days.other))
}

/// A count of users, the number grouped for the locale: `12,500 users` / `12 500 użytkowników`.
pub fn users(l: Locale, n: u64) -> String {
    let template = match plural_category(l, n.min(i64::MAX as u64) as i64) {
        Plural::One => td_string!(l, plural.users.one),
        Plural::Few => td_string!(l, plural.users.few),
        Plural::Many => td_string!(l, plural.users.many),
        Plural::Other => td_string!(l, plural.users.other),
    };
    fill(template, &[("n", &super::format::count(l, n))])
}

/// The account page's button: `Sign out the other 2 sessions` / `Wyloguj pozostałe sesje (2)`.
pub fn other_sessions(l: Locale, n: i64) -> String {
    plural(
        l,
        n,
        td_string!(l, plural.other_sessions.one),
        td_string!(l, plural.other_sessions.few),
        td_string!(l, plural.other_sessions.many),
        td_string!(l, plural.other_sessions.other),
    )
}

/// The outbox's count: `2 waiting to be sent` / `2 czynności czekają na wysłanie`.
pub fn waiting(l: Locale, n: i64) -> String {
    plural(
        l,
        n,
        td_string!(l, plural.waiting.one),
        td_string!(l, plural.waiting.few),
        td_string!(l, plural.waiting.many),
        td_string!(l, plural.waiting.other),
    )
}

/// "This browser also keeps {n} offline actions queued by another user…"
pub fn others_waiting(l: Locale, n: i64) -> String {
    plural(
        l,
        n,
        td_string!(l, plural.others_waiting.one),
        td_string!(l, plural.others_waiting.few),
        td_string!(l, plural.others_waiting.many),
        td_string!(l, plural.others_waiting.other),
    )
}

pub fn status(l: Locale, s: BenefitStatus) -> &'static str {
    match s {
        BenefitStatus::Locked => td_string!(l, status.locked),
        BenefitStatus::Unlocked => td_string!(l, status.unlocked),
        BenefitStatus::Activated => td_string!(l, status.activated),
        BenefitStatus::Contacted => td_string!(l, status.contacted),
        BenefitStatus::InProgress => td_string!(l, status.in_progress),
        BenefitStatus::Delivered => td_string!(l, status.delivered),
        BenefitStatus::OptedOut => td_string!(l, status.opted_out),
        BenefitStatus::Revoked => td_string!(l, status.revoked),
        BenefitStatus::Expired => td_string!(l, status.expired),
    }
}

/// A button's label: `Activate` / `Aktywuj`.
pub fn action(l: Locale, a: Action) -> &'static str {
    match a {
        Action::Activate => td_string!(l, action.activate),
        Action::OptOut => td_string!(l, action.opt_out),
        Action::MarkContacted => td_string!(l, action.mark_contacted),
        Action::MarkInProgress => td_string!(l, action.mark_in_progress),
        Action::MarkDelivered => td_string!(l, action.mark_delivered),
        Action::Revoke => td_string!(l, action.revoke),
        Action::Expire => td_string!(l, action.expire),
    }
}

fn action_verb(l: Locale, a: Action) -> &'static str {
    match a {
        Action::Activate => td_string!(l, action_verb.activate),
        Action::OptOut => td_string!(l, action_verb.opt_out),
        Action::MarkContacted => td_string!(l, action_verb.mark_contacted),
        Action::MarkInProgress => td_string!(l, action_verb.mark_in_progress),
        Action::MarkDelivered => td_string!(l, action_verb.mark_delivered),
        Action::Revoke => td_string!(l, action_verb.revoke),
        Action::Expire => td_string!(l, action_verb.expire),
    }
}

fn action_past(l: Locale, a: Action) -> &'static str {
    match a {
        Action::Activate => td_string!(l, action_past.activate),
        Action::OptOut => td_string!(l, action_past.opt_out),
        Action::MarkContacted => td_string!(l, action_past.mark_contacted),
        Action::MarkInProgress => td_string!(l, action_past.mark_in_progress),
        Action::MarkDelivered => td_string!(l, action_past.mark_delivered),
        Action::Revoke => td_string!(l, action_past.revoke),
        Action::Expire => td_string!(l, action_past.expire),
    }
}

pub fn revocation_reason(l: Locale, r: RevocationReason) -> &'static str {
    match r {
        RevocationReason::IllegalActivity => td_string!(l, revocation.illegal_activity),
        RevocationReason::FraudulentPurchases => td_string!(l, revocation.fraudulent_purchases),
        RevocationReason::Delisted => td_string!(l, revocation.delisted),
        RevocationReason::InfringingContent => td_string!(l, revocation.infringing_content),
        RevocationReason::SponsorshipPolicyBreach => td_string!(l, revocation.sponsorship_policy_breach),
    }
}

pub fn role(l: Locale, r: Role) -> &'static str {
    match r {
        Role::Admin => td_string!(l, role.admin),
        Role::Member => td_string!(l, role.member),
        Role::Operator => td_string!(l, role.operator),
    }
}

pub fn metric(l: Locale, m: MetricName) -> &'static str {
    match m {
        MetricName::Mbs => td_string!(l, metric.mbs),
        MetricName::Bizapps => td_string!(l, metric.bizapps),
        MetricName::TeamsMau => td_string!(l, metric.teams),
    }
}

pub fn ticket_reason(l: Locale, r: TicketReason) -> &'static str {
    match r {
        TicketReason::OfferLiveOver3Weeks => td_string!(l, ticket.offer_live),
        TicketReason::MbsMeetsTier => td_string!(l, ticket.mbs_meets),
    }
}

pub fn offer_type(l: Locale, t: OfferType) -> &'static str {
    match t {
        OfferType::List => td_string!(l, offer_type.list),
        OfferType::Trial => td_string!(l, offer_type.trial),
        OfferType::Consulting => td_string!(l, offer_type.consulting),
        OfferType::Transact => td_string!(l, offer_type.transact),
    }
}

pub fn benefit_kind(l: Locale, k: BenefitKind) -> &'static str {
    match k {
        BenefitKind::Marketing => td_string!(l, kind.marketing),
        BenefitKind::Sales => td_string!(l, kind.sales),
        BenefitKind::Technical => td_string!(l, kind.technical),
    }
}

pub fn sale_status(l: Locale, s: SaleStatus) -> &'static str {
    match s {
        SaleStatus::Billed => td_string!(l, sale_status.billed),
        SaleStatus::Fraud => td_string!(l, sale_status.fraud),
        SaleStatus::CancelledAccidental => td_string!(l, sale_status.cancelled_accidental),
        SaleStatus::CancelledBeforeUse => td_string!(l, sale_status.cancelled_before_use),
    }
}

/// A refused transition, with its role and action, in words (English: the
/// domain's own sentence).
pub fn transition_error(l: Locale, e: &TransitionError) -> String {
    if l == Locale::en {
        return e.to_string();
    }
    match e {
        TransitionError::NotAllowedForRole { role, action } => {
            let template = match role {
                Role::Admin => td_string!(l, transition.role_admin),
                Role::Member => td_string!(l, transition.role_member),
                Role::Operator => td_string!(l, transition.role_operator),
            };
            fill(template, &[("action", action_verb(l, *action))])
        }
        TransitionError::InvalidTransition { from, action } => fill(
            td_string!(l, transition.invalid),
            &[("status", &status(l, *from).to_ascii_lowercase()), ("action", action_past(l, *action))],
        ),
        other => error_code(l, other.code()).unwrap_or_default().to_string(),
    }
}

/// The sentence for an API error code (`ErrorCode`, including the state
/// machine's), or `None` for a code this app does not know.
pub fn error_code(l: Locale, code: &str) -> Option<&'static str> {
    Some(match code {
        "bad_request" => td_string!(l, code.bad_request),
        "invalid_json" => td_string!(l, code.invalid_json),
        "validation_failed" => td_string!(l, code.validation_failed),
        "invalid_input" => td_string!(l, code.invalid_input),
        "import_rejected" => td_string!(l, code.import_rejected),
        "unsupported_media_type" => td_string!(l, code.unsupported_media_type),
        "payload_too_large" => td_string!(l, code.payload_too_large),
        "not_found" => td_string!(l, code.not_found),
        "method_not_allowed" => td_string!(l, code.method_not_allowed),
        "unauthenticated" => td_string!(l, code.unauthenticated),
        "invalid_credentials" => td_string!(l, code.invalid_credentials),
        "forbidden" => td_string!(l, code.forbidden),
        "csrf_failed" => td_string!(l, code.csrf_failed),
        "rate_limited" => td_string!(l, code.rate_limited),
        "precondition_required" => td_string!(l, code.precondition_required),
        "version_mismatch" => td_string!(l, code.version_mismatch),
        "email_taken" => td_string!(l, code.email_taken),
        "last_admin" => td_string!(l, code.last_admin),
        "is_marketing_contact" => td_string!(l, code.is_marketing_contact),
        "offer_exists" => td_string!(l, code.offer_exists),
        "catalog_version_exists" => td_string!(l, code.catalog_version_exists),
        "marketing_contact_required" => td_string!(l, code.marketing_contact_required),
        "not_unlocked" => td_string!(l, code.not_unlocked),
        "already_active" => td_string!(l, code.already_active),
        "already_delivered" => td_string!(l, code.already_delivered),
        "revoked" => td_string!(l, code.revoked),
        "expired" => td_string!(l, code.expired),
        "already_opted_out" => td_string!(l, code.already_opted_out),
        "not_allowed_for_role" => td_string!(l, code.not_allowed_for_role),
        "invalid_transition" => td_string!(l, code.invalid_transition),
        "not_expired_yet" => td_string!(l, code.not_expired_yet),
        "link_invalid" => td_string!(l, code.link_invalid),
        "mfa_required" => td_string!(l, code.mfa_required),
        "mfa_invalid" => td_string!(l, code.mfa_invalid),
        "mfa_setup_required" => td_string!(l, code.mfa_setup_required),
        "offer_has_sales" => td_string!(l, code.offer_has_sales),
        "preference_locked" => td_string!(l, code.preference_locked),
        "invalid_token" => td_string!(l, code.invalid_token),
        "unknown_feed_kind" => td_string!(l, code.unknown_feed_kind),
        "partner_exists" => td_string!(l, code.partner_exists),
        "idempotency_key_reused" => td_string!(l, code.idempotency_key_reused),
        "busy" => td_string!(l, code.busy),
        "internal" => td_string!(l, code.internal),
        "network" => td_string!(l, error.network),
        _ => return None,
    })
}

/// A form field's error from its code (the domain's `FieldError::code`, the
/// server's `errors[].code`). English keeps the sender's own sentence
/// (`fallback`), which is more specific; so does an unknown code.
pub fn field_error(l: Locale, code: &str, params: &Params, fallback: &str) -> String {
    if l == Locale::en {
        return fallback.to_string();
    }
    let known = match code {
        "invalid_partner_id" => td_string!(l, field.invalid_partner_id),
        "after_to" => td_string!(l, field.after_to),
        "count" => match params.get("max") {
            Some(max) => return fill(td_string!(l, field.count), &[("max", max)]),
            None => td_string!(l, field.invalid),
        },
        "too_long" => match params.get("max") {
            Some(max) => return fill(td_string!(l, field.too_long_max), &[("max", max)]),
            None => td_string!(l, field.too_long),
        },
        "range_too_long" => match params.get("max") {
            Some(max) => return fill(td_string!(l, field.range_too_long), &[("max", max)]),
            None => td_string!(l, field.invalid),
        },
        "duplicate" => td_string!(l, field.duplicate),
        "unknown" => td_string!(l, field.unknown_row),
        "not_an_operator" => td_string!(l, field.not_an_operator),
        "mfa_invalid" => td_string!(l, field.mfa_invalid),
        "required" => td_string!(l, field.required),
        "invalid_email" => td_string!(l, field.invalid_email),
        "invalid" => td_string!(l, field.invalid),
        "invalid_id" => td_string!(l, field.invalid_id),
        "invalid_length" => {
            use benefits_domain::password::{MAX_CHARS, MIN_CHARS};
            return fill(td_string!(l, field.invalid_length), &[("min", &MIN_CHARS.to_string()), ("max", &MAX_CHARS.to_string())]);
        }
        "invalid_phone" => td_string!(l, field.invalid_phone),
        "unknown_user" => td_string!(l, field.unknown_user),
        "same_as_account_email" => td_string!(l, field.same_as_account_email),
        "unsupported_language" => td_string!(l, field.unsupported_language),
        "invalid_role" => td_string!(l, field.invalid_role),
        "in_future" => td_string!(l, field.in_future),
        "invalid_credentials" => td_string!(l, field.wrong_password),
        "password_too_short" => {
            return fill(td_string!(l, field.password_too_short), &[("min", &benefits_domain::password::MIN_CHARS.to_string())])
        }
        "password_too_long" => {
            return fill(td_string!(l, field.password_too_long), &[("max", &benefits_domain::password::MAX_CHARS.to_string())])
        }
        "password_common" => td_string!(l, field.password_common),
        "password_same_as_email" => td_string!(l, field.password_same_as_email),
        _ => return fallback.to_string(),
    };
    known.to_string()
}

/// The words of a domain input error code, `{name}` for its parameters.
pub fn input_template(l: Locale, code: InputCode) -> &'static str {
    use InputCode::*;
    match code {
        NotAnObject => td_string!(l, input.not_an_object),
        InvalidJson => td_string!(l, input.invalid_json),
        Missing => td_string!(l, input.missing),
        UnknownField => td_string!(l, input.unknown_field),
        DuplicateField => td_string!(l, input.duplicate_field),
        WrongType => td_string!(l, input.wrong_type),
        UnknownValue => td_string!(l, input.unknown_value),
        InvalidValue => td_string!(l, input.invalid_value),
        Empty => td_string!(l, input.empty),
        NotACount => td_string!(l, input.not_a_count),
        InvalidDate => td_string!(l, input.invalid_date),
        NotACalendarDate => td_string!(l, input.not_a_calendar_date),
        InvalidMonth => td_string!(l, input.invalid_month),
        AmountEmpty => td_string!(l, input.amount_empty),
        AmountNotDecimal => td_string!(l, input.amount_not_decimal),
        AmountDecimals => td_string!(l, input.amount_decimals),
        AmountTooLarge => td_string!(l, input.amount_too_large),
        IdFormat => td_string!(l, input.id_format),
        TextTooLong => td_string!(l, input.text_too_long),
        NotAnEmail => td_string!(l, input.not_an_email),
        AtLeast => td_string!(l, input.at_least),
        DuplicateBenefit => td_string!(l, input.duplicate_benefit),
        UnknownBenefit => td_string!(l, input.unknown_benefit),
        ZeroTier => td_string!(l, input.zero_tier),
        InPast => td_string!(l, input.in_past),
        SumOnly => td_string!(l, input.sum_only),
        TiersNotAscending => td_string!(l, input.tiers_not_ascending),
        DelistedBeforeLive => td_string!(l, input.delisted_before_live),
        DuplicateOffer => td_string!(l, input.duplicate_offer),
        SalesWithDaily => td_string!(l, input.sales_with_daily),
        TooManyDays => td_string!(l, input.too_many_days),
        NulCharacter => td_string!(l, input.nul_character),
        TooManyRows => td_string!(l, input.too_many_rows),
        HeaderNotText => td_string!(l, input.header_not_text),
        EmptyFile => td_string!(l, input.empty_file),
        MissingColumn => td_string!(l, input.missing_column),
        UnknownColumn => td_string!(l, input.unknown_column),
        ColumnCount => td_string!(l, input.column_count),
        LineNotUtf8 => td_string!(l, input.line_not_utf8),
        NotCsv => td_string!(l, input.not_csv),
        Unreadable => td_string!(l, input.unreadable),
        NotARowObject => td_string!(l, input.not_a_row_object),
        NotScalar => td_string!(l, input.not_scalar),
        TrailingText => td_string!(l, input.trailing_text),
        NotAnArray => td_string!(l, input.not_an_array),
        DuplicateKey => td_string!(l, input.duplicate_key),
        UnknownPartner => td_string!(l, input.unknown_partner),
        UnknownOffer => td_string!(l, input.unknown_offer),
        SaleOfOtherPartner => td_string!(l, input.sale_of_other_partner),
    }
}

fn value_kind(l: Locale, k: ValueKind) -> &'static str {
    match k {
        ValueKind::String => td_string!(l, input.kind.string),
        ValueKind::Number => td_string!(l, input.kind.number),
        ValueKind::Boolean => td_string!(l, input.kind.boolean),
        ValueKind::Null => td_string!(l, input.kind.null),
        ValueKind::Object => td_string!(l, input.kind.object),
        ValueKind::Array => td_string!(l, input.kind.array),
    }
}

/// A domain input error's reason in `l`, its parameters filled in: the value
/// at fault quoted („2025-13-01”), or "The value" when it is not known; value
/// kinds in words.
pub fn input_reason(l: Locale, code: InputCode, params: &Params) -> String {
    let quoted = params.get("value").map(|v| fill(td_string!(l, input.quoted), &[("value", v)]));
    let value = quoted.as_deref().unwrap_or(td_string!(l, input.the_value));
    let mut args: Vec<(&str, &str)> = vec![("value", value)];
    for (name, v) in params.iter().filter(|(n, _)| n.as_str() != "value") {
        let v = match (name.as_str(), ValueKind::parse(v)) {
            ("expected" | "found", Some(k)) => value_kind(l, k),
            _ => v.as_str(),
        };
        args.push((name.as_str(), v));
    }
    fill(input_template(l, code), &args)
}

/// A domain input error with its field: `Pole as_of: …` / `as_of: …`.
pub fn input_error(l: Locale, e: &InputError) -> String {
    let reason = input_reason(l, e.code, &e.params);
    if e.field.is_empty() {
        reason
    } else {
        fill(td_string!(l, input.at_field), &[("field", &e.field), ("message", &reason)])
    }
}

/// One item of an API error (a form field or an import row) in `l`: a domain
/// input code in the user's language with its parameters; a form field's
/// code as [`field_error`]; otherwise the server's words.
pub fn error_item(l: Locale, item: &benefits_api::ErrorItem) -> String {
    match item.code.as_deref().and_then(InputCode::parse) {
        Some(code) => input_reason(l, code, &item.params),
        None => field_error(l, item.code.as_deref().unwrap_or(""), &item.params, &item.message),
    }
}

/// Why typed text is not an amount.
pub fn money_error(l: Locale, e: &MoneyError) -> &'static str {
    match e {
        MoneyError::Empty => td_string!(l, field.amount_empty),
        MoneyError::NotADecimal => td_string!(l, field.amount_not_decimal),
        MoneyError::TooManyDecimals => td_string!(l, field.amount_decimals),
        MoneyError::TooLarge => td_string!(l, field.amount_too_large),
    }
}

/// An API error for people. In English the server's own message (it names
/// the field and the reason); in Polish the code's sentence, followed for bad
/// input by the server's detail (a field path and reason the domain reports in
/// English only); for a code the app does not know, the server's message.
pub fn api_error(l: Locale, code: &str, status: u16, message: &str) -> String {
    if l == Locale::en {
        return message.to_string();
    }
    if code == "unexpected" {
        return fill(td_string!(l, error.unexpected), &[("status", &status.to_string())]);
    }
    if code == "page_download" {
        return td_string!(l, app.page_failed).to_string();
    }
    match (error_code(l, code), code) {
        (Some(text), "invalid_input" | "invalid_json" | "bad_request") if !message.is_empty() => format!("{text} ({message})"),
        (Some(text), _) => text.to_string(),
        (None, _) => message.to_string(),
    }
}

/// An API error for people ([`api_error`]). A refused form
/// (`validation_failed`) in Polish also names each field and its reason from
/// the field's code and parameters ([`field_error`]), which English has in
/// the server's own message already.
pub fn api_error_with_fields(l: Locale, e: &crate::api::ApiError) -> String {
    let head = api_error(l, &e.code, e.status, &e.message);
    if l == Locale::en || e.code != "validation_failed" {
        return head;
    }
    let items: Vec<String> = e
        .errors
        .iter()
        .filter(|i| i.line.is_none())
        .map(|i| fill(td_string!(l, input.at_field), &[("field", &i.field), ("message", &field_error(l, i.code.as_deref().unwrap_or(""), &i.params, &i.message))]))
        .collect();
    if items.is_empty() {
        head
    } else {
        format!("{head} {}", items.join(" "))
    }
}

/// A whole API error in `l` ([`api_error`]); when the domain refused the
/// input (`invalid_input`, a catalog's `validation_failed`), each field's
/// reason follows in `l` too, from its code and parameters.
pub fn api_error_full(l: Locale, e: &crate::api::ApiError) -> String {
    let domain = |i: &&benefits_api::ErrorItem| i.line.is_none() && i.code.as_deref().and_then(InputCode::parse).is_some();
    let items: Vec<String> = e
        .errors
        .iter()
        .filter(domain)
        .map(|i| fill(td_string!(l, input.at_field), &[("field", &i.field), ("message", &error_item(l, i))]))
        .collect();
    match error_code(l, &e.code) {
        Some(head) if !items.is_empty() => format!("{head} {}", items.join(" ")),
        _ => api_error_with_fields(l, e),
    }
}

/// The shipped default catalog's benefit, (name, description), in `l`.
fn default_benefit(l: Locale, id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "listing-optimization" => (td_string!(l, default_catalog.listing_optimization.name), td_string!(l, default_catalog.listing_optimization.description)),
        "promotion-resources" => (td_string!(l, default_catalog.promotion_resources.name), td_string!(l, default_catalog.promotion_resources.description)),
        "trial-promotion" => (td_string!(l, default_catalog.trial_promotion.name), td_string!(l, default_catalog.trial_promotion.description)),
        "consulting-promotion" => (td_string!(l, default_catalog.consulting_promotion.name), td_string!(l, default_catalog.consulting_promotion.description)),
        "engagement-manager" => (td_string!(l, default_catalog.engagement_manager.name), td_string!(l, default_catalog.engagement_manager.description)),
        "sales-enablement" => (td_string!(l, default_catalog.sales_enablement.name), td_string!(l, default_catalog.sales_enablement.description)),
        "technical-presales" => (td_string!(l, default_catalog.technical_presales.name), td_string!(l, default_catalog.technical_presales.description)),
        "azure-sponsorship-5k" => (td_string!(l, default_catalog.azure_sponsorship_5k.name), td_string!(l, default_catalog.azure_sponsorship_5k.description)),
        "customer-case-study" => (td_string!(l, default_catalog.customer_case_study.name), td_string!(l, default_catalog.customer_case_study.description)),
        "marketing-campaign" => (td_string!(l, default_catalog.marketing_campaign.name), td_string!(l, default_catalog.marketing_campaign.description)),
        "press-release" => (td_string!(l, default_catalog.press_release.name), td_string!(l, default_catalog.press_release.description)),
        "azure-sponsorship-25k" => (td_string!(l, default_catalog.azure_sponsorship_25k.name), td_string!(l, default_catalog.azure_sponsorship_25k.description)),
        "co-sell" => (td_string!(l, default_catalog.co_sell.name), td_string!(l, default_catalog.co_sell.description)),
        _ => return None,
    })
}

/// A benefit's name in `l`: the shipped default catalog's benefits are
/// translated; a benefit an operator defined or renamed keeps its own words
/// (a catalog is published in one language).
pub fn benefit_name(l: Locale, id: &str, name: &str) -> String {
    match (default_benefit(Locale::en, id), default_benefit(l, id)) {
        (Some((en, _)), Some((here, _))) if en == name => here.to_string(),
        _ => name.to_string(),
    }
}

/// A benefit's description in `l`, as `benefit_name`.
pub fn benefit_description(l: Locale, id: &str, description: &str) -> String {
    match (default_benefit(Locale::en, id), default_benefit(l, id)) {
        (Some((_, en)), Some((_, here))) if en == description => here.to_string(),
        _ => description.to_string(),
    }
}

/// A catalog's notes in `l` (the shipped default catalog's are translated).
pub fn catalog_notes(l: Locale, notes: &str) -> String {
    if notes == td_string!(Locale::en, default_catalog.notes) {
        td_string!(l, default_catalog.notes).to_string()
    } else {
        notes.to_string()
    }
}

/// The rule's verdict on a sales line.
pub fn verdict(l: Locale, v: benefits_domain::explain::SaleVerdict) -> &'static str {
    use benefits_domain::explain::SaleVerdict;
    match v {
        SaleVerdict::Counted => td_string!(l, verdict.counted),
        SaleVerdict::Fraud => td_string!(l, verdict.fraud),
        SaleVerdict::CancelledAccidental => td_string!(l, verdict.cancelled_accidental),
        SaleVerdict::CancelledBeforeUse => td_string!(l, verdict.cancelled_before_use),
        SaleVerdict::BeforeWindow => td_string!(l, verdict.before_window),
        SaleVerdict::AfterAsOf => td_string!(l, verdict.after_as_of),
    }
}

/// How many notifications are unread: `3 unread` / `3 nieprzeczytane`, `5 nieprzeczytanych`.
pub fn unread(l: Locale, n: u64) -> String {
    let n = n.min(i64::MAX as u64) as i64;
    plural(l, n, td_string!(l, plural.unread.one), td_string!(l, plural.unread.few), td_string!(l, plural.unread.many), td_string!(l, plural.unread.other))
}

/// The notification list's line: `3 unread.`; none: `Everything is read.`.
pub fn unread_count(l: Locale, n: u64) -> String {
    if n == 0 {
        return td_string!(l, notify.all_read).to_string();
    }
    format!("{}.", unread(l, n))
}
