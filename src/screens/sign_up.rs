//! The sign-up screen: user name, the pool's required attributes and a password whose rules
//! are shown as the user types; `SignUp`, then the confirmation step (or sign-in when the pool
//! confirmed the account at once).

use cognate_protocol::password_policy::PasswordPolicy;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{attribute_fields, go};
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Event;
use crate::i18n::Msg;

/// The sign-up form.
pub fn view(w: Widget) -> impl IntoView {
    let form = FormState::new();
    let user = RwSignal::new(String::new());
    let pass = RwSignal::new(String::new());
    let names = w.config.with_value(|c| c.sign_up_attributes.clone());
    let (fields, values) = attribute_fields(w, form, &names);
    let submit = move || {
        let (username, password) = (user.get_untracked(), pass.get_untracked());
        let attributes = values.values();
        form.run(async move {
            match w.client().sign_up(&username, &password, &attributes).await {
                Ok((confirmed, destination)) => {
                    let event = Event::SignedUp {
                        username,
                        confirmed,
                        destination,
                    };
                    let notice = confirmed.then_some(Msg::Confirmed);
                    go(w, event, notice)
                }
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let body = view! {
        {form::input(w, form, Some(Field::Username), Field::Username.id(), w.t(Msg::FieldUsername), user, ("text", "username"))}
        {fields}
        {form::password(w, form, Msg::FieldPassword, pass, Some(PasswordPolicy::default()))}
    };
    let links = form::link(w.t(Msg::LinkSignIn), move || {
        let _ = w.go(
            Event::GoToSignIn {
                username: String::new(),
            },
            None,
        );
    });
    form::screen(
        w,
        form,
        Msg::SignUpTitle,
        (Msg::SignUpSubmit, Msg::SignUpBusy),
        Box::new(submit),
        body.into_any(),
        links.into_any(),
    )
}
