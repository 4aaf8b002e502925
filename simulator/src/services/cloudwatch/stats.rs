//! Statistics over aggregated data: the simple ones (SampleCount, Average, Sum, Minimum,
//! Maximum) and the extended ones of "CloudWatch statistics definitions" (percentiles
//! `p99`, trimmed mean `tm90`/`TM(10%:90%)`, winsorized mean, trimmed count and sum,
//! percentile rank `PR(n:m)`, `IQM`).
//!
//! An [`Agg`] keeps, besides the simple statistics, the distinct values with their counts,
//! sorted, so that extended statistics can be computed for any period. The list is bounded
//! ([`MAX_DISTINCT`]): beyond it neighbouring values are grouped into their weighted means
//! (groups of about equal count), which keeps percentiles close while storage stays small.

use serde::{Deserialize, Serialize};

/// The most distinct values an aggregate keeps.
pub const MAX_DISTINCT: usize = 1000;

/// Values and counts of one or more data points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agg {
    #[serde(rename = "n")]
    pub count: f64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    /// `(value, count)` sorted by value.
    #[serde(default)]
    pub vals: Vec<(f64, f64)>,
    /// False once a statistic set that cannot be broken into values was added (percentiles
    /// are then unavailable, as CloudWatch documents).
    #[serde(default = "yes")]
    pub exact: bool,
}

fn yes() -> bool {
    true
}

impl Agg {
    /// One value seen `count` times.
    pub fn of_value(value: f64, count: f64) -> Agg {
        Agg {
            count,
            sum: value * count,
            min: value,
            max: value,
            vals: vec![(value, count)],
            exact: true,
        }
    }

    /// A statistic set. When it describes `count` copies of one value (as CloudWatch's
    /// rule for percentiles over statistic sets says), that value is kept.
    pub fn of_set(count: f64, sum: f64, min: f64, max: f64) -> Agg {
        let single = (count == 1.0 && min == max && sum == min)
            || (min == max && (sum - min * count).abs() <= f64::EPSILON * sum.abs().max(1.0));
        Agg {
            count,
            sum,
            min,
            max,
            vals: if single {
                vec![(min, count)]
            } else {
                Vec::new()
            },
            exact: single,
        }
    }

