//! Password hashing with argon2id at OWASP's recommended parameters (m = 19456 KiB, t = 2,
//! p = 1). Hashing runs on the bounded [`WorkPool`] so it never stalls the request executor
//! and a flood of it cannot exhaust memory.
//!
//! Sign-in for an unknown user still verifies against a fixed dummy hash, so the time a
//! request takes does not tell whether the user exists.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{SrpCredentials, User};
use crate::vault::{purpose, Vault};
use crate::work::WorkPool;

/// The longest password accepted (Cognito's limit, in characters). Longer ones are refused
/// before any hashing, so a request cannot buy more argon2 work with a bigger body.
pub const MAX_LENGTH: usize = 256;

/// The argon2id cost in force: memory in KiB, passes, lanes.
const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;
const LANES: u32 = 1;

fn hasher() -> Argon2<'static> {
    // The parameters are constants within argon2's limits; `Params::new` cannot fail for them.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether a stored hash was made with other parameters than those in force (an older, weaker
/// cost): the next sign-in that proves the password stores a new hash.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    parsed.algorithm.as_str() != "argon2id"
        || parsed.version != Some(0x13)
        || params.m_cost() != MEMORY_KIB
        || params.t_cost() != PASSES
        || params.p_cost() != LANES
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Checks a password against a PHC string; any malformed hash is a mismatch.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the user does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("cognate-dummy-password-for-equal-work").unwrap_or_default())
}

/// Hashes on the work pool.
pub async fn hash(work: &WorkPool, password: &str) -> Result<String, ApiError> {
    let password = password.to_owned();
    work.run("password hash", move || hash_blocking(&password))
        .await?
        .map_err(|e| ApiError::internal("password hash", e))
}

/// Sets a user's password: its argon2id hash and its SRP salt and verifier for USER_SRP_AUTH
/// (both computed on the work pool; the verifier sealed, see [`srp_credentials`]).
pub async fn set(state: &AppState, user: &mut User, password: &str) -> Result<(), ApiError> {
    user.password_hash = Some(hash(&state.work, password).await?);
    user.srp = Some(srp_credentials(state, user, password).await?);
    Ok(())
}

/// New SRP credentials for `password`, the verifier sealed to the user: a copy of the database
/// alone gives no verifier to guess passwords against.
pub async fn srp_credentials(state: &AppState, user: &User, password: &str) -> Result<SrpCredentials, ApiError> {
    let plain = crate::srp::credentials(&state.work, &user.pool_id, &user.username, password).await?;
    Ok(SrpCredentials {
        verifier: state
            .vault
            .seal(&purpose::srp_verifier(&user.pool_id, &user.sub), &plain.verifier),
        salt: plain.salt,
    })
}

/// Seals the SRP verifiers an earlier Cognate stored in the clear, in batches; run once at
/// start. Returns how many were sealed.
pub async fn seal_stored_verifiers(state: &AppState) -> Result<u64, crate::store::StoreError> {
    let (low, high) = Vault::sealed_range();
    let mut sealed = 0;
    loop {
        let batch = state.store.srp_verifiers_outside(low, high, 500).await?;
        let mut progress = false;
        for (pool_id, sub, plain) in &batch {
            let value = state.vault.seal(&purpose::srp_verifier(pool_id, sub), plain);
            if state.store.reseal_srp_verifier(pool_id, sub, plain, &value).await? {
                sealed += 1;
                progress = true;
            }
        }
        if batch.is_empty() || !progress {
            return Ok(sealed);
        }
    }
}

/// A user's SRP verifier, unsealed; `None` when there is none, or when the stored one is not
/// sealed or does not open (it is refused, not used: no SRP proof can then succeed, and the
/// sign-in answers as for a wrong password).
pub fn srp_verifier(state: &AppState, user: &User) -> Option<Vec<u8>> {
    let stored = &user.srp.as_ref()?.verifier;
    if !Vault::is_sealed(stored) {
        tracing::error!(pool_id = %user.pool_id, "an SRP verifier stored unsealed is refused");
        return None;
    }
    match state
        .vault
        .open(&purpose::srp_verifier(&user.pool_id, &user.sub), stored)
    {
        Ok(verifier) => Some(verifier),
        Err(_) => {
            tracing::error!(pool_id = %user.pool_id, "an SRP verifier does not open with the master key");
            None
        }
    }
}

/// Verifies on the work pool; with `None` does the same work and answers false. A password
/// longer than [`MAX_LENGTH`] matches nothing and costs nothing.
pub async fn verify(work: &WorkPool, password: &str, phc: Option<&str>) -> Result<bool, ApiError> {
    if password.chars().count() > MAX_LENGTH {
        return Ok(false);
    }
    let password = password.to_owned();
    let phc = phc.map(str::to_owned);
    work.run("password verify", move || match phc {
        Some(phc) => verify_blocking(&password, &phc),
        None => {
            verify_blocking(&password, dummy_hash());
            false
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let phc = hash_blocking("Correct horse 1!").expect("hashes");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("Correct horse 1!", &phc));
        assert!(!verify_blocking("correct horse 1!", &phc));
        assert!(!verify_blocking("x", "not a hash"));
        assert!(!needs_rehash(&phc));
    }

    #[test]
    fn hashes_of_a_weaker_cost_are_marked_for_rehashing() {
        let params = Params::new(4096, 1, 1, None).expect("params");
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::generate(&mut OsRng);
        let phc = weak
            .hash_password(b"Correct horse 1!", &salt)
            .expect("hashes")
            .to_string();
        assert!(verify_blocking("Correct horse 1!", &phc), "still verifies");
        assert!(needs_rehash(&phc));
        assert!(!needs_rehash("not a hash"));
    }
}
