//! What to generate: accounts, regions, the event rate and the mix, plus the deterministic
//! random source every choice is drawn from.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// Regions used when none are given: a handful of busy ones.
pub const DEFAULT_REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
];

/// A traffic profile. Same profile = byte-identical records.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub seed: u64,
    /// Time of the first record's slot.
    pub start: DateTime<Utc>,
    /// Records per simulated second (> 0).
    pub rate_per_sec: f64,
    /// How many records.
    pub count: u64,
    /// Accounts traffic is spread over; the first is the busiest (the default account).
    pub accounts: Vec<String>,
    /// Regions of regional calls; global services are recorded in us-east-1 regardless.
    pub regions: Vec<String>,
    /// Fraction of calls that fail with AccessDenied / Client.UnauthorizedOperation.
    pub error_rate: f64,
    /// Fraction of records that are data events (S3 objects, Lambda Invoke, DynamoDB items).
    pub data_event_rate: f64,
    /// Fraction of records that are console sign-ins.
    pub console_login_rate: f64,
}

impl Profile {
    /// A profile with the default mix for `accounts` and `regions`.
    pub fn new(seed: u64, start: DateTime<Utc>, count: u64, accounts: Vec<String>) -> Profile {
        Profile {
            seed,
            start,
            rate_per_sec: 10.0,
            count,
            accounts,
            regions: DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect(),
            error_rate: 0.05,
            data_event_rate: 0.35,
            console_login_rate: 0.02,
        }
    }

    /// Checks the numbers before generating anything.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.rate_per_sec.is_finite() && self.rate_per_sec > 0.0) {
            return Err(format!(
                "rate must be a positive number of events per second, got {}",
                self.rate_per_sec
            ));
        }
        for (name, v) in [
            ("error rate", self.error_rate),
            ("data event rate", self.data_event_rate),
            ("console login rate", self.console_login_rate),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} must be between 0 and 1, got {v}"));
            }
        }
        if self.data_event_rate + self.console_login_rate > 1.0 {
            return Err("data event rate + console login rate must not exceed 1".into());
        }
        if self.accounts.is_empty() {
            return Err("at least one account is needed".into());
        }
        if self.regions.is_empty() {
            return Err("at least one region is needed".into());
        }
        Ok(())
    }

    /// The end of the generated window: the slot after the last record.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::milliseconds(self.slot_ms(self.count))
    }

    /// Milliseconds from `start` to the beginning of record `i`'s slot.
    pub(crate) fn slot_ms(&self, i: u64) -> i64 {
        (i as f64 * 1000.0 / self.rate_per_sec).floor() as i64
    }
}

/// SplitMix64: tiny, fast, and fully determined by its seed (no OS randomness anywhere).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream derived from the seed and a label (independent streams per purpose).
    pub fn new(seed: u64, label: &str) -> Rng {
        let d = Sha256::new()
            .chain_update(seed.to_be_bytes())
            .chain_update(label.as_bytes())
            .finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        Rng(u64::from_be_bytes(b))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// One element of a non-empty slice (callers pass constant, non-empty tables).
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.pick_index(xs)]
    }

    /// The index of one element of a non-empty slice: the draw [`Rng::pick`] makes.
    pub fn pick_index<T>(&mut self, xs: &[T]) -> usize {
        self.below(xs.len() as u64) as usize
    }

    /// Picks an index by weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| *w as u64).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w as u64 {
                return i;
            }
            x -= *w as u64;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7, "x").next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(7, "x").next_u64(), Rng::new(8, "x").next_u64());
        assert_ne!(Rng::new(7, "x").next_u64(), Rng::new(7, "y").next_u64());
    }

    #[test]
    fn profile_rejects_bad_rates() {
        let mut p = Profile::new(1, chrono::DateTime::UNIX_EPOCH, 1, vec!["1".into()]);
        assert!(p.validate().is_ok());
        p.rate_per_sec = 0.0;
        assert!(p.validate().is_err());
        p.rate_per_sec = 1.0;
        p.error_rate = 1.5;
        assert!(p.validate().is_err());
    }
}
