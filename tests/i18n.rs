//! Browser tests of the two languages: the translation files agree, and
//! money, dates, months and plurals are formatted by the browser's `Intl` for
//! each locale; the header's switch changes the page in place.
#![cfg(target_arch = "wasm32")]

use benefits_app::locale::{self, check, format, text, Locale};
use benefits_domain::activation::{Action, BenefitStatus, Role, TransitionError};
use benefits_domain::error::{InputCode, InputError, Params};
use benefits_domain::{Cents, Month};
use chrono::NaiveDate;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `Intl` separates groups and the currency with no-break spaces; compare as plain text.
fn plain(s: String) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[wasm_bindgen_test]
fn every_key_is_in_both_locales_with_the_same_placeholders() {
    let en: Value = serde_json::from_str(include_str!("../locales/en.json")).unwrap();
    let pl: Value = serde_json::from_str(include_str!("../locales/pl.json")).unwrap();
    assert_eq!(check::compare("en", &en, "pl", &pl), Vec::<String>::new());
}

#[wasm_bindgen_test]
fn the_check_names_a_missing_key_and_a_placeholder_mismatch() {
    let en = json!({"nav": {"overview": "Overview", "why": "Why"}, "tier": "Tier {tier}"});
    let pl = json!({"nav": {"overview": "Przegląd", "extra": "Nadmiar"}, "tier": "Warstwa {n}"});
    let problems = check::compare("en", &en, "pl", &pl);
    assert!(problems.contains(&"pl: missing key \"nav.why\" (present in en)".to_string()), "{problems:?}");
    assert!(problems.contains(&"en: missing key \"nav.extra\" (present in pl)".to_string()), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("key \"tier\": placeholders differ")), "{problems:?}");
    assert_eq!(problems.len(), 3);
}

#[wasm_bindgen_test]
fn the_check_names_a_number_that_differs_between_the_locales() {
    let en = json!({"a": "Use a password of 12 to 128 characters.", "b": "at most 1,000,000.00", "c": "the trailing twelve months", "d": "Line {line}"});
    let pl = json!({"a": "Hasło musi mieć od 10 do 128 znaków.", "b": "najwyżej 1 000 000,00", "c": "ostatnie 12 miesięcy", "d": "Wiersz {line}"});
    let problems = check::compare("en", &en, "pl", &pl);
    assert_eq!(problems, ["key \"a\": numbers differ: en has {\"12\", \"128\"}, pl has {\"10\", \"128\"}"]);
}

#[wasm_bindgen_test]
fn money_is_formatted_exactly_in_each_locale() {
    let c = Cents(9_648_050);
    assert_eq!(format::money(Locale::en, c), "$96,480.50");
    assert_eq!(plain(format::money(Locale::pl, c)), "96 480,50 USD");
    assert_eq!(format::money(Locale::en, Cents(-25_000)), "-$250.00");
    assert_eq!(plain(format::money(Locale::pl, Cents(-5))), "-0,05 USD");
    assert_eq!(format::money(Locale::en, Cents(-5)), "-$0.05");
    // Beyond f64's exact integers (2^53): a float would round the cents away.
    assert_eq!(format::money(Locale::en, Cents(9_007_199_254_740_993)), "$90,071,992,547,409.93");
    assert_eq!(plain(format::money(Locale::pl, Cents(9_007_199_254_740_993))), "90 071 992 547 409,93 USD");
    // Thresholds: whole dollars without cents; cents kept when there are some.
    assert_eq!(format::money_short(Locale::en, Cents::dollars(4_000_000)), "$4,000,000");
    assert_eq!(plain(format::money_short(Locale::pl, Cents::dollars(4_000_000))), "4 000 000 USD");
    assert_eq!(plain(format::money_short(Locale::pl, Cents(150))), "1,50 USD");
    assert_eq!(format::count(Locale::en, 12_500), "12,500");
    assert_eq!(plain(format::count(Locale::pl, 12_500)), "12 500");
}

