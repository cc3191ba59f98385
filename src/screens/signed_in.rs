//! The signed-in screen: who is signed in, and a sign-out button (`RevokeToken`, then the
//! tokens are forgotten).

use leptos::prelude::*;

use super::form::{self, FormState};
use crate::app::Widget;
use crate::i18n::Msg;

/// Who is signed in, and sign-out.
pub fn view(w: Widget, username: String) -> impl IntoView {
    let form = FormState::new();
    let submit = move || {
        form.run(async move {
            w.sign_out(false).await;
            None
        })
    };
    let body = view! {
        <p class="cognate-who">{w.fill(Msg::SignedInAs, "username", &username)}</p>
    };
    form::screen(
        w,
        form,
        Msg::SignedInTitle,
        (Msg::SignOut, Msg::SignOutBusy),
        Box::new(submit),
        body.into_any(),
        ().into_any(),
    )
}
