//! Small helpers the IAM, KMS, Logs and Organizations resources share: tags as hashicorp/aws
//! splits them into `tags`/`tags_all`, generated names (`name_prefix`), JSON accessors and
//! timestamps.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use crate::values::{ValueExt, opt_string, string_map};

/// A JSON string member as a Terraform string; absent or empty reads as null.
pub fn json_str(v: &Json) -> Value {
    opt_string(v.as_str().filter(|s| !s.is_empty()))
}

/// A JSON number member as a Terraform number; absent reads as null.
pub fn json_num(v: &Json) -> Value {
    v.as_f64().map(Value::Number).unwrap_or(Value::Null)
}

/// A JSON bool member as a Terraform bool with a default for absent members.
pub fn json_bool(v: &Json, default: bool) -> Value {
    Value::Bool(v.as_bool().unwrap_or(default))
}

/// Strings of a JSON array; empty for anything else.
pub fn json_strings(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A configured (non-empty) string argument.
pub fn arg<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.attr(name).str_opt().filter(|s| !s.is_empty())
}

/// Tags from a list of `{KEY: k, VALUE: v}` objects (IAM, Organizations: Key/Value; KMS:
/// TagKey/TagValue).
pub fn tags_from_list(list: &Json, key: &str, value: &str) -> BTreeMap<String, String> {
    list.as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| {
                    Some((
                        t[key].as_str()?.to_string(),
                        t[value].as_str().unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Tags as a list of `{KEY: k, VALUE: v}` objects.
pub fn tags_to_list(tags: &BTreeMap<String, String>, key: &str, value: &str) -> Json {
    Json::Array(
        tags.iter()
            .map(|(k, v)| {
                let mut o = serde_json::Map::new();
                o.insert(key.to_string(), json!(k));
                o.insert(value.to_string(), json!(v));
                Json::Object(o)
            })
            .collect(),
    )
}

/// `tags` and `tags_all` from every tag on the object: `tags` leaves out the tags that only
/// come from the provider's default_tags (a key also configured on the resource stays).
pub fn tag_values(
    all: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, String>,
    configured: &Value,
) -> (Value, Value) {
    let configured = configured.string_map();
    let own: BTreeMap<String, String> = all
        .iter()
        .filter(|(k, v)| configured.contains_key(*k) || defaults.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let tags = if own.is_empty() {
        Value::Null
    } else {
        string_map(&own)
    };
    (tags, string_map(all))
}

/// The tag keys to remove and the tags to add or change between two `tags_all` values.
pub fn tag_diff(prior: &Value, planned: &Value) -> (Vec<String>, BTreeMap<String, String>) {
    let old = prior.attr("tags_all").string_map();
    let new = planned.attr("tags_all").string_map();
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let changed = new
        .into_iter()
        .filter(|(k, v)| old.get(k) != Some(v))
        .collect();
    (removed, changed)
}

/// Length of the suffix `create.Name` appends to a `name_prefix`: an 18-digit UTC
/// timestamp (to 1/10000 s) and an 8-hex-digit counter.
pub const UNIQUE_ID_SUFFIX_LENGTH: usize = 26;

static UNIQUE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// `create.Name`: the name if set, else the prefix (default "terraform-") plus a unique
/// suffix in the format of terraform-plugin-sdk's `id.PrefixedUniqueId`.
pub fn generated_name(name: Option<&str>, prefix: Option<&str>) -> String {
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        return name.to_string();
    }
    let prefix = prefix.filter(|p| !p.is_empty()).unwrap_or("terraform-");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let stamp = timestamp_digits(now.as_secs(), now.subsec_nanos() / 100_000);
    let counter = UNIQUE_COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
    format!("{prefix}{stamp}{:08x}", counter & 0xffff_ffff)
}

/// `create.NamePrefixFromName`: the prefix of a generated name, else null.
pub fn name_prefix_from_name(name: &str) -> Value {
    if name.len() <= UNIQUE_ID_SUFFIX_LENGTH || !name.is_char_boundary(name.len() - 26) {
        return Value::Null;
    }
    let (prefix, suffix) = name.split_at(name.len() - UNIQUE_ID_SUFFIX_LENGTH);
    let (digits, hex) = suffix.split_at(18);
    let looks_generated = digits.bytes().all(|b| b.is_ascii_digit())
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if looks_generated {
        Value::String(prefix.to_string())
    } else {
        Value::Null
    }
}

/// `YYYYMMDDhhmmssffff` for epoch seconds and ten-thousandths.
fn timestamp_digits(secs: u64, ten_thousandths: u32) -> String {
    let (y, mo, d, h, mi, s) = civil(secs as i64);
    format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}{ten_thousandths:04}")
}

/// Epoch seconds (as AWS JSON timestamps carry them) in RFC 3339, UTC, as Go formats
/// `time.RFC3339` (`2006-01-02T15:04:05Z`).
pub fn rfc3339(epoch_seconds: f64) -> String {
    let (y, mo, d, h, mi, s) = civil(epoch_seconds.floor() as i64);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// An AWS timestamp member (epoch seconds, or an ISO string passed through) as RFC 3339.
pub fn json_time(v: &Json) -> Value {
    match v {
        Json::Number(n) => n
            .as_f64()
            .map(|f| Value::String(rfc3339(f)))
            .unwrap_or(Value::Null),
        Json::String(s) if !s.is_empty() => Value::String(s.clone()),
        _ => Value::Null,
    }
}

/// Calendar date and time of epoch seconds (proleptic Gregorian, UTC).
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        ((rem % 3600) / 60) as u32,
        (rem % 60) as u32,
    )
}

/// The account ID of an ARN (`arn:aws:SERVICE:REGION:ACCOUNT:...`).
pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// Reads back after a create or update; an object gone at that point is an error.
pub fn after_write(
    read: Result<Option<Value>, crate::diagnostics::Diags>,
    what: &str,
) -> Result<Value, (Option<Value>, crate::diagnostics::Diags)> {
    match read {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err((
            None,
            vec![crate::diagnostics::Diag::error(format!(
                "reading {what}: not found after write"
            ))],
        )),
        Err(d) => Err((None, d)),
    }
}

/// Turns an AWS error into the `(state so far, diagnostics)` pair create/update return.
pub fn fail(
    state: Option<Value>,
) -> impl FnOnce(crate::diagnostics::Diag) -> (Option<Value>, crate::diagnostics::Diags) {
    move |d| (state, vec![d])
}

/// How long a call that failed only because a resource Terraform is creating in parallel
/// is not there yet (an IAM role policy, say) is retried: hashicorp/aws's
/// `propagationTimeout`, two minutes. `CTSIM_PROPAGATION_TIMEOUT` (seconds) shortens it, for
/// configurations known to fail (docs/behaviour-notes.md).
pub fn propagation_timeout() -> std::time::Duration {
    std::env::var("CTSIM_PROPAGATION_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(std::time::Duration::from_secs)
        .unwrap_or(std::time::Duration::from_secs(120))
}

/// Runs `call` again while it fails with an error `retryable` accepts, for at most
/// [`propagation_timeout`] (hashicorp/aws `tfresource.RetryWhen`).
pub fn retry_when<T>(
    retryable: impl Fn(&ctsim::AwsError) -> bool,
    mut call: impl FnMut() -> Result<T, ctsim::AwsError>,
) -> Result<T, ctsim::AwsError> {
    let deadline = std::time::Instant::now() + propagation_timeout();
    let mut pause = std::time::Duration::from_millis(50);
    loop {
        match call() {
            Err(e) if retryable(&e) && std::time::Instant::now() + pause < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(500));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    #[test]
    fn rfc3339_formats_like_go() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000.5), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400.0), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn generated_names_carry_the_prefix_and_a_26_character_suffix() {
        let a = generated_name(None, Some("trail-"));
        let b = generated_name(None, Some("trail-"));
        assert_ne!(a, b);
        assert_eq!(a.len(), "trail-".len() + UNIQUE_ID_SUFFIX_LENGTH);
        assert_eq!(name_prefix_from_name(&a), Value::String("trail-".into()));
        assert!(generated_name(None, None).starts_with("terraform-"));
        assert_eq!(generated_name(Some("fixed"), Some("p-")), "fixed");
        assert_eq!(name_prefix_from_name("fixed"), Value::Null);
        assert_eq!(
            name_prefix_from_name("a-name-that-is-long-but-not-generated"),
            Value::Null
        );
    }

    #[test]
    fn default_tags_stay_out_of_tags() {
        let all = BTreeMap::from([
            ("env".to_string(), "dev".to_string()),
            ("team".to_string(), "sec".to_string()),
        ]);
        let defaults = BTreeMap::from([("env".to_string(), "dev".to_string())]);
        let (tags, tags_all) = tag_values(&all, &defaults, &Value::Null);
        assert_eq!(
            tags,
            string_map(&BTreeMap::from([("team".to_string(), "sec".to_string())]))
        );
        assert_eq!(tags_all, string_map(&all));
    }

    #[test]
    fn tag_diff_finds_removed_and_changed_keys() {
        let prior = object([(
            "tags_all",
            string_map(&BTreeMap::from([
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "2".to_string()),
            ])),
        )]);
        let planned = object([(
            "tags_all",
            string_map(&BTreeMap::from([
                ("b".to_string(), "3".to_string()),
                ("c".to_string(), "4".to_string()),
            ])),
        )]);
        let (removed, changed) = tag_diff(&prior, &planned);
        assert_eq!(removed, vec!["a".to_string()]);
        assert_eq!(changed.len(), 2);
    }
}
