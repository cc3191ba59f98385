//! The confirm-sign-up screen: the code sent after sign-up (`ConfirmSignUp`), with a resend
//! button on a cooldown (`ResendConfirmationCode`).

use leptos::prelude::*;

use super::form::{self, FormState};
use super::{go, resend};
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Event;
use crate::i18n::Msg;

/// The code form for `username`; `destination` is where the code went (masked).
pub fn view(w: Widget, username: String, destination: Option<String>) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let user = StoredValue::new(username);
    let submit = move || {
        let (username, code) = (user.get_value(), code.get_untracked());
        form.run(async move {
            match w.client().confirm_sign_up(&username, code.trim()).await {
                Ok(()) => go(w, Event::SignUpConfirmed { username }, Some(Msg::Confirmed)),
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
    };
    let links = view! {
        {resend::button(w, move || async move { w.client().resend_code(&user.get_value()).await.is_ok() })}
        {form::link(w.t(Msg::LinkSignIn), move || {
            let _ = w.go(Event::GoToSignIn { username: user.get_value() }, None);
        })}
    };
    form::screen(
        w,
        form,
        Msg::ConfirmTitle,
        (Msg::ConfirmSubmit, Msg::ConfirmBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
