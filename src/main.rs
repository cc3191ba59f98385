//! Entry point of the widget's WebAssembly build (Trunk builds this binary): starts the widget
//! and exports `mount(element, config)` to JavaScript (see [`cognate_widget::host`]).
//!
//! Built natively it only explains itself; the native build exists for `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    cognate_widget::start();
}

/// Mounts a sign-in widget in `element`; returns the session handle
/// (`getSession`, `getAccessToken`, `signOut`), or `null` when `config` is invalid.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, config: wasm_bindgen::JsValue) -> wasm_bindgen::JsValue {
    cognate_widget::host::mount(element, config).unwrap_or_else(|err| err)
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cognate-widget runs in the browser: build it with `scripts/build-widget.sh`.");
}
