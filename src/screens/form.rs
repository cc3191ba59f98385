//! The pieces every screen is built from: the form frame (title, notice, busy state, the
//! form-level error, links), labelled inputs with their error underneath, the password input
//! with show/hide and the live list of password rules.
//!
//! Accessibility is handled here once: every input has a `<label>`, errors are `role="alert"`
//! and tied to their input with `aria-describedby` and `aria-invalid`, notices are
//! `role="status"`, the form is `aria-busy` while a request runs, focus goes to the first input
//! when a screen opens and to the field in error when a request fails.

use std::future::Future;
use std::pin::Pin;

use cognate_protocol::password_policy::{PasswordPolicy, PasswordRule};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::Widget;
use crate::errors::{Explained, Field};
use crate::i18n::Msg;

/// A screen's form state: whether a request is running and the error to show.
#[derive(Clone, Copy)]
pub struct FormState {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<Explained>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    pub fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Runs one submission: ignored while another runs; busy until it finishes.
    pub fn run(self, work: impl Future<Output = Option<Explained>> + 'static) {
        self.run_boxed(Box::pin(work));
    }

    /// [`FormState::run`], not generic: the busy/error handling exists once in the wasm.
    fn run_boxed(self, work: Pin<Box<dyn Future<Output = Option<Explained>>>>) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let failure = work.await;
            self.busy.set(false);
            if let Some((field, msg)) = failure {
                self.error.set(Some((field, msg)));
                request_animation_frame(move || focus(field.id()));
            }
        });
    }

    fn message_for(self, field: Field, w: Widget) -> Option<String> {
        self.error.get().filter(|(f, _)| *f == field).map(|(_, msg)| w.t(msg))
    }
}

/// Moves focus to the element with `id`, if it exists.
pub fn focus(id: &str) {
    let element = document().get_element_by_id(id);
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// A reactive text (or absent attribute). Type-erased on purpose: every reactive text and
/// attribute of the widget then shares one instance of Leptos's rendering code, which keeps
/// the wasm small (a closure per site would each get their own).
pub type Text = Signal<Option<String>>;

/// A [`Text`] computed by `f`.
pub fn text(f: impl Fn() -> Option<String> + Send + Sync + 'static) -> Text {
    Signal::derive(f)
}

/// A reactive flag (boolean attribute), type-erased like [`Text`].
pub fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Signal<bool> {
    Signal::derive(f)
}

/// The error paragraph of a field (or of the form): present only while there is an error.
fn error_paragraph(id: String, message: Text) -> impl IntoView {
    move || {
        message.get().map(|message| {
            view! { <p id=id.clone() class="cognate-error" role="alert" tabindex="-1">{message}</p> }
        })
    }
}

/// The frame of a screen: a titled form that submits through `on_submit`. (Not generic, so
/// the frame's code exists once in the wasm, not once per screen.)
pub fn screen(
    w: Widget,
    form: FormState,
    title: Msg,
    submit: (Msg, Msg),
    on_submit: Box<dyn Fn()>,
    body: AnyView,
    links: AnyView,
) -> AnyView {
    // Once the screen is in the page, its first input takes the focus (if the user is working in
    // the widget: an embedded widget does not steal the focus when its page loads).
    if w.take_autofocus() {
        request_animation_frame(|| {
            let first = document().query_selector(".cognate-form input").ok().flatten();
            if let Some(first) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = first.focus();
            }
        });
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_submit();
    };
    let busy = form.busy;
    view! {
        <form class="cognate-form" on:submit=on_submit aria-busy=text(move || Some(busy.get().to_string()))>
            <h1 id="cognate-title" class="cognate-title">{w.t(title)}</h1>
            <p class="cognate-status" role="status">{text(move || w.notice.get().map(|msg| w.t(msg)))}</p>
            {body}
            {error_paragraph(Field::Form.id().to_owned(), text(move || form.message_for(Field::Form, w)))}
            <button class="cognate-submit" type="submit" disabled=busy>
                <span class="cognate-spinner" aria-hidden="true" hidden=flag(move || !busy.get())></span>
                {text(move || Some(w.t(if busy.get() { submit.1 } else { submit.0 })))}
            </button>
            <div class="cognate-links">{links}</div>
        </form>
    }
    .into_any()
}

