//! Component tests in a real browser (wasm-bindgen-test in Chromium): the widget mounted into a
//! page as `mount()` does, driven through the DOM. No server: these cover rendering, navigation
//! between screens, the live password rules, configuration errors and the browser helpers; the
//! flows against a server are the Playwright tests in `e2e/`.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cognate-widget --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use cognate_widget::host;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fresh container in the page.
fn container() -> HtmlElement {
    let element: HtmlElement = document()
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("element");
    document()
        .body()
        .expect("body")
        .append_child(&element)
        .expect("appended");
    element
}

/// `mount(element, config)` with the given settings.
fn mount(element: &HtmlElement, settings: &[(&str, &str)]) -> JsValue {
    let config = js_sys::Object::new();
    for (key, value) in settings {
        js_sys::Reflect::set(&config, &JsValue::from_str(key), &JsValue::from_str(value)).expect("set");
    }
    host::mount(element.clone(), config.into()).expect("mounted")
}

/// Lets Leptos run the effects queued so far (its executor's next ticks), so the DOM is current.
async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

fn texts(element: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = element.query_selector_all(selector).expect("selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.text_content())
        .collect()
}

fn button(element: &HtmlElement, label: &str) -> HtmlElement {
    let nodes = element.query_selector_all("button").expect("buttons");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .find(|node| node.text_content().is_some_and(|text| text.trim() == label))
        .and_then(|node| node.dyn_into().ok())
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

const CONFIG: &[(&str, &str)] = &[
    ("client-id", "client1"),
    ("endpoint", "http://localhost:9/"),
    ("storage", "memory"),
    ("locale", "en"),
];

#[wasm_bindgen_test]
async fn renders_the_sign_in_form_with_labelled_inputs() {
    let element = container();
    let handle = mount(&element, CONFIG);
    settle().await;
    assert_eq!(texts(&element, "h1"), vec!["Sign in"]);
    assert_eq!(texts(&element, "label"), vec!["Username", "Password"]);
    let username = element
        .query_selector("#cognate-username")
        .unwrap()
        .expect("username input");
    assert_eq!(username.get_attribute("autocomplete").as_deref(), Some("username"));
    let password = element
        .query_selector("#cognate-password")
        .unwrap()
        .expect("password input");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
    let section = element.query_selector("section.cognate").unwrap().expect("widget root");
    assert_eq!(section.get_attribute("dir").as_deref(), Some("ltr"));
    // Nobody is signed in: the host API says so.
    let get_session: js_sys::Function = js_sys::Reflect::get(&handle, &"getSession".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(get_session.call0(&JsValue::NULL).unwrap().is_null());
}

#[wasm_bindgen_test]
async fn links_move_between_screens() {
    let element = container();
    mount(&element, CONFIG);
    settle().await;
    button(&element, "Create an account").click();
    settle().await;
    assert_eq!(texts(&element, "h1"), vec!["Create an account"]);
    assert_eq!(texts(&element, "label"), vec!["Username", "Email", "Password"]);
    button(&element, "Back to sign in").click();
    settle().await;
    button(&element, "Forgot your password?").click();
    settle().await;
    assert_eq!(texts(&element, "h1"), vec!["Reset your password"]);
}

#[wasm_bindgen_test]
async fn password_rules_follow_the_typing() {
    let element = container();
    mount(&element, CONFIG);
    settle().await;
    button(&element, "Create an account").click();
    settle().await;
    let input: web_sys::HtmlInputElement = element
        .query_selector("#cognate-password")
        .unwrap()
        .expect("password")
        .dyn_into()
        .unwrap();
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("new-password"));
    let met = || texts(&element, "li.cognate-met").len();
    assert_eq!(met(), 0);
    input.set_value("aB3");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    settle().await;
    assert_eq!(
        met(),
        3,
        "lowercase, uppercase and number met: {:?}",
        texts(&element, "li")
    );
    input.set_value("aB3!long-enough");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    settle().await;
    assert_eq!(met(), 5);
}

#[wasm_bindgen_test]
async fn show_password_toggles_the_input_type() {
    let element = container();
    mount(&element, CONFIG);
    settle().await;
    let toggle = button(&element, "Show password");
    toggle.click();
    settle().await;
    let input = element.query_selector("#cognate-password").unwrap().expect("password");
    assert_eq!(input.get_attribute("type").as_deref(), Some("text"));
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn a_client_secret_is_refused_with_a_message() {
    let element = container();
    let handle = mount(
        &element,
        &[("client-id", "c"), ("client-secret", "s"), ("endpoint", "http://x/")],
    );
    settle().await;
    assert!(handle.is_null());
    let alert = texts(&element, "[role=alert]").join("");
    assert!(alert.contains("browsers cannot keep secrets"), "{alert}");
}

#[wasm_bindgen_test]
fn the_browser_classifies_letters_like_unicode() {
    assert_eq!(host::letter_classes("abc"), 1);
    assert_eq!(host::letter_classes("ÄBC"), 2);
    assert_eq!(host::letter_classes("σΣ"), 3);
    assert_eq!(host::letter_classes("123 !"), 0);
}
