//! The AWS SigV4 test-suite vectors and the refusals, against [`super::verify`].

use super::*;
use axum::http::{HeaderName, HeaderValue};
use chrono::TimeZone;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SCOPE: &str = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
const FORM_SIGNED: &str = "content-type;host;x-amz-date";
const FORM_SIG: &str = "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a";
const FORM_BODY: &[u8] = b"Param1=value1";
const MISMATCH: Result<String, SigV4Error> = Err(SigV4Error::SignatureMismatch);

type Headers = &'static [(&'static str, &'static str)];
type S = &'static str;
type Vector = (S, S, S, S, Headers, &'static [u8], S, S);

/// Vectors from the AWS SigV4 test suite (v4, as in awslabs/aws-c-auth's
/// tests/aws-signing-test-suite), whose request paths are unencoded:
/// (name, method, path, query, extra headers, body, SignedHeaders, signature).
#[rustfmt::skip]
const VECTORS: &[Vector] = &[
    ("get-vanilla", "GET", "/", "", &[], b"", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", &[], b"", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ("get-utf8", "GET", "/\u{1234}", "", &[], b"", "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
    ("get-header-value-trim", "GET", "/", "", &[("my-header1", " value1"), ("my-header2", " \"a   b   c\"")], b"", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
    ("get-header-value-order", "GET", "/", "", &[("my-header1", "value4"), ("my-header1", "value1"), ("my-header1", "value3"), ("my-header1", "value2")], b"", "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
    ("post-x-www-form-urlencoded", "POST", "/", "", &[FORM], FORM_BODY, FORM_SIGNED, FORM_SIG),
];

/// (Credential, SignedHeaders, part of the expected IncompleteSignature message).
#[rustfmt::skip]
const MALFORMED: &[(&str, &str, &str)] = &[
    ("AKIDEXAMPLE/20150830/us-east-1", FORM_SIGNED, "Credential should be scoped"),
    ("AKIDEXAMPLE/20150830/us-east-1/service/aws5", FORM_SIGNED, "Credential should be scoped"),
    ("AKIDEXAMPLE/2015-8-30/us-east-1/service/aws4_request", FORM_SIGNED, "Credential should be scoped"),
    ("AKIDEXAMPLE/20150830/us-east-1//aws4_request", FORM_SIGNED, "Credential should be scoped"),
    (SCOPE, "content-type;x-amz-date", "'host' must be a 'SignedHeader'"),
    (SCOPE, "content-type;host", "'x-amz-date' must be a 'SignedHeader'"),
    (SCOPE, "Host;x-amz-date", "lowercase"),
    (SCOPE, "host;;x-amz-date", "lowercase"),
    (SCOPE, "host;x-absent;x-amz-date", "'x-absent' is not present"),
    (SCOPE, "host;x-amz-date;bad(name", "'bad(name' is not present"),
    ("AKIDEXAMPLE/20150831/us-east-1/service/aws4_request", FORM_SIGNED, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'."),
];

fn suite_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).unwrap()
}

fn known(id: &str) -> Option<String> {
    (id == "AKIDEXAMPLE").then(|| SECRET.to_string())
}

fn map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        let name = HeaderName::from_bytes(k.as_bytes()).unwrap();
        map.append(name, HeaderValue::from_str(v).unwrap());
    }
    map
}

fn authz(credential: &str, signed: &str, signature: &str) -> String {
    format!("{ALGORITHM} Credential={credential}, SignedHeaders={signed}, Signature={signature}")
}

/// A test-suite request's headers: host, x-amz-date, `extra`, Authorization.
fn suite(extra: &[(&str, &str)], signed: &str, signature: &str) -> HeaderMap {
    let auth = authz(SCOPE, signed, signature);
    let mut pairs = vec![("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")];
    pairs.extend_from_slice(extra);
    pairs.push(("authorization", &auth));
    map(&pairs)
}

/// A request to `POST /` with the body `FORM_BODY`.
fn form(headers: &HeaderMap) -> SignedRequest<'_> {
    SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers,
        body: FORM_BODY,
    }
}

fn check(req: SignedRequest<'_>) -> Result<String, SigV4Error> {
    verify(&req, known, suite_now())
}

/// The IncompleteSignature message of a form request with these headers.
fn incomplete(headers: &[(&str, &str)]) -> String {
    let mut pairs = vec![FORM, ("host", "example.amazonaws.com")];
    pairs.extend_from_slice(headers);
    match check(form(&map(&pairs))) {
        Err(e @ SigV4Error::Incomplete(_)) => {
            assert_eq!(e.exception_name(), "IncompleteSignatureException");
            e.to_string()
        }
        other => panic!("expected Incomplete for {headers:?}, got {other:?}"),
    }
}

