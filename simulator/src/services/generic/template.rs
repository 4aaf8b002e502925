//! The value templates of the type tables: `vpc-{hex17}`,
//! `arn:{partition}:ec2:{region}:{account}:vpc/{id}`, `{attr:name}`. Random-looking parts
//! are derived (SHA-256) from the object's seed (state seed, type, per-type counter), the
//! placeholder and the text just before it (back to a `/` or `:`): within one object,
//! `config-rule-{alnum6}` is the same in the ARN and in `rule_id`, while `vpc-{hex17}` and
//! `sg-{hex17}` differ. The same inputs give the same values.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// What a template can name.
pub struct Scope<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub partition: &'a str,
    pub id: Option<&'a str>,
    pub config: &'a Value,
    /// Seed of the derived parts: state seed, type and counter.
    pub seed: String,
}

impl Scope<'_> {
    /// Renders a template. Unknown placeholders are kept as written, so a typo shows.
    pub fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = &rest[open + 1..open + close];
            let lead = out
                .rsplit(['/', ':'])
                .next()
                .unwrap_or_default()
                .to_string();
            match self.placeholder(name, &lead) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[open..=open + close]),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn placeholder(&self, name: &str, lead: &str) -> Option<String> {
        let part = format!("{lead}{{{name}}}");
        let digits = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|n| n.parse::<usize>().ok())
        };
        Some(match name {
            "account" => self.account.to_string(),
            "region" => self.region.to_string(),
            "partition" => self.partition.to_string(),
            "dns_suffix" => dns_suffix(self.region).to_string(),
            "id" => self.id?.to_string(),
            "uuid" => crate::ids::uuid_from(&self.seed, &part, 0),
            // `{attr:NAME|fallback}`: the fallback when the attribute is unset (the default
            // hashicorp/aws gives it, e.g. an IAM path of "/").
            _ if name.starts_with("attr:") => {
                let (attr, fallback) = name[5..].split_once('|').unwrap_or((&name[5..], ""));
                match text_of(&self.config[attr]) {
                    t if t.is_empty() => fallback.to_string(),
                    t => t,
                }
            }
            _ => {
                if let Some(n) = digits("hex") {
                    self.stream(&part, n, b"0123456789abcdef")
                } else if let Some(n) = digits("digits") {
                    self.stream(&part, n, b"0123456789")
                } else if let Some(n) = digits("alnum") {
                    self.stream(&part, n, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                } else {
                    return None;
                }
            }
        })
    }

    fn stream(&self, part: &str, len: usize, alphabet: &[u8]) -> String {
        let mut out = String::with_capacity(len);
        let mut round = 0u32;
        while out.len() < len {
            let d = Sha256::new()
                .chain_update(self.seed.as_bytes())
                .chain_update(part.as_bytes())
                .chain_update(round.to_be_bytes())
                .finalize();
            for b in d.iter() {
                if out.len() == len {
                    break;
                }
                out.push(alphabet[(*b as usize) % alphabet.len()] as char);
            }
            round += 1;
        }
        out
    }
}

/// An attribute as template text; a list or set is its sorted items joined by "-"
/// (hashicorp/aws's composite ids of several values).
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => {
            let mut parts: Vec<String> = items.iter().map(text_of).collect();
            parts.sort();
            parts.join("-")
        }
        _ => String::new(),
    }
}

pub use crate::services::cloudtrail::names::partition_for as partition_of;

pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope(config: &Value) -> Scope<'_> {
        Scope {
            account: "123456789012",
            region: "eu-west-1",
            partition: "aws",
            id: Some("vpc-0abc"),
            config,
            seed: "seed:aws_vpc:1".into(),
        }
    }

    #[test]
    fn placeholders_render_and_derived_parts_are_stable() {
        let config = json!({"name": "tbl"});
        let s = scope(&config);
        let arn = s.render("arn:{partition}:ec2:{region}:{account}:vpc/{id}");
        assert_eq!(arn, "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc");
        let id = s.render("vpc-{hex17}");
        assert_eq!(id.len(), 21);
        assert!(id[4..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, scope(&config).render("vpc-{hex17}"));
        assert_eq!(s.render("{attr:name}.{dns_suffix}"), "tbl.amazonaws.com");
        assert_eq!(s.render("{nope}"), "{nope}");
        assert_eq!(s.render("user{attr:path|/}{attr:name}"), "user/tbl");
        let arn = s.render("arn:aws:config:x:1:config-rule/config-rule-{alnum6}");
        assert!(arn.ends_with(&s.render("config-rule-{alnum6}")));
        assert_ne!(s.render("vpc-{hex17}")[4..], s.render("sg-{hex17}")[3..]);
    }
}
