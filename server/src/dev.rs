//! Development mode (`cognate serve --dev`): a demo pool, a public app client and an identity
//! pool (guests allowed, the demo client as provider) created once and found again on later
//! starts, the dev mailbox pages, and the start-up banner with everything needed to try the
//! server.

use cognate_protocol::auth::ExplicitAuthFlow;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cognate_protocol::identity::{CognitoIdentityProvider, IdentityPool, IdentityPoolRoles};
use cognate_protocol::user_pool::{
    CreateUserPoolClientRequest, CreateUserPoolRequest, SchemaAttribute, UserPoolClientSettings, UserPoolSettings,
};
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

/// The demo pool's name.
pub const DEMO_POOL: &str = "cognate-demo";
/// The demo client's name.
pub const DEMO_CLIENT: &str = "cognate-demo-web";

/// The demo identity pool's name.
pub const DEMO_IDENTITY_POOL: &str = "cognate-demo";
/// The role the demo identity pool gives guests.
pub const DEMO_GUEST_ROLE: &str = "arn:aws:iam::000000000000:role/cognate-demo-guest";
/// The role the demo identity pool gives signed-in users of the demo client.
pub const DEMO_USER_ROLE: &str = "arn:aws:iam::000000000000:role/cognate-demo-user";

/// The ids of the demo pool, client and identity pool.
#[derive(Debug, Clone)]
pub struct Demo {
    pub pool_id: String,
    pub client_id: String,
    pub identity_pool_id: String,
}

/// Finds the demo pool and client, creating what is missing.
pub async fn ensure_demo(state: &AppState) -> anyhow::Result<Demo> {
    let pools = state.store.list_pools(None, 10_000).await?;
    let pool_id = match pools.into_iter().find(|p| p.name == DEMO_POOL) {
        Some(pool) => pool.id,
        None => {
            let settings = UserPoolSettings {
                auto_verified_attributes: vec!["email".into()],
                alias_attributes: vec!["email".into()],
                schema: vec![SchemaAttribute {
                    name: "email".into(),
                    required: true,
                    mutable: true,
                    ..Default::default()
                }],
                ..Default::default()
            };
            let request = CreateUserPoolRequest {
                pool_name: DEMO_POOL.into(),
                settings,
            };
            crate::api::create_user_pool(state, request)
                .await
                .map_err(anyhow::Error::new)?
        }
    };
    let clients = state.store.list_clients(&pool_id, None, 60).await?;
    let client_id = match clients.into_iter().find(|c| c.settings.client_name == DEMO_CLIENT) {
        Some(client) => client.client_id,
        None => {
            let settings = UserPoolClientSettings {
                client_name: DEMO_CLIENT.into(),
                explicit_auth_flows: vec![
                    ExplicitAuthFlow::AllowUserPasswordAuth,
                    ExplicitAuthFlow::AllowUserSrpAuth,
                    ExplicitAuthFlow::AllowRefreshTokenAuth,
                    ExplicitAuthFlow::AllowAdminUserPasswordAuth,
                ],
                ..Default::default()
            };
            let request = CreateUserPoolClientRequest {
                user_pool_id: pool_id.clone(),
                generate_secret: false,
                settings,
            };
            crate::api::create_user_pool_client(state, request)
                .await
                .map_err(anyhow::Error::new)?
        }
    };
    let identity_pool_id = ensure_identity_pool(state, &pool_id, &client_id).await?;
    Ok(Demo {
        pool_id,
        client_id,
        identity_pool_id,
    })
}