fn incomplete_auth(auth: &str) -> String {
    incomplete(&[("x-amz-date", "20150830T123600Z"), ("authorization", auth)])
}

#[test]
fn official_test_suite_vectors() {
    for &(name, method, path, query, extra, body, signed, signature) in VECTORS {
        let headers = suite(extra, signed, signature);
        let req = SignedRequest {
            method,
            path,
            query,
            headers: &headers,
            body,
        };
        assert_eq!(check(req), Ok("AKIDEXAMPLE".into()), "{name}");
    }
}

/// Signs `canonical` with plain HMAC calls, independently of the canonicalisation code.
fn reference_signature(secret: &str, amz_date: &str, scope: &str, canonical: &str) -> String {
    let mac = |key: &[u8], data: &str| {
        let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
        m.update(data.as_bytes());
        m.finalize().into_bytes().to_vec()
    };
    let key = scope
        .split('/')
        .fold(format!("AWS4{secret}").into_bytes(), |k, p| mac(&k, p));
    let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
    hex::encode(mac(&key, &format!("{ALGORITHM}\n{amz_date}\n{scope}\n{hash}")))
}

#[test]
fn cognito_style_request_with_token_path_and_query() {
    let body = br#"{"UserPoolId":"us-east-1_abc","Username":"alice"}"#;
    let date = "20261126T101500Z";
    let scope = "20261126/us-east-1/cognito-idp/aws4_request";
    let target = "AWSCognitoIdentityProviderService.AdminGetUser";
    let signed = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target";
    let canonical = format!(
        "POST\n/a/c%2520d\na=A&a=x%20y&b=2\ncontent-type:application/x-amz-json-1.1\n\
         host:localhost:9229\nx-amz-date:{date}\nx-amz-security-token:TOKEN\n\
         x-amz-target:{target}\n\n{signed}\n{}",
        hex::encode(Sha256::digest(body))
    );
    let sig = reference_signature("s3cret", date, scope, &canonical);
    let auth = authz(&format!("AKIDCOGNATE/{scope}"), signed, &sig);
    let headers = map(&[
        ("host", "localhost:9229"),
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", target),
        ("x-amz-date", date),
        ("x-amz-security-token", "TOKEN"),
        ("user-agent", "not signed"),
        ("authorization", &auth),
    ]);
    let mut req = form(&headers);
    (req.path, req.query, req.body) = ("/a/./b/../c%20d", "b=2&a=x+y&a=%41", body);
    let secrets = |id: &str| (id == "AKIDCOGNATE").then(|| "s3cret".to_string());
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
    assert_eq!(verify(&req, secrets, now), Ok("AKIDCOGNATE".into()));
    req.query = "b=3&a=x+y&a=%41";
    assert_eq!(verify(&req, secrets, now), MISMATCH);
}

#[test]
fn missing_authorization_header() {
    let err = check(form(&map(&[("host", "h"), ("x-amz-date", "20150830T123600Z")])));
    assert_eq!(err, Err(SigV4Error::Missing));
    assert_eq!(
        SigV4Error::Missing.exception_name(),
        "MissingAuthenticationTokenException"
    );
    assert_eq!(SigV4Error::Missing.to_string(), "Missing Authentication Token");
}

#[test]
fn unknown_access_key_and_wrong_secret() {
    let headers = suite(&[FORM], FORM_SIGNED, FORM_SIG);
    let err = verify(&form(&headers), |_| None, suite_now()).unwrap_err();
    assert_eq!(err, SigV4Error::UnknownAccessKey);
    assert_eq!(err.exception_name(), "UnrecognizedClientException");
    let msg = "The security token included in the request is invalid.";
    assert_eq!(err.to_string(), msg);
    let err = verify(&form(&headers), |_| Some("wrong".into()), suite_now()).unwrap_err();
    assert_eq!(err, SigV4Error::SignatureMismatch);
    assert_eq!(err.exception_name(), "InvalidSignatureException");
    assert!(err
        .to_string()
        .starts_with("The request signature we calculated does not match"));
}

