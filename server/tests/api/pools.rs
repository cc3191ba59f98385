//! Pools and app clients: create, describe, list, update and delete them, and how a pool's
//! settings decide who its users are (email as username, case-sensitive usernames).

use std::collections::HashSet;

use aws_sdk_cognitoidentityprovider as cip;
use cip::operation::create_user_pool::builders::CreateUserPoolFluentBuilder;
use cip::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder;
use cip::types::{
    AliasAttributeType, AttributeDataType, AttributeType, DeletionProtectionType, ExplicitAuthFlowsType, FeatureType,
    MessageActionType, PasswordPolicyType, PreventUserExistenceErrorTypes, RefreshTokenRotationType,
    SchemaAttributeType, TimeUnitsType, TokenValidityUnitsType, UserPoolClientType, UserPoolPolicyType, UserPoolType,
    UsernameAttributeType, UsernameConfigurationType, VerifiedAttributeType,
};

use super::support::*;

const NO_POOL: &str = "us-east-1_nonexist";
const NOT_FOUND: Option<&str> = Some("ResourceNotFoundException");
const INVALID: Option<&str> = Some("InvalidParameterException");
const WEAK: Option<&str> = Some("InvalidPasswordException");

fn policy(minimum_length: i32, symbols: bool) -> UserPoolPolicyType {
    let password_policy = PasswordPolicyType::builder()
        .minimum_length(minimum_length)
        .require_uppercase(true)
        .require_lowercase(true)
        .require_numbers(true)
        .require_symbols(symbols)
        .temporary_password_validity_days(3)
        .build();
    UserPoolPolicyType::builder().password_policy(password_policy).build()
}

/// Sends a CreateUserPool request; returns the new pool's id or the error name.
async fn create(request: CreateUserPoolFluentBuilder) -> Result<String, String> {
    let out = request.send().await.map_err(|e| code(&e))?;
    Ok(out.user_pool().and_then(|p| p.id()).expect("id").to_owned())
}

/// Sends a CreateUserPoolClient request; returns the new client's id or the error name.
async fn create_client(request: CreateUserPoolClientFluentBuilder) -> Result<String, String> {
    let out = request.send().await.map_err(|e| code(&e))?;
    Ok(out
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned())
}

fn new_client(server: &TestServer, pool_id: &str, name: &str) -> CreateUserPoolClientFluentBuilder {
    server
        .admin
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name(name)
}

async fn describe(server: &TestServer, pool_id: &str) -> Result<UserPoolType, String> {
    let out = server.admin.describe_user_pool().user_pool_id(pool_id).send().await;
    Ok(out.map_err(|e| code(&e))?.user_pool().expect("pool").clone())
}

async fn delete(server: &TestServer, pool_id: &str) -> Result<(), String> {
    let out = server.admin.delete_user_pool().user_pool_id(pool_id).send().await;
    out.map(|_| ()).map_err(|e| code(&e))
}

async fn describe_client(server: &TestServer, pool_id: &str, client_id: &str) -> Result<UserPoolClientType, String> {
    let request = server.admin.describe_user_pool_client().user_pool_id(pool_id);
    let out = request.client_id(client_id).send().await.map_err(|e| code(&e))?;
    Ok(out.user_pool_client().expect("client").clone())
}

async fn client_count(server: &TestServer, pool_id: &str) -> usize {
    let request = server.admin.list_user_pool_clients().user_pool_id(pool_id);
    request
        .max_results(60)
        .send()
        .await
        .expect("list clients")
        .user_pool_clients()
        .len()
}

/// Signs up without attributes; returns the sub or the error name.
async fn sign_up(server: &TestServer, client_id: &str, username: &str, password: &str) -> Result<String, String> {
    let request = server.public.sign_up().client_id(client_id).username(username);
    let out = request.password(password).send().await.map_err(|e| code(&e))?;
    Ok(out.user_sub().to_owned())
}

