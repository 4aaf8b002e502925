//! The one clock. Every timestamp in the simulator comes from here. The clock is real by
//! default; it can be fixed at an instant and advanced. Its state lives in the store so that
//! separate processes sharing a state folder see the same simulated time.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

/// Where time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Wall-clock time.
    #[default]
    Real,
    /// A simulated instant that only moves when advanced.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Real => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// The clock moved forward by `by` (a real clock becomes fixed at now + by).
    pub fn advanced(&self, by: chrono::Duration) -> Clock {
        let base = self.now();
        Clock::Fixed(base.checked_add_signed(by).unwrap_or(base))
    }

    pub fn mode(&self) -> &'static str {
        match self {
            Clock::Real => "real",
            Clock::Fixed(_) => "fixed",
        }
    }
}

/// Milliseconds since the epoch, the store's time unit.
pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// The AWS JSON 1.1 wire form of a timestamp: epoch seconds as a JSON number.
pub fn to_epoch_seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}

/// The inverse of [`to_epoch_seconds`]; `None` for non-finite or out-of-range values.
pub fn from_epoch_seconds(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    let ms = (secs * 1000.0).round();
    if ms.abs() > 8.0e15 {
        return None;
    }
    Utc.timestamp_millis_opt(ms as i64).single()
}

/// ISO-8601 with second precision, as CloudTrail writes `eventTime`: `2024-01-02T03:04:05Z`.
pub fn iso_seconds(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_advances_by_duration() {
        let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(); // literal date, valid
        let c = Clock::Fixed(t0).advanced(chrono::Duration::days(2));
        assert_eq!(c.now(), Utc.with_ymd_and_hms(2024, 1, 3, 0, 0, 0).unwrap());
    }

    #[test]
    fn epoch_seconds_round_trip() {
        let t0 = Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap(); // literal date, valid
        assert_eq!(from_epoch_seconds(to_epoch_seconds(t0)), Some(t0));
        assert_eq!(from_epoch_seconds(f64::NAN), None);
        assert_eq!(iso_seconds(t0), "2024-05-06T07:08:09Z");
    }
}
