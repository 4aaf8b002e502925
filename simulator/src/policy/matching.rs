//! Wildcard, ARN and policy-variable matching shared by Action, Resource and Condition.
//!
//! Patterns are compiled to tokens so that a policy variable such as `${*}` can yield a
//! literal `*` that is not a wildcard (IAM treats substituted text literally).

use super::eval::Context;

/// One compiled pattern element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(char),
    /// `*`: any run of characters, possibly empty.
    Star,
    /// `?`: exactly one character.
    One,
}

/// Compiles `pattern` with `*` and `?` as wildcards. When `vars` is given (policy Version
/// 2012-10-17), `${...}` policy variables are substituted first; `None` means a variable
/// could not be resolved, and IAM then treats the element as not matching.
pub(crate) fn compile(pattern: &str, vars: Option<&Context>) -> Option<Vec<Tok>> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while !rest.is_empty() {
        if let (Some(ctx), Some(after)) = (vars, rest.strip_prefix("${"))
            && let Some(end) = after.find('}')
        {
            let value = resolve_variable(&after[..end], ctx)?;
            out.extend(value.chars().map(Tok::Lit));
            rest = &after[end + 1..];
            continue;
        }
        let mut chars = rest.chars();
        // `rest` is non-empty, so there is a first char.
        let c = chars.next().unwrap_or_default();
        out.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
        rest = chars.as_str();
    }
    Some(out)
}

