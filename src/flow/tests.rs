//! The transition table of the sign-in flow, and the parsing of challenge parameters.

use super::*;

fn s(value: &str) -> String {
    value.to_owned()
}

fn sign_in(username: &str) -> Step {
    Step::SignIn { username: s(username) }
}

fn confirm(username: &str) -> Step {
    Step::ConfirmSignUp {
        username: s(username),
        destination: Some(s("a***@e***")),
    }
}

fn reset(username: &str) -> Step {
    Step::ConfirmResetPassword {
        username: s(username),
        destination: None,
    }
}

fn challenge(parameters: &[(&str, &str)], name: ChallengeName) -> Event {
    Event::ChallengeIssued {
        username: s("alias@example.com"),
        name,
        session: s("sess"),
        parameters: parameters.iter().map(|(k, v)| (s(k), s(v))).collect(),
    }
}

fn mfa_challenge() -> Challenge {
    Challenge {
        username: s("alias@example.com"),
        session: s("sess"),
        required_attributes: Vec::new(),
    }
}

#[test]
fn opening_screens_follow_the_page() {
    assert_eq!(Step::opening(Some("sign-up")), Step::SignUp);
    assert_eq!(Step::opening(Some("forgot-password")).name(), "forgot-password");
    assert_eq!(Step::opening(Some("bogus")), Step::start());
    assert_eq!(Step::opening(None), Step::start());
}

