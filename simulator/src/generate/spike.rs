//! A burst of one API on top of generated traffic, so that CloudTrail Insights has
//! something to detect: `SOURCE:NAME@START/DURATION xN [region=R] [error=CODE]` makes N
//! write calls of SOURCE:NAME per minute from START for DURATION, by the IAM user
//! `deploy-bot` of the first account, in region R (default: the profile's first region).
//! With `error=CODE` every call fails with that error code (an error-rate spike).
//!
//! Example: `ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40`.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::shapes::{Record, TlsDetails};
use super::{Actor, EVENT_VERSION, NULL, USER_AGENTS, denied, recorded_ms};
use crate::context::Principal;
use crate::store::NewEvent;
use crate::{clock, ids};

/// The address every spike call comes from.
const SPIKE_IP: &str = "198.51.100.23";

/// The user every spike call comes from.
pub const SPIKE_USER: &str = "deploy-bot";
/// Calls per minute allowed in a spike.
pub const MAX_PER_MINUTE: u32 = 10_000;

/// A parsed `--spike`.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    pub event_source: String,
    pub event_name: String,
    pub start: DateTime<Utc>,
    pub duration: Duration,
    pub per_minute: u32,
    pub region: Option<String>,
    pub error_code: Option<String>,
    /// The text it was parsed from (part of its event IDs).
    pub spec: String,
}

fn instant(text: &str) -> Option<DateTime<Utc>> {
    let parse = |t: &str| DateTime::parse_from_rfc3339(t).ok();
    parse(text)
        .or_else(|| {
            // 2026-01-08T10:00Z: minutes without seconds.
            let (head, tail) = text.split_at(text.rfind(['Z', '+', '-']).filter(|i| *i > 10)?);
            parse(&format!("{head}:00{tail}"))
        })
        .map(|t| t.with_timezone(&Utc))
}

fn duration(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let n: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let d = match unit {
        's' => Duration::try_seconds(n),
        'm' => Duration::try_minutes(n),
        'h' => Duration::try_hours(n),
        'd' => Duration::try_days(n),
        _ => None,
    }?;
    (n > 0 && d <= Duration::days(7)).then_some(d)
}

impl Spike {
    pub fn parse(text: &str) -> Result<Spike, String> {
        let usage = || {
            format!(
                "{text:?} is not a spike like \"ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40\" (optionally followed by region=REGION and error=CODE)"
            )
        };
        let mut words = text.split_whitespace();
        let head = words.next().ok_or_else(usage)?;
        let (api, when) = head.split_once('@').ok_or_else(usage)?;
        let (source, name) = api.split_once(':').ok_or_else(usage)?;
        if !source.ends_with(".amazonaws.com") || name.is_empty() {
            return Err(format!(
                "{api:?}: give the API as eventSource:eventName, e.g. ec2.amazonaws.com:RunInstances"
            ));
        }
        let (start, length) = when.rsplit_once('/').ok_or_else(usage)?;
        let start =
            instant(start).ok_or_else(|| format!("{start:?} is not an RFC 3339 instant"))?;
        let duration = duration(length)
            .ok_or_else(|| format!("{length:?} is not a duration of up to 7d, like 15m or 2h"))?;
        let rate = words.next().ok_or_else(usage)?;
        let per_minute: u32 = rate
            .strip_prefix('x')
            .and_then(|n| n.parse().ok())
            .filter(|n| (1..=MAX_PER_MINUTE).contains(n))
            .ok_or_else(|| format!("{rate:?}: give calls per minute as x1 to x{MAX_PER_MINUTE}"))?;
        let mut spike = Spike {
            event_source: source.to_string(),
            event_name: name.to_string(),
            start,
            duration,
            per_minute,
            region: None,
            error_code: None,
            spec: text.trim().to_string(),
        };
        for w in words {
            match w.split_once('=') {
                Some(("region", r)) if !r.is_empty() => spike.region = Some(r.to_string()),
                Some(("error", c)) if !c.is_empty() => spike.error_code = Some(c.to_string()),
                _ => return Err(format!("{w:?}: expected region=REGION or error=CODE")),
            }
        }
        Ok(spike)
    }