    /// Adds another aggregate into this one.
    pub fn merge(&mut self, other: &Agg) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.exact &= other.exact;
        if !self.exact {
            self.vals.clear();
            return;
        }
        let mut out = Vec::with_capacity(self.vals.len() + other.vals.len());
        let (mut i, mut j) = (0, 0);
        while i < self.vals.len() || j < other.vals.len() {
            let next = match (self.vals.get(i), other.vals.get(j)) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    i += 1;
                    j += 1;
                    (a.0, a.1 + b.1)
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    i += 1;
                    *a
                }
                (Some(_), Some(b)) | (None, Some(b)) => {
                    j += 1;
                    *b
                }
                (Some(a), None) => {
                    i += 1;
                    *a
                }
                (None, None) => break,
            };
            out.push(next);
        }
        self.vals = out;
        self.bound();
    }

    /// Compresses the values into at most [`MAX_DISTINCT`] groups of about equal count,
    /// each kept as its weighted mean (one pass, so merging many aggregates stays linear).
    fn bound(&mut self) {
        if self.vals.len() <= MAX_DISTINCT {
            return;
        }
        let total: f64 = self.vals.iter().map(|v| v.1).sum();
        let per_group = total / MAX_DISTINCT as f64;
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(MAX_DISTINCT);
        let (mut n, mut weighted, mut seen, mut last) = (0.0, 0.0, 0.0, 0.0);
        for (v, c) in &self.vals {
            n += c;
            weighted += v * c;
            seen += c;
            last = *v;
            if out.len() + 1 < MAX_DISTINCT && seen >= per_group * (out.len() + 1) as f64 {
                out.push((if n > 0.0 { weighted / n } else { *v }, n));
                (n, weighted) = (0.0, 0.0);
            }
        }
        if n > 0.0 {
            out.push((weighted / n, n));
        } else if out.is_empty() {
            out.push((last, 0.0));
        }
        self.vals = out;
    }

    /// Adds another aggregate's simple statistics only (no values): enough for SampleCount,
    /// Average, Sum, Minimum and Maximum, and much cheaper over long periods.
    pub fn merge_simple(&mut self, other: &Agg) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.exact = false;
        self.vals.clear();
    }

    pub fn average(&self) -> f64 {
        if self.count > 0.0 {
            self.sum / self.count
        } else {
            0.0
        }
    }

    /// A simple statistic by name (`SampleCount`, `Average`, `Sum`, `Minimum`, `Maximum`).
    pub fn simple(&self, stat: &str) -> Option<f64> {
        match stat {
            "SampleCount" => Some(self.count),
            "Average" => Some(self.average()),
            "Sum" => Some(self.sum),
            "Minimum" => Some(self.min),
            "Maximum" => Some(self.max),
            _ => None,
        }
    }

    /// Whether the values allow extended statistics: exact values, none negative.
    fn has_values(&self) -> bool {
        self.exact && !self.vals.is_empty() && self.vals.iter().all(|(v, _)| *v >= 0.0)
    }

    /// The `p`-th percentile (0-100) by nearest rank: the smallest value with at least
    /// `p`% of the samples at or below it.
    fn percentile(&self, p: f64) -> Option<f64> {
        if !self.has_values() {
            return None;
        }
        let total: f64 = self.vals.iter().map(|v| v.1).sum();
        if p <= 0.0 {
            return Some(self.min);
        }
        if p >= 100.0 {
            return Some(self.max);
        }
        let rank = (p / 100.0 * total).ceil().max(1.0);
        let mut seen = 0.0;
        for (v, c) in &self.vals {
            seen += c;
            if seen >= rank - 1e-9 {
                return Some(*v);
            }
        }
        self.vals.last().map(|v| v.0)
    }

    /// A statistic by name: simple or extended.
    pub fn statistic(&self, stat: &Stat) -> Option<f64> {
        match stat {
            Stat::Simple(s) => self.simple(s),
            Stat::Extended(e) => self.extended(e),
        }
    }

    fn bound_value(&self, b: Bound, low: bool) -> Option<f64> {
        match b {
            Bound::Open => Some(if low {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            Bound::Value(v) => Some(v),
            Bound::Percent(p) if low && p <= 0.0 => Some(f64::NEG_INFINITY),
            Bound::Percent(p) => self.percentile(p),
        }
    }

    pub fn extended(&self, e: &Extended) -> Option<f64> {
        if let Extended::Percentile(p) = e {
            return self.percentile(*p);
        }
        if !self.has_values() {
            return None;
        }
        let (kind, lo, hi) = match *e {
            Extended::Range(k, lo, hi) => (k, lo, hi),
            Extended::Percentile(_) => return None,
        };
        let lo = self.bound_value(lo, true)?;
        let hi = self.bound_value(hi, false)?;
        let inside = |v: f64| v > lo && v <= hi;
        let total: f64 = self.vals.iter().map(|v| v.1).sum();
        let (mut n, mut sum) = (0.0, 0.0);
        for (v, c) in &self.vals {
            if inside(*v) {
                n += c;
                sum += v * c;
            }
        }
        match kind {
            RangeKind::TrimmedCount => Some(n),
            RangeKind::TrimmedSum => Some(sum),
            RangeKind::TrimmedMean => (n > 0.0).then(|| sum / n),
            RangeKind::PercentileRank => (total > 0.0).then(|| n / total * 100.0),
            RangeKind::WinsorizedMean => {
                let clamp_lo = if lo.is_finite() { lo } else { self.min };
                let clamp_hi = if hi.is_finite() { hi } else { self.max };
                let s: f64 = self
                    .vals
                    .iter()
                    .map(|(v, c)| v.clamp(clamp_lo.min(clamp_hi), clamp_hi) * c)
                    .sum();
                (total > 0.0).then(|| s / total)
            }
        }
    }
}

/// One end of a range statistic's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Open,
    Percent(f64),
    Value(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    TrimmedMean,
    WinsorizedMean,
    TrimmedCount,
    TrimmedSum,
    PercentileRank,
}

/// An extended statistic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Extended {
    Percentile(f64),
    /// Values `v` with `low < v <= high`.
    Range(RangeKind, Bound, Bound),
}

/// A statistic as `Stat`/`Statistic`/`ExtendedStatistic` name it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    Simple(String),
    Extended(Extended),
}

