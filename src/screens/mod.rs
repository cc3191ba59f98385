//! One screen per [`Step`], one file each, all built from the pieces in [`form`].
//!
//! A screen renders its step's form, runs the API call when submitted and reports the outcome
//! to the flow ([`Widget::go`]); it never chooses the next screen itself.

pub mod confirm_reset_password;
pub mod confirm_sign_up;
pub mod forgot_password;
pub mod form;
pub mod mfa_code;
pub mod mfa_setup;
pub mod new_password_required;
pub mod resend;
pub mod select_mfa_type;
pub mod sign_in;
pub mod sign_up;
pub mod signed_in;

use leptos::prelude::*;

use self::form::FormState;
use crate::api::AuthOutcome;
use crate::app::Widget;
use crate::errors::{explain, Explained, Field};
use crate::flow::{Event, FlowError, Step};
use crate::i18n::Msg;

/// The screen of `step`.
pub fn render(step: Step) -> AnyView {
    let w = expect_context::<Widget>();
    match step {
        Step::SignIn { username } => sign_in::view(w, username).into_any(),
        Step::SignUp => sign_up::view(w).into_any(),
        Step::ConfirmSignUp { username, destination } => confirm_sign_up::view(w, username, destination).into_any(),
        Step::ForgotPassword { username } => forgot_password::view(w, username).into_any(),
        Step::ConfirmResetPassword { username, destination } => {
            confirm_reset_password::view(w, username, destination).into_any()
        }
        Step::NewPasswordRequired(challenge) => new_password_required::view(w, challenge).into_any(),
        Step::MfaCode {
            challenge,
            kind,
            destination,
        } => mfa_code::view(w, challenge, kind, destination).into_any(),
        Step::SelectMfaType { challenge, options } => select_mfa_type::view(w, challenge, options).into_any(),
        Step::MfaSetup(challenge) => mfa_setup::view(w, challenge).into_any(),
        Step::SignedIn { username } => signed_in::view(w, username).into_any(),
    }
}

/// The message for a flow that cannot go on.
pub fn flow_error(err: FlowError) -> Explained {
    match err {
        FlowError::UnsupportedChallenge(_) => (Field::Form, Msg::ErrUnsupported),
        FlowError::Unexpected => (Field::Form, Msg::ErrUnexpected),
    }
}

/// Moves the flow on; the error to show if it cannot.
pub fn go(w: Widget, event: Event, notice: Option<Msg>) -> Option<Explained> {
    w.go(event, notice).err().map(flow_error)
}

/// Goes on after an authentication answer: keeps tokens, or opens the challenge's step.
pub fn after_auth(w: Widget, username: String, outcome: AuthOutcome) -> Option<Explained> {
    match outcome {
        AuthOutcome::Tokens(tokens) => w.authenticated(tokens).err().map(|err| explain(&err)),
        AuthOutcome::Challenge {
            name,
            session,
            parameters,
        } => go(
            w,
            Event::ChallengeIssued {
                username,
                name,
                session,
                parameters,
            },
            None,
        ),
    }
}

/// The "Back to sign in" link of a challenge screen, keeping the user name.
pub fn back_to_sign_in(w: Widget, username: StoredValue<String>) -> AnyView {
    form::link(w.t(Msg::LinkSignIn), move || {
        let _ = w.go(
            Event::GoToSignIn {
                username: username.get_value(),
            },
            None,
        );
    })
}

/// Inputs for user attributes (`email`, …), and a way to read what was typed.
pub fn attribute_fields(w: Widget, form: FormState, names: &[String]) -> (AnyView, Attributes) {
    let attributes: Vec<(String, RwSignal<String>)> = names
        .iter()
        .map(|name| (name.clone(), RwSignal::new(String::new())))
        .collect();
    let values = Attributes(StoredValue::new(attributes.clone()));
    let fields = attributes
        .into_iter()
        .map(|(name, value)| {
            let (label, kind) = attribute_input(w, &name);
            let field = (name == "email").then_some(Field::Attribute);
            form::input(w, form, field, attribute_id(&name), label, value, kind)
        })
        .collect_view()
        .into_any();
    (fields, values)
}

/// The attribute inputs of a screen.
#[derive(Clone, Copy)]
pub struct Attributes(StoredValue<Vec<(String, RwSignal<String>)>>);

impl Attributes {
    /// `(name, value)` as typed.
    pub fn values(self) -> Vec<(String, String)> {
        self.0.with_value(|a| {
            a.iter()
                .map(|(name, value)| (name.clone(), value.get_untracked()))
                .collect()
        })
    }
}

/// The label and input kind of a user attribute: (label, (type, autocomplete)).
fn attribute_input(w: Widget, name: &str) -> (String, (&'static str, &'static str)) {
    match name {
        "email" => (w.t(Msg::FieldEmail), ("email", "email")),
        "phone_number" => (w.t(Msg::FieldPhone), ("tel", "tel")),
        "name" => (w.t(Msg::FieldName), ("text", "name")),
        other => (other.to_owned(), ("text", "off")),
    }
}

/// The input id of an attribute (`email` is [`Field::Attribute`]'s).
fn attribute_id(name: &str) -> &'static str {
    match name {
        "email" => Field::Attribute.id(),
        "phone_number" => "cognate-attr-phone_number",
        "name" => "cognate-attr-name",
        _ => "cognate-attr-other",
    }
}
