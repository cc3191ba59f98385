//! Cognate's sign-in widget: a Leptos (client-side rendered) app that speaks the Cognito
//! user-pool API, so it works against Cognate and against AWS Cognito alike.
//!
//! This first cut is the hosted sign-in page: [`config`] reads the pool settings from the page
//! URL, [`sign_in`] renders the form, [`api`] talks to the pool and [`claims`] reads the tokens.
//! The logic lives in plain functions so that `cargo test -p cognate-widget` checks it natively;
//! only the HTTP call and the page wiring are browser-only.

pub mod api;
pub mod claims;
pub mod config;
pub mod sign_in;

use leptos::prelude::*;

use config::{ConfigError, WidgetConfig};
use sign_in::SignIn;

/// The widget's root: the sign-in screen, or an explanation when the page is misconfigured.
#[component]
pub fn App(config: Result<WidgetConfig, ConfigError>) -> impl IntoView {
    let screen = match config {
        Ok(config) => view! { <SignIn config /> }.into_any(),
        Err(err) => view! { <p class="cognate-alert" role="alert">{err.to_string()}</p> }.into_any(),
    };
    view! { <main class="cognate">{screen}</main> }
}

/// Reads the configuration from the current page's URL (`location.search` and `location.origin`).
#[cfg(target_arch = "wasm32")]
pub fn config_from_location() -> Result<WidgetConfig, ConfigError> {
    let location = window().location();
    let query = location.search().unwrap_or_default();
    let origin = location.origin().unwrap_or_default();
    WidgetConfig::from_query(&query, &origin)
}

/// Mounts the widget on the page's `<body>`, configured from the page URL.
#[cfg(target_arch = "wasm32")]
pub fn mount() {
    console_error_panic_hook::set_once();
    let config = config_from_location();
    leptos::mount::mount_to_body(move || view! { <App config /> });
}
