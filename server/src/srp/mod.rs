//! SRP-6a as Amazon Cognito runs it for `USER_SRP_AUTH` (the server side).
//!
//! The numbers and hashes follow amazon-cognito-identity-js's `AuthenticationHelper`, the
//! reference client: x = H(pad(salt) | H(poolName + userIdForSrp + ":" + password)),
//! v = g^x, B = k·v + g^b, u = H(pad(A) | pad(B)), S = (A·v^u)^b, and the password key is
//! HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key"), 16 bytes. The
//! client proves it holds the key with HMAC-SHA256(key, poolName + userIdForSrp + secretBlock
//! + timestamp). `poolName` is the part of the pool id after `_`. See [`group`] for N, g, k.

pub mod group;
#[cfg(test)]
mod tests;

use hmac::{Hmac, Mac};
use num_bigint_dig::BigUint;
use rand::RngCore;
use sha2::Sha256;

use crate::error::ApiResult;
use crate::store::SrpCredentials;
use group::{group, hash, hash_to_int, pad};

type HmacSha256 = Hmac<Sha256>;

/// The HKDF info Cognito derives the password key with.
const INFO: &[u8] = b"Caldera Derived Key";
/// The longest SRP_A accepted, in hex digits (N is 768).
const MAX_A_HEX: usize = 1024;

/// The part of a pool id after the `_` (`us-east-1_AbC123` → `AbC123`).
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

fn private_x(pool_name: &str, user_id: &str, password: &str, salt: &[u8]) -> BigUint {
    let inner = hash(&[pool_name.as_bytes(), user_id.as_bytes(), b":", password.as_bytes()]);
    // The client reads SALT as a number and re-pads it, so a leading zero byte is dropped.
    let salt = pad(&BigUint::from_bytes_be(salt));
    hash_to_int(&[&salt, &inner])
}

/// The verifier g^x mod N for a password and salt.
pub fn verifier(pool_id: &str, user_id: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let group = group();
    let x = private_x(pool_name(pool_id), user_id, password, salt);
    group.g.modpow(&x, &group.n).to_bytes_be()
}

/// A fresh salt (16 random bytes) and the verifier of `password` with it.
pub fn new_credentials(pool_id: &str, user_id: &str, password: &str) -> SrpCredentials {
    let mut salt = vec![0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let verifier = verifier(pool_id, user_id, password, &salt);
    SrpCredentials { salt, verifier }
}

/// [`new_credentials`] on the work pool (the modular exponentiation takes milliseconds).
pub async fn credentials(
    work: &crate::work::WorkPool,
    pool_id: &str,
    user_id: &str,
    password: &str,
) -> ApiResult<SrpCredentials> {
    let (pool_id, user_id, password) = (pool_id.to_owned(), user_id.to_owned(), password.to_owned());
    work.run("srp verifier", move || new_credentials(&pool_id, &user_id, &password))
        .await
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    // HMAC accepts keys of any length, so the fallback (an all-zero key) is never taken.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as hmac::digest::KeyInit>::new(&Default::default()));
    for part in parts {
        mac.update(part);
    }
    mac
}

/// The stable stand-in salt and verifier of a user that does not exist, derived from a
/// per-pool secret, so that repeated attempts look like those of a real user.
pub fn fake_credentials(pool_secret: &[u8], username_key: &str) -> SrpCredentials {
    let group = group();
    let salt = hmac(pool_secret, &[b"srp-salt:", username_key.as_bytes()])
        .finalize()
        .into_bytes();
    let x = hmac(pool_secret, &[b"srp-verifier:", username_key.as_bytes()])
        .finalize()
        .into_bytes();
    let v = group.g.modpow(&BigUint::from_bytes_be(&x), &group.n);
    SrpCredentials {
        salt: salt[..16].to_vec(),
        verifier: v.to_bytes_be(),
    }
}

/// Parses the client's SRP_A (hex); `None` if malformed or A mod N is 0.
pub fn parse_public_a(hex_a: &str) -> Option<BigUint> {
    if hex_a.is_empty() || hex_a.len() > MAX_A_HEX {
        return None;
    }
    let a = BigUint::parse_bytes(hex_a.as_bytes(), 16)?;
    let zero = BigUint::default();
    (&a % &group().n != zero).then_some(a)
}

/// The server's ephemeral secret b (256 random bits) and public B = k·v + g^b mod N.
pub struct ServerKey {
    pub b: Vec<u8>,
    pub public_b: BigUint,
}

/// Picks b and computes B for a verifier.
pub fn server_key(verifier: &[u8]) -> ServerKey {
    let group = group();
    let v = BigUint::from_bytes_be(verifier);
    loop {
        let mut b = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let public_b = (&group.k * &v + group.g.modpow(&BigUint::from_bytes_be(&b), &group.n)) % &group.n;
        if public_b != BigUint::default() {
            return ServerKey { b, public_b };
        }
    }
}

/// The 16-byte password key both sides derive; `None` if u is 0 (the attempt must fail).
pub fn password_key(public_a: &BigUint, public_b: &BigUint, b: &[u8], verifier: &[u8]) -> Option<[u8; 16]> {
    let group = group();
    let u = hash_to_int(&[&pad(public_a), &pad(public_b)]);
    if u == BigUint::default() {
        return None;
    }
    let v = BigUint::from_bytes_be(verifier);
    let base = (public_a * v.modpow(&u, &group.n)) % &group.n;
    let s = base.modpow(&BigUint::from_bytes_be(b), &group.n);
    let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
    let mut key = [0u8; 16];
    hkdf.expand(INFO, &mut key).ok()?;
    Some(key)
}

/// The PASSWORD_CLAIM_SIGNATURE a client holding `key` sends (raw HMAC bytes).
pub fn claim_signature(key: &[u8], pool_name: &str, user_id: &str, secret_block: &[u8], timestamp: &str) -> Vec<u8> {
    hmac(
        key,
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    )
    .finalize()
    .into_bytes()
    .to_vec()
}

/// Checks a PASSWORD_CLAIM_SIGNATURE (raw bytes) in constant time.
pub fn verify_claim(
    key: &[u8],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature: &[u8],
) -> bool {
    hmac(
        key,
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    )
    .verify_slice(signature)
    .is_ok()
}

/// Whether a TIMESTAMP has Cognito's shape, `Tue Nov 26 04:51:00 UTC 2026` (the day of the month
/// without padding, as amazon-cognito-identity-js writes it; a zero-padded day is accepted too).
pub fn valid_timestamp(timestamp: &str) -> bool {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = timestamp.split(' ').collect();
    let [weekday, month, day, time, zone, year] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>, max: u32| {
        len.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let clock: Vec<&str> = time.split(':').collect();
    DAYS.contains(weekday)
        && MONTHS.contains(month)
        && number(day, 1..=2, 31)
        && day.parse::<u32>().is_ok_and(|d| d >= 1)
        && clock.len() == 3
        && number(clock[0], 2..=2, 23)
        && number(clock[1], 2..=2, 59)
        && number(clock[2], 2..=2, 60)
        && *zone == "UTC"
        && number(year, 4..=4, 9999)
}
