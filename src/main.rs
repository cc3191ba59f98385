//! Entry point of the widget's WebAssembly build (Trunk builds this binary): mounts the app.
//!
//! Built natively it only explains itself; the native build exists for `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    cognate_widget::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cognate-widget runs in the browser: build it with `scripts/build-widget.sh`.");
}