async fn create_user(server: &TestServer, pool_id: &str, username: &str, name: &str) -> Result<(), String> {
    let request = server
        .admin
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(username);
    let request = request.user_attributes(attr(name, "gold"));
    let out = request.message_action(MessageActionType::Suppress).send().await;
    out.map(|_| ()).map_err(|e| code(&e))
}

async fn user_count(server: &TestServer, pool_id: &str) -> usize {
    let out = server.admin.list_users().user_pool_id(pool_id).send().await;
    out.expect("list users").users().len()
}

fn value<'a>(attributes: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attributes.iter().find(|a| a.name() == name).and_then(|a| a.value())
}

#[tokio::test]
async fn create_describe_update_and_delete_a_pool() {
    let server = TestServer::start().await;
    let custom = SchemaAttributeType::builder().name("tier");
    let custom = custom.attribute_data_type(AttributeDataType::String).build();
    let request = server.admin.create_user_pool().pool_name("shop");
    let pool_id = create(request.policies(policy(12, false)).schema(custom)).await;
    let pool_id = pool_id.expect("create pool");
    assert!(pool_id.starts_with("us-east-1_"), "{pool_id}");

    let pool = describe(&server, &pool_id).await.expect("describe");
    assert_eq!(pool.name(), Some("shop"));
    let password_policy = pool.policies().and_then(|p| p.password_policy());
    let password_policy = password_policy.expect("password policy");
    assert_eq!(password_policy.minimum_length(), Some(12));
    assert!(!password_policy.require_symbols());
    assert_eq!(password_policy.temporary_password_validity_days(), 3);
    let schema: Vec<&str> = pool.schema_attributes().iter().filter_map(|a| a.name()).collect();
    assert!(schema.contains(&"custom:tier"), "{schema:?}");

    // The policy is enforced: 11 characters are too few, 12 without a symbol are enough.
    let (client_id, _) = server.client(&pool_id, true, false).await;
    let short = sign_up(&server, &client_id, "ann", "Abcdefgh123").await;
    assert_eq!(short.err().as_deref(), WEAK);
    let long = sign_up(&server, &client_id, "ann", "Abcdefgh1234").await;
    long.expect("long enough");

    // The custom attribute is known by its `custom:` name only.
    let tagged = create_user(&server, &pool_id, "bea", "custom:tier").await;
    tagged.expect("custom:tier is in the schema");
    let bare = create_user(&server, &pool_id, "cy", "tier").await;
    assert_eq!(bare.err().as_deref(), INVALID);
    let undeclared = create_user(&server, &pool_id, "cy", "custom:colour").await;
    assert_eq!(undeclared.err().as_deref(), INVALID);

    let update = server.admin.update_user_pool().user_pool_id(&pool_id);
    update.policies(policy(6, true)).send().await.expect("update");
    let pool = describe(&server, &pool_id).await.expect("describe");
    let password_policy = pool.policies().and_then(|p| p.password_policy());
    let password_policy = password_policy.expect("password policy");
    assert_eq!(password_policy.minimum_length(), Some(6));
    assert!(password_policy.require_symbols());
    let no_symbol = sign_up(&server, &client_id, "dee", "Abc123").await;
    assert_eq!(no_symbol.err().as_deref(), WEAK, "symbols are now required");
    let six = sign_up(&server, &client_id, "dee", "Abc12!").await;
    six.expect("six characters are now enough");

    delete(&server, &pool_id).await.expect("delete");
    assert_eq!(describe(&server, &pool_id).await.err().as_deref(), NOT_FOUND);
    let orphan = sign_up(&server, &client_id, "eve", PASSWORD).await;
    assert_eq!(orphan.err().as_deref(), NOT_FOUND, "the clients went with the pool");
}

