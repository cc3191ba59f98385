//! Each pool's RS256 signing key: generated when the pool is created, stored with it (PKCS#8
//! DER), published as a JWK in the pool's JWKS. Parsed keys are cached per pool.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A pool's key, ready to sign and verify.
pub struct PoolKey {
    pub key_id: String,
    pub signing: SigningKey<Sha256>,
    pub verifying: VerifyingKey<Sha256>,
    pub jwk: Jwk,
}

/// A public key in JWK form (RFC 7517), as Cognito publishes it.
#[derive(Debug, Clone, Serialize)]
pub struct Jwk {
    pub alg: &'static str,
    pub e: String,
    pub kid: String,
    pub kty: &'static str,
    pub n: String,
    #[serde(rename = "use")]
    pub use_: &'static str,
}

/// Generates a new 2048-bit RSA key; returns its PKCS#8 DER and key id.
pub fn generate() -> anyhow::Result<(Vec<u8>, String)> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    let der = key.to_pkcs8_der()?.as_bytes().to_vec();
    let public = key.to_public_key().to_public_key_der()?;
    let key_id = URL_SAFE_NO_PAD.encode(&Sha256::digest(public.as_bytes())[..24]);
    Ok((der, key_id))
}

/// Parses a stored key.
pub fn load(der: &[u8], key_id: &str) -> anyhow::Result<PoolKey> {
    let private = RsaPrivateKey::from_pkcs8_der(der)?;
    let public = private.to_public_key();
    let jwk = Jwk {
        alg: "RS256",
        e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        kid: key_id.to_owned(),
        kty: "RSA",
        n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        use_: "sig",
    };
    Ok(PoolKey {
        key_id: key_id.to_owned(),
        signing: SigningKey::<Sha256>::new(private),
        verifying: VerifyingKey::<Sha256>::new(public),
        jwk,
    })
}

/// Parsed keys by pool id.
#[derive(Default)]
pub struct KeyRing {
    keys: RwLock<HashMap<String, Arc<PoolKey>>>,
}

impl KeyRing {
    /// The parsed key of a pool; `der` gives its DER (opening it) only on first use, when the
    /// key is parsed and cached.
    pub fn get(
        &self,
        pool_id: &str,
        key_id: &str,
        der: impl FnOnce() -> anyhow::Result<Vec<u8>>,
    ) -> anyhow::Result<Arc<PoolKey>> {
        if let Ok(keys) = self.keys.read() {
            if let Some(key) = keys.get(pool_id).filter(|k| k.key_id == key_id) {
                return Ok(key.clone());
            }
        }
        let key = Arc::new(load(&der()?, key_id)?);
        if let Ok(mut keys) = self.keys.write() {
            keys.insert(pool_id.to_owned(), key.clone());
        }
        Ok(key)
    }

    /// Forgets a deleted pool's key.
    pub fn remove(&self, pool_id: &str) {
        if let Ok(mut keys) = self.keys.write() {
            keys.remove(pool_id);
        }
    }
}
