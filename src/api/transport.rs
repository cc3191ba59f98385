//! The browser's `fetch` (web-sys directly: gloo-net's wrapper pulls in stream support the
//! widget does not need, a few KB of wasm). Outside a browser the call fails.

use super::{ApiError, CONTENT_TYPE, ERROR_TYPE_HEADER, TARGET_PREFIX};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn network(err: JsValue) -> ApiError {
    ApiError::Network(err.as_string().unwrap_or_else(|| "fetch failed".to_owned()))
}

/// Fetches `url`; returns the status, the body and the error-type header.
pub async fn fetch(url: &str, init: &web_sys::RequestInit) -> Result<(u16, String, Option<String>), ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".to_owned()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)?;
    let error_type = response.headers().get(ERROR_TYPE_HEADER).ok().flatten();
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?;
    Ok((response.status(), text.as_string().unwrap_or_default(), error_type))
}

/// POSTs one operation; returns the status, the body and the error-type header.
pub(super) async fn post(
    endpoint: &str,
    operation: &str,
    body: String,
) -> Result<(u16, String, Option<String>), ApiError> {
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Content-Type", CONTENT_TYPE).map_err(network)?;
    headers
        .set("X-Amz-Target", &format!("{TARGET_PREFIX}{operation}"))
        .map_err(network)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    fetch(endpoint, &init).await
}
