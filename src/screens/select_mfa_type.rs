//! Choosing the second factor (`SELECT_MFA_TYPE`): one button per factor the server offers; the
//! answer (`ANSWER`) opens that factor's code step.

use cognate_protocol::auth::ChallengeName;
use leptos::prelude::*;

use super::form::{self, FormState};
use super::{after_auth, back_to_sign_in};
use crate::app::Widget;
use crate::errors::explain;
use crate::flow::Challenge;
use crate::i18n::Msg;

/// The name of a factor.
pub fn factor_label(kind: ChallengeName) -> Msg {
    match kind {
        ChallengeName::SoftwareTokenMfa => Msg::MfaTotp,
        ChallengeName::EmailOtp => Msg::MfaEmail,
        _ => Msg::MfaSms,
    }
}

/// The factor choice of an open challenge. The form's own button takes the first factor.
pub fn view(w: Widget, challenge: Challenge, options: Vec<ChallengeName>) -> impl IntoView {
    let form = FormState::new();
    let session = StoredValue::new(challenge.session);
    let user = StoredValue::new(challenge.username);
    let choose = move |answer: ChallengeName| {
        let (username, session) = (user.get_value(), session.get_value());
        form.run(async move {
            let responses = [("USERNAME", username.as_str()), ("ANSWER", answer.as_str())];
            match w
                .client()
                .respond(ChallengeName::SelectMfaType, &session, &responses)
                .await
            {
                Ok(outcome) => after_auth(w, username, outcome),
                Err(err) => Some(explain(&err)),
            }
        })
    };
    let first = options[0];
    let others = options[1..]
        .iter()
        .map(|&kind| form::link(w.t(factor_label(kind)), move || choose(kind)))
        .collect_view();
    let body = view! { <p class="cognate-intro">{w.t(Msg::MfaChoose)}</p> };
    form::screen(
        w,
        form,
        Msg::MfaTitle,
        (factor_label(first), Msg::SendBusy),
        Box::new(move || choose(first)),
        body.into_any(),
        view! { {others} {back_to_sign_in(w, user)} }.into_any(),
    )
}
