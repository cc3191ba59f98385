//! The sign-in screen: a labelled user name and password form that runs `InitiateAuth`.
//!
//! The outcome is announced in two live regions: `role="status"` for "Signed in as …" and
//! `role="alert"` for errors. The submit button is disabled while a request is in flight.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, SignInError, SignedIn};
use crate::config::WidgetConfig;

/// What the user sees once the request finished.
pub fn outcome_text(outcome: &Result<SignedIn, SignInError>) -> (Option<String>, Option<String>) {
    match outcome {
        Ok(signed_in) => (Some(format!("Signed in as {}", signed_in.username)), None),
        Err(err) => (None, Some(err.user_message())),
    }
}

/// The user name + password form.
#[component]
pub fn SignIn(config: WidgetConfig) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let endpoint = config.endpoint;
    let client_id = config.client_id;
    let submit = Action::new_local(move |(user, pass): &(String, String)| {
        let (endpoint, client_id) = (endpoint.clone(), client_id.clone());
        let (user, pass) = (user.clone(), pass.clone());
        async move { api::sign_in(&endpoint, &client_id, &user, &pass).await }
    });
    let pending = submit.pending();
    let outcome = submit.value();

    // Once signed in, the password has served its purpose.
    Effect::new(move || {
        if matches!(outcome.get(), Some(Ok(_))) {
            password.set(String::new());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        submit.dispatch((username.get_untracked(), password.get_untracked()));
    };

    let texts = move || {
        if pending.get() {
            return (None, None);
        }
        outcome.with(|outcome| outcome.as_ref().map(outcome_text).unwrap_or_default())
    };
    let status = move || texts().0;
    let alert = move || {
        texts().1.map(|message| {
            view! { <p class="cognate-alert" role="alert">{message}</p> }
        })
    };

    view! {
        <form class="cognate-form" on:submit=on_submit aria-busy=move || pending.get().to_string()>
            <h1 class="cognate-title">"Sign in"</h1>
            <div class="cognate-field">
                <label for="cognate-username">"Username"</label>
                <input
                    id="cognate-username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    bind:value=username
                />
            </div>
            <div class="cognate-field">
                <label for="cognate-password">"Password"</label>
                <input
                    id="cognate-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
            </div>
            {alert}
            <button class="cognate-submit" type="submit" disabled=move || pending.get()>
                {move || if pending.get() { "Signing in\u{2026}" } else { "Sign in" }}
            </button>
            <p class="cognate-status" role="status">{status}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_protocol::auth::AuthenticationResult;

    #[test]
    fn success_goes_to_the_status_region() {
        let outcome = Ok(SignedIn {
            username: "alice".into(),
            tokens: AuthenticationResult::default(),
        });
        assert_eq!(outcome_text(&outcome), (Some("Signed in as alice".into()), None));
    }

    #[test]
    fn errors_go_to_the_alert_region() {
        let outcome = Err(SignInError::Service {
            name: "NotAuthorizedException".into(),
            message: "Incorrect username or password.".into(),
        });
        assert_eq!(
            outcome_text(&outcome),
            (None, Some("Incorrect username or password.".into()))
        );
    }
}
