//! The forgot-password screen: the user name to send a reset code to (`ForgotPassword`).

use leptos::prelude::*;

use super::form::{self, FormState};
use super::go;
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Event;
use crate::i18n::Msg;

/// The reset request form, the user name pre-filled with `username`.
pub fn view(w: Widget, username: String) -> impl IntoView {
    let form = FormState::new();
    let user = RwSignal::new(username);
    let submit = move || {
        let username = user.get_untracked();
        form.run(async move {
            match w.client().forgot_password(&username).await {
                Ok(destination) => go(w, Event::ResetCodeSent { username, destination }, None),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let body = view! {
        <p class="cognate-intro">{w.t(Msg::ForgotIntro)}</p>
        {form::input(w, form, Some(Field::Username), Field::Username.id(), w.t(Msg::FieldUsername), user, ("text", "username"))}
    };
    let links = form::link(w.t(Msg::LinkSignIn), move || {
        let _ = w.go(
            Event::GoToSignIn {
                username: user.get_untracked(),
            },
            None,
        );
    });
    form::screen(
        w,
        form,
        Msg::ForgotTitle,
        (Msg::ForgotSubmit, Msg::SendBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
