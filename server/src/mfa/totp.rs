//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 6 digits, 30-second
//! steps, a code accepted one step either side of now. Secrets are 160 bits from the CSPRNG,
//! shown to users in base32 (RFC 4648, no padding) as authenticator apps expect.

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// The length of a time step, in seconds.
pub const STEP: i64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Secret length in bytes (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Encodes bytes in base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32 (case-insensitive, padding and spaces ignored); `None` for other characters.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| *c != '=' && *c != ' ') {
        let value = BASE32.iter().position(|&b| b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// A new secret, base32.
pub fn new_secret() -> String {
    let mut secret = [0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    base32_encode(&secret)
}

/// The time step of a Unix time.
pub fn step_of(unix_time: i64) -> i64 {
    unix_time.div_euclid(STEP)
}

/// The HOTP value of `key` at counter `step`, truncated to `digits` digits.
pub fn hotp(key: &[u8], step: i64, digits: u32) -> u32 {
    // HMAC accepts keys of any length.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]) & 0x7fff_ffff;
    value % 10u32.pow(digits)
}

/// The 6-digit code of a base32 secret at time step `step`.
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    Some(format!("{:06}", hotp(&key, step, DIGITS)))
}

/// The time step whose code `code` is, within one step of `now` and later than `after`;
/// compared in constant time.
pub fn matching_step(secret: &str, code: &str, now: i64, after: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let key = base32_decode(secret)?;
    let current = step_of(now);
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        let expected = format!("{:06}", hotp(&key, step, DIGITS));
        let same: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
        if same && step > after && found.is_none() {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (8 digits), with the 20-byte ASCII key "1234567890…".
    #[test]
    fn rfc6238_test_vectors() {
        let key = b"12345678901234567890";
        for (time, expected) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(key, step_of(time), 8), expected, "time {time}");
            assert_eq!(hotp(key, step_of(time), 6), expected % 1_000_000, "time {time}");
        }
    }

    #[test]
    fn base32_round_trips() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI======").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("mzxw6ytboi").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("M1"), None);
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(base32_decode(&secret).map(|k| k.len()), Some(SECRET_BYTES));
        assert_ne!(secret, new_secret());
    }

    #[test]
    fn codes_match_one_step_either_side_and_only_after_the_last_used() {
        let secret = base32_encode(b"12345678901234567890");
        let now = 1_111_111_111;
        let step = step_of(now);
        let code = code_at(&secret, step).expect("code");
        assert_eq!(matching_step(&secret, &code, now, 0), Some(step));
        assert_eq!(matching_step(&secret, &code, now + STEP, 0), Some(step));
        assert_eq!(matching_step(&secret, &code, now - STEP, 0), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 2 * STEP, 0), None);
        assert_eq!(matching_step(&secret, &code, now, step), None, "used once");
        assert_eq!(matching_step(&secret, "12345", now, 0), None);
        assert_eq!(matching_step(&secret, "abcdef", now, 0), None);
    }
}