#[tokio::test]
async fn invalid_pools_unknown_ids_and_deletion_protection() {
    let server = TestServer::start().await;
    let request = server.admin.create_user_pool().pool_name("both");
    let request = request.username_attributes(UsernameAttributeType::Email);
    let both = create(request.alias_attributes(AliasAttributeType::PreferredUsername)).await;
    assert_eq!(both.err().as_deref(), INVALID);
    let listed = server.admin.list_user_pools().max_results(60).send().await;
    assert!(listed.expect("list").user_pools().is_empty(), "nothing was created");

    assert_eq!(describe(&server, NO_POOL).await.err().as_deref(), NOT_FOUND);
    assert_eq!(delete(&server, NO_POOL).await.err().as_deref(), NOT_FOUND);

    let request = server.admin.create_user_pool().pool_name("keep");
    let request = request.deletion_protection(DeletionProtectionType::Active);
    let pool_id = create(request).await.expect("pool");
    assert_eq!(delete(&server, &pool_id).await.err().as_deref(), INVALID);
    let pool = describe(&server, &pool_id).await.expect("still there");
    assert_eq!(pool.deletion_protection(), Some(&DeletionProtectionType::Active));

    let update = server.admin.update_user_pool().user_pool_id(&pool_id);
    let update = update.deletion_protection(DeletionProtectionType::Inactive);
    update.send().await.expect("unprotect");
    delete(&server, &pool_id).await.expect("now deletable");
    assert_eq!(describe(&server, &pool_id).await.err().as_deref(), NOT_FOUND);
}

#[tokio::test]
async fn list_user_pools_pages_with_next_token() {
    let server = TestServer::start().await;
    let mut created = HashSet::new();
    for name in ["page-a", "page-b", "page-c"] {
        let pool_id = create(server.admin.create_user_pool().pool_name(name)).await;
        created.insert(pool_id.expect("create"));
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10 {
        let request = server.admin.list_user_pools().max_results(1);
        let page = request.set_next_token(token.take()).send().await.expect("list");
        assert!(page.user_pools().len() <= 1);
        seen.extend(page.user_pools().iter().filter_map(|p| p.id()).map(str::to_owned));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert!(token.is_none(), "the listing ends");
    let mine: Vec<&String> = seen.iter().filter(|id| created.contains(*id)).collect();
    assert_eq!(mine.len(), 3, "each pool exactly once: {seen:?}");
    assert_eq!(mine.iter().collect::<HashSet<_>>().len(), 3, "{seen:?}");

    let missing = server.admin.list_user_pools().send().await;
    let missing = missing.expect_err("MaxResults is required");
    assert_eq!(code(&missing), "InvalidParameterException");
}

#[tokio::test]
async fn clients_with_and_without_secret_and_their_settings() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let created = new_client(&server, &pool_id, "plain").send().await;
    let created = created.expect("public client");
    let plain = created.user_pool_client().expect("client");
    let plain_id = plain.client_id().expect("id");
    assert_eq!(plain_id.len(), 26);
    assert!(plain.client_secret().is_none());
    let described = describe_client(&server, &pool_id, plain_id).await;
    let described = described.expect("describe");
    let prevent = described.prevent_user_existence_errors();
    assert_eq!(prevent, Some(&PreventUserExistenceErrorTypes::Enabled));
    assert!(described.client_secret().is_none());

    let (secret_id, secret) = server.client(&pool_id, false, true).await;
    assert_eq!(secret_id.len(), 26);
    let described = describe_client(&server, &pool_id, &secret_id).await;
    let described = described.expect("describe");
    let shown = described.client_secret().expect("the secret is described");
    assert_eq!(shown.len(), 51);
    assert_eq!(Some(shown), secret.as_deref());

    let rotation = RefreshTokenRotationType::builder().feature(FeatureType::Enabled);
    let rotation = rotation.retry_grace_period_seconds(10).build().expect("rotation");
    let units = TokenValidityUnitsType::builder()
        .access_token(TimeUnitsType::Minutes)
        .id_token(TimeUnitsType::Hours)
        .refresh_token(TimeUnitsType::Days)
        .build();
    let request = new_client(&server, &pool_id, "timed")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .access_token_validity(30)
        .id_token_validity(2)
        .refresh_token_validity(10)
        .token_validity_units(units)
        .refresh_token_rotation(rotation);
    let timed_id = create_client(request).await.expect("timed client");
    let described = describe_client(&server, &pool_id, &timed_id).await;
    let described = described.expect("describe");
    assert_eq!(described.access_token_validity(), Some(30));
    assert_eq!(described.id_token_validity(), Some(2));
    assert_eq!(described.refresh_token_validity(), 10);
    let units = described.token_validity_units().expect("units");
    assert_eq!(units.access_token(), Some(&TimeUnitsType::Minutes));
    assert_eq!(units.id_token(), Some(&TimeUnitsType::Hours));
    assert_eq!(units.refresh_token(), Some(&TimeUnitsType::Days));
    let rotation = described.refresh_token_rotation().expect("rotation");
    assert_eq!(rotation.feature(), &FeatureType::Enabled);
    assert_eq!(rotation.retry_grace_period_seconds(), Some(10));

    // The lifetimes are the ones the tokens get.
    server.confirmed_user(&timed_id, "tim").await;
    let tokens = server.sign_in(&timed_id, "tim", PASSWORD).await;
    assert_eq!(tokens.expires_in(), 1800);
    let id = claims(tokens.id_token().expect("id token"));
    let lifetime = id["exp"].as_i64().expect("exp") - id["iat"].as_i64().expect("iat");
    assert_eq!(lifetime, 7200);
}

#[tokio::test]
async fn invalid_client_settings_are_refused() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let unknown_flow = ExplicitAuthFlowsType::from("ALLOW_EVERYTHING");
    let request = new_client(&server, &pool_id, "bad").explicit_auth_flows(unknown_flow);
    assert_eq!(create_client(request).await.err().as_deref(), INVALID);
    for (validity, unit) in [(2, TimeUnitsType::Days), (1, TimeUnitsType::Minutes)] {
        let units = TokenValidityUnitsType::builder().access_token(unit).build();
        let request = new_client(&server, &pool_id, "bad").access_token_validity(validity);
        let out_of_range = create_client(request.token_validity_units(units)).await;
        assert_eq!(out_of_range.err().as_deref(), INVALID, "{validity}");
    }
    let unknown_pool = create_client(new_client(&server, NO_POOL, "x")).await;
    assert_eq!(unknown_pool.err().as_deref(), NOT_FOUND);
    assert_eq!(client_count(&server, &pool_id).await, 1, "nothing was created");
}

