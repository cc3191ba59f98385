//! Embedding: the `<cognate-sign-in>` custom element, the JS `mount(element, config)` function,
//! the events the host page receives and the session API it calls.
//!
//! The element is a thin class written in JavaScript (custom elements must extend
//! `HTMLElement`, which wasm cannot do) that hands its attributes to [`mount`]. Both return a
//! handle with `getSession()`, `getAccessToken()` (a promise; refreshes when near expiry) and
//! `signOut({global})` (a promise). Session changes are announced as `cognate:signed-in`,
//! `cognate:token-refreshed` and `cognate:signed-out` events on the element, bubbling and
//! composed, with the session (no refresh token) in `detail`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::app::{App, HostHook, Widget};
use crate::config::{ConfigError, WidgetConfig};
use crate::session::Session;

#[wasm_bindgen(inline_js = r#"
export function assetBase() { return new URL('../../', import.meta.url).href; }
export function letterClasses(text) {
  return (/\p{Lowercase}/u.test(text) ? 1 : 0) | (/\p{Uppercase}/u.test(text) ? 2 : 0);
}
export function handle(getSession, getAccessToken, signOut) {
  return {
    getSession,
    getAccessToken: () => new Promise((resolve) => getAccessToken(resolve)),
    signOut: (options) => new Promise((resolve) => signOut(!!(options && options.global), resolve)),
  };
}
export function showQr(account, key) {
  import(new URL('../../mfa/qr.js', import.meta.url)).then((qr) => qr.showAuthenticatorKey(account, key));
}
export function openSecurity(endpoint, clientId, accessToken, lang, username) {
  import(new URL('../../mfa/security.js', import.meta.url)).then((m) => m.openSecurity({ endpoint, clientId, accessToken, lang, username }));
}
const srp = (name) => import(new URL(`../../srp/${name}.js`, import.meta.url));
function answered(endpoint, body, answer) {
  if (answer[0] < 300 && answer[1].includes('"NewDeviceMetadata"')) {
    srp('device').then((m) => m.confirmDevice(endpoint, body, answer[1])).catch(() => {});
  }
  return answer;
}
export async function post(endpoint, target, body) {
  if (body.includes('"cognate:cookie:')) {
    return (await import(new URL('../../oauth/redirect.js', import.meta.url))).cookieCall(target, body);
  }
  const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target };
  const response = await fetch(endpoint, { method: 'POST', headers, body });
  return answered(endpoint, body, [response.status, await response.text(), response.headers.get('x-amzn-errortype')]);
}
export async function get(url) {
  const response = await fetch(url);
  return [response.status, await response.text(), null];
}
export async function srpSignIn(endpoint, clientId, poolId, username, password) {
  const answer = await (await srp('srp')).signIn({ endpoint, clientId, poolId, username, password });
  return answered(endpoint, JSON.stringify({ ClientId: clientId }), answer);
}
export function queryConfig() { return Object.fromEntries(new URLSearchParams(location.search)); }
export function crossTab(name, receive) {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const channel = new BroadcastChannel(name);
  channel.onmessage = ({ data }) => { if (typeof data === 'string') receive(data); };
  return (message) => channel.postMessage(message);
}
export function withLock(name, task) {
  const run = () => new Promise((done) => task(done));
  return navigator.locks ? navigator.locks.request(name, run) : run();
}
export function emit(target, name, detail) {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}
export function defineElement(mount) {
  if (customElements.get('cognate-sign-in')) return;
  customElements.define('cognate-sign-in', class extends HTMLElement {
    connectedCallback() {
      if (this.handle) return;
      const config = {};
      for (const attribute of this.attributes) config[attribute.name] = attribute.value;
      this.handle = mount(this, config);
    }
    getSession() { return this.handle ? this.handle.getSession() : null; }
    getAccessToken() { return this.handle ? this.handle.getAccessToken() : Promise.resolve(null); }
    signOut(options) { return this.handle ? this.handle.signOut(options) : Promise.resolve(); }
  });
}
"#)]
extern "C" {
    /// The URL the widget's assets are served from (ends with `/`).
    #[wasm_bindgen(js_name = assetBase)]
    pub fn asset_base() -> String;
    /// Whether `text` has a Unicode lowercase letter (bit 0) and an uppercase letter (bit 1).
    #[wasm_bindgen(js_name = letterClasses)]
    pub fn letter_classes(text: &str) -> u32;
    fn emit(target: &HtmlElement, name: &str, detail: &JsValue);
    /// Shows a new authenticator `key` of `account` in `#cognate-qr`: its `otpauth://` URI as a
    /// QR code and the key as text (loading `mfa/qr.js` on first use).
    #[wasm_bindgen(js_name = showQr)]
    pub fn show_qr(account: &str, key: &str);
    /// Opens the sign-in security settings and the device list in `#cognate-security`
    /// (`mfa/security.js`).
    #[wasm_bindgen(js_name = openSecurity)]
    pub fn open_security(endpoint: &str, client_id: &str, access_token: &str, lang: &str, username: &str);
    /// POSTs a Cognito JSON `body` with `X-Amz-Target: target`; resolves to `[status, body,
    /// error type]`. An answer with `NewDeviceMetadata` (a sign-in that created a device) has the
    /// device confirmed from `srp/device.js`, which asks in `#cognate-device` whether to
    /// remember it when the pool leaves that to the user. A refresh or revocation whose refresh
    /// token is the HttpOnly-cookie marker (`cognate:cookie:…`) goes through `oauth/redirect.js`.
    pub fn post(endpoint: &str, target: &str, body: &str) -> js_sys::Promise;
    /// GETs `url`; resolves to `[status, body, null]`.
    pub fn get(url: &str) -> js_sys::Promise;
    /// Signs in (`srp/srp.js`): USER_SRP_AUTH and a remembered device's proof with a pool id,
    /// USER_PASSWORD_AUTH without; resolves like [`post`] with the last answer.
    #[wasm_bindgen(js_name = srpSignIn)]
    pub fn srp_sign_in(
        endpoint: &str,
        client_id: &str,
        pool_id: &str,
        username: &str,
        password: &str,
    ) -> js_sys::Promise;
    /// The page's query parameters as an object.
    #[wasm_bindgen(js_name = queryConfig)]
    pub fn query_config() -> JsValue;
    /// Joins the `BroadcastChannel` `name`: `receive` gets the other tabs' messages; the
    /// returned function posts one.
    #[wasm_bindgen(js_name = crossTab)]
    pub fn cross_tab(name: &str, receive: &JsValue) -> js_sys::Function;
    /// Runs `task(done)` holding the Web Lock `name` (or at once without Web Locks).
    #[wasm_bindgen(js_name = withLock)]
    pub fn with_lock(name: &str, task: &JsValue);
    #[wasm_bindgen(js_name = handle)]
    fn make_handle(get_session: JsValue, get_access_token: JsValue, sign_out: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = defineElement)]
    fn define_element(mount: &JsValue);
}