/// Finds the demo identity pool, creating it if missing and putting its provider (the demo
/// pool's issuer without the scheme, which follows the public URL) and roles right.
async fn ensure_identity_pool(state: &AppState, pool_id: &str, client_id: &str) -> anyhow::Result<String> {
    use crate::identity_pool::pools;
    let issuer = state.issuer(pool_id);
    let provider_name = (issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://")))
    .unwrap_or(&issuer);
    let wanted = IdentityPool {
        identity_pool_name: DEMO_IDENTITY_POOL.into(),
        allow_unauthenticated_identities: true,
        cognito_identity_providers: vec![CognitoIdentityProvider {
            provider_name: provider_name.to_owned(),
            client_id: client_id.to_owned(),
            server_side_token_check: None,
        }],
        ..Default::default()
    };
    let existing = (state.store.list_identity_pools(None, 10_000).await?)
        .into_iter()
        .find(|p| p.name == DEMO_IDENTITY_POOL);
    let (id, roles) = match existing {
        Some(pool) => {
            let settings = IdentityPool {
                identity_pool_id: String::new(),
                ..pool.settings.clone()
            };
            if settings != wanted {
                let request = IdentityPool {
                    identity_pool_id: pool.id.clone(),
                    ..wanted
                };
                pools::update(state, request).await.map_err(anyhow::Error::new)?;
            }
            (pool.id, pool.roles)
        }
        None => {
            let created = pools::create(state, wanted).await.map_err(anyhow::Error::new)?;
            (created.identity_pool_id, Default::default())
        }
    };
    let wanted_roles = [("unauthenticated", DEMO_GUEST_ROLE), ("authenticated", DEMO_USER_ROLE)]
        .map(|(kind, arn)| (kind.to_owned(), arn.to_owned()))
        .into();
    if roles != wanted_roles {
        let request = IdentityPoolRoles {
            identity_pool_id: id.clone(),
            roles: wanted_roles,
            role_mappings: Default::default(),
        };
        pools::set_roles(state, request).await.map_err(anyhow::Error::new)?;
    }
    Ok(id)
}

/// The banner `--dev` prints.
pub fn banner(state: &AppState, demo: &Demo) -> String {
    let url = &state.public_url;
    let (key, secret) = state.config.admin_credentials().unwrap_or_default();
    format!(
        "\nCognate is running (development mode)\n\n  \
         URL            {url}/\n  \
         User pool id   {pool}\n  \
         App client id  {client}\n  \
         Identity pool  {identity_pool} (guests allowed)\n  \
         Admin key      {key}\n  \
         Admin secret   {secret}\n  \
         Dev mailbox    {url}/_dev/mailbox\n  \
         Widget         {url}/widget/?clientId={client}&userPoolId={pool}\n  \
         Demo host page {url}/demo\n  \
         JWKS           {url}/{pool}/.well-known/jwks.json\n\n\
         Try it with the AWS CLI:\n\n  \
         AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret} AWS_DEFAULT_REGION={region} \\\n    \
         aws --endpoint-url {url} cognito-idp list-users --user-pool-id {pool}\n  \
         aws --endpoint-url {url} --region {region} --no-sign-request cognito-identity get-id --identity-pool-id {identity_pool}\n",
        pool = demo.pool_id,
        client = demo.client_id,
        identity_pool = demo.identity_pool_id,
        region = state.config.region,
    )
}

/// The `/_dev/*` routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/_dev/mailbox.json", get(mailbox_json))
        .route("/_dev/mailbox", get(mailbox_page))
        .route("/_dev/demo.json", get(demo_json))
}

async fn demo_json(State(state): State<Arc<AppState>>) -> Response {
    match ensure_demo(&state).await {
        Ok(demo) => Json(json!({
            "userPoolId": demo.pool_id,
            "clientId": demo.client_id,
            "identityPoolId": demo.identity_pool_id,
            "guestRoleArn": DEMO_GUEST_ROLE,
            "userRoleArn": DEMO_USER_ROLE,
            "endpoint": format!("{}/", state.public_url),
            "region": state.config.region,
        }))
        .into_response(),
        Err(e) => ApiError::internal("demo", e).into_response(),
    }
}

async fn mailbox_json(State(state): State<Arc<AppState>>) -> Response {
    match state.store.list_mail(500).await {
        Ok(messages) => Json(json!({ "messages": messages })).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn mailbox_page(State(state): State<Arc<AppState>>) -> Response {
    let messages = match state.store.list_mail(200).await {
        Ok(messages) => messages,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let rows: String = messages
        .iter()
        .rev()
        .map(|m| {
            let time = chrono::DateTime::from_timestamp(m.time, 0)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default();
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>",
                escape(&time),
                escape(&m.recipient),
                escape(&m.username),
                escape(&m.subject),
                escape(&m.body)
            )
        })
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cognate dev mailbox</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}}pre{{margin:0;white-space:pre-wrap}}</style>\
         </head><body><h1>Dev mailbox</h1><p>Messages Cognate would have sent, newest first. \
         Also as JSON at <a href=\"/_dev/mailbox.json\">/_dev/mailbox.json</a>.</p>\
         <table><thead><tr><th>Time</th><th>To</th><th>User</th><th>Subject</th><th>Body</th></tr></thead>\
         <tbody>{rows}</tbody></table></body></html>"
    ))
    .into_response()
}
