//! Secrets at rest: the values the server must be able to read back (authenticator-app keys, the
//! pools' token-signing keys, the identity pools' credential keys) are stored sealed with
//! ChaCha20-Poly1305 under one master key, so a copy of the database (a backup, a dump, a replica)
//! gives none of them away. Secrets that need only checking (passwords, codes, refresh tokens)
//! are hashed instead and never come here.
//!
//! The master key is the `secret_key` setting (`COGNATE_SECRET_KEY`: 32 bytes, base64) or, when
//! it is not set, `secret.key` in the data directory, created on first start readable by its
//! owner only. Several servers sharing one database must share the setting. Every sealed value
//! is bound to what it is for (the associated data names the kind and the owner), so one cannot
//! be moved into another row. Values stored before sealing existed are read as they are, except
//! SRP verifiers: those are sealed by a pass at start ([`crate::password::seal_stored_verifiers`])
//! and one found in the clear afterwards is refused, not used.

use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

/// The first bytes of a sealed value (then a 12-byte nonce and the ciphertext with its tag).
const MAGIC: &[u8] = b"cgv1";
/// The prefix of a sealed text value (then the base64 of the sealed bytes).
pub const TEXT_MAGIC: &str = "cgv1:";
const NONCE_LEN: usize = 12;
/// The master key file's name in the data directory.
pub const KEY_FILE: &str = "secret.key";

/// Seals and opens secrets with the master key.
#[derive(Clone)]
pub struct Vault {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

/// A sealed value that does not open: another master key, or altered bytes.
#[derive(Debug, thiserror::Error)]
#[error("a stored secret cannot be opened (was the master key changed?)")]
pub struct OpenError;

impl Vault {
    /// A vault with this master key.
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        }
    }

    /// The vault of the configured key (base64 of 32 bytes), or of the key file in `data_dir`,
    /// created with a random key when missing.
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(text) = configured {
            return Ok(Self::new(
                decode_key(text).map_err(|e| anyhow::anyhow!("secret_key: {e}"))?,
            ));
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Self::new(
                decode_key(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                std::fs::create_dir_all(data_dir)?;
                write_private(&path, &STANDARD.encode(key))?;
                tracing::info!(path = %path.display(), "created the master key that seals stored secrets");
                Ok(Self::new(key))
            }
            Err(e) => Err(anyhow::anyhow!("reading {}: {e}", path.display())),
        }
    }

    /// Seals `plain` for `purpose` (e.g. `totp:<pool>:<sub>`).
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain,
            aad: purpose.as_bytes(),
        };
        // Encryption fails only for messages beyond ChaCha20's 256 GiB limit.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        [MAGIC, &nonce, &sealed].concat()
    }

    /// Opens a value sealed for `purpose`; a value without the sealed prefix (stored before
    /// sealing) is returned as it is.
    pub fn open(&self, purpose: &str, stored: &[u8]) -> Result<Vec<u8>, OpenError> {
        let Some(rest) = stored.strip_prefix(MAGIC).filter(|rest| rest.len() > NONCE_LEN) else {
            return Ok(stored.to_vec());
        };
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let payload = Payload {
            msg: sealed,
            aad: purpose.as_bytes(),
        };
        self.cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| OpenError)
    }

    /// Whether a stored value carries the sealed form's prefix.
    pub fn is_sealed(stored: &[u8]) -> bool {
        stored.starts_with(MAGIC) && stored.len() > MAGIC.len() + NONCE_LEN
    }

    /// The range of byte strings that start with the sealed prefix, `[low, high)`: a store can
    /// find the values not sealed yet with two comparisons.
    pub fn sealed_range() -> (&'static [u8], &'static [u8]) {
        (MAGIC, b"cgv2")
    }

    /// [`Vault::seal`] for text columns: `cgv1:` and base64.
    pub fn seal_text(&self, purpose: &str, plain: &str) -> String {
        format!("{TEXT_MAGIC}{}", STANDARD.encode(self.seal(purpose, plain.as_bytes())))
    }

    /// [`Vault::open`] for text columns.
    pub fn open_text(&self, purpose: &str, stored: &str) -> Result<String, OpenError> {
        let Some(encoded) = stored.strip_prefix(TEXT_MAGIC) else {
            return Ok(stored.to_owned());
        };
        let sealed = STANDARD.decode(encoded).map_err(|_| OpenError)?;
        let plain = self.open(purpose, &sealed)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }
}

/// What each sealed value is for: the associated data that binds it to its owner.
pub mod purpose {
    /// A user pool's token-signing key.
    pub fn signing_key(pool_id: &str) -> String {
        format!("signing-key:{pool_id}")
    }

    /// A user's authenticator-app key (verified or pending).
    pub fn totp(pool_id: &str, sub: &str) -> String {
        format!("totp:{pool_id}:{sub}")
    }

    /// An identity pool's key that derives credential secrets.
    pub fn credential_key(identity_pool_id: &str) -> String {
        format!("credential-key:{identity_pool_id}")
    }

    /// The ticket that marks API calls as coming from a hosted sign-in page.
    pub fn hosted_ticket() -> String {
        "hosted-ticket".to_owned()
    }

    /// A user's SRP password verifier (it stands for the password: whoever holds it can
    /// pretend to be the server to the user, and guess the password offline).
    pub fn srp_verifier(pool_id: &str, sub: &str) -> String {
        format!("srp-verifier:{pool_id}:{sub}")
    }

    /// An identity pool's key that signs GetOpenIdToken tokens.
    pub fn openid_key(identity_pool_id: &str) -> String {
        format!("openid-key:{identity_pool_id}")
    }
}

fn decode_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| "must be base64 (e.g. `openssl rand -base64 32`)".to_owned())?;
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("must be 32 bytes, not {}", b.len()))
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_for_their_purpose_and_key() {
        let vault = Vault::new([7; 32]);
        let sealed = vault.seal("totp:pool:sub", b"JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with(MAGIC));
        assert!(!sealed.windows(16).any(|w| w == b"JBSWY3DPEHPK3PXP"));
        assert_eq!(vault.open("totp:pool:sub", &sealed).unwrap(), b"JBSWY3DPEHPK3PXP");
        assert!(vault.open("totp:pool:other", &sealed).is_err());
        assert!(Vault::new([8; 32]).open("totp:pool:sub", &sealed).is_err());
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(vault.open("totp:pool:sub", &altered).is_err());
        assert_ne!(
            sealed,
            vault.seal("totp:pool:sub", b"JBSWY3DPEHPK3PXP"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn text_values_round_trip_and_old_plain_values_still_read() {
        let vault = Vault::new([1; 32]);
        let sealed = vault.seal_text("k", "secret");
        assert!(sealed.starts_with(TEXT_MAGIC));
        assert_eq!(vault.open_text("k", &sealed).unwrap(), "secret");
        assert_eq!(vault.open_text("k", "JBSWY3DP").unwrap(), "JBSWY3DP");
        assert_eq!(vault.open("k", b"\x30\x82der").unwrap(), b"\x30\x82der");
        assert!(vault.open_text("k", "cgv1:not base64!").is_err());
    }

    #[test]
    fn the_key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = Vault::load(None, dir.path()).unwrap();
        let sealed = first.seal("p", b"x");
        let again = Vault::load(None, dir.path()).unwrap();
        assert_eq!(again.open("p", &sealed).unwrap(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read the key");
        }
        assert!(Vault::load(Some("c2hvcnQ="), dir.path()).is_err());
        let configured = STANDARD.encode([3u8; 32]);
        assert!(Vault::load(Some(&configured), dir.path()).is_ok());
    }
}