#[test]
fn transitions_follow_the_table() {
    let new_password = Step::NewPasswordRequired(Challenge {
        username: s("bob"),
        session: s("sess"),
        required_attributes: vec![s("email"), s("name")],
    });
    let table: Vec<(Step, Event, Result<Step, FlowError>)> = vec![
        (sign_in(""), Event::GoToSignUp, Ok(Step::SignUp)),
        (
            sign_in("al"),
            Event::GoToForgotPassword { username: s("al") },
            Ok(Step::ForgotPassword { username: s("al") }),
        ),
        (Step::SignUp, Event::GoToSignIn { username: s("") }, Ok(sign_in(""))),
        (
            Step::SignUp,
            Event::SignedUp {
                username: s("al"),
                confirmed: false,
                destination: Some(s("a***@e***")),
            },
            Ok(confirm("al")),
        ),
        (
            Step::SignUp,
            Event::SignedUp {
                username: s("al"),
                confirmed: true,
                destination: None,
            },
            Ok(sign_in("al")),
        ),
        (
            sign_in("al"),
            Event::ConfirmationNeeded {
                username: s("al"),
                destination: Some(s("a***@e***")),
            },
            Ok(confirm("al")),
        ),
        (
            confirm("al"),
            Event::SignUpConfirmed { username: s("al") },
            Ok(sign_in("al")),
        ),
        (
            sign_in("al"),
            Event::SignUpConfirmed { username: s("al") },
            Err(FlowError::Unexpected),
        ),
        (
            Step::ForgotPassword { username: s("al") },
            Event::ResetCodeSent {
                username: s("al"),
                destination: None,
            },
            Ok(reset("al")),
        ),
        (
            reset("al"),
            Event::ResetCodeSent {
                username: s("al"),
                destination: None,
            },
            Ok(reset("al")),
        ),
        (
            Step::SignUp,
            Event::ResetCodeSent {
                username: s("al"),
                destination: None,
            },
            Err(FlowError::Unexpected),
        ),
        (
            reset("al"),
            Event::PasswordReset { username: s("al") },
            Ok(sign_in("al")),
        ),
        (
            Step::SignUp,
            Event::PasswordReset { username: s("al") },
            Err(FlowError::Unexpected),
        ),
        (
            sign_in("alias@example.com"),
            challenge(
                &[
                    ("USER_ID_FOR_SRP", "bob"),
                    (
                        "requiredAttributes",
                        r#"["userAttributes.email","userAttributes.name"]"#,
                    ),
                ],
                ChallengeName::NewPasswordRequired,
            ),
            Ok(new_password.clone()),
        ),
        (
            sign_in("al"),
            challenge(&[], ChallengeName::SoftwareTokenMfa),
            Ok(Step::MfaCode {
                challenge: mfa_challenge(),
                kind: ChallengeName::SoftwareTokenMfa,
                destination: None,
            }),
        ),
        (
            sign_in("al"),
            challenge(&[("CODE_DELIVERY_DESTINATION", "a***@e***")], ChallengeName::EmailOtp),
            Ok(Step::MfaCode {
                challenge: mfa_challenge(),
                kind: ChallengeName::EmailOtp,
                destination: Some(s("a***@e***")),
            }),
        ),
        (
            sign_in("al"),
            challenge(
                &[("MFAS_CAN_CHOOSE", r#"["EMAIL_OTP","SOFTWARE_TOKEN_MFA","WEB_AUTHN"]"#)],
                ChallengeName::SelectMfaType,
            ),
            Ok(Step::SelectMfaType {
                challenge: mfa_challenge(),
                options: vec![ChallengeName::EmailOtp, ChallengeName::SoftwareTokenMfa],
            }),
        ),
        (
            sign_in("al"),
            challenge(&[("MFAS_CAN_CHOOSE", "[]")], ChallengeName::SelectMfaType),
            Err(FlowError::UnsupportedChallenge(ChallengeName::SelectMfaType)),
        ),
        (
            sign_in("al"),
            challenge(
                &[("MFAS_CAN_SETUP", r#"["SOFTWARE_TOKEN_MFA"]"#)],
                ChallengeName::MfaSetup,
            ),
            Ok(Step::MfaSetup(mfa_challenge())),
        ),
        (
            sign_in("al"),
            challenge(&[("MFAS_CAN_SETUP", r#"["SMS_MFA"]"#)], ChallengeName::MfaSetup),
            Err(FlowError::UnsupportedChallenge(ChallengeName::MfaSetup)),
        ),
        (
            sign_in("al"),
            challenge(&[], ChallengeName::CustomChallenge),
            Err(FlowError::UnsupportedChallenge(ChallengeName::CustomChallenge)),
        ),
        (
            new_password.clone(),
            Event::Authenticated { username: s("bob") },
            Ok(Step::SignedIn { username: s("bob") }),
        ),
        (
            sign_in("al"),
            Event::Authenticated { username: s("al") },
            Ok(Step::SignedIn { username: s("al") }),
        ),
        (
            Step::SignedIn { username: s("al") },
            Event::SignedOut { username: s("al") },
            Ok(sign_in("al")),
        ),
        (
            Step::SignedIn { username: s("al") },
            Event::GoToSignUp,
            Err(FlowError::Unexpected),
        ),
        (
            Step::SignedIn { username: s("al") },
            Event::Authenticated { username: s("al") },
            Ok(Step::SignedIn { username: s("al") }),
        ),
    ];
    for (step, event, expected) in table {
        let described = format!("{step:?} + {event:?}");
        assert_eq!(transition(&step, event), expected, "{described}");
    }
}

#[test]
fn required_attributes_lose_their_prefix() {
    assert_eq!(
        required_attributes(Some(r#"["userAttributes.email","custom:team"]"#)),
        vec![s("email"), s("custom:team")]
    );
    assert!(required_attributes(Some("[]")).is_empty());
    assert!(required_attributes(Some("not json")).is_empty());
    assert!(required_attributes(None).is_empty());
}

#[test]
fn every_step_has_a_distinct_name() {
    let steps = [
        sign_in(""),
        Step::SignUp,
        confirm("a"),
        Step::ForgotPassword { username: s("") },
        reset("a"),
        Step::NewPasswordRequired(Challenge {
            username: s("a"),
            session: s("s"),
            required_attributes: vec![],
        }),
        Step::SignedIn { username: s("a") },
    ];
    let mut names: Vec<&str> = steps.iter().map(Step::name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), steps.len());
}