#[wasm_bindgen_test]
fn dates_and_months_are_in_the_locales_words() {
    assert_eq!(format::date(Locale::en, d("2026-11-24")), "24 Nov 2026");
    assert_eq!(format::date(Locale::pl, d("2026-11-24")), "24 lis 2026");
    assert_eq!(format::date(Locale::pl, d("2025-07-05")), "5 lip 2025");
    let nov: Month = "2026-11".parse().unwrap();
    assert_eq!(format::month(Locale::en, nov, false), "November 2026");
    assert_eq!(format::month(Locale::pl, nov, false), "listopad 2026");
    assert_eq!(format::month(Locale::en, nov, true), "Nov");
    assert_eq!(format::month(Locale::pl, nov, true), "lis");
    assert_eq!(format::month_name(Locale::pl, 3), "marzec");
    assert_eq!(plain(format::timestamp(Locale::pl, "not a date")), "not a date");
}

#[wasm_bindgen_test]
fn plurals_follow_each_languages_rules() {
    let days = |l, n| text::days(l, n);
    assert_eq!(days(Locale::en, 1), "1 day");
    assert_eq!(days(Locale::en, 2), "2 days");
    assert_eq!(days(Locale::en, 0), "0 days");
    assert_eq!(days(Locale::pl, 1), "1 dzień");
    assert_eq!(days(Locale::pl, 2), "2 dni");
    assert_eq!(days(Locale::pl, 5), "5 dni");
    assert_eq!(days(Locale::pl, 22), "22 dni");
    assert_eq!(text::users(Locale::en, 1), "1 user");
    assert_eq!(plain(text::users(Locale::en, 12_500)), "12,500 users");
    assert_eq!(text::users(Locale::pl, 1), "1 użytkownik");
    assert_eq!(plain(text::users(Locale::pl, 12_500)), "12 500 użytkowników");
    assert_eq!(text::waiting(Locale::pl, 1), "1 czynność czeka na wysłanie");
    assert_eq!(text::waiting(Locale::pl, 3), "3 czynności czekają na wysłanie");
    assert_eq!(text::waiting(Locale::pl, 5), "5 czynności czeka na wysłanie");
}

