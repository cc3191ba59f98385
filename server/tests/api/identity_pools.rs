//! Identity pools through the official `aws-sdk-cognitoidentity` client: pool CRUD, guest and
//! signed-in identities and their credentials, identities listed and deleted, and the admin
//! check of who signed a request with issued credentials.

use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;

use super::identity_support::*;
use super::support::*;

#[tokio::test]
async fn identity_pools_can_be_created_described_listed_updated_and_deleted() {
    let setup = Setup::new().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(setup.identity_pool(false).await);
    }
    let described = setup
        .admin
        .describe_identity_pool()
        .identity_pool_id(&ids[0])
        .send()
        .await
        .expect("describe");
    assert_eq!(described.identity_pool_name(), "test identities");
    assert!(!described.allow_unauthenticated_identities());
    let providers = described.cognito_identity_providers();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0].provider_name(), Some(setup.provider.as_str()));
    assert_eq!(providers[0].client_id(), Some(setup.client_id.as_str()));
    assert!(ids[0].starts_with("us-east-1:"), "{}", ids[0]);

    let mut listed = Vec::new();
    let mut token = None;
    loop {
        let page = setup
            .admin
            .list_identity_pools()
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .expect("list");
        listed.extend(
            page.identity_pools()
                .iter()
                .filter_map(|p| p.identity_pool_id().map(str::to_owned)),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    ids.sort();
    assert_eq!(listed, ids);

    let updated = setup
        .admin
        .update_identity_pool()
        .identity_pool_id(&ids[1])
        .identity_pool_name("renamed")
        .allow_unauthenticated_identities(true)
        .allow_classic_flow(true)
        .send()
        .await
        .expect("update");
    assert_eq!(updated.identity_pool_name(), "renamed");
    assert!(updated.allow_unauthenticated_identities());
    assert_eq!(updated.allow_classic_flow(), Some(true));
    let roles = setup
        .admin
        .get_identity_pool_roles()
        .identity_pool_id(&ids[1])
        .send()
        .await
        .expect("roles");
    assert_eq!(
        roles.roles().and_then(|r| r.get("unauthenticated")).map(String::as_str),
        Some(GUEST_ROLE)
    );

    setup
        .admin
        .delete_identity_pool()
        .identity_pool_id(&ids[1])
        .send()
        .await
        .expect("delete");
    let gone = setup
        .admin
        .describe_identity_pool()
        .identity_pool_id(&ids[1])
        .send()
        .await;
    assert_eq!(code(&gone.expect_err("deleted")), "ResourceNotFoundException");

    let bad = setup
        .admin
        .create_identity_pool()
        .identity_pool_name("bad")
        .allow_unauthenticated_identities(false)
        .cognito_identity_providers(
            CognitoIdentityProvider::builder()
                .provider_name("example.com/x")
                .client_id("abc")
                .build(),
        )
        .send()
        .await;
    assert_eq!(code(&bad.expect_err("bad provider")), "InvalidParameterException");
    let unsigned = setup
        .server
        .http
        .post(format!("{}/", setup.server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityService.ListIdentityPools")
        .body(r#"{"MaxResults":10}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(unsigned.status().as_u16(), 400);
    let body: serde_json::Value = unsigned.json().await.expect("json");
    assert_eq!(body["__type"], "MissingAuthenticationTokenException");
}

#[tokio::test]
async fn guests_get_new_identities_and_guest_role_credentials_only_where_allowed() {
    let setup = Setup::new().await;
    let open = setup.identity_pool(true).await;
    let (identity, credentials) = setup.credentials(&open, None, None).await.expect("guest credentials");
    assert!(identity.starts_with("us-east-1:"), "{identity}");
    let key = credentials.access_key_id().expect("key id");
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert!(credentials.secret_key().is_some_and(|s| s.len() == 40));
    let expiration = credentials.expiration().expect("expiration").secs();
    let now = setup.server.state.clock.now();
    assert!((now + 3590..=now + 3610).contains(&expiration), "{expiration} vs {now}");
    let other = setup.get_id(&open, None).await.expect("second guest");
    assert_ne!(other, identity, "each GetId without logins is a new guest");
    let signer = describe_signer(&setup.server, &credentials).await;
    assert_eq!(signer["RoleArn"], GUEST_ROLE);
    assert_eq!(signer["IdentityId"], identity.as_str());
    assert_eq!(signer["IdentityPoolId"], open.as_str());
    assert_eq!(signer["Expiration"].as_f64(), Some(expiration as f64));
    assert_eq!(signer["Expired"], false);

    let closed = setup.identity_pool(false).await;
    assert_eq!(setup.get_id(&closed, None).await, Err("NotAuthorizedException".into()));
    let guest_of_other_pool = setup
        .public
        .get_credentials_for_identity()
        .identity_id("us-east-1:00000000-0000-0000-0000-000000000000")
        .send()
        .await;
    assert_eq!(
        code(&guest_of_other_pool.expect_err("unknown")),
        "ResourceNotFoundException"
    );
    let missing = setup
        .get_id("us-east-1:00000000-0000-0000-0000-000000000000", None)
        .await;
    assert_eq!(missing, Err("ResourceNotFoundException".into()));
}

#[tokio::test]
async fn a_signed_in_user_keeps_one_identity_and_gets_the_authenticated_role() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(false).await;
    let token = setup.id_token("ann").await;
    let first = setup.get_id(&pool, Some(&token)).await.expect("get id");
    let fresh = setup.server.sign_in(&setup.client_id, "ann", PASSWORD).await;
    let again = setup.get_id(&pool, fresh.id_token()).await.expect("get id again");
    assert_eq!(first, again, "one identity per user");
    let other = setup.id_token("bob").await;
    assert_ne!(setup.get_id(&pool, Some(&other)).await.expect("bob"), first);

    let (identity, credentials) = setup.credentials(&pool, Some(&token), None).await.expect("credentials");
    assert_eq!(identity, first);
    let signer = describe_signer(&setup.server, &credentials).await;
    assert_eq!(signer["RoleArn"], AUTH_ROLE);
    assert!(
        signer["Reason"].as_str().is_some_and(|r| r.contains("no role mapping")),
        "{signer}"
    );

    let without_login = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&first)
        .send()
        .await;
    assert_eq!(code(&without_login.expect_err("no login")), "NotAuthorizedException");
    let bobs = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&first)
        .logins(&setup.provider, &other)
        .send()
        .await;
    assert_eq!(code(&bobs.expect_err("another user's login")), "NotAuthorizedException");

    let described = setup
        .admin
        .describe_identity()
        .identity_id(&first)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.logins(), std::slice::from_ref(&setup.provider));
    let listed = setup
        .admin
        .list_identities()
        .identity_pool_id(&pool)
        .max_results(10)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.identities().len(), 2);
    setup
        .admin
        .delete_identities()
        .identity_ids_to_delete(&first)
        .send()
        .await
        .expect("delete");
    let gone = setup.admin.describe_identity().identity_id(&first).send().await;
    assert_eq!(code(&gone.expect_err("deleted")), "ResourceNotFoundException");
    assert_ne!(setup.get_id(&pool, Some(&token)).await.expect("new identity"), first);
}

