//! The SRP-6a group Cognito uses: the 3072-bit MODP prime of RFC 3526 / RFC 5054 with g = 2,
//! SHA-256, and amazon-cognito-identity-js's `padHex` encoding of numbers into hashes.

use std::sync::OnceLock;

use num_bigint_dig::BigUint;
use sha2::{Digest, Sha256};

/// N, as amazon-cognito-identity-js writes it (`initN` in AuthenticationHelper.js).
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The group's constants.
pub struct Group {
    pub n: BigUint,
    pub g: BigUint,
    /// k = H(pad(N) | pad(g)).
    pub k: BigUint,
}

/// The group (computed once).
pub fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // N_HEX is a valid hex constant; parsing it cannot fail.
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = hash_to_int(&[&pad(&n), &pad(&g)]);
        Group { n, g, k }
    })
}

/// `padHex` as bytes: the shortest big-endian encoding, with a leading zero byte when the high
/// bit of the first byte is set (so the number reads as positive). Zero is one zero byte.
pub fn pad(value: &BigUint) -> Vec<u8> {
    let mut bytes = value.to_bytes_be();
    if bytes.is_empty() {
        bytes.push(0);
    }
    if bytes[0] & 0x80 != 0 {
        bytes.insert(0, 0);
    }
    bytes
}

/// SHA-256 of the concatenation of `parts`.
pub fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// SHA-256 of the concatenation of `parts`, read as a big-endian number.
pub fn hash_to_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&hash(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_follows_pad_hex() {
        assert_eq!(pad(&BigUint::from(20u32)), vec![0x14]);
        assert_eq!(pad(&BigUint::from(236u32)), vec![0x00, 0xec]);
        assert_eq!(pad(&BigUint::from(200u32)), vec![0x00, 0xc8]);
        assert_eq!(pad(&BigUint::from(0x0123u32)), vec![0x01, 0x23]);
        assert_eq!(pad(&BigUint::from(0u32)), vec![0x00]);
    }

    #[test]
    fn group_is_the_3072_bit_modp_prime() {
        let group = group();
        assert_eq!(group.n.bits(), 3072);
        assert_eq!(pad(&group.n).len(), 385, "N has its high bit set, so padHex adds 00");
        assert_eq!(pad(&group.g), vec![2]);
        // k = H(00 | N | 02), computed here from the hex strings the client library hashes.
        let mut input = String::from("00");
        input.push_str(N_HEX);
        input.push_str("02");
        let bytes = hex::decode(input).expect("hex");
        assert_eq!(group.k, BigUint::from_bytes_be(&Sha256::digest(&bytes)));
        // Fermat check with base 3: N is (probably) prime.
        let one = BigUint::from(1u32);
        assert_eq!(BigUint::from(3u32).modpow(&(&group.n - &one), &group.n), one);
    }
}
