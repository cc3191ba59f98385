//! Cognate's sign-in widget: a Leptos (client-side rendered) app that speaks the Cognito
//! user-pool API, so it works against Cognate and against AWS Cognito alike.
//!
//! # Layout
//!
//! - [`flow`]: the step enum and the pure transition function that drive the screens.
//! - [`screens`]: one screen per step, built from shared form pieces.
//! - [`app`]: the root component and the state the screens share, including the session's life
//!   cycle (restore, refresh, sign-out, host events).
//! - [`api`]: typed calls to the user-pool API; [`errors`]: Cognito errors as plain messages
//!   next to the field they concern.
//! - [`policy`]: the password rules as the user types them.
//! - [`session`]: tokens, their expiry and refresh timing, and where they are stored.
//! - [`tabs`]: the session shared across tabs (BroadcastChannel, one refresh under a Web Lock).
//! - [`i18n`]: messages in English (built in) and nine more languages (JSON catalogues).
//! - [`config`]: settings from the hosted page's URL, element attributes or `mount()`.
//! - [`host`]: the `<cognate-sign-in>` element, `mount()`, events and the session API.
//! - [`claims`]: reading the claims of issued tokens; [`json`]: the small JSON reader/writer
//!   used instead of serde to keep the wasm small.
//!
//! The logic lives in plain functions so that `cargo test -p cognate-widget` checks it natively;
//! only the browser wiring needs a page.

/// The wasm build's allocator: Talc, a fraction of the default dlmalloc's code size (every KB
/// counts against the widget's 100 KB budget) and faster; the widget is single-threaded.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod api;
pub mod app;
pub mod claims;
pub mod config;
pub mod errors;
pub mod flow;
pub mod host;
pub mod i18n;
pub mod json;
pub mod policy;
pub mod screens;
pub mod session;
pub mod tabs;

use leptos::prelude::*;

/// Starts the widget in a page: registers `<cognate-sign-in>` and, on the hosted sign-in page
/// (an element with `data-cognate-page`, the `<main>` of `index.html`), mounts the widget there,
/// configured from the URL.
pub fn start() {
    use wasm_bindgen::JsCast;

    host::register_element();
    let page = document().query_selector("[data-cognate-page]").ok().flatten();
    if let Some(page) = page.and_then(|page| page.dyn_into::<web_sys::HtmlElement>().ok()) {
        // The browser parses the query (URLSearchParams): no decoder in the wasm.
        let origin = window().location().origin().unwrap_or_default();
        let pairs = host::config_pairs(&host::query_config());
        let config = config::WidgetConfig::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &origin);
        host::mount_config(page, config, true);
    }
}