#[wasm_bindgen_test]
fn codes_and_domain_errors_are_put_into_each_language() {
    // Program terms of the glossary.
    assert_eq!(text::action(Locale::pl, Action::Activate), "Aktywuj");
    assert_eq!(text::action(Locale::pl, Action::OptOut), "Zrezygnuj");
    assert_eq!(text::tier_label(Locale::pl, Some(2)), "Warstwa 2");
    assert_eq!(text::status(Locale::pl, BenefitStatus::Activated), "Aktywowana");
    // A stable API code.
    assert_eq!(text::api_error(Locale::pl, "version_mismatch", 412, "The benefit changed."), "W międzyczasie ktoś to zmienił. Odśwież stronę, aby zobaczyć aktualną wersję, i spróbuj ponownie.");
    // English keeps the server's own sentence; an unknown code keeps it in Polish too.
    assert_eq!(text::api_error(Locale::en, "version_mismatch", 412, "The benefit changed."), "The benefit changed.");
    assert_eq!(text::api_error(Locale::pl, "some_new_code", 400, "Server words."), "Server words.");
    // The state machine's refusals, with their parameters.
    assert_eq!(text::transition_error(Locale::pl, &TransitionError::MarketingContactRequired), "Przed aktywowaniem korzyści przypisz kontakt marketingowy.");
    assert_eq!(
        text::transition_error(Locale::pl, &TransitionError::NotAllowedForRole { role: Role::Operator, action: Action::Activate }),
        "Operator programu nie może aktywować korzyści."
    );
    assert_eq!(
        text::transition_error(Locale::en, &TransitionError::NotAllowedForRole { role: Role::Operator, action: Action::Activate }),
        "A program operator cannot activate benefits."
    );
    assert_eq!(
        text::transition_error(Locale::pl, &TransitionError::InvalidTransition { from: BenefitStatus::Revoked, action: Action::Activate }),
        "Korzyści w stanie „cofnięta” nie można aktywować."
    );
    // Form fields by their code (the domain's FieldError).
    let none = Params::new();
    assert_eq!(text::field_error(Locale::pl, "invalid_email", &none, "Enter a valid email address."), "Podaj prawidłowy adres e-mail, np. imie@example.com.");
    assert_eq!(text::field_error(Locale::en, "invalid_email", &none, "Enter a valid email address."), "Enter a valid email address.");
    // Every code the server can send has its own words in Polish.
    for code in benefits_api::ErrorCode::ALL {
        assert!(text::error_code(Locale::pl, code.as_str()).is_some(), "{code:?} has no Polish words");
    }
    assert_eq!(text::api_error(Locale::pl, "mfa_invalid", 401, "The code is not right."), "Ten kod jest nieprawidłowy albo został już użyty. Podaj 6 cyfr, które aplikacja pokazuje teraz.");
    // The console's codes, with their parameters.
    let max = Params::from([("max".to_string(), "500".to_string())]);
    assert_eq!(text::field_error(Locale::pl, "count", &max, "Name between 1 and 500 sales."), "Wybierz od 1 do 500 pozycji.");
    assert_eq!(text::field_error(Locale::en, "count", &max, "Name between 1 and 500 sales."), "Name between 1 and 500 sales.");
    assert_eq!(
        text::field_error(Locale::pl, "invalid_partner_id", &none, "Use 2 to 40 …"),
        "Użyj od 2 do 40 małych liter, cyfr i łączników, zaczynając od litery lub cyfry (np. contoso-eu)."
    );
    assert_eq!(text::field_error(Locale::pl, "after_to", &none, "The range starts after it ends."), "Zakres zaczyna się po swoim końcu: data „od” nie może być późniejsza niż „do”.");
    let days = Params::from([("max".to_string(), "366".to_string())]);
    assert_eq!(text::field_error(Locale::pl, "range_too_long", &days, "The range is at most 366 days long."), "Zakres jest za długi. Limit dni: 366.");
    let chars = Params::from([("max".to_string(), "2000".to_string())]);
    assert_eq!(text::field_error(Locale::pl, "too_long", &chars, "Use at most 2000 characters."), "Ten tekst jest za długi. Limit znaków: 2000.");
    assert_eq!(text::field_error(Locale::pl, "too_long", &none, "Use at most 2000 characters."), "Ten tekst jest za długi.");
    // A refused form shown as one notice: in Polish the head, then each field
    // and its reason from the code; in English the server's own sentence.
    let range: benefits_app::api::ApiError = benefits_app::api::ApiError {
        status: 422,
        code: "validation_failed".into(),
        message: "The range is at most 366 days long.".into(),
        field: Some("from".into()),
        errors: vec![serde_json::from_value(json!({"field": "from", "code": "range_too_long", "params": {"max": "366"}, "message": "The range is at most 366 days long."})).unwrap()],
        ..Default::default()
    };
    assert_eq!(text::api_error_with_fields(Locale::pl, &range), "Popraw zaznaczone pola. Pole from: Zakres jest za długi. Limit dni: 366.");
    assert_eq!(text::api_error_with_fields(Locale::en, &range), "The range is at most 366 days long.");
}

#[wasm_bindgen_test]
fn the_browser_language_picks_polish_only_for_pl() {
    assert_eq!(locale::from_browser_tag("pl"), Locale::pl);
    assert_eq!(locale::from_browser_tag("pl-PL"), Locale::pl);
    assert_eq!(locale::from_browser_tag("en-US"), Locale::en);
    assert_eq!(locale::from_browser_tag("de-DE"), Locale::en);
    assert_eq!(locale::from_browser_tag(""), Locale::en);
}