impl Stat {
    /// Parses any statistic name; `None` when it is not one CloudWatch knows.
    pub fn parse(s: &str) -> Option<Stat> {
        if super::errors::STATISTICS.contains(&s) {
            return Some(Stat::Simple(s.to_string()));
        }
        parse_extended(s).map(Stat::Extended)
    }

    pub fn is_percentile(&self) -> bool {
        matches!(self, Stat::Extended(Extended::Percentile(_)))
    }

    /// The percentile as a fraction, for the low-sample-count rule.
    pub fn percentile_fraction(&self) -> Option<f64> {
        match self {
            Stat::Extended(Extended::Percentile(p)) => Some(p / 100.0),
            _ => None,
        }
    }
}

/// `NN`, `NN.N`, `NN.NN` or `100`, as a number in 0-100.
fn short_number(s: &str) -> Option<f64> {
    if s == "100" {
        return Some(100.0);
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_ok = !int.is_empty() && int.len() <= 2 && int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| f.len() <= 2 && f.bytes().all(|b| b.is_ascii_digit()));
    if !int_ok || !frac_ok {
        return None;
    }
    s.parse().ok()
}

fn bound(s: &str) -> Option<Bound> {
    if s.is_empty() {
        return Some(Bound::Open);
    }
    let plain = |t: &str| {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
            .then(|| t.parse::<f64>().ok())
            .flatten()
    };
    match s.strip_suffix('%') {
        Some(p) => plain(p).filter(|p| *p <= 100.0).map(Bound::Percent),
        None => plain(s).map(Bound::Value),
    }
}

/// Parses an extended statistic: `p99`, `p99.9`, `tm90`, `wm90`, `tc90`, `ts90`, `IQM`,
/// `TM(10%:90%)`, `WM(:95%)`, `TC(0.005:0.030)`, `TS(80%:)`, `PR(:300)`.
pub fn parse_extended(s: &str) -> Option<Extended> {
    if s == "IQM" {
        return Some(Extended::Range(
            RangeKind::TrimmedMean,
            Bound::Percent(25.0),
            Bound::Percent(75.0),
        ));
    }
    for (prefix, kind) in [
        ("tm", RangeKind::TrimmedMean),
        ("wm", RangeKind::WinsorizedMean),
        ("tc", RangeKind::TrimmedCount),
        ("ts", RangeKind::TrimmedSum),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return short_number(rest)
                .map(|p| Extended::Range(kind, Bound::Open, Bound::Percent(p)));
        }
    }
    if let Some(rest) = s.strip_prefix('p') {
        return short_number(rest).map(Extended::Percentile);
    }
    for (prefix, kind) in [
        ("TM(", RangeKind::TrimmedMean),
        ("WM(", RangeKind::WinsorizedMean),
        ("TC(", RangeKind::TrimmedCount),
        ("TS(", RangeKind::TrimmedSum),
        ("PR(", RangeKind::PercentileRank),
    ] {
        let Some(inner) = s.strip_prefix(prefix).and_then(|r| r.strip_suffix(')')) else {
            continue;
        };
        let (lo, hi) = inner.split_once(':')?;
        let (lo, hi) = (bound(lo)?, bound(hi)?);
        if lo == Bound::Open && hi == Bound::Open {
            return None;
        }
        // PR takes metric values only.
        if kind == RangeKind::PercentileRank
            && (matches!(lo, Bound::Percent(_)) || matches!(hi, Bound::Percent(_)))
        {
            return None;
        }
        if let (Bound::Percent(a), Bound::Percent(b)) | (Bound::Value(a), Bound::Value(b)) =
            (lo, hi)
            && a > b
        {
            return None;
        }
        return Some(Extended::Range(kind, lo, hi));
    }
    None
}

/// Whether `sample_count` samples are too few for percentile `p` (a fraction) to be
/// statistically significant: fewer than `10 / (1 - p)` for p ≥ 0.5, fewer than `10 / p`
/// below.
pub fn too_few_samples(p: f64, sample_count: f64) -> bool {
    let needed = if p >= 0.5 {
        if p >= 1.0 {
            return false;
        }
        10.0 / (1.0 - p)
    } else if p > 0.0 {
        10.0 / p
    } else {
        return false;
    };
    sample_count < needed
}
