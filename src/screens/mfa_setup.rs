//! Adding an authenticator app (`MFA_SETUP` at sign-in): the key from `AssociateSoftwareToken`
//! is drawn as a QR code of its `otpauth://` URI, with the key as text to copy, by `mfa/qr.js`
//! (loaded on demand, so the sign-in form does not carry the QR encoder); the app's first code
//! confirms it (`VerifySoftwareToken`), and the verified session answers `MFA_SETUP`.

use cognate_protocol::auth::ChallengeName;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{after_auth, back_to_sign_in};
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Challenge;
use crate::i18n::Msg;

/// The `MFA_SETUP` step of a sign-in.
pub fn view(w: Widget, challenge: Challenge) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let session = StoredValue::new(challenge.session);
    let user = StoredValue::new(challenge.username);
    form.run(async move {
        match w
            .client()
            .associate_software_token(Some(&session.get_value()), None)
            .await
        {
            Ok((key, next)) => {
                session.set_value(next.unwrap_or_default());
                crate::host::show_qr(&user.get_value(), &key);
                None
            }
            Err(err) => Some(explain(&err)),
        }
    });
    let submit = move || {
        let (username, code) = (user.get_value(), code.get_untracked());
        form.run(async move {
            let client = w.client();
            let outcome = match client
                .verify_software_token(Some(&session.get_value()), None, code.trim())
                .await
            {
                Ok(next) => {
                    let next = next.unwrap_or_default();
                    client
                        .respond(ChallengeName::MfaSetup, &next, &[("USERNAME", username.as_str())])
                        .await
                }
                Err(err) => Err(err),
            };
            match outcome {
                Ok(outcome) => after_auth(w, username, outcome),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let body = view! {
        <p class="cognate-intro">{w.t(Msg::MfaSetupIntro)}</p>
        <div id="cognate-qr" class="cognate-qr"></div>
        {form::input(w, form, Some(Field::Code), Field::Code.id(), w.t(Msg::FieldCode), code, ("text", "one-time-code"))}
    };
    form::screen(
        w,
        form,
        Msg::MfaSetupTitle,
        (Msg::ConfirmSubmit, Msg::ConfirmBusy),
        Box::new(submit),
        body.into_any(),
        back_to_sign_in(w, user),
    )
}
