//! Browser tests that mount components, type, click and read the DOM.
#![cfg(target_arch = "wasm32")]

use benefits_api::contact::ContactView;
use benefits_api::users::UserView;
use benefits_app::components::ContactPanel;
use benefits_app::pages::WhatIf;
use benefits_domain::activation::Role;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the reactive system run its effects (they are scheduled, not immediate).
async fn tick() {
    for _ in 0..3 {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

/// A fresh container for one test, so tests do not see each other's DOM.
fn container(id: &str) -> HtmlElement {
    let doc = document();
    let el = doc.create_element("div").unwrap();
    el.set_id(id);
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element {selector}")).unchecked_into()
}

fn text(root: &HtmlElement, selector: &str) -> String {
    find::<HtmlElement>(root, selector).text_content().unwrap_or_default()
}

fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector);
    input.set_value(value);
    input.dispatch_event(&Event::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn what_if_recomputes_the_tier_when_the_input_changes() {
    let root = container("what-if-test");
    let _handle = leptos::mount::mount_to(root.clone(), || {
        benefits_app::session::provide_session();
        view! { <WhatIf /> }
    });
    tick().await;
    assert_eq!(text(&root, "#effective-tier"), "Tier 2", "the demo partner starts at tier 2");
    assert_eq!(text(&root, "#today-tier"), "Tier 1");

    // Two million Teams users in the evaluation month reach the top tier.
    type_into(&root, "#mau-month", "2025-07");
    type_into(&root, "#mau-value", "2,000,000");
    find::<HtmlElement>(&root, "#mau-add").click();
    tick().await;
    assert_eq!(text(&root, "#effective-tier"), "Tier 5");
    assert_eq!(text(&root, "#today-tier"), "Tier 5");

    // A sale typed with a bad amount is refused next to the field, and changes nothing.
    type_into(&root, "#sale-date", "2025-07-01");
    type_into(&root, "#sale-amount", "12.345");
    find::<HtmlElement>(&root, "#sale-add").click();
    tick().await;
    assert!(text(&root, "#sale-amount-error").contains("at most 2 decimal places"));

    // Moving the date two years on: the old data is out of the window and of the benefit year.
    type_into(&root, "#as-of", "2027-07-15");
    tick().await;
    assert_eq!(text(&root, "#today-tier"), "Tier 1", "MBS of 0 still meets tier 1 while the transact offer is live");
    assert!(text(&root, "#benefit-year").contains("2027"));
}

fn users() -> Vec<UserView> {
    vec![
        UserView { id: "u1".into(), email: "ana@contoso.com".into(), name: "Ana".into(), role: Role::Admin, version: 1 },
        UserView { id: "u2".into(), email: "ben@contoso.com".into(), name: "Ben".into(), role: Role::Member, version: 1 },
    ]
}

#[wasm_bindgen_test]
async fn contact_form_shows_the_domain_validation_next_to_each_field() {
    let root = container("contact-test");
    let contact = RwSignal::new(None::<ContactView>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <ContactPanel partner_id="p1" account_email="partners@contoso.com" contact=contact users=users() can_edit=true /> }
    });
    tick().await;
    assert!(text(&root, "#contact-summary").contains("No marketing contact"));

    // The account's own email is refused before anything is sent.
    let select: web_sys::HtmlSelectElement = find(&root, "#contact-user");
    select.set_value("u2");
    select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(find::<HtmlInputElement>(&root, "#contact-email").value(), "ben@contoso.com", "choosing a user proposes their email");
    type_into(&root, "#contact-email", "Partners@Contoso.com");
    type_into(&root, "#contact-phone", "12345");
    find::<HtmlElement>(&root, "#contact-save").click();
    tick().await;
    assert!(text(&root, "#contact-email-error").contains("different from your partner account"));
    assert!(text(&root, "#contact-phone-error").contains("international format"));
    let email: HtmlInputElement = find(&root, "#contact-email");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(email.get_attribute("aria-describedby").unwrap_or_default().contains("contact-email-error"));
    assert!(root.query_selector("#language-error").unwrap().is_none());
    assert!(contact.get_untracked().is_none(), "nothing was assigned");
}

