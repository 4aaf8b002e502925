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

/// Counters an event id can carry: 2^40 (a trillion events per seed).
const EVENT_COUNTER_LIMIT: u64 = 1 << 40;
/// Round keys of the permutation that makes consecutive counters look unrelated.
const ROUND_KEYS: [u64; 6] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
    0x4528_21e6_38d0_1377,
    0xbe54_66cf_34e9_0c6c,
];
const TAG_KEY: u64 = 0xc0ac_29b7_c97c_50dd;
const LOW_62: u128 = (1 << 62) - 1;

/// An eventID: a version 4 UUID, as AWS's are, that still carries its origin. The seed and
/// kind pick a 24-bit namespace, the counter fills the other 40 bits; the 64-bit number is
/// permuted (a Feistel network, so consecutive counters give unrelated-looking ids) and
/// followed by a 58-bit check. [`event_number`] gives the number back, which lets the store
/// index events by a number that grows with every append instead of by a random string
/// (a random key writes a different index page for almost every event).
pub fn event_id(seed: &str, kind: &str, counter: u64) -> String {
    if counter >= EVENT_COUNTER_LIMIT {
        return uuid_from(seed, kind, counter);
    }
    let namespace = Sha256::new()
        .chain_update(seed.as_bytes())
        .chain_update([0u8])
        .chain_update(kind.as_bytes())
        .chain_update(b"\0event-number")
        .finalize();
    let namespace = u64::from_be_bytes([0, 0, 0, 0, 0, namespace[0], namespace[1], namespace[2]]);
    let block = permute((namespace << 40) | counter);
    let payload = (u128::from(tag_of(block)) << 64) | u128::from(block);
    let uuid = (payload & LOW_62)
        | (0b10 << 62)
        | (((payload >> 62) & 0xfff) << 64)
        | (4 << 76)
        | ((payload >> 74) << 80);
    let x = format!("{uuid:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// The number an id made by [`event_id`] carries (namespace and counter), or `None` for any
/// other string: ids of ingested records, ids made before this scheme, anything malformed.
/// One id gives one number and one number one id, so the number can stand for the id.
pub fn event_number(id: &str) -> Option<i64> {
    let b = id.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut uuid: u128 = 0;
    for (i, &c) in b.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            continue;
        }
        let digit = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        uuid = (uuid << 4) | u128::from(digit);
    }
    if (uuid >> 62) & 0b11 != 0b10 || (uuid >> 76) & 0xf != 4 {
        return None;
    }
    let payload = (uuid & LOW_62) | (((uuid >> 64) & 0xfff) << 62) | ((uuid >> 80) << 74);
    let block = payload as u64;
    if (payload >> 64) as u64 != tag_of(block) {
        return None;
    }
    // The cast keeps all 64 bits; SQLite integers are signed.
    Some(unpermute(block) as i64)
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn round(key: u64, half: u32) -> u32 {
    (mix(u64::from(half) ^ key) >> 32) as u32
}

fn tag_of(block: u64) -> u64 {
    mix(block ^ TAG_KEY) >> 6
}

fn permute(x: u64) -> u64 {
    let (mut l, mut r) = ((x >> 32) as u32, x as u32);
    for key in ROUND_KEYS {
        (l, r) = (r, l ^ round(key, r));
    }
    (u64::from(l) << 32) | u64::from(r)
}

fn unpermute(x: u64) -> u64 {
    let (mut l, mut r) = ((x >> 32) as u32, x as u32);
    for key in ROUND_KEYS.iter().rev() {
        (l, r) = (r ^ round(*key, l), l);
    }
    (u64::from(l) << 32) | u64::from(r)
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
    fn event_ids_are_v4_uuids_that_give_their_number_back() {
        let mut last = None;
        for n in [0u64, 1, 2, 3, 1000, (1 << 40) - 1] {
            let id = event_id("seed", "event", n);
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
            let number = event_number(&id).expect("an id of ours decodes");
            assert_eq!(number as u64 & ((1 << 40) - 1), n);
            if let Some(prev) = last {
                assert!(number > prev, "numbers grow with the counter");
            }
            last = Some(number);
        }
    }

    #[test]
    fn consecutive_event_ids_look_unrelated() {
        let a = event_id("seed", "event", 41);
        let b = event_id("seed", "event", 42);
        let same = a.chars().zip(b.chars()).filter(|(x, y)| x == y).count();
        assert!(same < 12, "{a} vs {b}");
        assert_ne!(a, event_id("other seed", "event", 41));
        assert_ne!(a, event_id("seed", "request", 41));
        assert_eq!(a, event_id("seed", "event", 41));
    }

    #[test]
    fn foreign_ids_carry_no_number() {
        for id in [
            uuid_from("seed", "event", 1).as_str(),
            "3ef2d5b4-1f54-4c0e-9f2a-0b7f2d7c9e11",
            "not an id",
            "",
            "ZZZZZZZZ-ZZZZ-4ZZZ-8ZZZ-ZZZZZZZZZZZZ",
            "€€€€€€€€€€€€€€€€€€",
        ] {
            assert_eq!(event_number(id), None, "{id}");
        }
        let ours = event_id("seed", "event", 7);
        assert_eq!(event_number(&ours.to_uppercase()), None);
        // Beyond the counter range ids fall back to plain hashed UUIDs.
        assert_eq!(event_number(&event_id("seed", "event", 1 << 40)), None);
    }

    #[test]
    fn token_has_requested_length() {
        assert_eq!(token_from("x", 16).len(), 16);
        assert_eq!(token_from("x", 40).len(), 40);
    }
}
