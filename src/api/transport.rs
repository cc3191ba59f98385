//! The HTTP calls, made in JavaScript (`crate::host`): a `fetch` written in JS costs the wasm
//! far less than web-sys's Request/Headers/Response bindings. Outside a browser the calls fail.

use super::{ApiError, TARGET_PREFIX};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a call answered: the status, the body and the `x-amzn-errortype` header.
pub type Answer = (u16, String, Option<String>);

fn network(err: JsValue) -> ApiError {
    ApiError::Network(err.as_string().unwrap_or_else(|| "fetch failed".to_owned()))
}

/// Awaits one of the JS calls, which resolve to `[status, body, error type]`.
async fn answer(promise: js_sys::Promise) -> Result<Answer, ApiError> {
    let answer: js_sys::Array = JsFuture::from(promise).await.map_err(network)?.unchecked_into();
    let status = answer.get(0).as_f64().unwrap_or_default() as u16;
    Ok((
        status,
        answer.get(1).as_string().unwrap_or_default(),
        answer.get(2).as_string(),
    ))
}

/// GETs `url`.
pub async fn get(url: &str) -> Result<Answer, ApiError> {
    answer(crate::host::get(url)).await
}

/// POSTs one operation.
pub(super) async fn post(endpoint: &str, operation: &str, body: String) -> Result<Answer, ApiError> {
    answer(crate::host::post(
        endpoint,
        &format!("{TARGET_PREFIX}{operation}"),
        &body,
    ))
    .await
}

/// Runs a sign-in in `srp/srp.js`; its last answer.
pub(super) async fn sign_in(
    endpoint: &str,
    client_id: &str,
    pool_id: &str,
    username: &str,
    password: &str,
) -> Result<Answer, ApiError> {
    answer(crate::host::srp_sign_in(
        endpoint, client_id, pool_id, username, password,
    ))
    .await
}
