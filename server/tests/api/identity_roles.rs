//! Identity pools: which role credentials are for (group roles by precedence through a Token
//! mapping, Rules mappings with each match type, ambiguity resolved or denied), ID tokens that
//! are refused, and the basic flow's OpenID token.

use aws_sdk_cognitoidentity as ci;
use ci::types::{
    AmbiguousRoleResolutionType as Ambiguous, MappingRuleMatchType as Match, RoleMapping, RoleMappingType,
};

use super::identity_support::*;
use super::support::*;

const ADMINS: &str = "arn:aws:iam::123456789012:role/Admins";
const EDITORS: &str = "arn:aws:iam::123456789012:role/Editors";
const RULE_ROLE: &str = "arn:aws:iam::123456789012:role/FromRule";

async fn group(setup: &Setup, name: &str, precedence: i32, role: &str, username: &str) {
    let admin = &setup.server.admin;
    admin
        .create_group()
        .user_pool_id(&setup.user_pool_id)
        .group_name(name)
        .precedence(precedence)
        .role_arn(role)
        .send()
        .await
        .expect("create group");
    admin
        .admin_add_user_to_group()
        .user_pool_id(&setup.user_pool_id)
        .username(username)
        .group_name(name)
        .send()
        .await
        .expect("add to group");
}

fn token_mapping(ambiguous: Ambiguous) -> RoleMapping {
    RoleMapping::builder()
        .r#type(RoleMappingType::Token)
        .ambiguous_role_resolution(ambiguous)
        .build()
        .expect("mapping")
}

#[tokio::test]
async fn token_mapping_gives_the_role_of_the_group_of_lowest_precedence() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(false).await;
    setup.set_roles(&pool, Some(token_mapping(Ambiguous::Deny))).await;
    setup.server.confirmed_user(&setup.client_id, "ann").await;
    group(&setup, "editors", 5, EDITORS, "ann").await;
    group(&setup, "admins", 1, ADMINS, "ann").await;
    let token = setup
        .server
        .sign_in(&setup.client_id, "ann", PASSWORD)
        .await
        .id_token()
        .expect("id")
        .to_owned();

    let (_, credentials) = setup.credentials(&pool, Some(&token), None).await.expect("credentials");
    let signer = describe_signer(&setup.server, &credentials).await;
    assert_eq!(signer["RoleArn"], ADMINS, "precedence 1 beats 5");
    assert!(
        signer["Reason"].as_str().is_some_and(|r| r.contains("preferred_role")),
        "{signer}"
    );

    let (_, custom) = setup
        .credentials(&pool, Some(&token), Some(EDITORS))
        .await
        .expect("custom role");
    assert_eq!(describe_signer(&setup.server, &custom).await["RoleArn"], EDITORS);
    let unlisted = setup.credentials(&pool, Some(&token), Some(RULE_ROLE)).await;
    assert_eq!(unlisted.err().as_deref(), Some("NotAuthorizedException"));

    // A user in no group: no role in the token, so Deny refuses and AuthenticatedRole falls back.
    let plain = setup.id_token("bob").await;
    assert_eq!(
        setup.role_of(&pool, Some(&plain)).await,
        Err("NotAuthorizedException".into())
    );
    setup
        .set_roles(&pool, Some(token_mapping(Ambiguous::AuthenticatedRole)))
        .await;
    assert_eq!(setup.role_of(&pool, Some(&plain)).await.as_deref(), Ok(AUTH_ROLE));
}

#[tokio::test]
async fn rules_mapping_uses_the_first_matching_rule_with_each_match_type() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(false).await;
    let token = setup.id_token("ann").await; // email ann@example.com
    let cases = [
        (Match::Equals, "ann@example.com", true),
        (Match::Equals, "ann", false),
        (Match::Contains, "@example.", true),
        (Match::Contains, "bob", false),
        (Match::StartsWith, "ann@", true),
        (Match::StartsWith, "example", false),
        (Match::NotEqual, "bob@example.com", true),
        (Match::NotEqual, "ann@example.com", false),
    ];
    for (match_type, value, matches) in cases {
        let mapping = rules_mapping(
            vec![rule("email", match_type.clone(), value, RULE_ROLE)],
            Ambiguous::AuthenticatedRole,
        );
        setup.set_roles(&pool, Some(mapping)).await;
        let expected = if matches { RULE_ROLE } else { AUTH_ROLE };
        let role = setup.role_of(&pool, Some(&token)).await;
        assert_eq!(role.as_deref(), Ok(expected), "{match_type:?} {value:?}");
    }

    // Rules are tried in order: the first match wins and the reason names it.
    let mapping = rules_mapping(
        vec![
            rule("email", Match::StartsWith, "zed", ADMINS),
            rule("cognito:username", Match::Equals, "ann", EDITORS),
            rule("email", Match::Contains, "ann", RULE_ROLE),
        ],
        Ambiguous::Deny,
    );
    setup.set_roles(&pool, Some(mapping)).await;
    let (_, credentials) = setup.credentials(&pool, Some(&token), None).await.expect("credentials");
    let signer = describe_signer(&setup.server, &credentials).await;
    assert_eq!(signer["RoleArn"], EDITORS);
    assert!(
        signer["Reason"].as_str().is_some_and(|r| r.contains("rule 2")),
        "{signer}"
    );

    let roles = setup
        .admin
        .get_identity_pool_roles()
        .identity_pool_id(&pool)
        .send()
        .await
        .expect("get roles");
    let stored = roles
        .role_mappings()
        .and_then(|m| m.get(&setup.provider))
        .expect("mapping");
    assert_eq!(stored.r#type(), &RoleMappingType::Rules);
    assert_eq!(stored.rules_configuration().map(|c| c.rules().len()), Some(3));
}