/// Substitutes policy variables into `text` without treating wildcards specially (for the
/// exact-match condition operators). `None` when a variable cannot be resolved.
pub(crate) fn substitute(text: &str, vars: Option<&Context>) -> Option<String> {
    let Some(ctx) = vars else {
        return Some(text.to_string());
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.push_str(&rest[..start]);
        out.push_str(&resolve_variable(&after[..end], ctx)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// `${*}`, `${?}` and `${$}` are the literal characters; `${key}` is the single value of a
/// context key; `${key, 'default'}` falls back to the default when the key is absent.
fn resolve_variable(body: &str, ctx: &Context) -> Option<String> {
    match body {
        "*" | "?" | "$" => return Some(body.to_string()),
        _ => {}
    }
    let (key, default) = match body.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let default = default
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .unwrap_or(default);
            (key.trim(), Some(default))
        }
        None => (body.trim(), None),
    };
    match ctx.get(key) {
        Some([single]) => Some(single.clone()),
        // Multivalued keys cannot be used as variables.
        Some(values) if values.len() > 1 => None,
        _ => default.map(str::to_string),
    }
}

/// Glob match of compiled tokens against `value`.
pub(crate) fn glob(pattern: &[Tok], value: &str, ignore_case: bool) -> bool {
    let value: Vec<char> = value.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            a == b || a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    let (mut p, mut v) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while v < value.len() {
        match pattern.get(p) {
            Some(Tok::Star) => {
                backtrack = Some((p, v));
                p += 1;
                continue;
            }
            Some(Tok::One) => {
                p += 1;
                v += 1;
                continue;
            }
            Some(Tok::Lit(c)) if eq(*c, value[v]) => {
                p += 1;
                v += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((star_p, star_v)) => {
                p = star_p + 1;
                v = star_v + 1;
                backtrack = Some((star_p, star_v + 1));
            }
            None => return false,
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|t| *t == Tok::Star)
}

/// Wildcard match of a plain pattern string (no policy variables).
pub(crate) fn wildcard_match(pattern: &str, value: &str, ignore_case: bool) -> bool {
    // Without variables, compile never fails.
    compile(pattern, None).is_some_and(|p| glob(&p, value, ignore_case))
}

/// Action match: case-insensitive in both the service prefix and the action name.
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, true)
}

/// ARN match as IAM does it for `Resource` and the `Arn*` operators: when both sides have
/// the six colon-separated parts (`arn:partition:service:region:account:resource`), each
/// part is matched separately (so `*` in the region never swallows the account), the last
/// part keeping any further colons; otherwise the whole strings are globbed. Case-sensitive.
pub(crate) fn arn_matches(pattern: &[Tok], value: &str) -> bool {
    let value_parts: Vec<&str> = value.splitn(6, ':').collect();
    let pattern_parts = split_tokens(pattern, 6);
    if value_parts.len() == 6 && pattern_parts.len() == 6 {
        pattern_parts
            .iter()
            .zip(&value_parts)
            .all(|(p, v)| glob(p, v, false))
    } else {
        glob(pattern, value, false)
    }
}

/// Splits tokens on literal `:` into at most `n` parts.
fn split_tokens(tokens: &[Tok], n: usize) -> Vec<&[Tok]> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if parts.len() + 1 == n {
            break;
        }
        if *t == Tok::Lit(':') {
            parts.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    parts.push(&tokens[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let mut c = Context::default();
        for (k, v) in pairs {
            c.insert(k, *v);
        }
        c
    }

    #[test]
    fn glob_handles_star_question_and_backtracking() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("a*c", "abbbc", false));
        assert!(wildcard_match("a*b*c", "axxbyyc", false));
        assert!(wildcard_match("a?c", "abc", false));
        assert!(!wildcard_match("a?c", "ac", false));
        assert!(!wildcard_match("a*c", "abcd", false));
        assert!(wildcard_match("*ab", "aab", false));
        assert!(!wildcard_match("ABC", "abc", false));
        assert!(wildcard_match("ABC", "abc", true));
    }

    #[test]
    fn actions_are_case_insensitive() {
        assert!(action_matches("S3:putobject", "s3:PutObject"));
        assert!(action_matches(
            "kms:GenerateDataKey*",
            "kms:GenerateDataKeyWithoutPlaintext"
        ));
        assert!(action_matches("logs:Put*Events", "logs:PutLogEvents"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
    }

    #[test]
    fn arn_segments_are_matched_separately() {
        let p = compile("arn:aws:cloudtrail:*:123456789012:trail/*", None).unwrap();
        assert!(arn_matches(
            &p,
            "arn:aws:cloudtrail:us-east-1:123456789012:trail/t"
        ));
        assert!(!arn_matches(
            &p,
            "arn:aws:cloudtrail:us-east-1:999999999999:trail/t"
        ));
        // A `*` in the region part cannot absorb the account part.
        let p = compile("arn:aws:logs:*:log-group:x", None).unwrap();
        assert!(!arn_matches(&p, "arn:aws:logs:us-east-1:1:log-group:x"));
        // The resource part keeps its colons and `*` crosses them.
        let p = compile("arn:aws:logs:us-east-1:1:log-group:g:*", None).unwrap();
        assert!(arn_matches(
            &p,
            "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"
        ));
        let p = compile("*", None).unwrap();
        assert!(arn_matches(&p, "arn:aws:s3:::b"));
        let p = compile("arn:aws:s3:::B", None).unwrap();
        assert!(!arn_matches(&p, "arn:aws:s3:::b"));
    }

    #[test]
    fn variables_substitute_literally() {
        let c = ctx(&[("aws:username", "al*ce")]);
        let p = compile("arn:aws:iam::1:user/${aws:username}", Some(&c)).unwrap();
        assert!(arn_matches(&p, "arn:aws:iam::1:user/al*ce"));
        assert!(!arn_matches(&p, "arn:aws:iam::1:user/alXXce"));
        let p = compile("a${*}b", Some(&c)).unwrap();
        assert!(glob(&p, "a*b", false));
        assert!(!glob(&p, "axb", false));
        assert!(compile("${aws:missing}", Some(&c)).is_none());
        assert_eq!(
            substitute("x-${aws:missing, 'dflt'}", Some(&c)).as_deref(),
            Some("x-dflt")
        );
        // Without variables (Version 2008-10-17) the text is literal.
        assert_eq!(
            substitute("${aws:username}", None).as_deref(),
            Some("${aws:username}")
        );
    }
}
