//! Unit tests of the SRP math against a client computed the way amazon-cognito-identity-js
//! computes it: S = (B − k·g^x)^(a + u·x) mod N.

use num_bigint_dig::BigUint;

use super::group::{group, hash, hash_to_int, pad};
use super::*;

const POOL: &str = "us-east-1_AbC123xyz";

/// The client side: returns (A, key) for a server's B and salt.
fn client_key(user_id: &str, password: &str, salt: &[u8], public_b: &BigUint, a: &BigUint) -> (BigUint, [u8; 16]) {
    let group = group();
    let public_a = group.g.modpow(a, &group.n);
    let u = hash_to_int(&[&pad(&public_a), &pad(public_b)]);
    let inner = hash(&[b"AbC123xyz", user_id.as_bytes(), b":", password.as_bytes()]);
    let x = hash_to_int(&[&pad(&BigUint::from_bytes_be(salt)), &inner]);
    let kgx = (&group.k * group.g.modpow(&x, &group.n)) % &group.n;
    let base = (public_b + &group.n - kgx) % &group.n;
    let s = base.modpow(&(a + &u * &x), &group.n);
    let hk = hkdf::Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
    let mut key = [0u8; 16];
    hk.expand(b"Caldera Derived Key", &mut key).expect("hkdf");
    (public_a, key)
}

fn a_secret(seed: u8) -> BigUint {
    BigUint::from_bytes_be(&[seed; 128])
}

#[test]
fn server_and_client_derive_the_same_key() {
    let creds = new_credentials(POOL, "jane", "Passw0rd!");
    assert_eq!(creds.salt.len(), 16);
    let server = server_key(&creds.verifier);
    let (public_a, client) = client_key("jane", "Passw0rd!", &creds.salt, &server.public_b, &a_secret(7));
    let key = password_key(&public_a, &server.public_b, &server.b, &creds.verifier).expect("key");
    assert_eq!(key, client);
    let signature = claim_signature(&client, "AbC123xyz", "jane", b"block", "Tue Nov 3 04:51:00 UTC 2026");
    assert!(verify_claim(
        &key,
        "AbC123xyz",
        "jane",
        b"block",
        "Tue Nov 3 04:51:00 UTC 2026",
        &signature
    ));
    assert!(!verify_claim(
        &key,
        "AbC123xyz",
        "jane",
        b"block",
        "Tue Nov 3 04:51:01 UTC 2026",
        &signature
    ));
}

#[test]
fn a_wrong_password_or_salt_gives_another_key() {
    let creds = new_credentials(POOL, "jane", "Passw0rd!");
    let server = server_key(&creds.verifier);
    let (public_a, wrong) = client_key("jane", "passw0rd!", &creds.salt, &server.public_b, &a_secret(9));
    let key = password_key(&public_a, &server.public_b, &server.b, &creds.verifier).expect("key");
    assert_ne!(key, wrong);
    let (public_a, other_user) = client_key("john", "Passw0rd!", &creds.salt, &server.public_b, &a_secret(9));
    assert_ne!(
        password_key(&public_a, &server.public_b, &server.b, &creds.verifier),
        Some(other_user)
    );
}

#[test]
fn salt_with_a_leading_zero_is_read_as_the_client_reads_it() {
    let salt = [0u8, 0x12, 0x34];
    let v = verifier(POOL, "jane", "pw", &salt);
    let x = hash_to_int(&[&[0x12, 0x34], &hash(&[b"AbC123xyz", b"jane", b":", b"pw"])]);
    assert_eq!(v, group().g.modpow(&x, &group().n).to_bytes_be());
}

#[test]
fn public_a_zero_mod_n_is_refused() {
    let n = &group().n;
    assert!(parse_public_a("0").is_none());
    assert!(parse_public_a(&n.to_str_radix(16)).is_none());
    assert!(parse_public_a(&(n * BigUint::from(2u32)).to_str_radix(16)).is_none());
    assert!(parse_public_a("zz").is_none());
    assert!(parse_public_a("").is_none());
    assert!(parse_public_a("1f").is_some());
}

#[test]
fn fake_credentials_are_stable_per_user_and_pool() {
    let one = fake_credentials(b"pool secret", "ghost");
    assert_eq!(one, fake_credentials(b"pool secret", "ghost"));
    assert_ne!(one.salt, fake_credentials(b"pool secret", "other").salt);
    assert_ne!(one.salt, fake_credentials(b"other pool", "ghost").salt);
    assert_eq!(one.salt.len(), 16);
}

#[test]
fn pool_name_is_after_the_underscore() {
    assert_eq!(pool_name("us-east-1_AbC123xyz"), "AbC123xyz");
    assert_eq!(pool_name("plain"), "plain");
}

#[test]
fn timestamps_have_cognitos_shape() {
    assert!(valid_timestamp("Tue Nov 26 04:51:00 UTC 2026"));
    assert!(valid_timestamp("Sun Nov 1 00:00:09 UTC 2026"));
    assert!(valid_timestamp("Sun Nov 01 00:00:09 UTC 2026"));
    assert!(!valid_timestamp("Sun Nov  1 00:00:09 UTC 2026"));
    assert!(!valid_timestamp("2026-11-01T00:00:09Z"));
    assert!(!valid_timestamp("Sun Nov 1 0:00:09 UTC 2026"));
    assert!(!valid_timestamp("Sun Nov 32 00:00:09 UTC 2026"));
    assert!(!valid_timestamp("Sun Nov 1 00:00:09 GMT 2026"));
}