#[tokio::test]
async fn no_matching_rule_with_deny_refuses_credentials() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(false).await;
    let mapping = rules_mapping(
        vec![rule("email", Match::Equals, "x@example.com", RULE_ROLE)],
        Ambiguous::Deny,
    );
    setup.set_roles(&pool, Some(mapping)).await;
    let token = setup.id_token("ann").await;
    assert_eq!(
        setup.role_of(&pool, Some(&token)).await,
        Err("NotAuthorizedException".into())
    );

    // A mapping keyed `<provider>:<client id>` applies to that client's tokens.
    let per_client = rules_mapping(vec![rule("email", Match::Contains, "ann", RULE_ROLE)], Ambiguous::Deny);
    setup
        .admin
        .set_identity_pool_roles()
        .identity_pool_id(&pool)
        .roles("authenticated", AUTH_ROLE)
        .role_mappings(format!("{}:{}", setup.provider, setup.client_id), per_client)
        .send()
        .await
        .expect("per-client mapping");
    assert_eq!(setup.role_of(&pool, Some(&token)).await.as_deref(), Ok(RULE_ROLE));

    let no_resolution = setup
        .admin
        .set_identity_pool_roles()
        .identity_pool_id(&pool)
        .role_mappings(
            &setup.provider,
            RoleMapping::builder()
                .r#type(RoleMappingType::Token)
                .build()
                .expect("m"),
        )
        .send()
        .await;
    assert_eq!(
        code(&no_resolution.expect_err("needs resolution")),
        "InvalidParameterException"
    );
}

#[tokio::test]
async fn expired_foreign_audience_and_forged_id_tokens_are_refused() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(false).await;
    let token = setup.id_token("ann").await;
    let identity = setup.get_id(&pool, Some(&token)).await.expect("identity");

    let (other_client, _) = setup.server.client(&setup.user_pool_id, true, false).await;
    let foreign = setup.server.sign_in(&other_client, "ann", PASSWORD).await;
    let foreign = foreign.id_token().expect("id token");
    assert_eq!(
        setup.get_id(&pool, Some(foreign)).await,
        Err("NotAuthorizedException".into())
    );

    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = claims(&token);
    claims["sub"] = "someone-else".into();
    use base64::Engine;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    assert_eq!(
        setup.get_id(&pool, Some(&parts.join("."))).await,
        Err("NotAuthorizedException".into())
    );

    let access = setup.server.sign_in(&setup.client_id, "ann", PASSWORD).await;
    let access = access.access_token().expect("access token");
    assert_eq!(
        setup.get_id(&pool, Some(access)).await,
        Err("NotAuthorizedException".into())
    );

    let wrong_provider = setup
        .public
        .get_id()
        .identity_pool_id(&pool)
        .logins("accounts.google.com", &token)
        .send()
        .await;
    assert_eq!(
        code(&wrong_provider.expect_err("unknown provider")),
        "NotAuthorizedException"
    );

    setup.server.clock.advance(3601);
    assert_eq!(
        setup.get_id(&pool, Some(&token)).await,
        Err("NotAuthorizedException".into())
    );
    let expired = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&identity)
        .logins(&setup.provider, &token)
        .send()
        .await;
    let err = expired.expect_err("expired");
    assert_eq!(code(&err), "NotAuthorizedException");
    assert!(message(&err).contains("expired"), "{}", message(&err));
}

#[tokio::test]
async fn open_id_tokens_need_the_classic_flow() {
    let setup = Setup::new().await;
    let pool = setup.identity_pool(true).await;
    let identity = setup.get_id(&pool, None).await.expect("guest");
    let refused = setup.public.get_open_id_token().identity_id(&identity).send().await;
    assert_eq!(
        code(&refused.expect_err("no classic flow")),
        "InvalidParameterException"
    );

    setup
        .admin
        .update_identity_pool()
        .identity_pool_id(&pool)
        .identity_pool_name("classic")
        .allow_unauthenticated_identities(true)
        .allow_classic_flow(true)
        .send()
        .await
        .expect("update");
    let token = setup
        .public
        .get_open_id_token()
        .identity_id(&identity)
        .send()
        .await
        .expect("open id token");
    let claims = claims(token.token().expect("token"));
    assert_eq!(claims["sub"], identity.as_str());
    assert_eq!(claims["aud"], pool.as_str());
    assert_eq!(claims["amr"][0], "unauthenticated");
}

#[tokio::test]
async fn server_side_token_check_refuses_tokens_of_signed_out_sessions() {
    let setup = Setup::new().await;
    let pool = setup
        .admin
        .create_identity_pool()
        .identity_pool_name("checked")
        .allow_unauthenticated_identities(false)
        .cognito_identity_providers(
            ci::types::CognitoIdentityProvider::builder()
                .provider_name(&setup.provider)
                .client_id(&setup.client_id)
                .server_side_token_check(true)
                .build(),
        )
        .send()
        .await
        .expect("create");
    let pool = pool.identity_pool_id().to_owned();
    setup.server.confirmed_user(&setup.client_id, "ann").await;
    let tokens = setup.server.sign_in(&setup.client_id, "ann", PASSWORD).await;
    let id_token = tokens.id_token().expect("id token");
    setup.get_id(&pool, Some(id_token)).await.expect("live session");
    setup
        .server
        .public
        .global_sign_out()
        .access_token(tokens.access_token().expect("access token"))
        .send()
        .await
        .expect("sign out");
    assert_eq!(
        setup.get_id(&pool, Some(id_token)).await,
        Err("NotAuthorizedException".into())
    );
}
