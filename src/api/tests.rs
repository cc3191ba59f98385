//! Request bodies and response interpretation of the API client, checked natively.

use super::*;
use serde_json::json;

fn value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn request_bodies_have_cognitos_shape() {
    let client = Client {
        endpoint: "http://x/".into(),
        client_id: "client1".into(),
    };
    let body = client
        .request()
        .string("AuthFlow", "USER_PASSWORD_AUTH")
        .raw(
            "AuthParameters",
            &string_object([("USERNAME", "alice"), ("PASSWORD", "p\"w")]),
        )
        .finish();
    assert_eq!(
        value(&body),
        json!({
            "ClientId": "client1",
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": "alice", "PASSWORD": "p\"w" }
        })
    );
    let attributes = attributes_json(&[("email".into(), "u@example.com".into()), ("name".into(), "U".into())]);
    assert_eq!(
        value(&attributes),
        json!([{ "Name": "email", "Value": "u@example.com" }, { "Name": "name", "Value": "U" }])
    );
    assert_eq!(attributes_json(&[]), "[]");
}

#[test]
fn tokens_and_challenges_are_told_apart() {
    let tokens = interpret(
        200,
        r#"{"AuthenticationResult":{"IdToken":"i","AccessToken":"a","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#,
        None,
    )
    .unwrap();
    let AuthOutcome::Tokens(tokens) = auth_outcome(&tokens).unwrap() else {
        panic!("tokens expected");
    };
    assert_eq!(tokens.expires_in, 3600);
    assert_eq!(tokens.refresh_token.as_deref(), Some("r"));
    assert!(!format!("{tokens:?}").contains("\"a\""));
    let challenge = interpret(
        200,
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s","ChallengeParameters":{"USER_ID_FOR_SRP":"bob","requiredAttributes":"[]"}}"#,
        None,
    )
    .unwrap();
    assert_eq!(
        auth_outcome(&challenge).unwrap(),
        AuthOutcome::Challenge {
            name: ChallengeName::NewPasswordRequired,
            session: "s".into(),
            parameters: vec![
                ("USER_ID_FOR_SRP".into(), "bob".into()),
                ("requiredAttributes".into(), "[]".into())
            ],
        }
    );
    for body in [
        "{}",
        r#"{"ChallengeName":"NO_SUCH_CHALLENGE","Session":"s"}"#,
        r#"{"AuthenticationResult":{"IdToken":"","AccessToken":"a","ExpiresIn":1}}"#,
    ] {
        assert!(
            matches!(auth_outcome(&Json::parse(body).unwrap()), Err(ApiError::Unexpected(_))),
            "{body}"
        );
    }
}

#[test]
fn every_challenge_name_reads_back() {
    for challenge in CHALLENGES {
        assert_eq!(challenge_name(challenge.as_str()), Some(challenge));
    }
    assert_eq!(challenge_name("nope"), None);
}

#[test]
fn code_delivery_answers_give_the_destination() {
    let answer = Json::parse(
        r#"{"CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    )
    .unwrap();
    assert_eq!(destination(&answer).as_deref(), Some("a***@e***"));
    assert_eq!(destination(&Json::parse("{}").unwrap()), None);
}

#[test]
fn bodies_that_are_not_json_are_unexpected() {
    assert!(matches!(interpret(200, "<html>", None), Err(ApiError::Unexpected(_))));
    assert!(interpret(200, "", None).is_ok());
}

#[test]
fn error_names_lose_namespaces_and_suffixes() {
    assert_eq!(
        error_name("com.amazonaws.cognito#NotAuthorizedException"),
        "NotAuthorizedException"
    );
    assert_eq!(
        error_name("NotAuthorizedException:http://internal.amazon.com/"),
        "NotAuthorizedException"
    );
    assert_eq!(
        parse_error(
            400,
            r#"{"__type":"ns#ResourceNotFoundException","message":"no pool"}"#,
            None
        ),
        ApiError::Service {
            name: "ResourceNotFoundException".into(),
            message: "no pool".into()
        }
    );
}

#[test]
fn falls_back_to_the_error_type_header() {
    assert_eq!(
        parse_error(400, "", Some("UserNotConfirmedException:")),
        ApiError::Service {
            name: "UserNotConfirmedException".into(),
            message: String::new()
        }
    );
    assert!(matches!(parse_error(502, "Bad gateway", None), ApiError::Unexpected(_)));
}
