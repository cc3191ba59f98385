//! The signed-in screen: who is signed in, a sign-out button (`RevokeToken`, then the tokens
//! are forgotten), the "remember this device?" question after a sign-in that created a device
//! (`srp/device.js`), and the user's sign-in security (MFA) settings and devices, loaded on
//! demand from `mfa/security.js` into the section below the form.

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
    let user = StoredValue::new(username);
    let security = form::link(w.t(Msg::Security), move || {
        leptos::task::spawn_local(async move {
            if let Some(session) = w.fresh_session().await {
                let (client, lang) = (w.client(), w.catalogue.with_untracked(|c| c.lang.clone()));
                let (endpoint, client_id) = (client.endpoint, client.client_id);
                crate::host::open_security(&endpoint, &client_id, &session.access_token, &lang, &user.get_value());
            }
        });
    });
    view! {
        {form::screen(
            w,
            form,
            Msg::SignedInTitle,
            (Msg::SignOut, Msg::SignOutBusy),
            Box::new(submit),
            body.into_any(),
            security,
        )}
        <section id="cognate-device" class="cognate-security" aria-live="polite"></section>
        <section id="cognate-security" class="cognate-security" aria-live="polite"></section>
    }
}
