//! Random values and their stored forms: 6-digit codes, opaque session and refresh tokens,
//! and the identifiers of pools, clients and users.
//!
//! Everything random comes from the operating system's CSPRNG. Codes and tokens are stored only
//! as hashes and compared in constant time.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new 6-digit code, uniformly distributed.
pub fn new_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000u32))
}

/// The stored form of a code: `salt$sha256(salt || code)`, both base64.
pub fn hash_code(code: &str) -> String {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let digest = Sha256::new()
        .chain_update(salt)
        .chain_update(code.as_bytes())
        .finalize();
    format!("{}${}", STANDARD.encode(salt), STANDARD.encode(digest))
}

/// Checks a code against its stored form in constant time.
pub fn code_matches(code: &str, stored: &str) -> bool {
    let Some((salt, digest)) = stored.split_once('$') else {
        return false;
    };
    let (Ok(salt), Ok(expected)) = (STANDARD.decode(salt), STANDARD.decode(digest)) else {
        return false;
    };
    let actual = Sha256::new()
        .chain_update(salt)
        .chain_update(code.as_bytes())
        .finalize();
    actual.as_slice().ct_eq(&expected).into()
}

/// A new opaque token of `bytes` random bytes, base64url.
pub fn new_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// The stored form of a high-entropy token: its SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Random characters from `alphabet`.
pub fn random_string(alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[OsRng.gen_range(0..alphabet.len())] as char)
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A pool id like Cognito's: `<region>_<9 letters and digits>`.
pub fn new_pool_id(region: &str) -> String {
    format!("{region}_{}", random_string(ALNUM, 9))
}

/// An app client id like Cognito's: 26 lowercase letters and digits.
pub fn new_client_id() -> String {
    random_string(LOWER_ALNUM, 26)
}

/// An app client secret like Cognito's: 51 lowercase letters and digits.
pub fn new_client_secret() -> String {
    random_string(LOWER_ALNUM, 51)
}

/// A temporary password that satisfies any Cognito password policy up to 16 characters.
pub fn new_temporary_password() -> String {
    let mut password = random_string(ALNUM, 12);
    password.push(
        random_string(b"ABCDEFGHJKLMNPQRSTUVWXYZ", 1)
            .chars()
            .next()
            .unwrap_or('A'),
    );
    password.push(
        random_string(b"abcdefghijkmnopqrstuvwxyz", 1)
            .chars()
            .next()
            .unwrap_or('a'),
    );
    password.push(random_string(b"23456789", 1).chars().next().unwrap_or('7'));
    password.push(random_string(b"!#%*+-.=?@^_", 1).chars().next().unwrap_or('!'));
    password
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hash_with_salt() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let stored = hash_code(&code);
        assert_ne!(stored, hash_code(&code), "salted");
        assert!(code_matches(&code, &stored));
        assert!(!code_matches("000000x", &stored));
        assert!(!code_matches(&code, "garbage"));
    }

    #[test]
    fn identifiers_have_cognito_shapes() {
        let pool = new_pool_id("us-east-1");
        assert!(pool.starts_with("us-east-1_") && pool.len() == "us-east-1_".len() + 9);
        assert_eq!(new_client_id().len(), 26);
        assert_eq!(new_client_secret().len(), 51);
        let policy = cognate_protocol::password_policy::PasswordPolicy::default();
        assert!(policy.unmet_rules(&new_temporary_password()).is_empty());
    }
}