#[tokio::test]
async fn list_update_and_delete_clients() {
    let server = TestServer::start().await;
    let (pool_id, first) = server.pool_and_client(true).await;
    let (second, _) = server.client(&pool_id, true, false).await;
    let (third, _) = server.client(&pool_id, true, false).await;
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..10 {
        let request = server.admin.list_user_pool_clients().user_pool_id(&pool_id);
        let request = request.max_results(2).set_next_token(token.take());
        let page = request.send().await.expect("list");
        let clients = page.user_pool_clients();
        assert!(clients.len() <= 2);
        seen.extend(clients.iter().filter_map(|c| c.client_id()).map(str::to_owned));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    seen.sort();
    let mut expected = vec![first.clone(), second.clone(), third];
    expected.sort();
    assert_eq!(seen, expected);

    server.confirmed_user(&first, "uma").await;
    server.sign_in(&first, "uma", PASSWORD).await;
    let updated = server
        .admin
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&first)
        .client_name("renamed")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Legacy)
        .send()
        .await
        .expect("update");
    let name = updated.user_pool_client().and_then(|c| c.client_name());
    assert_eq!(name, Some("renamed"));
    let described = describe_client(&server, &first, &first).await;
    assert_eq!(
        described.err().as_deref(),
        NOT_FOUND,
        "a client is found in its own pool only"
    );
    let described = describe_client(&server, &pool_id, &first).await.expect("describe");
    assert_eq!(described.client_name(), Some("renamed"));
    let flows = described.explicit_auth_flows();
    assert!(
        !flows.contains(&ExplicitAuthFlowsType::AllowUserPasswordAuth),
        "{flows:?}"
    );
    let refused = server.try_sign_in(&first, "uma", PASSWORD).await;
    assert_eq!(
        refused.err().as_deref(),
        INVALID,
        "the password flow is no longer allowed"
    );

    let delete = server.admin.delete_user_pool_client().user_pool_id(&pool_id);
    delete.client_id(&second).send().await.expect("delete");
    let after = sign_up(&server, &second, "vic", PASSWORD).await;
    assert_eq!(after.err().as_deref(), NOT_FOUND);
    let described = describe_client(&server, &pool_id, &second).await;
    assert_eq!(described.err().as_deref(), NOT_FOUND);
    assert_eq!(client_count(&server, &pool_id).await, 2);
}

