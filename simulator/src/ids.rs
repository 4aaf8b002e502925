//! Deterministic identifiers. An id is derived (SHA-256) from the state's seed, a kind and a
//! counter stored in SQLite, never from randomness: same inputs + same clock = same bytes.

use sha2::{Digest, Sha256};

/// A UUID-formatted string (version 4 / RFC 4122 variant bits set) derived from the inputs.
pub fn uuid_from(seed: &str, kind: &str, counter: u64) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update([0u8]);
    h.update(kind.as_bytes());
    h.update([0u8]);
    h.update(counter.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// An upper-case alphanumeric token of `len` characters derived from `input` (for
/// principal ids and access key ids that look like AWS's).
pub fn token_from(input: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(len);
    let mut round = 0u32;
    while out.len() < len {
        let d = Sha256::new()
            .chain_update(input.as_bytes())
            .chain_update(round.to_be_bytes())
            .finalize();
        for byte in d.iter() {
            if out.len() == len {
                break;
            }
            out.push(ALPHABET[(*byte as usize) % ALPHABET.len()] as char);
        }
        round += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_stable_and_well_formed() {
        let a = uuid_from("seed", "event", 1);
        assert_eq!(a, uuid_from("seed", "event", 1));
        assert_ne!(a, uuid_from("seed", "event", 2));
        assert_ne!(a, uuid_from("seed", "request", 1));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn token_has_requested_length() {
        assert_eq!(token_from("x", 16).len(), 16);
        assert_eq!(token_from("x", 40).len(), 40);
    }
}