/// Registers `<cognate-sign-in>`; elements already in the page upgrade at once.
pub fn register_element() {
    let mount = Closure::<dyn Fn(HtmlElement, JsValue) -> JsValue>::new(|element, config| {
        mount(element, config).unwrap_or_else(|err| err)
    });
    define_element(&mount.into_js_value());
}

/// The host's view of a session as a JS object (or `null`).
pub fn session_value(session: Option<&Session>) -> JsValue {
    session
        .and_then(|session| js_sys::JSON::parse(&session.host_json()).ok())
        .unwrap_or(JsValue::NULL)
}

/// Reads a `mount()` config object (or an element's attributes) into `(key, value)` pairs.
pub fn config_pairs(config: &JsValue) -> Vec<(String, String)> {
    let Some(object) = config.dyn_ref::<js_sys::Object>() else {
        return Vec::new();
    };
    js_sys::Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let entry: js_sys::Array = entry.dyn_into().ok()?;
            Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
        })
        .collect()
}

/// Mounts a widget in `element`, configured by `config` (an object of settings, see
/// [`crate::config`]), and returns the host's handle.
pub fn mount(element: HtmlElement, config: JsValue) -> Result<JsValue, JsValue> {
    let origin = window().location().origin().unwrap_or_default();
    let pairs = config_pairs(&config);
    let config = WidgetConfig::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &origin);
    Ok(mount_config(element, config, false))
}

/// Mounts a widget with an already-read configuration; the host handle, or `null` when the
/// configuration is invalid (the widget then shows why). With `autofocus` (the hosted page)
/// the first screen takes the focus; embedded, focus moves only once the user has moved the flow.
pub fn mount_config(element: HtmlElement, config: Result<WidgetConfig, ConfigError>, autofocus: bool) -> JsValue {
    element.set_inner_html("");
    let target = element.clone();
    let hook: HostHook = std::rc::Rc::new(move |name: &str, session: Option<&Session>| {
        emit(&target, name, &session_value(session));
    });
    let config = match config {
        Ok(config) => config,
        Err(err) => {
            let view = leptos::mount::mount_to(element, move || {
                view! { <p class="cognate cognate-alert" role="alert">{err.to_string()}</p> }
            });
            view.forget();
            return JsValue::NULL;
        }
    };
    let widget = Widget::new(config, hook, autofocus);
    let unmount = leptos::mount::mount_to(element, move || view! { <App widget /> });
    unmount.forget();
    // After mounting: mounting starts the task executor the catalogue fetch runs on.
    widget.start();
    handle(widget)
}

/// The `{getSession, getAccessToken, signOut}` object given to the host. The promises are
/// made in JavaScript and resolved from Rust tasks (cheaper in wasm than Rust-made promises).
fn handle(widget: Widget) -> JsValue {
    let get_session = Closure::<dyn Fn() -> JsValue>::new(move || {
        widget.session.with_untracked(|session| session_value(session.as_ref()))
    });
    let get_access_token = Closure::<dyn Fn(js_sys::Function)>::new(move |resolve: js_sys::Function| {
        leptos::task::spawn_local(async move {
            let token = widget.fresh_session().await.map(|session| session.access_token);
            let _ = resolve.call1(&JsValue::NULL, &token.map_or(JsValue::NULL, |t| JsValue::from_str(&t)));
        });
    });
    let sign_out = Closure::<dyn Fn(bool, js_sys::Function)>::new(move |global: bool, resolve: js_sys::Function| {
        leptos::task::spawn_local(async move {
            widget.sign_out(global).await;
            let _ = resolve.call0(&JsValue::NULL);
        });
    });
    make_handle(
        get_session.into_js_value(),
        get_access_token.into_js_value(),
        sign_out.into_js_value(),
    )
}
