//! The wire contract itself: signatures on admin calls, error format, request ids, CORS,
//! malformed requests, JWKS.

use super::support::*;

#[tokio::test]
async fn admin_calls_need_a_valid_signature() {
    let server = TestServer::start().await;
    let (status, body) = server.raw("ListUserPools", r#"{"MaxResults":10}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "MissingAuthenticationTokenException");

    let wrong_secret = sdk_client(&server.url, Some((ACCESS_KEY, "not-the-secret")));
    let err = wrong_secret
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .expect_err("refused");
    assert_eq!(code(&err), "InvalidSignatureException");

    let unknown_key = sdk_client(&server.url, Some(("AKIAUNKNOWNKEY000000", SECRET_KEY)));
    let err = unknown_key
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .expect_err("refused");
    assert_eq!(code(&err), "UnrecognizedClientException");

    let ok = server
        .admin
        .list_user_pools()
        .max_results(10)
        .send()
        .await
        .expect("signed call works");
    assert!(ok.user_pools().iter().any(|p| p.name() == Some("cognate-demo")) || ok.user_pools().is_empty());
}

#[tokio::test]
async fn errors_have_cognito_shape_and_every_response_a_request_id() {
    let server = TestServer::start().await;
    let response = server
        .http
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.SignUp")
        .header("origin", "https://app.example")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().contains_key("x-amzn-requestid"));
    assert_eq!(response.headers()["x-amzn-errortype"], "SerializationException");
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["__type"], "SerializationException");
    assert!(body["message"].as_str().unwrap_or("").contains("not valid JSON"));

    let (status, body) = server.raw("NoSuchOperation", "{}").await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "UnknownOperationException");

    let (status, body) = server.raw("SignUp", r#"{"Username":"jane"}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "InvalidParameterException");
    assert!(body["message"].as_str().unwrap_or("").contains("ClientId"), "{body}");

    let (status, body) = server
        .raw("SignUp", r#"{"ClientId":"nope","Username":"jane","Password":"x"}"#)
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ResourceNotFoundException");

    let (status, body) = server.raw("InitiateAuth", r#"{"ClientId":42}"#).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
}

#[tokio::test]
async fn browsers_get_a_cors_preflight() {
    let server = TestServer::start().await;
    let response = server
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/", server.url))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-amz-target")
        .send()
        .await
        .expect("preflight");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let allowed = response.headers()["access-control-allow-headers"]
        .to_str()
        .expect("ascii");
    assert!(allowed.contains("x-amz-target"));
}

#[tokio::test]
async fn id_tokens_verify_against_the_published_jwks() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;

    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(false).await;
    server.confirmed_user(&client_id, "jane").await;
    let tokens = server.sign_in(&client_id, "jane", PASSWORD).await;
    let id_token = tokens.id_token().expect("id token");

    let discovery: serde_json::Value = server
        .http
        .get(format!("{}/{pool_id}/.well-known/openid-configuration", server.url))
        .send()
        .await
        .expect("discovery")
        .json()
        .await
        .expect("json");
    assert_eq!(discovery["issuer"], format!("{}/{pool_id}", server.url));
    let jwks: serde_json::Value = server
        .http
        .get(discovery["jwks_uri"].as_str().expect("jwks uri"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let jwk = &jwks["keys"][0];
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').next().expect("header"))
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwk["kid"]);
    let n = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().expect("n")).expect("b64"));
    let e = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().expect("e")).expect("b64"));
    let key = VerifyingKey::<sha2::Sha256>::new(rsa::RsaPublicKey::new(n, e).expect("key"));
    let (signed, signature) = id_token.rsplit_once('.').expect("three parts");
    let signature = Signature::try_from(URL_SAFE_NO_PAD.decode(signature).expect("b64").as_slice()).expect("sig");
    key.verify(signed.as_bytes(), &signature)
        .expect("the ID token verifies against the JWKS");

    let id_claims = claims(id_token);
    assert_eq!(id_claims["iss"], format!("{}/{pool_id}", server.url));
    assert_eq!(id_claims["aud"], client_id);
    assert_eq!(id_claims["token_use"], "id");
    assert_eq!(id_claims["cognito:username"], "jane");
    assert_eq!(id_claims["email"], "jane@example.com");
    assert_eq!(id_claims["email_verified"], true);
    let access = claims(tokens.access_token().expect("access"));
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], client_id);
    assert_eq!(access["origin_jti"], id_claims["origin_jti"]);
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
}

#[tokio::test]
async fn the_widget_and_demo_page_are_served_to_any_origin() {
    let widget = tempfile::tempdir().expect("widget dir");
    std::fs::write(widget.path().join("cognate.js"), "export const x = 1;").expect("write");
    std::fs::write(widget.path().join("demo.html"), "<!doctype html><title>demo</title>").expect("write");
    let dir = widget.path().to_owned();
    let server = TestServer::start_with(move |config| config.widget_dir = Some(dir)).await;
    let script = server
        .http
        .get(format!("{}/widget/cognate.js", server.url))
        .header("origin", "https://host.example")
        .send()
        .await
        .expect("script");
    assert_eq!(script.status().as_u16(), 200);
    assert_eq!(script.headers()["access-control-allow-origin"], "*");
    let demo = server
        .http
        .get(format!("{}/demo", server.url))
        .send()
        .await
        .expect("demo");
    assert_eq!(demo.status().as_u16(), 200);
    assert!(demo.text().await.expect("body").contains("<title>demo</title>"));
    let missing = server
        .http
        .get(format!("{}/widget/nope.js", server.url))
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status().as_u16(), 404);
}