/// A labelled text input; errors for `field` show under it.
pub fn input(
    w: Widget,
    form: FormState,
    field: Option<Field>,
    id: &'static str,
    label: String,
    value: RwSignal<String>,
    (kind, autocomplete): (&'static str, &'static str),
) -> impl IntoView {
    let error = text(move || field.and_then(|field| form.message_for(field, w)));
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="cognate-field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                autocapitalize="none"
                spellcheck="false"
                required
                aria-invalid=text(move || error.with(Option::is_some).then(|| "true".to_owned()))
                aria-describedby=text(move || error.with(Option::is_some).then(|| described.clone()))
                bind:value=value
            />
            {error_paragraph(error_id, error)}
        </div>
    }
}

/// A password input with a show/hide toggle and, for new passwords, the policy's rules.
pub fn password(
    w: Widget,
    form: FormState,
    label: Msg,
    value: RwSignal<String>,
    new_password: Option<PasswordPolicy>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let id = Field::Password.id();
    let error = text(move || form.message_for(Field::Password, w));
    let autocomplete = if new_password.is_some() {
        "new-password"
    } else {
        "current-password"
    };
    let has_rules = new_password.is_some();
    let rules = new_password.map(|policy| rules(w, policy, value));
    let described = move || {
        let mut ids = Vec::new();
        if error.with(Option::is_some) {
            ids.push("cognate-password-error");
        }
        if has_rules {
            ids.push("cognate-rules");
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="cognate-field">
            <label for=id>{w.t(label)}</label>
            <div class="cognate-password">
                <input
                    id=id
                    name="password"
                    type=text(move || Some((if shown.get() { "text" } else { "password" }).to_owned()))
                    autocomplete=autocomplete
                    required
                    aria-invalid=text(move || error.with(Option::is_some).then(|| "true".to_owned()))
                    aria-describedby=text(described)
                    bind:value=value
                />
                <button
                    type="button"
                    class="cognate-toggle"
                    aria-controls=id
                    aria-pressed=text(move || Some(shown.get().to_string()))
                    on:click=move |_| shown.update(|shown| *shown = !*shown)
                >
                    {w.t(Msg::ShowPassword)}
                </button>
            </div>
            {rules}
            {error_paragraph("cognate-password-error".to_owned(), error)}
        </div>
    }
}

/// The policy's rules, each marked met or missing as the user types.
fn rules(w: Widget, policy: PasswordPolicy, value: RwSignal<String>) -> impl IntoView {
    let mut shown = vec![(
        PasswordRule::MinimumLength,
        w.fill(Msg::RuleLength, "n", &policy.minimum_length.to_string()),
    )];
    for (required, rule, msg) in [
        (policy.require_lowercase, PasswordRule::Lowercase, Msg::RuleLower),
        (policy.require_uppercase, PasswordRule::Uppercase, Msg::RuleUpper),
        (policy.require_numbers, PasswordRule::Numbers, Msg::RuleNumber),
        (policy.require_symbols, PasswordRule::Symbols, Msg::RuleSymbol),
    ] {
        if required {
            shown.push((rule, w.t(msg)));
        }
    }
    let unmet = Memo::new(move |_| value.with(|password| crate::policy::unmet_rules_in_browser(&policy, password)));
    let (met_text, unmet_text) = (w.t(Msg::RuleMet), w.t(Msg::RuleUnmet));
    view! {
        <div id="cognate-rules" class="cognate-rules">
            <span>{w.t(Msg::RulesTitle)}</span>
            <ul>
                {shown
                    .into_iter()
                    .map(|(rule, label)| {
                        let met = flag(move || !unmet.with(|unmet| unmet.contains(&rule)));
                        let (met_text, unmet_text) = (met_text.clone(), unmet_text.clone());
                        let state = text(move || Some(format!(" ({})", if met.get() { &met_text } else { &unmet_text })));
                        view! {
                            <li class=text(move || met.get().then(|| "cognate-met".to_owned()))>
                                {label}
                                <span class="cognate-sr">{state}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// A link-styled button that moves the flow.
pub fn link(label: String, on_click: impl Fn() + 'static) -> AnyView {
    link_boxed(label, Box::new(on_click))
}

/// [`link`], not generic: the button's rendering code exists once in the wasm.
fn link_boxed(label: String, on_click: Box<dyn Fn()>) -> AnyView {
    view! {
        <button type="button" class="cognate-link" on:click=move |_| on_click()>
            {label}
        </button>
    }
    .into_any()
}
