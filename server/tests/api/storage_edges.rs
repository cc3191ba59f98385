//! What every storage backend must agree on (the suite runs on SQLite and, through
//! `scripts/with-postgres.sh`, on PostgreSQL): lists page in code-point order whatever the
//! database's locale, and text a backend cannot hold (U+0000 in PostgreSQL) is refused as an
//! invalid parameter, never an internal error; a challenge session comes back as the typed state
//! it was stored with, once.

use super::support::*;

#[tokio::test]
async fn lists_page_in_code_point_order() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    for name in ["b", "Z", "é", "a-c", "A", "ab", "a"] {
        let create = server.admin.create_group().user_pool_id(&pool_id).group_name(name);
        create.send().await.expect("create group");
    }
    let mut names = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let list = server.admin.list_groups().user_pool_id(&pool_id).limit(2);
        let page = list.set_next_token(next.take()).send().await.expect("list groups");
        names.extend(page.groups().iter().filter_map(|g| g.group_name()).map(str::to_owned));
        match page.next_token() {
            Some(token) => next = Some(token.to_owned()),
            None => break,
        }
    }
    assert_eq!(names, ["A", "Z", "a", "a-c", "ab", "b", "é"]);
}

#[tokio::test]
async fn a_nul_character_is_stored_or_refused_as_an_invalid_parameter() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(false).await;
    let sign_up = format!(
        r#"{{"ClientId":"{client_id}","Username":"nul","Password":"{PASSWORD}",
            "UserAttributes":[{{"Name":"email","Value":"nul@example.com"}},{{"Name":"name","Value":"a\u0000b"}}]}}"#
    );
    let sign_in = format!(
        r#"{{"ClientId":"{client_id}","AuthFlow":"USER_PASSWORD_AUTH",
            "AuthParameters":{{"USERNAME":"nul@example\u0000.com","PASSWORD":"{PASSWORD}"}}}}"#
    );
    for (target, body, refusal) in [
        ("SignUp", sign_up, "InvalidParameterException"),
        ("InitiateAuth", sign_in, "NotAuthorizedException"),
    ] {
        let (status, json) = server.raw(target, &body).await;
        let kind = json["__type"].as_str().unwrap_or_default();
        assert!(
            status == 200 || (status == 400 && (kind == "InvalidParameterException" || kind == refusal)),
            "{target}: {status} {json}"
        );
    }
}

#[tokio::test]
async fn every_challenge_state_is_stored_as_itself_and_taken_once() {
    use cognate_server::mfa::factors::Factor;
    use cognate_server::sign_in::challenge::{ChallengeSession, ChallengeState, CodeSent, SrpState};

    let server = TestServer::start().await;
    let srp = SrpState {
        b: "0b".into(),
        public_b: "0c".into(),
        public_a: "0a".into(),
        verifier: "0d".into(),
        secret_block: "c2VjcmV0".into(),
        user_id: "alice".into(),
    };
    let sent = CodeSent {
        code_hash: "hash".into(),
        expires_at: 1_900_000_000,
        attempts: 2,
    };
    let states = [
        ChallengeState::PasswordVerifier(srp.clone()),
        ChallengeState::NewPasswordRequired,
        ChallengeState::SoftwareTokenMfa { attempts: 1 },
        ChallengeState::SmsMfa(sent.clone()),
        ChallengeState::EmailOtp(sent),
        ChallengeState::SelectMfaType {
            options: vec![Factor::Email, Factor::SoftwareToken],
        },
        ChallengeState::MfaSetup {
            setup_done: true,
            attempts: 0,
        },
        ChallengeState::DeviceSrpAuth,
        ChallengeState::DevicePasswordVerifier(srp),
    ];
    for (i, state) in states.into_iter().enumerate() {
        let challenge = ChallengeSession {
            id_hash: format!("hash-{i}"),
            pool_id: "us-east-1_pool".into(),
            client_id: "client".into(),
            sub: String::new(),
            expires_at: 1_900_000_000,
            device_key: (i % 2 == 0).then(|| "us-east-1_device".to_owned()),
            state,
        };
        server.state.store.insert_challenge(&challenge).await.expect("insert");
        let taken = server
            .state
            .store
            .take_challenge(&challenge.id_hash)
            .await
            .expect("take");
        assert_eq!(taken.as_ref(), Some(&challenge));
        let again = server
            .state
            .store
            .take_challenge(&challenge.id_hash)
            .await
            .expect("take again");
        assert_eq!(again, None, "a challenge is taken once");
    }
}