/// Every parameter an input error code may have, so no `{name}` is left unfilled.
fn all_params() -> Params {
    [
        ("value", "x-1"), ("max", "64"), ("min", "1"), ("id", "co-sell"), ("allowed", "billed, fraud"), ("columns", "partner_id, name"),
        ("len", "4"), ("expected", "number"), ("found", "string"), ("first", "2"), ("partner", "acme"), ("line", "3"), ("column", "7"),
        ("detail", "English detail"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[wasm_bindgen_test]
fn every_input_error_code_has_its_own_words_in_both_languages() {
    let params = all_params();
    for code in InputCode::ALL {
        let (en, pl) = (text::input_reason(Locale::en, code, &params), text::input_reason(Locale::pl, code, &params));
        for t in [&en, &pl] {
            assert!(!t.is_empty() && !t.contains('{') && !t.contains("English detail"), "{code:?}: {t}");
        }
        assert_ne!(en, pl, "{code:?} has no Polish words");
    }
}

#[wasm_bindgen_test]
fn domain_errors_are_worded_from_their_code_and_parameters() {
    let e = benefits_domain::evaluate_json(r#"{"as_of": "2025-13-01"}"#).unwrap_err();
    assert_eq!(text::input_error(Locale::pl, &e), "Pole as_of: „2025-13-01” nie jest istniejącą datą (RRRR-MM-DD).");
    assert_eq!(text::input_error(Locale::en, &e), "as_of: “2025-13-01” is not a real calendar date (YYYY-MM-DD).");
    // Without the value, the sentence names "the value".
    let e = InputError::new("partner.sales[0].amount_usd", InputCode::AmountNotDecimal);
    assert_eq!(text::input_error(Locale::pl, &e), "Pole partner.sales[0].amount_usd: Wartość musi być liczbą dziesiętną, np. 1250.00.");
    // Value kinds are words of the language.
    let e = InputError::new("mau", InputCode::WrongType).with("expected", "number").with("found", "string");
    assert_eq!(text::input_error(Locale::pl, &e), "Pole mau: Oczekiwano: liczba; podano: tekst.");
    assert_eq!(text::input_error(Locale::en, &e), "mau: Must be a number, not a string.");
}

#[wasm_bindgen_test]
fn feed_rows_and_refused_input_from_the_server_are_in_the_users_language() {
    let row: benefits_api::ErrorItem = serde_json::from_value(json!({
        "line": 12, "field": "amount_usd", "code": "amount_decimals", "params": {"value": "12.345"},
        "message": "`12.345` must have at most 2 decimal places"
    }))
    .unwrap();
    assert_eq!(text::error_item(Locale::pl, &row), "„12.345” może mieć najwyżej 2 miejsca po przecinku.");
    assert_eq!(text::error_item(Locale::en, &row), "“12.345” must have at most 2 decimal places.");
    let dup: benefits_api::ErrorItem =
        serde_json::from_value(json!({"line": 7, "field": "external_id", "code": "duplicate_key", "params": {"first": "2"}, "message": "…"})).unwrap();
    assert_eq!(text::error_item(Locale::pl, &dup), "Ten wiersz powtarza klucz z wiersza 2; każdy klucz może wystąpić w pliku tylko raz.");
    // A form field's code keeps its own words (and English its sender's sentence).
    let form: benefits_api::ErrorItem =
        serde_json::from_value(json!({"field": "email", "code": "invalid_email", "message": "Enter a valid email address."})).unwrap();
    assert_eq!(text::error_item(Locale::en, &form), "Enter a valid email address.");
    // A catalog refused by the domain: the code's sentence, then the field and its reason.
    let refused = benefits_app::api::ApiError {
        status: 422,
        code: "validation_failed".into(),
        message: "catalog.benefits[1].id: benefit `co-sell` is defined twice".into(),
        field: Some("catalog.benefits[1].id".into()),
        errors: vec![serde_json::from_value(json!({
            "field": "catalog.benefits[1].id", "code": "duplicate_benefit", "params": {"id": "co-sell"}, "message": "benefit `co-sell` is defined twice"
        }))
        .unwrap()],
        ..Default::default()
    };
    assert_eq!(text::api_error_full(Locale::pl, &refused), "Popraw zaznaczone pola. Pole catalog.benefits[1].id: Korzyść co-sell jest zdefiniowana dwa razy.");
    assert_eq!(text::api_error_full(Locale::en, &refused), "Some fields need your attention. catalog.benefits[1].id: Benefit co-sell is defined twice.");
}

/// The status and metric names go into sentences in lower case through
/// `to_ascii_lowercase` (the Unicode tables of `to_lowercase` would add a few
/// KB to every page's download): exact only while no name has a capital
/// letter outside ASCII, which this checks in both languages.
#[wasm_bindgen_test]
fn status_and_metric_names_lower_case_the_same_in_ascii() {
    use benefits_domain::evaluate::MetricName;
    for l in [Locale::en, Locale::pl] {
        let statuses = BenefitStatus::ALL.iter().map(|s| text::status(l, *s));
        let metrics = [MetricName::Mbs, MetricName::Bizapps, MetricName::TeamsMau].into_iter().map(|m| text::metric(l, m));
        for name in statuses.chain(metrics) {
            assert_eq!(name.to_ascii_lowercase(), name.to_lowercase(), "{name}");
        }
    }
    for s in BenefitStatus::ALL {
        assert_eq!(s.label().to_ascii_lowercase(), s.label().to_lowercase());
    }
}
