//! The confirm-reset screen: the reset code and a new password (`ConfirmForgotPassword`), with
//! a resend button on a cooldown.

use cognate_protocol::password_policy::PasswordPolicy;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{go, resend};
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Event;
use crate::i18n::Msg;

/// The code and new-password form for `username`.
pub fn view(w: Widget, username: String, destination: Option<String>) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let pass = RwSignal::new(String::new());
    let user = StoredValue::new(username);
    let submit = move || {
        let (username, code, password) = (user.get_value(), code.get_untracked(), pass.get_untracked());
        form.run(async move {
            match w
                .client()
                .confirm_forgot_password(&username, code.trim(), &password)
                .await
            {
                Ok(()) => go(w, Event::PasswordReset { username }, Some(Msg::PasswordChanged)),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let intro = match destination {
        Some(destination) => w.fill(Msg::CodeSentTo, "destination", &destination),
        None => w.t(Msg::CodeSent),
    };
    let body = view! {
        <p class="cognate-intro">{intro}</p>
        {form::input(w, form, Some(Field::Code), Field::Code.id(), w.t(Msg::FieldCode), code, ("text", "one-time-code"))}
        {form::password(w, form, Msg::FieldNewPassword, pass, Some(PasswordPolicy::default()))}
    };
    let links = view! {
        {resend::button(w, move || async move { w.client().forgot_password(&user.get_value()).await.is_ok() })}
        {form::link(w.t(Msg::LinkSignIn), move || {
            let _ = w.go(Event::GoToSignIn { username: user.get_value() }, None);
        })}
    };
    form::screen(
        w,
        form,
        Msg::ResetTitle,
        (Msg::ResetSubmit, Msg::SaveBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
