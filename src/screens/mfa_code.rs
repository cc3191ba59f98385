//! The MFA code screen: a code from the authenticator app (`SOFTWARE_TOKEN_MFA`), or one sent by
//! email (`EMAIL_OTP`) or text message (`SMS_MFA`) to the masked destination shown. A wrong code
//! can be corrected in the same challenge session until the server ends it.

use cognate_protocol::auth::ChallengeName;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{after_auth, back_to_sign_in};
use crate::app::Widget;
use crate::errors::{explain, Field};
use crate::flow::Challenge;
use crate::i18n::Msg;

/// The `ChallengeResponses` key of a factor's code.
pub fn code_key(kind: ChallengeName) -> &'static str {
    match kind {
        ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
        ChallengeName::EmailOtp => "EMAIL_OTP_CODE",
        _ => "SMS_MFA_CODE",
    }
}

/// The code form of an open MFA challenge.
pub fn view(w: Widget, challenge: Challenge, kind: ChallengeName, destination: Option<String>) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let session = StoredValue::new(challenge.session);
    let user = StoredValue::new(challenge.username);
    let submit = move || {
        let (username, session, code) = (user.get_value(), session.get_value(), code.get_untracked());
        form.run(async move {
            let answer = [("USERNAME", username.as_str()), (code_key(kind), code.trim())];
            match w.client().respond(kind, &session, &answer).await {
                Ok(outcome) => after_auth(w, username, outcome),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let intro = match (kind, destination) {
        (ChallengeName::SoftwareTokenMfa, _) => w.t(Msg::MfaTotpIntro),
        (_, Some(destination)) => w.fill(Msg::CodeSentTo, "destination", &destination),
        (_, None) => w.t(Msg::CodeSent),
    };
    let body = view! {
        <p class="cognate-intro">{intro}</p>
        {form::input(w, form, Some(Field::Code), Field::Code.id(), w.t(Msg::FieldCode), code, ("text", "one-time-code"))}
    };
    form::screen(
        w,
        form,
        Msg::MfaTitle,
        (Msg::ConfirmSubmit, Msg::ConfirmBusy),
        Box::new(submit),
        body.into_any(),
        back_to_sign_in(w, user),
    )
}
