//! Browser tests of the app's routes: which page each address shows, with
//! which parameters (src/routes.rs), and what is not a page.
#![cfg(target_arch = "wasm32")]

use benefits_app::routes::{PartnerPage, Route};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn partner(pid: &str, page: PartnerPage) -> Route {
    Route::Partner { pid: pid.into(), page }
}

#[wasm_bindgen_test]
fn every_page_of_the_app_has_its_address() {
    let cases = [
        ("/", Route::Home),
        ("/sign-in", Route::SignIn),
        ("/what-if", Route::WhatIf),
        ("/program", Route::Program),
        ("/account", Route::Account),
        ("/notifications", Route::Notifications),
        ("/reset-password", Route::ForgotPassword),
        ("/reset-password/t0k", Route::ResetPassword { token: "t0k".into() }),
        ("/invite/abc", Route::Invite { token: "abc".into() }),
        ("/confirm-email/xyz", Route::ConfirmEmail { token: "xyz".into() }),
        ("/partners/contoso", partner("contoso", PartnerPage::Overview)),
        ("/partners/contoso/why", partner("contoso", PartnerPage::Why)),
        ("/partners/contoso/benefits", partner("contoso", PartnerPage::Benefits)),
        ("/partners/contoso/offers", partner("contoso", PartnerPage::Offers)),
        ("/partners/contoso/settings", partner("contoso", PartnerPage::Settings)),
        ("/partners/contoso/audit", partner("contoso", PartnerPage::Audit)),
        ("/operator", Route::Operator),
        ("/operator/partners/fabrikam", Route::OperatorPartner { pid: "fabrikam".into() }),
        ("/operator/audit", Route::OperatorAudit),
        ("/operator/catalogs/new", Route::CatalogNew),
        ("/operator/dashboard", Route::Dashboard),
    ];
    for (path, route) in cases {
        assert_eq!(Route::parse(path), route, "{path}");
    }
}

#[wasm_bindgen_test]
fn a_trailing_slash_is_the_same_page_and_parameters_are_decoded() {
    assert_eq!(Route::parse("/partners/contoso/why/"), partner("contoso", PartnerPage::Why));
    assert_eq!(Route::parse("/operator/"), Route::Operator);
    assert_eq!(Route::parse("/partners/a%20b"), partner("a b", PartnerPage::Overview));
    assert_eq!(Route::parse("/partners/%C5%BC%C3%B3%C5%82w"), partner("żółw", PartnerPage::Overview));
    assert_eq!(Route::parse("/partners/x").partner_id(), Some("x"));
    assert_eq!(Route::parse("/operator/partners/y").partner_id(), Some("y"));
    assert_eq!(Route::parse("/invite/k").token(), Some("k"));
    assert_eq!(Route::parse("/operator").partner_id(), None);
}

#[wasm_bindgen_test]
fn anything_else_is_not_found() {
    for path in [
        "/nope",
        "/partners",
        "/partners/",
        "/partners//why",
        "/partners/contoso/nope",
        "/partners/contoso/why/more",
        "/operator/partners",
        "/operator/catalogs",
        "/invite",
        "/confirm-email",
        "/sign-in/again",
    ] {
        assert_eq!(Route::parse(path), Route::NotFound, "{path}");
    }
}
