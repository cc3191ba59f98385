//! The forced-new-password screen (`NEW_PASSWORD_REQUIRED`): an admin-created user replaces the
//! temporary password and fills in the required attributes the account lacks; answered with
//! `RespondToAuthChallenge` in the server's challenge session.

use cognate_protocol::password_policy::PasswordPolicy;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{after_auth, attribute_fields};
use crate::app::Widget;
use crate::errors::explain;
use crate::flow::{Challenge, Event};
use crate::i18n::Msg;

/// The new-password form for an open challenge.
pub fn view(w: Widget, challenge: Challenge) -> impl IntoView {
    let form = FormState::new();
    let pass = RwSignal::new(String::new());
    let (fields, values) = attribute_fields(w, form, &challenge.required_attributes);
    let challenge = StoredValue::new(challenge);
    let submit = move || {
        let password = pass.get_untracked();
        let given = values.values();
        let Challenge { username, session, .. } = challenge.get_value();
        form.run(async move {
            match w.client().new_password(&session, &username, &password, &given).await {
                Ok(outcome) => after_auth(w, username, outcome),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let body = view! {
        <p class="cognate-intro">{w.t(Msg::NewPasswordIntro)}</p>
        {form::password(w, form, Msg::FieldNewPassword, pass, Some(PasswordPolicy::default()))}
        {fields}
    };
    let links = form::link(w.t(Msg::LinkSignIn), move || {
        let _ = w.go(
            Event::GoToSignIn {
                username: challenge.with_value(|c| c.username.clone()),
            },
            None,
        );
    });
    form::screen(
        w,
        form,
        Msg::NewPasswordTitle,
        (Msg::NewPasswordSubmit, Msg::SaveBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
