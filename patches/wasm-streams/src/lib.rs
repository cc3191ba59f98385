//! The widget's replacement for the `wasm-streams` crate.
//!
//! Leptos always links `server_fn`'s browser client, which converts between Rust streams and the
//! browser's `ReadableStream` with `wasm-streams`. That crate exports three classes to
//! JavaScript (`IntoUnderlyingSource` and friends); wasm-bindgen must keep every export, so they
//! and all they use stayed in the widget even though it never calls a server function — about
//! 4.5 KB of its brotli-compressed wasm, against a 100 KB budget. This crate provides the two
//! conversions `server_fn` names (`from_stream(..).into_raw()` and `from_raw(..).into_stream()`)
//! with closures instead of exported classes, so unused they cost nothing.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::stream::{self, Stream, StreamExt};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{ReadableStreamDefaultController, ReadableStreamDefaultReader};

type Chunks = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;

/// A browser `ReadableStream`.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a browser stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// A browser stream whose chunks come from `chunks`: each `pull` enqueues the next chunk,
    /// an `Err` errors the stream, the end closes it.
    pub fn from_stream<St>(chunks: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let chunks: Rc<RefCell<Chunks>> = Rc::new(RefCell::new(Box::pin(chunks)));
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> js_sys::Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let chunks = chunks.clone();
                future_to_promise(async move {
                    // The stream calls `pull` again only once this promise settles.
                    let next = std::future::poll_fn(|cx| chunks.borrow_mut().as_mut().poll_next(cx)).await;
                    match next {
                        Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                        Some(Err(error)) => controller.error_with_e(&error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let source = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&source, &JsValue::from_str("pull"), pull.as_ref());
        // The browser owns the source from here on; the closure lives as long as the page.
        pull.forget();
        let raw = web_sys::ReadableStream::new_with_underlying_source(&source).unwrap_throw();
        Self { raw }
    }

    /// The browser stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// The chunks of the browser stream, read with a default reader.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        stream::unfold(Some(reader), |reader| async move {
            let reader = reader?;
            match JsFuture::from(reader.read()).await {
                Err(error) => Some((Err(error), None)),
                Ok(result) => {
                    let field = |name: &str| js_sys::Reflect::get(&result, &JsValue::from_str(name));
                    if field("done").ok()?.as_bool().unwrap_or(true) {
                        return None;
                    }
                    Some((Ok(field("value").unwrap_or(JsValue::UNDEFINED)), Some(reader)))
                }
            }
        })
        .boxed_local()
    }
}
