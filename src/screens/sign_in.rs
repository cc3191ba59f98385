//! The sign-in screen: user name (or email alias) and password, `InitiateAuth` with
//! `USER_SRP_AUTH` when the page names the user pool (else `USER_PASSWORD_AUTH`). An unconfirmed
//! account is sent a new code and moved to confirmation.

use cognate_protocol::error::ErrorCode;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{after_auth, go};
use crate::app::Widget;
use crate::errors::{explain_sign_in, Field};
use crate::flow::Event;
use crate::i18n::Msg;

/// The sign-in form, the user name pre-filled with `username`.
pub fn view(w: Widget, username: String) -> impl IntoView {
    let form = FormState::new();
    let user = RwSignal::new(username);
    let pass = RwSignal::new(String::new());
    let submit = move || {
        let (username, password) = (user.get_untracked(), pass.get_untracked());
        form.run(async move {
            let client = w.client();
            let pool_id = w.config.with_value(|c| c.user_pool_id.clone()).unwrap_or_default();
            match client.sign_in(&pool_id, &username, &password).await {
                Ok(outcome) => after_auth(w, username, outcome),
                Err(err) if err.is(ErrorCode::UserNotConfirmed) => {
                    let destination = client.resend_code(&username).await.ok().flatten();
                    go(
                        w,
                        Event::ConfirmationNeeded { username, destination },
                        Some(Msg::NotConfirmed),
                    )
                }
                Err(err) => Some(explain_sign_in(&err)),
            }
        })
    };
    let body = view! {
        {form::input(w, form, Some(Field::Username), Field::Username.id(), w.t(Msg::FieldUsername), user, ("text", "username"))}
        {form::password(w, form, Msg::FieldPassword, pass, None)}
    };
    let links = view! {
        {form::link(w.t(Msg::LinkForgot), move || {
            let _ = w.go(Event::GoToForgotPassword { username: user.get_untracked() }, None);
        })}
        {form::link(w.t(Msg::LinkSignUp), move || {
            let _ = w.go(Event::GoToSignUp, None);
        })}
    };
    form::screen(
        w,
        form,
        Msg::SignInTitle,
        (Msg::SignInSubmit, Msg::SignInBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