    /// The end of the spike.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + self.duration
    }

    /// How many records the spike makes.
    pub fn len(&self) -> u64 {
        self.duration.num_minutes().max(1) as u64 * u64::from(self.per_minute.max(1))
    }

    /// Whether the spike makes no records (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The spike's records, oldest first, as the event log stores them: `per_minute` calls
    /// spread evenly over each minute. Made one at a time, so long spikes need no memory.
    pub fn events<'s>(
        &'s self,
        seed: u64,
        account: &'s str,
        default_region: &'s str,
    ) -> impl Iterator<Item = NewEvent> + 's {
        let region = self.region.as_deref().unwrap_or(default_region);
        let actor = Actor::user(
            Principal::iam_user(account, SPIKE_USER),
            SPIKE_IP.to_string(),
        );
        let id_seed = format!("spike:{seed}:{}", self.spec);
        let per_minute = i64::from(self.per_minute.max(1));
        let step = 60_000 / per_minute;
        let mut scratch = Vec::new();
        (0..self.len() as i64).map(move |n| {
            let (m, i) = (n / per_minute, n % per_minute);
            self.record(
                account,
                region,
                &actor,
                &id_seed,
                (n as u64, m * 60_000 + i * step),
                &mut scratch,
            )
        })
    }

    /// [`Spike::events`] as JSON trees.
    pub fn records<'s>(
        &'s self,
        seed: u64,
        account: &'s str,
        default_region: &'s str,
    ) -> impl Iterator<Item = Value> + 's {
        self.events(seed, account, default_region)
            .map(|e| serde_json::from_str(&e.record).expect("spike records are valid JSON"))
    }

    fn record(
        &self,
        account: &str,
        region: &str,
        actor: &Actor,
        id_seed: &str,
        (n, offset_ms): (u64, i64),
        scratch: &mut Vec<u8>,
    ) -> NewEvent {
        let service = self.event_source.trim_end_matches(".amazonaws.com");
        let time = self.start + Duration::milliseconds(offset_ms);
        let event_time = clock::iso_seconds(time);
        let message = self
            .error_code
            .as_ref()
            .map(|_| denied(&self.event_source, &self.event_name, &actor.arn).1);
        let request_id = ids::uuid_from(id_seed, "request", n);
        let event_id = ids::event_id(id_seed, "event", n);
        let host = format!("{service}.{region}.amazonaws.com");
        Record {
            event_version: EVENT_VERSION,
            user_identity: actor.identity(account, true, ""),
            event_time: &event_time,
            event_source: &self.event_source,
            event_name: &self.event_name,
            aws_region: region,
            source_ip_address: SPIKE_IP,
            user_agent: USER_AGENTS[0],
            error_code: self.error_code.as_deref(),
            error_message: message.as_deref(),
            request_parameters: &NULL,
            response_elements: &NULL,
            additional_event_data: None,
            request_id: Some(&request_id),
            event_id: &event_id,
            read_only: false,
            resources: &[],
            event_type: "AwsApiCall",
            management_event: true,
            recipient_account_id: account,
            event_category: "Management",
            tls_details: Some(TlsDetails {
                tls_version: "TLSv1.3",
                cipher_suite: "TLS_AES_128_GCM_SHA256",
                client_provided_host_header: &host,
            }),
        }
        .to_event(scratch, recorded_ms(time), actor.lookup_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_window_rate_and_options() {
        let s = Spike::parse("ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x40").unwrap();
        assert_eq!(s.event_source, "ec2.amazonaws.com");
        assert_eq!(s.event_name, "RunInstances");
        assert_eq!(clock::iso_seconds(s.start), "2026-01-08T10:00:00Z");
        assert_eq!(s.duration, Duration::minutes(15));
        assert_eq!(
            (s.per_minute, s.region.clone(), s.error_code.clone()),
            (40, None, None)
        );
        let e = Spike::parse(
            "iam.amazonaws.com:CreateUser@2026-01-08T10:00:00Z/1h x5 region=us-east-1 error=AccessDenied",
        )
        .unwrap();
        assert_eq!(e.region.as_deref(), Some("us-east-1"));
        assert_eq!(e.error_code.as_deref(), Some("AccessDenied"));
        for bad in [
            "",
            "RunInstances@2026-01-08T10:00Z/15m x40",
            "ec2.amazonaws.com:RunInstances@yesterday/15m x40",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/8d x40",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/99999999999999999d x40",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/-5m x40",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m 40",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x0",
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/15m x4 colour=red",
        ] {
            assert!(Spike::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn records_spread_calls_evenly_and_are_reproducible() {
        let s = Spike::parse(
            "ec2.amazonaws.com:RunInstances@2026-01-08T10:00Z/2m x3 error=Client.UnauthorizedOperation",
        )
        .unwrap();
        let rs: Vec<Value> = s.records(1, "123456789012", "us-west-2").collect();
        assert_eq!((rs.len(), s.len()), (6, 6));
        let times: Vec<&str> = rs
            .iter()
            .map(|r| r["eventTime"].as_str().unwrap())
            .collect();
        assert_eq!(
            times,
            [
                "2026-01-08T10:00:00Z",
                "2026-01-08T10:00:20Z",
                "2026-01-08T10:00:40Z",
                "2026-01-08T10:01:00Z",
                "2026-01-08T10:01:20Z",
                "2026-01-08T10:01:40Z"
            ]
        );
        assert!(rs.iter().all(|r| r["awsRegion"] == "us-west-2"
            && r["errorCode"] == "Client.UnauthorizedOperation"
            && r["readOnly"] == false
            && r["userIdentity"]["arn"] == "arn:aws:iam::123456789012:user/deploy-bot"));
        let again: Vec<Value> = s.records(1, "123456789012", "us-west-2").collect();
        assert_eq!(rs, again);
        let other = s.records(2, "123456789012", "us-west-2").next();
        assert_ne!(
            Some(&rs[0]["eventID"]),
            other.as_ref().map(|r| &r["eventID"])
        );
    }
}