#[wasm_bindgen_test]
async fn benefit_card_disables_activate_with_the_reason_without_a_contact() {
    use benefits_api::benefits::BenefitView;
    use benefits_app::components::BenefitCard;
    use benefits_domain::activation::{Actor, BenefitStatus};
    use benefits_domain::catalog::BenefitKind;

    let root = container("benefit-test");
    let assigned = RwSignal::new(false);
    let benefit = BenefitView {
        id: "case-study".into(),
        name: "Customer case study".into(),
        kind: BenefitKind::Marketing,
        description: None,
        status: BenefitStatus::Unlocked,
        unlocked: true,
        year_start: None,
        activated_on: None,
        contact_by: None,
        contact_overdue: false,
        expires_on: None,
        revocation: None,
        actions: vec![],
        version: 0,
    };
    let actor = Actor { role: Role::Admin, is_marketing_contact: false };
    let today = chrono::NaiveDate::from_ymd_opt(2025, 7, 15).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <BenefitCard partner_id="p1" benefit=benefit.clone() actor=actor contact_assigned=assigned today=today /> }
    });
    tick().await;
    let activate: web_sys::HtmlButtonElement = find(&root, "button.button:not(.button--secondary)");
    assert_eq!(activate.text_content().unwrap_or_default(), "Activate");
    assert!(activate.disabled());
    assert!(root.text_content().unwrap_or_default().contains("Assign a marketing contact before activating a benefit."));
    assigned.set(true);
    tick().await;
    let activate: web_sys::HtmlButtonElement = find(&root, "button.button:not(.button--secondary)");
    assert!(!activate.disabled(), "enabled once a contact is assigned");
}

#[wasm_bindgen_test]
async fn a_page_resource_shows_its_value_fetches_again_when_its_signals_change_and_retries_after_an_error() {
    use benefits_app::api::ApiError;
    use benefits_app::loaded::{loaded, Data};
    use std::cell::Cell;
    use std::rc::Rc;

    let root = container("data-test");
    let wanted = RwSignal::new(1u32);
    let failing = Rc::new(Cell::new(false));
    let calls = Rc::new(Cell::new(0u32));
    let (fail, count) = (failing.clone(), calls.clone());
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        benefits_app::session::provide_session();
        // `Data<T>` keeps the value type-erased in one resource type; the
        // page still reads a `Vec<u32>`.
        let data: Data<Vec<u32>> = Data::new(move || {
            let n = wanted.get();
            count.set(count.get() + 1);
            let fail = fail.get();
            async move {
                if fail {
                    Err(ApiError::network("down"))
                } else {
                    Ok(vec![n, n * 10])
                }
            }
        });
        let shown = move |v: Vec<u32>| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        view! { <div id="shown">{loaded(data, "numbers", shown)}</div> }
    });
    tick().await;
    assert_eq!(text(&root, "#shown"), "1,10");
    assert_eq!(calls.get(), 1);

    wanted.set(2);
    tick().await;
    assert_eq!(text(&root, "#shown"), "2,20", "a signal the fetch read changed: fetched again");
    assert_eq!(calls.get(), 2);

    failing.set(true);
    wanted.set(3);
    tick().await;
    assert!(root.query_selector("#shown .notice--error").unwrap().is_some(), "the error is shown: {}", text(&root, "#shown"));
    assert_eq!(calls.get(), 3);

    failing.set(false);
    find::<HtmlElement>(&root, "#shown .notice--error button").click();
    tick().await;
    assert_eq!(text(&root, "#shown"), "3,30", "Try again fetched again");
    assert_eq!(calls.get(), 4);
}