#[test]
fn tampering_is_detected() {
    let headers = suite(&[FORM], FORM_SIGNED, FORM_SIG);
    let tampered: [fn(&mut SignedRequest); 4] = [
        |r| r.body = b"Param1=value2",
        |r| r.method = "PUT",
        |r| r.path = "/x",
        |r| r.query = "a=b",
    ];
    for tamper in tampered {
        let mut req = form(&headers);
        tamper(&mut req);
        assert_eq!(check(req), MISMATCH);
    }
    let json = suite(&[("content-type", "application/json")], FORM_SIGNED, FORM_SIG);
    assert_eq!(check(form(&json)), MISMATCH);
    let short = suite(&[FORM], FORM_SIGNED, &FORM_SIG[..63]);
    assert_eq!(check(form(&short)), MISMATCH);
    // Unsigned headers may change freely.
    let extra = suite(&[FORM, ("user-agent", "x")], FORM_SIGNED, FORM_SIG);
    assert!(check(form(&extra)).is_ok());
}

#[test]
fn timestamps_more_than_15_minutes_away_are_rejected() {
    let headers = suite(&[FORM], FORM_SIGNED, FORM_SIG);
    let at = |minutes| verify(&form(&headers), known, suite_now() + TimeDelta::minutes(minutes));
    assert!(at(15).is_ok() && at(-15).is_ok());
    let err = at(16).unwrap_err();
    assert_eq!(err.exception_name(), "InvalidSignatureException");
    let expected =
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)";
    assert_eq!(err, SigV4Error::Expired(expected.into()));
    let expected =
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)";
    assert_eq!(at(-16), Err(SigV4Error::Expired(expected.into())));
}

#[test]
fn malformed_authorization_is_incomplete() {
    let msg = incomplete_auth("garbage");
    for part in [
        "'Credential'",
        "'Signature'",
        "'SignedHeaders'",
        "Authorization=garbage",
    ] {
        assert!(msg.contains(part), "{msg}");
    }
    let msg = incomplete_auth(&format!("{ALGORITHM} Credential={SCOPE}, SignedHeaders=host"));
    assert!(
        msg.contains("requires 'Signature'") && !msg.contains("'Credential'"),
        "{msg}"
    );
    let sha512 = authz(SCOPE, FORM_SIGNED, FORM_SIG).replace("SHA256", "SHA512");
    assert!(incomplete_auth(&sha512).contains("Unsupported AWS 'algorithm'"));
    for (credential, signed, expected) in MALFORMED {
        let msg = incomplete_auth(&authz(credential, signed, FORM_SIG));
        assert!(msg.contains(expected), "{credential} {signed}: {msg}");
    }
}

#[test]
fn x_amz_date_missing_or_invalid() {
    let auth = authz(SCOPE, FORM_SIGNED, FORM_SIG);
    assert!(incomplete(&[("authorization", &auth)]).contains("requires existence of a 'X-Amz-Date'"));
    for date in [
        "2015-08-30T12:36:00Z",
        "20150830T123600",
        "20150830T123600Z ",
        "20151330T123600Z",
    ] {
        let msg = incomplete(&[("x-amz-date", date), ("authorization", &auth)]);
        assert!(msg.contains("X-Amz-Date must be in ISO-8601 basic format"), "{msg}");
    }
}

#[test]
fn hostile_input_never_panics() {
    #[rustfmt::skip]
    let auths = ["", " ", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ,,,===", "AWS4-HMAC-SHA256 Credential=////",
        "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=;;, Signature=",
        "AWS4-HMAC-SHA256 Credential=\u{e9}/\u{1234}, Signature=\u{0}", "\u{ff}\u{ff}"];
    let mut header_sets = vec![suite(&[FORM], FORM_SIGNED, FORM_SIG)];
    for auth in auths {
        let mut headers = map(&[("host", "h"), ("x-amz-date", "99991231T235959Z")]);
        let value = HeaderValue::from_bytes(auth.as_bytes());
        headers.insert("authorization", value.unwrap_or(HeaderValue::from_static("x")));
        header_sets.push(headers);
    }
    for headers in &header_sets {
        for (path, query) in [
            ("", ""),
            ("%", "%"),
            ("/../..", "%zz=%e1&&=&a"),
            ("/\u{1234}//.", "+%%41=%4"),
        ] {
            let req = SignedRequest {
                method: "GET",
                path,
                query,
                headers,
                body: b"\xff",
            };
            assert!(check(req).is_err());
        }
    }
    assert_eq!(canonical_query("+%%41=%4&%zz=%e1&&=&a"), "=&%20%25A=%254&%25zz=%E1&a=");
    assert_eq!(canonical_uri("//example//"), "/example/");
    assert_eq!(canonical_uri("/example/.."), "/");
    assert_eq!(canonical_uri("/a/b/../c/./"), "/a/c/");
}