#[tokio::test]
async fn cognates_own_issuer_is_accepted_as_provider_name() {
    let setup = Setup::new().await;
    let provider = setup.server.state.issuer(&setup.user_pool_id);
    let provider = provider.trim_start_matches("http://").to_owned();
    let pool = setup
        .admin
        .create_identity_pool()
        .identity_pool_name("own issuer")
        .allow_unauthenticated_identities(false)
        .cognito_identity_providers(
            CognitoIdentityProvider::builder()
                .provider_name(&provider)
                .client_id(&setup.client_id)
                .build(),
        )
        .send()
        .await
        .expect("create");
    let token = setup.id_token("ann").await;
    let id = setup
        .public
        .get_id()
        .identity_pool_id(pool.identity_pool_id())
        .logins(&provider, &token)
        .send()
        .await
        .expect("get id");
    assert!(id.identity_id().is_some());
}

#[tokio::test]
async fn request_signer_check_refuses_altered_requests_and_foreign_keys() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(true).await;
    let (_, credentials) = setup.credentials(&pool, None, None).await.expect("guest credentials");
    let request = signed_request(&credentials, chrono::Utc::now());

    let mut altered = request.clone();
    altered["Body"] = "goodbye".into();
    let (status, json) = ask_signer(&setup.server, &altered).await;
    assert_eq!(
        (status, json["__type"].as_str()),
        (400, Some("NotAuthorizedException")),
        "{json}"
    );

    let mut wrong_token = request.clone();
    wrong_token["Headers"]["x-amz-security-token"] = "not-the-token".into();
    let (status, json) = ask_signer(&setup.server, &wrong_token).await;
    assert_eq!(
        (status, json["__type"].as_str()),
        (400, Some("NotAuthorizedException")),
        "{json}"
    );

    let mut foreign = request.clone();
    let authorization = request["Headers"]["authorization"].as_str().expect("authorization");
    let key = credentials.access_key_id().expect("key");
    foreign["Headers"]["authorization"] = authorization.replace(key, "ASIAAAAAAAAAAAAAAAAA").into();
    let (status, json) = ask_signer(&setup.server, &foreign).await;
    assert_eq!(
        (status, json["__type"].as_str()),
        (400, Some("ResourceNotFoundException")),
        "{json}"
    );

    // Checked as of the request's own date: still answerable after the credentials expired.
    setup.server.clock.advance(7200);
    let (status, json) = ask_signer(&setup.server, &request).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["Expired"], false);
    let late = signed_request(&credentials, chrono::Utc::now() + chrono::TimeDelta::hours(2));
    let (status, json) = ask_signer(&setup.server, &late).await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["Expired"], true, "signed after the credentials expired");
}

#[tokio::test]
async fn a_guest_signing_in_becomes_or_merges_into_the_users_identity() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(true).await;
    let token = setup.id_token("ann").await;
    let guest = setup.get_id(&pool, None).await.expect("guest");
    let linked = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&guest)
        .logins(&setup.provider, &token)
        .send()
        .await
        .expect("linked");
    assert_eq!(
        linked.identity_id(),
        Some(guest.as_str()),
        "the guest identity becomes ann's"
    );
    let signer = describe_signer(&setup.server, linked.credentials().expect("credentials")).await;
    assert_eq!(signer["RoleArn"], AUTH_ROLE);
    assert_eq!(setup.get_id(&pool, Some(&token)).await.as_deref(), Ok(guest.as_str()));

    let second_guest = setup.get_id(&pool, None).await.expect("second guest");
    let merged = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&second_guest)
        .logins(&setup.provider, &token)
        .send()
        .await
        .expect("merged");
    assert_eq!(merged.identity_id(), Some(guest.as_str()), "merged into ann's identity");
    let gone = setup.admin.describe_identity().identity_id(&second_guest).send().await;
    assert_eq!(code(&gone.expect_err("merged away")), "ResourceNotFoundException");
}
