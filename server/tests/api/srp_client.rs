//! The client side of Cognito's SRP-6a, computed here apart from the server's code the way
//! amazon-cognito-identity-js computes it: the 3072-bit group, padHex, the password and device
//! proofs, and Cognito's TIMESTAMP. Used by the SRP, device and MFA tests.

use num_bigint_dig::BigUint;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub(super) const N_HEX: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

pub(super) fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N")
}

/// padHex: minimal even-length hex, `00` in front when the first digit is 8–f.
pub(super) fn pad_hex(value: &BigUint) -> String {
    let mut hex = value.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    }
    if matches!(hex.as_bytes()[0], b'8'..=b'9' | b'a'..=b'f') {
        hex.insert_str(0, "00");
    }
    hex
}

pub(super) fn hex_hash(hex_input: &str) -> String {
    hex::encode(Sha256::digest(hex::decode(hex_input).expect("hex")))
}

pub(super) fn int(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex number")
}

/// A client's half of one sign-in: the secret a and public A.
pub(super) struct Client {
    a: BigUint,
    public_a: BigUint,
}

impl Client {
    pub(super) fn new() -> Self {
        let mut bytes = [0u8; 128];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let a = BigUint::from_bytes_be(&bytes);
        let public_a = BigUint::from(2u32).modpow(&a, &n());
        Client { a, public_a }
    }

    pub(super) fn srp_a(&self) -> String {
        self.public_a.to_str_radix(16)
    }

    /// The HKDF key for the challenge's SALT and SRP_B.
    pub(super) fn key(&self, pool_id: &str, user_id: &str, password: &str, salt: &str, srp_b: &str) -> Vec<u8> {
        let pool_name = pool_id.split('_').nth(1).expect("pool name");
        self.key_for(pool_name, user_id, password, salt, srp_b)
    }

    /// The key with an explicit "pool name" (a device's group key for device SRP).
    pub(super) fn key_for(&self, pool_name: &str, user_id: &str, password: &str, salt: &str, srp_b: &str) -> Vec<u8> {
        let (n, g) = (n(), BigUint::from(2u32));
        let k = int(&hex_hash(&format!("{}{}", pad_hex(&n), pad_hex(&g))));
        let public_b = int(srp_b);
        let u = int(&hex_hash(&format!("{}{}", pad_hex(&self.public_a), pad_hex(&public_b))));
        let inner = hex::encode(Sha256::digest(format!("{pool_name}{user_id}:{password}")));
        let x = int(&hex_hash(&format!("{}{inner}", pad_hex(&int(salt)))));
        let kgx = (&k * g.modpow(&x, &n)) % &n;
        let base = (&public_b + &n - kgx) % &n;
        let s = base.modpow(&(&self.a + &u * &x), &n);
        let ikm = hex::decode(pad_hex(&s)).expect("hex");
        let salt = hex::decode(pad_hex(&u)).expect("hex");
        let mut key = vec![0u8; 16];
        hkdf::Hkdf::<Sha256>::new(Some(&salt), &ikm)
            .expand(b"Caldera Derived Key", &mut key)
            .expect("hkdf");
        key
    }
}

/// Cognito's TIMESTAMP, the day of the month unpadded.
pub(super) fn timestamp() -> String {
    chrono::Utc::now().format("%a %b %-d %H:%M:%S UTC %Y").to_string()
}
