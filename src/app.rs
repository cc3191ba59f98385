//! The widget's root: its shared state ([`Widget`], handed to every screen as context), the
//! session's life cycle (restore, refresh before expiry, sign-out, events to the host, the
//! other tabs), and the [`App`] component that renders one screen per [`Step`].

use std::rc::Rc;
use std::time::Duration;

use cognate_protocol::error::ErrorCode;
use leptos::prelude::*;

use crate::api::{ApiError, Client, Tokens};
use crate::config::WidgetConfig;
use crate::flow::{transition, Event, FlowError, Step};
use crate::i18n::{self, Catalogue, Msg};
use crate::screens;
use crate::screens::form::text;
use crate::session::{store, Session, StorageKind};
use crate::tabs::{self, TabMessage};
use wasm_bindgen::prelude::*;

/// Tells the host page about a session change: the event name and the new session.
pub type HostHook = Rc<dyn Fn(&str, Option<&Session>)>;

/// The signed-in event's name.
pub const SIGNED_IN: &str = "cognate:signed-in";
/// The refreshed event's name.
pub const TOKEN_REFRESHED: &str = "cognate:token-refreshed";
/// The signed-out event's name.
pub const SIGNED_OUT: &str = "cognate:signed-out";

/// Everything the screens share. `Copy`: signals and stored values are handles.
#[derive(Clone, Copy)]
pub struct Widget {
    pub config: StoredValue<WidgetConfig>,
    /// The current step: the only thing that decides which screen shows.
    pub step: RwSignal<Step>,
    /// A message carried to the next screen ("Your password was changed").
    pub notice: RwSignal<Option<Msg>>,
    pub catalogue: RwSignal<Catalogue>,
    pub session: RwSignal<Option<Session>>,
    host: StoredValue<HostHook, LocalStorage>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    autofocus: StoredValue<bool>,
    /// Posts to the other tabs (see [`crate::tabs`]); absent with memory storage.
    tabs: StoredValue<Option<js_sys::Function>, LocalStorage>,
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Widget {
    /// A widget at its first step.
    pub fn new(config: WidgetConfig, host: HostHook, autofocus: bool) -> Self {
        let first = Step::opening(config.screen.as_deref());
        Self {
            config: StoredValue::new(config),
            step: RwSignal::new(first),
            notice: RwSignal::new(None),
            catalogue: RwSignal::new(Catalogue::english()),
            session: RwSignal::new(None),
            host: StoredValue::new_local(host),
            timer: StoredValue::new_local(None),
            autofocus: StoredValue::new(autofocus),
            tabs: StoredValue::new_local(None),
        }
    }

    /// Restores a stored session (or asks the other tabs for theirs) and loads the catalogue of
    /// the user's language.
    pub fn start(self) {
        let (kind, client_id) = self.config.with_value(|c| (c.storage, c.client_id.clone()));
        if kind != StorageKind::Memory {
            let receive =
                Closure::<dyn Fn(String)>::new(move |text: String| self.on_tab_message(TabMessage::decode(&text)));
            let post = crate::host::cross_tab(&tabs::channel_name(&client_id), &receive.into_js_value());
            self.tabs.set_value(Some(post));
        }
        match store::load(kind, &client_id, now_ms()) {
            Some(session) => self.set_session(Some(session), Some(SIGNED_IN), false),
            None => self.tell_tabs(&TabMessage::Hello),
        }
        let lang = self.config.with_value(|c| match &c.locale {
            Some(locale) => i18n::negotiate([locale.as_str()]),
            None => {
                let languages = window().navigator().languages();
                let tags: Vec<String> = languages.iter().filter_map(|tag| tag.as_string()).collect();
                i18n::negotiate(tags.iter().map(String::as_str))
            }
        });
        if lang != "en" {
            leptos::task::spawn_local(async move {
                let url = format!("{}i18n/{lang}.json", crate::host::asset_base());
                if let Some(catalogue) = fetch_catalogue(&url, lang).await {
                    self.catalogue.set(catalogue);
                }
            });
        }
    }

    /// The text of `msg` in the current language.
    pub fn t(&self, msg: Msg) -> String {
        self.catalogue.with_untracked(|c| c.get(msg).to_owned())
    }

    /// The text of `msg` with its `{name}` placeholder filled.
    pub fn fill(&self, msg: Msg, name: &str, value: &str) -> String {
        self.catalogue.with_untracked(|c| c.fill(msg, name, value))
    }

    /// Whether a newly shown screen should take the focus.
    pub fn take_autofocus(&self) -> bool {
        self.autofocus.get_value()
    }

    /// The API client of the configured pool.
    pub fn client(&self) -> Client {
        self.config.with_value(|c| Client {
            endpoint: c.endpoint.clone(),
            client_id: c.client_id.clone(),
        })
    }

    /// Moves the flow on; the next screen shows `notice`, if any.
    pub fn go(&self, event: Event, notice: Option<Msg>) -> Result<(), FlowError> {
        let next = self.step.with_untracked(|step| transition(step, event))?;
        self.autofocus.set_value(true);
        self.notice.set(notice);
        self.step.set(next);
        Ok(())
    }

    /// Keeps freshly issued tokens and moves to the signed-in step.
    pub fn authenticated(&self, tokens: Tokens) -> Result<(), ApiError> {
        let session = Session::from_tokens(tokens, now_ms(), None)
            .ok_or_else(|| ApiError::Unexpected("ID token without cognito:username".to_owned()))?;
        self.set_session(Some(session), Some(SIGNED_IN), true);
        Ok(())
    }

    /// Posts to the other tabs.
    fn tell_tabs(&self, message: &TabMessage) {
        self.tabs.with_value(|post| {
            if let Some(post) = post {
                let _ = post.call1(&JsValue::NULL, &JsValue::from_str(message.encode()));
            }
        });
    }

    /// Handles another tab's message.
    fn on_tab_message(self, message: TabMessage) {
        let current = self.session.get_untracked();
        match message {
            TabMessage::Hello => {
                if let Some(session) = current {
                    self.tell_tabs(&TabMessage::Session(session.to_json()));
                }
            }
            TabMessage::SignedOut if current.is_some() => self.set_session(None, Some(SIGNED_OUT), false),
            TabMessage::SignedOut => {}
            TabMessage::Session(json) => {
                let Some(offered) = Session::from_json(&json, now_ms()) else {
                    return;
                };
                if tabs::should_adopt(current.as_ref(), &offered) {
                    let event = if current.is_some() { TOKEN_REFRESHED } else { SIGNED_IN };
                    self.set_session(Some(offered), Some(event), false);
                }
            }
        }
    }

    /// Replaces the session: stores it, tells the host (and, with `broadcast`, the other tabs),
    /// re-arms the refresh timer, and moves the flow to signed in or out.
    fn set_session(&self, session: Option<Session>, event: Option<&str>, broadcast: bool) {
        let (kind, client_id) = self.config.with_value(|c| (c.storage, c.client_id.clone()));
        store::save(kind, &client_id, session.as_ref());
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if let Some(session) = &session {
            let delay = (session.refresh_at() - now_ms()).max(0.0);
            let widget = *self;
            let handle = set_timeout_with_handle(move || widget.refresh_once(), Duration::from_millis(delay as u64));
            self.timer.set_value(handle.ok());
        }
        let flow = match &session {
            Some(session) => Event::Authenticated {
                username: session.username.clone(),
            },
            None => Event::SignedOut {
                username: self
                    .session
                    .with_untracked(|s| s.as_ref().map(|s| s.username.clone()))
                    .unwrap_or_default(),
            },
        };
        if broadcast {
            self.tell_tabs(&match &session {
                Some(session) => TabMessage::Session(session.to_json()),
                None => TabMessage::SignedOut,
            });
        }
        self.session.set(session);
        if let Some(name) = event {
            self.host
                .with_value(|hook| hook(name, self.session.get_untracked().as_ref()));
        }
        let notice = matches!(flow, Event::SignedOut { .. }).then_some(Msg::SignedOut);
        let _ = self.go(flow, notice);
    }

    /// The timed refresh: under a Web Lock shared by the tabs, and only if no other tab has
    /// refreshed meanwhile (its new session then arrived over the channel).
    fn refresh_once(self) {
        let name = self.config.with_value(|c| format!("cognate-refresh:{}", c.client_id));
        let task = Closure::once_into_js(move |done: js_sys::Function| {
            leptos::task::spawn_local(async move {
                let due = self
                    .session
                    .with_untracked(|s| s.as_ref().is_some_and(|s| s.needs_refresh(now_ms())));
                if due {
                    drop(self.refresh().await);
                }
                let _ = done.call0(&JsValue::NULL);
            });
        });
        crate::host::with_lock(&name, &task);
    }

    /// Refreshes the tokens (`REFRESH_TOKEN_AUTH`). A refused refresh token ends the session.
    pub async fn refresh(self) -> Option<Session> {
        let current = self.session.get_untracked()?;
        let refresh_token = current.refresh_token.clone()?;
        match self.client().refresh(&refresh_token).await {
            Ok(tokens) => {
                let session = Session::from_tokens(tokens, now_ms(), Some(refresh_token))?;
                self.set_session(Some(session.clone()), Some(TOKEN_REFRESHED), true);
                Some(session)
            }
            Err(err) if err.is(ErrorCode::NotAuthorized) => {
                self.set_session(None, Some(SIGNED_OUT), true);
                None
            }
            Err(_) => None,
        }
    }

    /// The session, refreshed first when it is near expiry (the host's `getAccessToken()`).
    pub async fn fresh_session(self) -> Option<Session> {
        let session = self.session.get_untracked()?;
        if session.needs_refresh(now_ms()) {
            return self
                .refresh()
                .await
                .or_else(|| (!session.expired(now_ms())).then_some(session));
        }
        Some(session)
    }

    /// Signs out: revokes the refresh token (or, with `global`, every session of the user via
    /// `GlobalSignOut`), then forgets the tokens whatever the server said.
    pub async fn sign_out(self, global: bool) {
        let Some(session) = self.session.get_untracked() else {
            return;
        };
        let client = self.client();
        let _ = match (&session.refresh_token, global) {
            (Some(refresh_token), false) => client.revoke(refresh_token).await,
            _ => client.global_sign_out(&session.access_token).await,
        };
        self.set_session(None, Some(SIGNED_OUT), true);
    }
}

/// Fetches a JSON catalogue.
async fn fetch_catalogue(url: &str, lang: &str) -> Option<Catalogue> {
    let (status, body, _) = crate::api::get(url).await.ok()?;
    (status == 200).then(|| Catalogue::from_json(lang, &body)).flatten()
}

/// The widget: one screen for the current step, in the user's language and direction, in a
/// region landmark named by the screen's title.
#[component]
pub fn App(widget: Widget) -> impl IntoView {
    provide_context(widget);
    let screen = move || {
        widget.catalogue.track();
        screens::render(widget.step.get())
    };
    let theme = widget.config.with_value(|c| c.theme.clone());
    view! {
        <section
            class="cognate"
            aria-labelledby="cognate-title"
            lang=text(move || Some(widget.catalogue.with(|c| c.lang.clone())))
            dir=text(move || Some(widget.catalogue.with(|c| c.dir().to_owned())))
            data-theme=theme
        >
            {screen}
        </section>
    }
}