#[tokio::test]
async fn email_as_username_makes_the_sub_the_username() {
    let server = TestServer::start().await;
    let request = server.admin.create_user_pool().pool_name("by-email");
    let request = request.username_attributes(UsernameAttributeType::Email);
    let request = request.auto_verified_attributes(VerifiedAttributeType::Email);
    let pool_id = create(request).await.expect("pool");
    let (legacy, _) = server.client(&pool_id, true, false).await;
    let sub = sign_up(&server, &legacy, "x@example.com", PASSWORD).await;
    let sub = sub.expect("sign up with an email");
    let code_sent = server.code_for("x@example.com").await;
    let confirm = server.public.confirm_sign_up().client_id(&legacy);
    let confirm = confirm.username("x@example.com").confirmation_code(code_sent);
    confirm.send().await.expect("confirm");

    let user = server.admin.admin_get_user().user_pool_id(&pool_id);
    let user = user.username("x@example.com").send().await.expect("found by email");
    assert_eq!(user.username(), sub);
    assert!(uuid::Uuid::parse_str(user.username()).is_ok(), "{}", user.username());
    assert_eq!(value(user.user_attributes(), "email"), Some("x@example.com"));

    let tokens = server.sign_in(&legacy, "x@example.com", PASSWORD).await;
    let id = claims(tokens.id_token().expect("id token"));
    assert_eq!(id["cognito:username"], sub.as_str());
    assert_eq!(id["sub"], sub.as_str());

    let not_email = sign_up(&server, &legacy, "xavier", PASSWORD).await;
    assert_eq!(not_email.err().as_deref(), INVALID);
    let again = sign_up(&server, &legacy, "X@example.com", PASSWORD).await;
    assert_eq!(again.err().as_deref(), Some("UsernameExistsException"));
    assert_eq!(user_count(&server, &pool_id).await, 1);
}

#[tokio::test]
async fn case_sensitive_pools_keep_ann_and_ann_apart() {
    let server = TestServer::start().await;
    let case_sensitive = UsernameConfigurationType::builder().case_sensitive(true);
    let request = server.admin.create_user_pool().pool_name("strict");
    let request = request.username_configuration(case_sensitive.build().expect("config"));
    let pool_id = create(request).await.expect("pool");
    let (client_id, _) = server.client(&pool_id, true, false).await;
    let upper = sign_up(&server, &client_id, "Ann", PASSWORD).await.expect("Ann");
    let lower = sign_up(&server, &client_id, "ann", PASSWORD).await;
    let lower = lower.expect("ann is another user");
    assert_ne!(upper, lower);
    assert_eq!(user_count(&server, &pool_id).await, 2);
    let get = |name: &str| {
        let request = server.admin.admin_get_user().user_pool_id(&pool_id);
        request.username(name).send()
    };
    let found = get("Ann").await.expect("Ann");
    let sub = value(found.user_attributes(), "sub");
    assert_eq!((found.username(), sub), ("Ann", Some(upper.as_str())));
    let missing = get("ANN").await.expect_err("no such user");
    assert_eq!(code(&missing), "UserNotFoundException");
    let dup = sign_up(&server, &client_id, "ann", PASSWORD).await;
    assert_eq!(dup.err().as_deref(), Some("UsernameExistsException"));
}
