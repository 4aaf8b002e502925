//! EventBridge event patterns: the JSON language of `PutRule`'s `EventPattern` and of
//! `TestEventPattern`.
//!
//! A pattern is compiled once, rejecting what EventBridge rejects with the reason text its
//! `InvalidEventPatternException` carries, and is then matched against any number of events
//! without allocating (except where an event spells a path with a dotted key, below). Where
//! the EventBridge user guide is silent, the behaviour follows AWS's open-source Event Ruler,
//! the engine whose messages EventBridge returns (notes in docs/behaviour-notes.md).
//!
//! As the guide says, EventBridge joins nested field names with `.`: a pattern key
//! `"state.status"` is the field `status` inside `state`, and an event key `"state.status"`
//! is reached by the nested pattern `{"state": {"status": [...]}}`. Patterns are expanded to
//! nested form when compiled; an event's dotted keys are read as nested objects when a
//! nested pattern looks for them.

use std::fmt;
use std::net::IpAddr;

use serde_json::{Map, Number, Value};

/// EventBridge's default "Event pattern size" quota, in characters.
pub const DEFAULT_MAX_PATTERN_CHARS: usize = 2048;

/// The largest `EventPattern` the API accepts once the size quota has been raised.
pub const MAX_PATTERN_CHARS_RAISED: usize = 4096;

/// How deeply objects and match expressions may nest. AWS documents no such limit (the size
/// quota bounds it); this guard keeps compilation off the stack's edge for patterns built
/// in code and gives a clear reason instead of a JSON parser's recursion error.
pub const MAX_NESTING_DEPTH: usize = 100;

/// How deeply arrays nested in an event are looked through; deeper values count as absent so
/// that a hand-built, pathologically deep event cannot exhaust the stack.
const MAX_EVENT_ARRAY_DEPTH: usize = 256;

const OR_KEY: &str = "$or";

/// Operator names that may not be used as field names inside `$or`, as Event Ruler reserves
/// them (including names kept for future operators).
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Why a pattern was rejected; `message()` is the text of EventBridge's
/// `InvalidEventPatternException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    reason: String,
}

impl PatternError {
    /// The AWS error code callers should answer with.
    pub const ERROR_CODE: &'static str = "InvalidEventPatternException";

    fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }

    /// The reason alone, without the "Event pattern is not valid" preamble.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The exception message as EventBridge words it.
    pub fn message(&self) -> String {
        format!("Event pattern is not valid. Reason: {}", self.reason)
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PatternError {}

/// A compiled event pattern.
#[derive(Debug, Clone)]
pub struct EventPattern {
    root: ObjectPattern,
    uses_wildcard: bool,
}

impl EventPattern {
    /// Compiles pattern text under the default size quota.
    pub fn compile(json_text: &str) -> Result<Self, PatternError> {
        Self::compile_with_max_chars(json_text, DEFAULT_MAX_PATTERN_CHARS)
    }

    /// Compiles pattern text under a raised size quota (at most
    /// [`MAX_PATTERN_CHARS_RAISED`] in AWS).
    pub fn compile_with_max_chars(json_text: &str, max_chars: usize) -> Result<Self, PatternError> {
        let chars = json_text.chars().count();
        if chars > max_chars {
            return Err(PatternError::new(format!(
                "Event pattern is {chars} characters long, more than the maximum of {max_chars}"
            )));
        }
        if json_text.trim().is_empty() {
            return Err(PatternError::new("Filter is not an object"));
        }
        let value: Value =
            serde_json::from_str(json_text).map_err(|e| PatternError::new(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Compiles an already-parsed pattern. The size quota is not checked here: it is a
    /// property of the text, which the caller holds.
    pub fn from_value(value: &Value) -> Result<Self, PatternError> {
        let Value::Object(map) = value else {
            return Err(PatternError::new("Filter is not an object"));
        };
        let mut cx = Compiler::default();
        let root = cx.object(map, false, 1)?;
        Ok(Self {
            root,
            uses_wildcard: cx.uses_wildcard,
        })
    }

    /// Whether the event matches. Anything that is not a JSON object matches as an empty
    /// event would.
    pub fn matches(&self, event: &Value) -> bool {
        self.root.matches(event.as_object())
    }

    /// Whether the pattern uses `wildcard` (plain or under `anything-but`), which EventBridge
    /// counts against its per-bus quota of rules with wildcards.
    pub fn uses_wildcard(&self) -> bool {
        self.uses_wildcard
    }
}

/// Fields ANDed together, plus an optional `$or` whose alternatives apply to the same object.
#[derive(Debug, Clone)]
struct ObjectPattern {
    fields: Vec<(String, FieldPattern)>,
    any_of: Option<Vec<ObjectPattern>>,
    /// Whether a match needs some value to be present under this object (anything but
    /// `exists: false`). Decides how an event array here is read: see `matches_nested`.
    anchored: bool,
}

#[derive(Debug, Clone)]
enum FieldPattern {
    Object(ObjectPattern),
    Leaf(Leaf),
}

/// The array at a leaf: its matchers are ORed.
#[derive(Debug, Clone)]
struct Leaf {
    matchers: Vec<Matcher>,
    positive: bool,
}

#[derive(Debug, Clone)]
enum Matcher {
    ExactString {
        text: String,
        ip: Option<IpAddr>,
    },
    ExactNumber(Number),
    ExactBool(bool),
    ExactNull,
    Prefix(String),
    /// Lower-cased at compile time.
    PrefixIgnoreCase(String),
    Suffix(String),
    /// Lower-cased at compile time.
    SuffixIgnoreCase(String),
    /// Lower-cased at compile time.
    EqualsIgnoreCase(String),
    Wildcard(Wildcard),
    AnythingBut(AnythingBut),
    Numeric(NumericRange),
    Exists(bool),
    Cidr(Cidr),
}

#[derive(Debug, Clone)]
enum AnythingBut {
    Strings(Vec<String>),
    Numbers(Vec<Number>),
    Prefixes(Vec<String>),
    Suffixes(Vec<String>),
    /// Lower-cased at compile time.
    IgnoreCase(Vec<String>),
    Wildcards(Vec<Wildcard>),
}

/// A `*`-only glob, kept as the literal runs between the stars (escapes already resolved).
#[derive(Debug, Clone)]
struct Wildcard {
    segments: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
struct Bound {
    value: f64,
    inclusive: bool,
}

#[derive(Debug, Clone, Copy)]
struct NumericRange {
    lower: Option<Bound>,
    upper: Option<Bound>,
}

#[derive(Debug, Clone, Copy)]
struct Cidr {
    network: IpAddr,
    prefix_len: u8,
}

#[derive(Default)]
struct Compiler {
    uses_wildcard: bool,
}

fn err<T>(reason: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError::new(reason))
}

/// The token text Event Ruler quotes in its messages: a string without its quotes.
fn token_text(v: Option<&Value>) -> String {
    match v {
        None => "]".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn check_depth(depth: usize) -> Result<(), PatternError> {
    if depth > MAX_NESTING_DEPTH {
        return err(format!(
            "Event pattern nests more than {MAX_NESTING_DEPTH} levels deep"
        ));
    }
    Ok(())
}

fn lowercase(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

impl Compiler {
    fn object(
        &mut self,
        map: &Map<String, Value>,
        in_or: bool,
        depth: usize,
    ) -> Result<ObjectPattern, PatternError> {
        check_depth(depth)?;
        if map.is_empty() {
            return err("Empty objects are not allowed");
        }
        let expanded;
        let map = if map.keys().any(|k| k.contains('.')) {
            expanded = expand_dotted_keys(map);
            &expanded
        } else {
            map
        };
        let mut fields = Vec::with_capacity(map.len());
        let mut any_of = None;
        for (key, value) in map {
            if key == OR_KEY {
                any_of = Some(self.or(value, depth)?);
                continue;
            }
            if in_or && RESERVED_IN_OR.contains(&key.as_str()) {
                return err(format!(
                    "{key} is Ruler reserved fieldName which cannot be used inside {OR_KEY}."
                ));
            }
            let field = match value {
                Value::Object(inner) => {
                    FieldPattern::Object(self.object(inner, in_or, depth + 1)?)
                }
                Value::Array(values) => FieldPattern::Leaf(self.leaf(values, depth + 1)?),
                _ => return err(format!("\"{key}\" must be an object or an array")),
            };
            fields.push((key.clone(), field));
        }
        let anchored = fields.iter().any(|(_, f)| match f {
            FieldPattern::Object(o) => o.anchored,
            FieldPattern::Leaf(l) => l.positive,
        }) || any_of
            .as_ref()
            .is_some_and(|alts: &Vec<ObjectPattern>| alts.iter().all(|a| a.anchored));
        Ok(ObjectPattern {
            fields,
            any_of,
            anchored,
        })
    }

    fn or(&mut self, value: &Value, depth: usize) -> Result<Vec<ObjectPattern>, PatternError> {
        let Value::Array(items) = value else {
            return err(format!("It must be an Array followed with {OR_KEY}."));
        };
        let mut alternatives = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(map) = item else {
                return err(format!(
                    "Only JSON object is allowed in array of {OR_KEY} relationship."
                ));
            };
            alternatives.push(self.object(map, true, depth + 1)?);
        }
        if alternatives.len() < 2 {
            return err(format!(
                "There must have at least 2 Objects in {OR_KEY} relationship."
            ));
        }
        Ok(alternatives)
    }

    fn leaf(&mut self, values: &[Value], depth: usize) -> Result<Leaf, PatternError> {
        check_depth(depth)?;
        if values.is_empty() {
            return err("Empty arrays are not allowed");
        }
        let mut matchers = Vec::with_capacity(values.len());
        for v in values {
            matchers.push(match v {
                Value::Object(expr) => self.match_expression(expr, depth + 1)?,
                Value::String(s) => Matcher::ExactString {
                    text: s.clone(),
                    ip: s.parse().ok(),
                },
                Value::Number(n) => Matcher::ExactNumber(n.clone()),
                Value::Bool(b) => Matcher::ExactBool(*b),
                Value::Null => Matcher::ExactNull,
                Value::Array(_) => {
                    return err("Match value must be String, number, true, false, or null");
                }
            });
        }
        let positive = matchers
            .iter()
            .any(|m| !matches!(m, Matcher::Exists(false)));
        Ok(Leaf { matchers, positive })
    }

    fn match_expression(
        &mut self,
        expr: &Map<String, Value>,
        depth: usize,
    ) -> Result<Matcher, PatternError> {
        check_depth(depth)?;
        let Some((name, value)) = expr.iter().next() else {
            return err("Match expression name not found");
        };
        let extra_keys = expr.len() > 1;
        let matcher = match name.as_str() {
            "exactly" => {
                let Value::String(s) = value else {
                    return err("exact match pattern must be a string");
                };
                Matcher::ExactString {
                    text: s.clone(),
                    ip: None,
                }
            }
            "prefix" | "suffix" => {
                let is_prefix = name == "prefix";
                match value {
                    Value::String(s) if is_prefix => Matcher::Prefix(s.clone()),
                    Value::String(s) => Matcher::Suffix(s.clone()),
                    Value::Object(inner) => {
                        let folded = ignore_case_operand(inner, is_prefix)?;
                        if is_prefix {
                            Matcher::PrefixIgnoreCase(folded)
                        } else {
                            Matcher::SuffixIgnoreCase(folded)
                        }
                    }
                    _ => return err(format!("{name} match pattern must be a string")),
                }
            }
            "equals-ignore-case" => {
                let Value::String(s) = value else {
                    return err("equals-ignore-case match pattern must be a string");
                };
                Matcher::EqualsIgnoreCase(lowercase(s))
            }
            "wildcard" => {
                let Value::String(s) = value else {
                    return err("wildcard match pattern must be a string");
                };
                self.uses_wildcard = true;
                Matcher::Wildcard(Wildcard::parse(s)?)
            }
            "numeric" => {
                let Value::Array(terms) = value else {
                    return err("Value of numeric must be an array.");
                };
                let range = numeric_range(terms)?;
                if extra_keys {
                    return err("Too many elements in numeric expression");
                }
                Matcher::Numeric(range)
            }
            "anything-but" => {
                let anything_but = self.anything_but(value)?;
                if extra_keys {
                    return err("Too many elements in numeric expression");
                }
                Matcher::AnythingBut(anything_but)
            }
            "exists" => {
                let Value::Bool(b) = value else {
                    return err("exists match pattern must be either true or false.");
                };
                Matcher::Exists(*b)
            }
            "cidr" => {
                // Event Ruler's wording for a non-string CIDR, which EventBridge passes on.
                let Value::String(s) = value else {
                    return err("prefix match pattern must be a string");
                };
                Matcher::Cidr(Cidr::parse(s)?)
            }
            other => return err(format!("Unrecognized match type {other}")),
        };
        if extra_keys {
            return err("Only one key allowed in match expression");
        }
        Ok(matcher)
    }

    fn anything_but(&mut self, value: &Value) -> Result<AnythingBut, PatternError> {
        const BAD_VALUE: &str =
            "Value of anything-but must be an array or single string/number value.";
        match value {
            Value::String(s) => Ok(AnythingBut::Strings(vec![s.clone()])),
            Value::Number(n) => Ok(AnythingBut::Numbers(vec![n.clone()])),
            Value::Array(items) => {
                let mut strings = Vec::new();
                let mut numbers = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => strings.push(s.clone()),
                        Value::Number(n) => numbers.push(n.clone()),
                        _ => {
                            return err(
                                "Inside anything but list, start|null|boolean is not supported.",
                            );
                        }
                    }
                }
                match (strings.is_empty(), numbers.is_empty()) {
                    (false, true) => Ok(AnythingBut::Strings(strings)),
                    (true, false) => Ok(AnythingBut::Numbers(numbers)),
                    _ => err(
                        "Inside anything but list, either all values are number or string, \
                         mixed type is not supported",
                    ),
                }
            }
            Value::Object(inner) => {
                let Some((op, operand)) = inner.iter().next() else {
                    return err("Anything-But expression name not found");
                };
                let not_a_string = match op.as_str() {
                    "equals-ignore-case" => {
                        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
                    }
                    "prefix" | "suffix" => "prefix/suffix match pattern must be a string",
                    "wildcard" => "wildcard match pattern must be a string",
                    other => return err(format!("Unsupported anything-but pattern: {other}")),
                };
                let operands: Vec<&String> = match operand {
                    Value::String(s) => vec![s],
                    Value::Array(items) => {
                        let mut out = Vec::with_capacity(items.len());
                        for item in items {
                            let Value::String(s) = item else {
                                return err(not_a_string);
                            };
                            out.push(s);
                        }
                        out
                    }
                    Value::Number(_) => return err(not_a_string),
                    _ => return err(BAD_VALUE),
                };
                if inner.len() > 1 {
                    return err("Too many elements in numeric expression");
                }
                let owned = || operands.iter().map(|s| (*s).clone()).collect::<Vec<_>>();
                match op.as_str() {
                    "equals-ignore-case" => Ok(AnythingBut::IgnoreCase(
                        operands.iter().map(|s| lowercase(s)).collect(),
                    )),
                    "prefix" | "suffix" => {
                        if operands.iter().any(|s| s.is_empty()) {
                            return err("Null prefix/suffix not allowed");
                        }
                        Ok(if op == "prefix" {
                            AnythingBut::Prefixes(owned())
                        } else {
                            AnythingBut::Suffixes(owned())
                        })
                    }
                    _ => {
                        self.uses_wildcard = true;
                        let mut globs = Vec::with_capacity(operands.len());
                        for s in &operands {
                            globs.push(Wildcard::parse(s)?);
                        }
                        Ok(AnythingBut::Wildcards(globs))
                    }
                }
            }
            _ => err(BAD_VALUE),
        }
    }
}

/// The pattern object with each dotted key (`"a.b": X`) turned into nesting (`"a": {"b": X}`)
/// and merged with the fields already there, as EventBridge joins names with `.`. Where the
/// same path is given twice the later one wins, as for a repeated key.
fn expand_dotted_keys(map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in map {
        if key == OR_KEY || !key.contains('.') {
            insert_merged(&mut out, key, value.clone());
            continue;
        }
        let mut segments = key.rsplit('.');
        let mut name = segments.next().unwrap_or(key);
        let mut nested = value.clone();
        for outer in segments {
            let mut wrapper = Map::new();
            wrapper.insert(name.to_string(), nested);
            nested = Value::Object(wrapper);
            name = outer;
        }
        insert_merged(&mut out, name, nested);
    }
    out
}

fn insert_merged(out: &mut Map<String, Value>, key: &str, value: Value) {
    if let Value::Object(more) = &value
        && let Some(Value::Object(existing)) = out.get_mut(key)
    {
        for (k, v) in more {
            insert_merged(existing, k, v.clone());
        }
        return;
    }
    out.insert(key.to_string(), value);
}

/// What a nested pattern at `key` sees when `obj` also spells paths below `key` with dotted
/// keys (`"key.rest": v`): the object under `key` with those members added (`"rest": v`).
/// `None` (the common case) when there are no such keys.
fn dotted_view(obj: &Map<String, Value>, key: &str) -> Option<Value> {
    let mut below: Option<Map<String, Value>> = None;
    for (k, v) in obj {
        if let Some(rest) = k.strip_prefix(key).and_then(|r| r.strip_prefix('.')) {
            let members = below.get_or_insert_with(Map::new);
            match members.remove(rest) {
                // The same path written twice: both values are there, as in an array.
                Some(earlier) => {
                    members.insert(rest.to_string(), Value::Array(vec![earlier, v.clone()]))
                }
                None => members.insert(rest.to_string(), v.clone()),
            };
        }
    }
    let below = below?;
    Some(match obj.get(key) {
        Some(Value::Object(own)) => {
            let mut merged = own.clone();
            for (k, v) in below {
                let combined = match merged.remove(&k) {
                    Some(earlier) => Value::Array(vec![earlier, v]),
                    None => v,
                };
                merged.insert(k, combined);
            }
            Value::Object(merged)
        }
        Some(Value::Array(items)) => {
            let mut all = items.clone();
            all.push(Value::Object(below));
            Value::Array(all)
        }
        _ => Value::Object(below),
    })
}

/// The operand of `{"prefix": {"equals-ignore-case": ...}}` (or `suffix`), lower-cased.
fn ignore_case_operand(
    inner: &Map<String, Value>,
    is_prefix: bool,
) -> Result<String, PatternError> {
    let (title, lower) = if is_prefix {
        ("Prefix", "prefix")
    } else {
        ("Suffix", "suffix")
    };
    let Some((op, operand)) = inner.iter().next() else {
        return err(format!("{title} expression name not found"));
    };
    if op != "equals-ignore-case" {
        return err(format!("Unsupported {lower} pattern: {op}"));
    }
    let Value::String(s) = operand else {
        return err("equals-ignore-case match pattern must be a string");
    };
    if inner.len() > 1 {
        return err("Only one key allowed in match expression");
    }
    Ok(lowercase(s))
}

fn number_of(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    }
}

fn numeric_range(terms: &[Value]) -> Result<NumericRange, PatternError> {
    let Some(Value::String(op)) = terms.first() else {
        return err(format!(
            "Invalid member in numeric match: {}",
            token_text(terms.first())
        ));
    };
    if !matches!(op.as_str(), "=" | "<" | "<=" | ">" | ">=") {
        return err(format!("Unrecognized numeric range operator: {op}"));
    }
    let Some(first) = number_of(terms.get(1)) else {
        let shown = if op == "=" { "equals" } else { op.as_str() };
        return err(format!("Value of {shown} must be numeric"));
    };
    let bound = |inclusive| {
        Some(Bound {
            value: first,
            inclusive,
        })
    };
    match op.as_str() {
        "=" | "<" | "<=" => {
            if terms.len() > 2 {
                return err("Too many elements in numeric expression");
            }
            Ok(match op.as_str() {
                "=" => NumericRange {
                    lower: bound(true),
                    upper: bound(true),
                },
                "<" => NumericRange {
                    lower: None,
                    upper: bound(false),
                },
                _ => NumericRange {
                    lower: None,
                    upper: bound(true),
                },
            })
        }
        ">" | ">=" => {
            let lower = bound(op == ">=");
            if terms.len() == 2 {
                return Ok(NumericRange { lower, upper: None });
            }
            let Some(Value::String(op2)) = terms.get(2) else {
                return err(format!(
                    "Bad value in numeric range: {}",
                    token_text(terms.get(2))
                ));
            };
            if op2 != "<" && op2 != "<=" {
                return err(format!("Bad numeric range operator: {op2}"));
            }
            let Some(top) = number_of(terms.get(3)) else {
                return err(format!("Value of {op2} must be numeric"));
            };
            if terms.len() > 4 {
                return err("Too many terms in numeric range expression");
            }
            if first >= top {
                return err("Bottom must be less than top");
            }
            Ok(NumericRange {
                lower,
                upper: Some(Bound {
                    value: top,
                    inclusive: op2 == "<=",
                }),
            })
        }
        // Unreachable: the operator was checked above.
        other => err(format!("Unrecognized numeric range operator: {other}")),
    }
}

impl Wildcard {
    /// Splits at unescaped `*`; `\*` and `\\` are the only escapes. Positions in messages
    /// count bytes from 1, as Event Ruler's do (it parses the value with its opening quote).
    fn parse(text: &str) -> Result<Self, PatternError> {
        let bytes = text.as_bytes();
        let mut segments = vec![Vec::new()];
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'*' => {
                    if bytes.get(i + 1) == Some(&b'*') {
                        return err(format!("Consecutive wildcard characters at pos {}", i + 1));
                    }
                    segments.push(Vec::new());
                    i += 1;
                }
                b'\\' => match bytes.get(i + 1) {
                    Some(&next @ (b'*' | b'\\')) => {
                        if let Some(last) = segments.last_mut() {
                            last.push(next);
                        }
                        i += 2;
                    }
                    _ => return err(format!("Invalid escape character at pos {}", i + 1)),
                },
                _ => {
                    if let Some(last) = segments.last_mut() {
                        last.push(b);
                    }
                    i += 1;
                }
            }
        }
        Ok(Self { segments })
    }

    fn matches(&self, value: &[u8]) -> bool {
        let (first, rest) = match self.segments.split_first() {
            Some(split) => split,
            None => return value.is_empty(),
        };
        let Some((last, middle)) = rest.split_last() else {
            return value == first.as_slice();
        };
        if value.len() < first.len() + last.len()
            || !value.starts_with(first)
            || !value.ends_with(last)
        {
            return false;
        }
        // Leftmost placement of each middle run is optimal for a `*`-only glob.
        let mut window = &value[first.len()..value.len() - last.len()];
        for seg in middle {
            match find(window, seg) {
                Some(at) => window = &window[at + seg.len()..],
                None => return false,
            }
        }
        true
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

impl Cidr {
    fn parse(text: &str) -> Result<Self, PatternError> {
        let mut parts = text.split('/');
        let (Some(ip), Some(bits), None) = (parts.next(), parts.next(), parts.next()) else {
            return err("Malformed CIDR, one '/' required");
        };
        let Ok(bits) = bits.parse::<i64>() else {
            return err("Malformed CIDR, mask bits must be an integer");
        };
        if bits < 0 {
            return err("Malformed CIDR, mask bits must not be negative");
        }
        let network: IpAddr = match ip.parse() {
            Ok(addr) => addr,
            Err(_)
                if ip
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':') =>
            {
                return err(format!("Invalid IP address: {ip}"));
            }
            Err(_) => return err(format!("Nonstandard IP address: {ip}")),
        };
        // Event Ruler rejects a full-length mask (/32, /128): a single address is written
        // as an exact string instead.
        match network {
            IpAddr::V4(_) if bits > 31 => err("IPv4 mask bits must be < 32"),
            IpAddr::V6(_) if bits > 127 => err("IPv6 mask bits must be < 128"),
            _ => Ok(Self {
                network,
                // Below 128 by the checks above.
                prefix_len: u8::try_from(bits).unwrap_or(0),
            }),
        }
    }

    fn contains(&self, text: &str) -> bool {
        let Ok(addr) = text.parse::<IpAddr>() else {
            return false;
        };
        let keep = |width: u32, a: u128, b: u128| {
            let len = u32::from(self.prefix_len);
            len == 0 || (a >> (width - len)) == (b >> (width - len))
        };
        match (self.network, addr) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                keep(32, u128::from(u32::from(n)), u128::from(u32::from(a)))
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => keep(128, u128::from(n), u128::from(a)),
            _ => false,
        }
    }
}

impl NumericRange {
    fn contains(&self, x: f64) -> bool {
        let above = self.lower.is_none_or(|b| {
            if b.inclusive {
                x >= b.value
            } else {
                x > b.value
            }
        });
        let below = self.upper.is_none_or(|b| {
            if b.inclusive {
                x <= b.value
            } else {
                x < b.value
            }
        });
        above && below
    }
}

/// Numbers compare by value (`300` equals `300.0`); integers compare exactly so that long
/// account-id-like numbers are not conflated by floating point.
fn numbers_equal(a: &Number, b: &Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn starts_with_ignore_case(value: &str, folded_prefix: &str) -> bool {
    let mut event = value.chars().flat_map(char::to_lowercase);
    folded_prefix.chars().all(|p| event.next() == Some(p))
}

fn ends_with_ignore_case(value: &str, folded_suffix: &str) -> bool {
    let mut event = value.chars().rev().flat_map(|c| c.to_lowercase().rev());
    folded_suffix.chars().rev().all(|p| event.next() == Some(p))
}

fn equals_ignore_case(value: &str, folded: &str) -> bool {
    value
        .chars()
        .flat_map(char::to_lowercase)
        .eq(folded.chars())
}

impl AnythingBut {
    /// A present value other than the listed ones matches, whatever its JSON type: Event
    /// Ruler compares the value's JSON text, so `"5"` is not excluded by `5`, and a number is
    /// never excluded by a string-only form.
    fn matches(&self, v: &Value) -> bool {
        match self {
            AnythingBut::Strings(set) => v.as_str().is_none_or(|s| !set.iter().any(|x| x == s)),
            AnythingBut::Numbers(set) => match v {
                Value::Number(n) => !set.iter().any(|x| numbers_equal(x, n)),
                _ => true,
            },
            AnythingBut::Prefixes(set) => v
                .as_str()
                .is_none_or(|s| !set.iter().any(|p| s.starts_with(p.as_str()))),
            AnythingBut::Suffixes(set) => v
                .as_str()
                .is_none_or(|s| !set.iter().any(|p| s.ends_with(p.as_str()))),
            AnythingBut::IgnoreCase(set) => v
                .as_str()
                .is_none_or(|s| !set.iter().any(|x| equals_ignore_case(s, x))),
            AnythingBut::Wildcards(set) => v
                .as_str()
                .is_none_or(|s| !set.iter().any(|w| w.matches(s.as_bytes()))),
        }
    }
}

impl Matcher {
    /// Whether one present, non-container event value satisfies this matcher.
    fn matches_value(&self, v: &Value) -> bool {
        match self {
            Matcher::ExactString { text, ip } => match v {
                Value::String(s) => {
                    s == text
                        || ip.is_some_and(|want| s.parse::<IpAddr>().is_ok_and(|got| got == want))
                }
                _ => false,
            },
            Matcher::ExactNumber(n) => matches!(v, Value::Number(x) if numbers_equal(n, x)),
            Matcher::ExactBool(b) => v.as_bool() == Some(*b),
            Matcher::ExactNull => v.is_null(),
            Matcher::Prefix(p) => v.as_str().is_some_and(|s| s.starts_with(p.as_str())),
            Matcher::PrefixIgnoreCase(p) => {
                v.as_str().is_some_and(|s| starts_with_ignore_case(s, p))
            }
            Matcher::Suffix(p) => v.as_str().is_some_and(|s| s.ends_with(p.as_str())),
            Matcher::SuffixIgnoreCase(p) => v.as_str().is_some_and(|s| ends_with_ignore_case(s, p)),
            Matcher::EqualsIgnoreCase(p) => v.as_str().is_some_and(|s| equals_ignore_case(s, p)),
            Matcher::Wildcard(w) => v.as_str().is_some_and(|s| w.matches(s.as_bytes())),
            Matcher::AnythingBut(a) => a.matches(v),
            Matcher::Numeric(r) => v.as_f64().is_some_and(|x| r.contains(x)),
            Matcher::Exists(present) => *present,
            Matcher::Cidr(c) => v.as_str().is_some_and(|s| c.contains(s)),
        }
    }
}

/// Calls `f` on every non-array value inside `items`, looking through nested arrays; stops
/// (returning true) as soon as `f` does.
fn any_element(items: &[Value], depth: usize, f: &mut dyn FnMut(&Value) -> bool) -> bool {
    if depth > MAX_EVENT_ARRAY_DEPTH {
        return false;
    }
    items.iter().any(|item| match item {
        Value::Array(inner) => any_element(inner, depth + 1, f),
        other => f(other),
    })
}

impl Leaf {
    fn has_exists(&self, present: bool) -> bool {
        self.matchers
            .iter()
            .any(|m| matches!(m, Matcher::Exists(p) if *p == present))
    }

    /// A leaf sees only scalar values: a missing field, an object (not a leaf) and an array
    /// holding no scalars all count as absent, which only `exists: false` accepts.
    fn matches(&self, v: Option<&Value>) -> bool {
        match v {
            None | Some(Value::Object(_)) => self.has_exists(false),
            Some(Value::Array(items)) => {
                let mut any_scalar = false;
                let hit = any_element(items, 0, &mut |e| {
                    if e.is_object() {
                        return false;
                    }
                    any_scalar = true;
                    self.matchers.iter().any(|m| m.matches_value(e))
                });
                hit || (!any_scalar && self.has_exists(false))
            }
            Some(scalar) => self.matchers.iter().any(|m| m.matches_value(scalar)),
        }
    }
}

impl ObjectPattern {
    fn matches(&self, obj: Option<&Map<String, Value>>) -> bool {
        let fields_match = self.fields.iter().all(|(key, field)| {
            let v = obj.and_then(|m| m.get(key));
            match field {
                FieldPattern::Leaf(leaf) => leaf.matches(v),
                FieldPattern::Object(inner) => match obj.and_then(|m| dotted_view(m, key)) {
                    Some(view) => inner.matches_nested(Some(&view)),
                    None => inner.matches_nested(v),
                },
            }
        });
        fields_match
            && self
                .any_of
                .as_ref()
                .is_none_or(|alts| alts.iter().any(|a| a.matches(obj)))
    }

    /// An event array under a nested pattern is read one element at a time, so that fields
    /// matched together come from the same element. A pattern that needs a value present
    /// matches if some element does; one made only of `exists: false` tests matches only if
    /// every element lacks those fields (the field is absent from the whole array).
    fn matches_nested(&self, v: Option<&Value>) -> bool {
        match v {
            Some(Value::Object(m)) => self.matches(Some(m)),
            Some(Value::Array(items)) => {
                let mut seen = false;
                let found = any_element(items, 0, &mut |e| {
                    seen = true;
                    let m = self.matches(e.as_object());
                    if self.anchored { m } else { !m }
                });
                if !seen {
                    self.matches(None)
                } else if self.anchored {
                    found
                } else {
                    !found
                }
            }
            _ => self.matches(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(p: Value) -> EventPattern {
        match EventPattern::compile(&p.to_string()) {
            Ok(compiled) => compiled,
            Err(e) => panic!("{p} should compile: {e}"),
        }
    }

    fn reason(p: &str) -> String {
        match EventPattern::compile(p) {
            Ok(_) => panic!("{p} should be rejected"),
            Err(e) => e.reason().to_string(),
        }
    }

    fn matches(p: Value, event: Value) -> bool {
        compile(p).matches(&event)
    }

    /// An EC2 state-change event shaped like the user guide's examples.
    fn ec2_event() -> Value {
        json!({
            "version": "0",
            "id": "0d7f6a5c-3e0b-4d55-9d0c-1e2f3a4b5c6d",
            "detail-type": "EC2 Instance State-change Notification",
            "source": "aws.ec2",
            "account": "111122223333",
            "time": "2017-12-22T18:43:48Z",
            "region": "us-west-1",
            "resources": ["arn:aws:ec2:us-west-1:111122223333:instance/i-0123456789abcdef0"],
            "detail": {
                "instance-id": "i-0123456789abcdef0",
                "state": "terminated",
                "c-count": 5,
                "d-count": 3,
                "x-limit": 301.8,
                "source-ip": "10.0.0.33"
            }
        })
    }

    // ---- compilation and errors -------------------------------------------------------

    #[test]
    fn errors_read_like_invalid_event_pattern_exception() {
        let e = EventPattern::compile("[]").err();
        let e = e.map(|e| (e.message(), e.to_string()));
        assert_eq!(
            e,
            Some((
                "Event pattern is not valid. Reason: Filter is not an object".to_string(),
                "Event pattern is not valid. Reason: Filter is not an object".to_string()
            ))
        );
        assert_eq!(PatternError::ERROR_CODE, "InvalidEventPatternException");
    }

    #[test]
    fn non_object_and_blank_patterns_are_rejected() {
        assert_eq!(reason("\"aws.ec2\""), "Filter is not an object");
        assert_eq!(reason("   "), "Filter is not an object");
        assert!(!reason("{\"source\": [").is_empty());
    }

    #[test]
    fn empty_objects_are_rejected_at_any_level() {
        assert_eq!(reason("{}"), "Empty objects are not allowed");
        assert_eq!(
            reason(r#"{"source":["aws.health"],"detail":{}}"#),
            "Empty objects are not allowed"
        );
    }

    #[test]
    fn a_leaf_value_must_be_an_array() {
        assert_eq!(
            reason(r#"{"detail":{"pipeline":{"slug":"some-pipeline"}}}"#),
            "\"slug\" must be an object or an array"
        );
        assert_eq!(
            reason(r#"{"source":"aws.ec2"}"#),
            "\"source\" must be an object or an array"
        );
    }

    #[test]
    fn empty_and_nested_arrays_are_rejected() {
        assert_eq!(reason(r#"{"source":[]}"#), "Empty arrays are not allowed");
        assert_eq!(
            reason(r#"{"source":[["aws.ec2"]]}"#),
            "Match value must be String, number, true, false, or null"
        );
    }

    #[test]
    fn unknown_operators_are_rejected() {
        assert_eq!(
            reason(r#"{"source":[{"contains":"ec2"}]}"#),
            "Unrecognized match type contains"
        );
        assert_eq!(
            reason(r#"{"source":[{}]}"#),
            "Match expression name not found"
        );
    }

    #[test]
    fn a_match_expression_has_one_key() {
        assert_eq!(
            reason(r#"{"source":[{"prefix":"aws.","suffix":"ec2"}]}"#),
            "Only one key allowed in match expression"
        );
        assert_eq!(
            reason(r#"{"n":[{"numeric":[">",1],"exists":true}]}"#),
            "Too many elements in numeric expression"
        );
    }

    #[test]
    fn operand_types_are_checked() {
        let cases = [
            (
                r#"{"a":[{"prefix":5}]}"#,
                "prefix match pattern must be a string",
            ),
            (
                r#"{"a":[{"suffix":["x"]}]}"#,
                "suffix match pattern must be a string",
            ),
            (
                r#"{"a":[{"equals-ignore-case":true}]}"#,
                "equals-ignore-case match pattern must be a string",
            ),
            (
                r#"{"a":[{"wildcard":1}]}"#,
                "wildcard match pattern must be a string",
            ),
            (
                r#"{"a":[{"exists":"true"}]}"#,
                "exists match pattern must be either true or false.",
            ),
            (
                r#"{"a":[{"numeric":5}]}"#,
                "Value of numeric must be an array.",
            ),
            (
                r#"{"a":[{"cidr":5}]}"#,
                "prefix match pattern must be a string",
            ),
            (
                r#"{"a":[{"exactly":5}]}"#,
                "exact match pattern must be a string",
            ),
            (
                r#"{"a":[{"prefix":{"contains":"x"}}]}"#,
                "Unsupported prefix pattern: contains",
            ),
            (
                r#"{"a":[{"suffix":{}}]}"#,
                "Suffix expression name not found",
            ),
            (
                r#"{"a":[{"prefix":{"equals-ignore-case":1}}]}"#,
                "equals-ignore-case match pattern must be a string",
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(reason(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn numeric_expressions_are_validated() {
        let cases = [
            (
                r#"{"a":[{"numeric":[]}]}"#,
                "Invalid member in numeric match: ]",
            ),
            (
                r#"{"a":[{"numeric":[5]}]}"#,
                "Invalid member in numeric match: 5",
            ),
            (
                r#"{"a":[{"numeric":["~",5]}]}"#,
                "Unrecognized numeric range operator: ~",
            ),
            (
                r#"{"a":[{"numeric":["=","5"]}]}"#,
                "Value of equals must be numeric",
            ),
            (r#"{"a":[{"numeric":[">"]}]}"#, "Value of > must be numeric"),
            (
                r#"{"a":[{"numeric":["<",1,2]}]}"#,
                "Too many elements in numeric expression",
            ),
            (
                r#"{"a":[{"numeric":[">",0,5]}]}"#,
                "Bad value in numeric range: 5",
            ),
            (
                r#"{"a":[{"numeric":[">",0,">",5]}]}"#,
                "Bad numeric range operator: >",
            ),
            (
                r#"{"a":[{"numeric":[">",0,"<"]}]}"#,
                "Value of < must be numeric",
            ),
            (
                r#"{"a":[{"numeric":[">",0,"<",5,1]}]}"#,
                "Too many terms in numeric range expression",
            ),
            (
                r#"{"a":[{"numeric":[">=",5,"<",5]}]}"#,
                "Bottom must be less than top",
            ),
            (
                r#"{"a":[{"numeric":[">",9,"<=",1]}]}"#,
                "Bottom must be less than top",
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(reason(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn anything_but_operands_are_validated() {
        let cases = [
            (
                r#"{"a":[{"anything-but":true}]}"#,
                "Value of anything-but must be an array or single string/number value.",
            ),
            (
                r#"{"a":[{"anything-but":["x",1]}]}"#,
                "Inside anything but list, either all values are number or string, mixed type is not supported",
            ),
            (
                r#"{"a":[{"anything-but":[]}]}"#,
                "Inside anything but list, either all values are number or string, mixed type is not supported",
            ),
            (
                r#"{"a":[{"anything-but":[null]}]}"#,
                "Inside anything but list, start|null|boolean is not supported.",
            ),
            (
                r#"{"a":[{"anything-but":{"numeric":[">",1]}}]}"#,
                "Unsupported anything-but pattern: numeric",
            ),
            (
                r#"{"a":[{"anything-but":{}}]}"#,
                "Anything-But expression name not found",
            ),
            (
                r#"{"a":[{"anything-but":{"prefix":""}}]}"#,
                "Null prefix/suffix not allowed",
            ),
            (
                r#"{"a":[{"anything-but":{"suffix":[1]}}]}"#,
                "prefix/suffix match pattern must be a string",
            ),
            (
                r#"{"a":[{"anything-but":{"equals-ignore-case":7}}]}"#,
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
            ),
            (
                r#"{"a":[{"anything-but":{"wildcard":[false]}}]}"#,
                "wildcard match pattern must be a string",
            ),
            (
                r#"{"a":[{"anything-but":{"prefix":null}}]}"#,
                "Value of anything-but must be an array or single string/number value.",
            ),
            (
                r#"{"a":[{"anything-but":"x","prefix":"y"}]}"#,
                "Too many elements in numeric expression",
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(reason(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn wildcard_rejects_double_stars_and_stray_escapes() {
        assert_eq!(
            reason(r#"{"a":[{"wildcard":"ab**c"}]}"#),
            "Consecutive wildcard characters at pos 3"
        );
        assert_eq!(
            reason(r#"{"a":[{"wildcard":"a\\b"}]}"#),
            "Invalid escape character at pos 2"
        );
        assert_eq!(
            reason(r#"{"a":[{"wildcard":"trailing\\"}]}"#),
            "Invalid escape character at pos 9"
        );
        assert_eq!(
            reason(r#"{"a":[{"anything-but":{"wildcard":"**"}}]}"#),
            "Consecutive wildcard characters at pos 1"
        );
    }

    #[test]
    fn cidr_operands_are_validated() {
        let cases = [
            (
                r#"{"ip":[{"cidr":"10.0.0.0"}]}"#,
                "Malformed CIDR, one '/' required",
            ),
            (
                r#"{"ip":[{"cidr":"10.0.0.0/8/8"}]}"#,
                "Malformed CIDR, one '/' required",
            ),
            (
                r#"{"ip":[{"cidr":"10.0.0.0/x"}]}"#,
                "Malformed CIDR, mask bits must be an integer",
            ),
            (
                r#"{"ip":[{"cidr":"10.0.0.0/-1"}]}"#,
                "Malformed CIDR, mask bits must not be negative",
            ),
            (
                r#"{"ip":[{"cidr":"10.0.0.1/32"}]}"#,
                "IPv4 mask bits must be < 32",
            ),
            (
                r#"{"ip":[{"cidr":"2001:db8::/128"}]}"#,
                "IPv6 mask bits must be < 128",
            ),
            (
                r#"{"ip":[{"cidr":"10.0.0.300/8"}]}"#,
                "Invalid IP address: 10.0.0.300",
            ),
            (
                r#"{"ip":[{"cidr":"example.com/8"}]}"#,
                "Nonstandard IP address: example.com",
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(reason(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn or_needs_an_array_of_at_least_two_objects() {
        assert_eq!(
            reason(r#"{"$or":{"a":["x"]}}"#),
            "It must be an Array followed with $or."
        );
        assert_eq!(
            reason(r#"{"$or":[{"a":["x"]}]}"#),
            "There must have at least 2 Objects in $or relationship."
        );
        assert_eq!(
            reason(r#"{"$or":[{"a":["x"]},["b"]]}"#),
            "Only JSON object is allowed in array of $or relationship."
        );
        assert_eq!(
            reason(r#"{"$or":[{"numeric":[1]},{"prefix":["abc"]}]}"#),
            "numeric is Ruler reserved fieldName which cannot be used inside $or."
        );
        assert_eq!(
            reason(r#"{"$or":[{"a":{"cidr":["x"]}},{"b":["y"]}]}"#),
            "cidr is Ruler reserved fieldName which cannot be used inside $or."
        );
        // Outside `$or`, operator names are ordinary field names.
        assert!(matches(json!({"prefix": ["x"]}), json!({"prefix": "x"})));
    }

    #[test]
    fn size_quota_defaults_to_2048_characters_and_can_be_raised() {
        let values: Vec<String> = (0..200).map(|i| format!("Event{i:04}")).collect();
        let text = json!({"detail": {"eventName": values}}).to_string();
        assert!(text.chars().count() > DEFAULT_MAX_PATTERN_CHARS);
        assert!(text.chars().count() <= MAX_PATTERN_CHARS_RAISED);
        let r = reason(&text);
        assert!(r.contains("maximum of 2048"), "{r}");
        let raised = EventPattern::compile_with_max_chars(&text, MAX_PATTERN_CHARS_RAISED);
        assert!(raised.is_ok());
        // Characters, not bytes, are counted.
        let wide = format!(r#"{{"a":["{}"]}}"#, "é".repeat(2030));
        assert!(wide.len() > DEFAULT_MAX_PATTERN_CHARS);
        assert!(EventPattern::compile(&wide).is_ok());
    }

    #[test]
    fn nesting_deeper_than_the_guard_is_rejected_clearly() {
        let mut p = json!({"leaf": ["x"]});
        for _ in 0..MAX_NESTING_DEPTH {
            p = json!({ "n": p });
        }
        let r = match EventPattern::from_value(&p) {
            Ok(_) => String::new(),
            Err(e) => e.reason().to_string(),
        };
        assert_eq!(r, "Event pattern nests more than 100 levels deep");
        let mut ok = json!({"leaf": ["x"]});
        for _ in 0..(MAX_NESTING_DEPTH - 2) {
            ok = json!({ "n": ok });
        }
        assert!(EventPattern::from_value(&ok).is_ok());
    }

    #[test]
    fn duplicate_keys_keep_the_last_one() {
        let p =
            r#"{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}"#;
        let compiled = EventPattern::compile(p);
        let Ok(compiled) = compiled else {
            panic!("should compile")
        };
        assert!(compiled.matches(&json!({"detail": {"location": "eu-west"}})));
        assert!(!compiled.matches(&json!({"detail": {"location": "us-east"}})));
    }

    #[test]
    fn wildcard_use_is_reported_for_the_bus_quota() {
        assert!(compile(json!({"a": [{"wildcard": "x*"}]})).uses_wildcard());
        assert!(compile(json!({"a": [{"anything-but": {"wildcard": "x*"}}]})).uses_wildcard());
        assert!(!compile(json!({"a": [{"prefix": "x"}]})).uses_wildcard());
    }

    // ---- matching ---------------------------------------------------------------------

    #[test]
    fn values_in_a_leaf_array_are_alternatives() {
        let p = json!({"source": ["aws.ec2", "aws.fargate"]});
        assert!(matches(p.clone(), json!({"source": "aws.fargate"})));
        assert!(!matches(p, json!({"source": "aws.s3"})));
    }

    #[test]
    fn all_fields_must_match() {
        let p = json!({"source": ["aws.ec2"], "detail": {"state": ["terminated"]}});
        assert!(matches(p.clone(), ec2_event()));
        let mut running = ec2_event();
        running["detail"]["state"] = json!("running");
        assert!(!matches(p.clone(), running));
        assert!(!matches(p, json!({"source": "aws.ec2"})));
    }

    #[test]
    fn fields_must_sit_at_the_same_depth() {
        let p = json!({"detail": {"state": ["terminated"]}});
        assert!(!matches(p.clone(), json!({"state": "terminated"})));
        assert!(!matches(p, json!({"detail": "terminated"})));
    }

    #[test]
    fn an_event_array_matches_when_it_shares_a_value_with_the_pattern() {
        let p = json!({"resources": [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
            "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"
        ]});
        let hit = json!({"resources": [
            "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"
        ]});
        assert!(matches(p.clone(), hit));
        assert!(!matches(
            p.clone(),
            json!({"resources": ["arn:aws:s3:::b"]})
        ));
        assert!(!matches(p, json!({"resources": []})));
    }

    #[test]
    fn nested_arrays_in_events_are_flattened() {
        let p = json!({"tags": ["prod"]});
        assert!(matches(p, json!({"tags": [["dev"], ["qa", ["prod"]]]})));
    }

    #[test]
    fn strings_match_exactly_and_case_sensitively() {
        let p = json!({"detail": {"state": ["Terminated"]}});
        assert!(!matches(p.clone(), ec2_event()));
        assert!(!matches(json!({"source": ["aws.ec"]}), ec2_event()));
    }

    #[test]
    fn dots_join_field_names_in_patterns_and_events() {
        // The user guide's example: both patterns match both events.
        let nested = json!({"detail": {"state": {"status": ["running"]}}});
        let dotted = json!({"detail": {"state.status": ["running"]}});
        for event in [
            json!({"detail": {"state": {"status": "running"}}}),
            json!({"detail": {"state.status": "running"}}),
        ] {
            assert!(matches(nested.clone(), event.clone()), "{event}");
            assert!(matches(dotted.clone(), event.clone()), "{event}");
        }
        assert!(!matches(
            dotted,
            json!({"detail": {"state": {"status": "stopped"}}})
        ));
        // Dotted keys merge with nested ones, on either side and at any depth.
        let merged = json!({"a": {"b": ["1"]}, "a.c": ["2"]});
        assert!(matches(merged.clone(), json!({"a": {"b": "1", "c": "2"}})));
        assert!(!matches(merged, json!({"a": {"b": "1"}})));
        assert!(matches(
            json!({"a": {"b": ["1"], "c": ["2"]}}),
            json!({"a": {"b": "1"}, "a.c": "2"})
        ));
        assert!(matches(
            json!({"a": {"b": {"c": ["x"]}}}),
            json!({"a.b.c": "x"})
        ));
        assert!(matches(
            json!({"a.b": {"c": ["x"]}}),
            json!({"a": {"b.c": "x"}})
        ));
        // The same path spelled twice in an event holds both values.
        let twice = json!({"a": {"b": "1"}, "a.b": "2"});
        assert!(matches(json!({"a": {"b": ["2"]}}), twice.clone()));
        assert!(matches(json!({"a": {"b": ["1"]}}), twice));
        // Inside arrays and $or, and for exists: false.
        assert!(matches(
            json!({"r": {"k.v": ["x"]}}),
            json!({"r": [{"k": {"v": "y"}}, {"k.v": "x"}]})
        ));
        assert!(matches(
            json!({"$or": [{"a.b": ["1"]}, {"c": ["2"]}]}),
            json!({"a": {"b": "1"}})
        ));
        assert!(!matches(
            json!({"a": {"b": [{"exists": false}]}}),
            json!({"a.b": "1"})
        ));
        assert!(matches(
            json!({"a": {"b": [{"exists": false}]}}),
            json!({"a.c": "1"})
        ));
    }

    #[test]
    fn numbers_compare_by_value_and_not_with_strings() {
        assert!(matches(json!({"n": [300]}), json!({"n": 300.0})));
        assert!(matches(json!({"n": [3.018e2]}), json!({"n": 301.8})));
        assert!(!matches(json!({"n": [300]}), json!({"n": "300"})));
        assert!(!matches(json!({"n": ["300"]}), json!({"n": 300})));
        assert!(matches(
            json!({"account": [123456789012_u64]}),
            json!({"account": 123456789012_u64})
        ));
        assert!(!matches(
            json!({"n": [9007199254740993_u64]}),
            json!({"n": 9007199254740992_u64})
        ));
    }

    #[test]
    fn null_booleans_and_empty_strings_are_distinct_values() {
        let event = json!({"detail": {"eventVersion": "", "responseElements": null, "ok": true}});
        assert!(matches(
            json!({"detail": {"eventVersion": [""]}}),
            event.clone()
        ));
        assert!(matches(
            json!({"detail": {"responseElements": [null]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"detail": {"responseElements": [""]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"detail": {"eventVersion": [null]}}),
            event.clone()
        ));
        assert!(matches(json!({"detail": {"ok": [true]}}), event.clone()));
        assert!(!matches(json!({"detail": {"ok": ["true"]}}), event.clone()));
        assert!(!matches(json!({"detail": {"ok": [false]}}), event));
    }

    #[test]
    fn prefix_matches_string_starts() {
        let p = json!({"time": [{"prefix": "2017-12-22"}]});
        assert!(matches(p.clone(), ec2_event()));
        assert!(!matches(
            json!({"time": [{"prefix": "2017-10-02"}]}),
            ec2_event()
        ));
        assert!(!matches(
            json!({"n": [{"prefix": "30"}]}),
            json!({"n": 300})
        ));
    }

    #[test]
    fn prefix_can_ignore_case() {
        let p = json!({"service": [{"prefix": {"equals-ignore-case": "EventB"}}]});
        assert!(matches(p.clone(), json!({"service": "eventbridge"})));
        assert!(matches(p.clone(), json!({"service": "EVENTBRIDGE"})));
        assert!(!matches(p, json!({"service": "sns"})));
    }

    #[test]
    fn suffix_matches_string_ends_and_can_ignore_case() {
        let p = json!({"FileName": [{"suffix": ".png"}]});
        assert!(matches(p.clone(), json!({"FileName": "cat.png"})));
        assert!(!matches(p, json!({"FileName": "cat.PNG"})));
        let p = json!({"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]});
        assert!(matches(p.clone(), json!({"FileName": "cat.PNG"})));
        assert!(!matches(p, json!({"FileName": "cat.jpg"})));
    }

    #[test]
    fn equals_ignore_case_ignores_case_only() {
        let p = json!({"name": [{"equals-ignore-case": "alice"}]});
        assert!(matches(p.clone(), json!({"name": "ALICE"})));
        assert!(matches(p.clone(), json!({"name": "Alice"})));
        assert!(!matches(p.clone(), json!({"name": "Alice "})));
        assert!(!matches(p, json!({"name": "alic"})));
        let p = json!({"city": [{"equals-ignore-case": "ZÜRICH"}]});
        assert!(matches(p, json!({"city": "zürich"})));
    }

    #[test]
    fn exactly_matches_a_string_verbatim() {
        let p = json!({"a": [{"exactly": "x"}]});
        assert!(matches(p.clone(), json!({"a": "x"})));
        assert!(!matches(p, json!({"a": "X"})));
    }

    #[test]
    fn anything_but_a_value_or_list_excludes_those_values() {
        let p = json!({"detail": {"state": [{"anything-but": "initializing"}]}});
        assert!(matches(p.clone(), ec2_event()));
        assert!(!matches(p, json!({"detail": {"state": "initializing"}})));

        let p = json!({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}});
        assert!(matches(p.clone(), json!({"detail": {"state": "running"}})));
        assert!(!matches(p, json!({"detail": {"state": "stopped"}})));

        let p = json!({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}});
        assert!(matches(p.clone(), ec2_event()));
        assert!(!matches(p.clone(), json!({"detail": {"x-limit": 200.0}})));
        assert!(matches(p, json!({"detail": {"x-limit": "200"}})));

        let p = json!({"detail": {"x-limit": [{"anything-but": 123}]}});
        assert!(!matches(p.clone(), json!({"detail": {"x-limit": 123}})));
        assert!(matches(p, json!({"detail": {"x-limit": 124}})));
    }

    #[test]
    fn anything_but_needs_the_field_to_be_present() {
        let p = json!({"detail": {"state": [{"anything-but": "initializing"}]}});
        assert!(!matches(p.clone(), json!({"detail": {}})));
        assert!(!matches(p, json!({"source": "aws.ec2"})));
    }

    #[test]
    fn anything_but_on_an_array_needs_one_other_value() {
        let p = json!({"price": [{"anything-but": [100, 500]}]});
        assert!(matches(p.clone(), json!({"price": [100, 50]})));
        assert!(!matches(p, json!({"price": [100, 500]})));
    }

    #[test]
    fn anything_but_prefix_and_suffix_exclude_by_affix() {
        let p = json!({"Region": [{"anything-but": {"prefix": "us-"}}]});
        assert!(matches(p.clone(), json!({"Region": "eu-west-1"})));
        assert!(!matches(p, json!({"Region": "us-east-1"})));
        let p = json!({"Region": [{"anything-but": {"prefix": ["us-", "ca-"]}}]});
        assert!(!matches(p.clone(), json!({"Region": "ca-central-1"})));
        assert!(matches(p, json!({"Region": "ap-south-1"})));
        let p = json!({"FileName": [{"anything-but": {"suffix": ".png"}}]});
        assert!(matches(p.clone(), json!({"FileName": "a.gif"})));
        assert!(!matches(p, json!({"FileName": "a.png"})));
    }

    #[test]
    fn anything_but_ignore_case_excludes_every_casing() {
        let p =
            json!({"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]});
        assert!(!matches(p.clone(), json!({"state": "STOPPED"})));
        assert!(!matches(p.clone(), json!({"state": "overloaded"})));
        assert!(matches(p, json!({"state": "running"})));
    }

    #[test]
    fn anything_but_wildcard_excludes_glob_matches() {
        let p = json!({"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]});
        assert!(!matches(p.clone(), json!({"FilePath": "/usr/lib/x.so"})));
        assert!(matches(p, json!({"FilePath": "/usr/bin/x"})));
    }

    #[test]
    fn anything_but_string_forms_let_other_types_through() {
        let p = json!({"v": [{"anything-but": {"prefix": "1"}}]});
        assert!(matches(p.clone(), json!({"v": 123})));
        assert!(matches(p, json!({"v": null})));
        assert!(matches(
            json!({"v": [{"anything-but": "x"}]}),
            json!({"v": false})
        ));
    }

    #[test]
    fn numeric_ranges_compare_numbers() {
        let p = json!({"detail": {
            "c-count": [{"numeric": [">", 0, "<=", 5]}],
            "d-count": [{"numeric": ["<", 10]}],
            "x-limit": [{"numeric": ["=", 3.018e2]}]
        }});
        assert!(matches(p.clone(), ec2_event()));
        let mut over = ec2_event();
        over["detail"]["c-count"] = json!(6);
        assert!(!matches(p.clone(), over));
        let mut zero = ec2_event();
        zero["detail"]["c-count"] = json!(0);
        assert!(!matches(p, zero));
        let p = json!({"n": [{"numeric": [">=", -1.5, "<", 2]}]});
        assert!(matches(p.clone(), json!({"n": -1.5})));
        assert!(matches(p.clone(), json!({"n": 1.999})));
        assert!(!matches(p.clone(), json!({"n": 2})));
        assert!(!matches(p, json!({"n": "1"})));
        assert!(matches(
            json!({"n": [{"numeric": ["<=", 5]}]}),
            json!({"n": 5})
        ));
        assert!(matches(
            json!({"n": [{"numeric": [">", 5e9]}]}),
            json!({"n": 6e9})
        ));
    }

    #[test]
    fn exists_tests_presence_of_a_leaf() {
        let present = json!({"detail": {"c-count": [{"exists": true}]}});
        let absent = json!({"detail": {"c-count": [{"exists": false}]}});
        assert!(matches(present.clone(), ec2_event()));
        assert!(!matches(absent.clone(), ec2_event()));
        let without = json!({"detail": {"state": ["initializing", "running"]}});
        assert!(!matches(present.clone(), without.clone()));
        assert!(matches(absent.clone(), without));
        // A field whose value is an object is not a leaf, so it does not "exist".
        let object = json!({"detail": {"c-count": {"c1": 100}}});
        assert!(!matches(present.clone(), object.clone()));
        assert!(matches(absent.clone(), object));
        // The whole parent may be missing.
        assert!(matches(absent, json!({"source": "aws.ec2"})));
        assert!(!matches(present, json!({"source": "aws.ec2"})));
    }

    #[test]
    fn exists_counts_null_as_present_and_an_empty_array_as_absent() {
        let present = json!({"errorCode": [{"exists": true}]});
        let absent = json!({"errorCode": [{"exists": false}]});
        assert!(matches(present.clone(), json!({"errorCode": null})));
        assert!(!matches(absent.clone(), json!({"errorCode": null})));
        assert!(!matches(present.clone(), json!({"errorCode": []})));
        assert!(matches(absent.clone(), json!({"errorCode": []})));
        assert!(matches(present, json!({"errorCode": ["x"]})));
        assert!(!matches(absent, json!({"errorCode": ["x"]})));
    }

    #[test]
    fn exists_false_can_be_one_of_several_alternatives() {
        let p = json!({"errorCode": [{"exists": false}, "AccessDenied"]});
        assert!(matches(p.clone(), json!({"eventName": "x"})));
        assert!(matches(p.clone(), json!({"errorCode": "AccessDenied"})));
        assert!(!matches(p, json!({"errorCode": "Throttling"})));
    }

    #[test]
    fn cidr_matches_addresses_inside_the_block() {
        let p = json!({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}});
        assert!(matches(p.clone(), ec2_event()));
        assert!(!matches(
            p.clone(),
            json!({"detail": {"source-ip": "10.0.1.1"}})
        ));
        assert!(!matches(
            p.clone(),
            json!({"detail": {"source-ip": "not an ip"}})
        ));
        assert!(!matches(
            p,
            json!({"detail": {"source-ip": "::ffff:10.0.0.1"}})
        ));
        let p = json!({"ip": [{"cidr": "2001:db8::/32"}]});
        assert!(matches(p.clone(), json!({"ip": "2001:DB8:0:1::7"})));
        assert!(!matches(p, json!({"ip": "2001:db9::1"})));
        assert!(matches(
            json!({"ip": [{"cidr": "0.0.0.0/0"}]}),
            json!({"ip": "8.8.8.8"})
        ));
        assert!(matches(
            json!({"ip": [{"cidr": "10.0.0.7/31"}]}),
            json!({"ip": "10.0.0.6"})
        ));
    }

    #[test]
    fn an_exact_ip_address_matches_any_spelling_of_it() {
        let p = json!({"ip": ["2001:db8::1"]});
        assert!(matches(p.clone(), json!({"ip": "2001:0DB8:0:0:0:0:0:1"})));
        assert!(!matches(p, json!({"ip": "2001:db8::2"})));
    }

    #[test]
    fn wildcard_stars_match_any_run_of_characters() {
        let p = json!({"source": [{"wildcard": "Simple*Service"}]});
        assert!(matches(
            p.clone(),
            json!({"source": "SimpleStorageService"})
        ));
        assert!(matches(p.clone(), json!({"source": "SimpleService"})));
        assert!(!matches(p, json!({"source": "SimpleServices"})));
        let p = json!({"key": [{"wildcard": "dir/*.png"}]});
        assert!(matches(p.clone(), json!({"key": "dir/a/b.png"})));
        assert!(!matches(p, json!({"key": "other/a.png"})));
        let p = json!({"t": [{"wildcard": "*Title*"}]});
        assert!(matches(p.clone(), json!({"t": "My Title here"})));
        assert!(!matches(p, json!({"t": "title"})));
        let p = json!({"t": [{"wildcard": "a*b*a"}]});
        assert!(matches(p.clone(), json!({"t": "aba"})));
        assert!(matches(p.clone(), json!({"t": "abba"})));
        assert!(!matches(p.clone(), json!({"t": "ab"})));
        assert!(!matches(p, json!({"t": 1})));
        assert!(matches(json!({"t": [{"wildcard": "*"}]}), json!({"t": ""})));
        assert!(matches(
            json!({"t": [{"wildcard": "ü*ß"}]}),
            json!({"t": "ü-x-ß"})
        ));
    }

    #[test]
    fn wildcard_escapes_stand_for_literal_star_and_backslash() {
        let p = json!({"k": [{"wildcard": "a\\*b*"}]});
        assert!(matches(p.clone(), json!({"k": "a*b-anything"})));
        assert!(!matches(p, json!({"k": "aXb"})));
        let p = json!({"k": [{"wildcard": "c:\\\\dir\\\\*"}]});
        assert!(matches(p, json!({"k": "c:\\dir\\file"})));
    }

    #[test]
    fn or_alternatives_combine_with_the_other_fields() {
        let p = json!({
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization", "ReadLatency"]},
                {"namespace": ["AWS/EC2", "AWS/ES"]}
            ]
        });
        assert!(matches(
            p.clone(),
            json!({"source": "aws.cloudwatch", "namespace": "AWS/ES"})
        ));
        assert!(matches(
            p.clone(),
            json!({"source": "aws.cloudwatch", "metricName": "ReadLatency"})
        ));
        assert!(!matches(
            p.clone(),
            json!({"source": "aws.cloudwatch", "namespace": "AWS/S3"})
        ));
        assert!(!matches(
            p,
            json!({"source": "aws.ec2", "namespace": "AWS/ES"})
        ));
    }

    #[test]
    fn or_can_nest_and_sit_inside_objects() {
        let p = json!({
            "source": ["aws.cloudwatch"],
            "$or": [
                {"metricName": ["CPUUtilization"]},
                {
                    "namespace": ["AWS/EC2"],
                    "$or": [{"metricId": [1234]}, {"spaceId": [1000]}]
                }
            ],
            "detail": {"$or": [{"a": ["1"]}, {"b": ["2"]}]}
        });
        let base = json!({"source": "aws.cloudwatch", "namespace": "AWS/EC2", "spaceId": 1000,
            "detail": {"b": "2"}});
        assert!(matches(p.clone(), base.clone()));
        let mut no_inner = base.clone();
        no_inner["spaceId"] = json!(1);
        assert!(!matches(p.clone(), no_inner));
        let mut no_detail = base;
        no_detail["detail"] = json!({"c": "3"});
        assert!(!matches(p, no_detail));
    }

    #[test]
    fn fields_matched_together_come_from_the_same_array_element() {
        let event = json!({"employees": [
            {"firstName": "John", "lastName": "Doe"},
            {"firstName": "Anna", "lastName": "Smith"},
            {"firstName": "Peter", "lastName": "Jones"}
        ]});
        assert!(matches(
            json!({"employees": {"firstName": ["Anna"]}}),
            event.clone()
        ));
        assert!(matches(
            json!({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"employees": {"firstName": ["Anna"], "lastName": ["Jones"]}}),
            event.clone()
        ));
        let nested = json!({"employees": [[{"firstName": "John"}], [{"firstName": "Anna"}]]});
        assert!(matches(
            json!({"employees": {"firstName": ["Anna"]}}),
            nested
        ));
    }

    #[test]
    fn absence_under_an_array_is_judged_per_chosen_element_or_across_all() {
        let event = json!({"employees": [
            {"firstName": "Anna"},
            {"firstName": "Bob", "middle": "Q"}
        ]});
        // Anchored by firstName: only Anna's element is looked at.
        assert!(matches(
            json!({"employees": {"firstName": ["Anna"], "middle": [{"exists": false}]}}),
            event.clone()
        ));
        assert!(!matches(
            json!({"employees": {"firstName": ["Bob"], "middle": [{"exists": false}]}}),
            event.clone()
        ));
        // Nothing anchors an element: the field exists somewhere in the array.
        assert!(!matches(
            json!({"employees": {"middle": [{"exists": false}]}}),
            event.clone()
        ));
        assert!(matches(
            json!({"employees": {"nickname": [{"exists": false}]}}),
            event
        ));
        assert!(matches(
            json!({"employees": {"middle": [{"exists": false}]}}),
            json!({"employees": []})
        ));
    }

    #[test]
    fn non_object_events_match_like_empty_ones() {
        let absent = compile(json!({"a": [{"exists": false}]}));
        assert!(absent.matches(&json!([1, 2])));
        assert!(absent.matches(&Value::Null));
        assert!(!compile(json!({"a": ["x"]})).matches(&json!("a")));
    }

    // ---- realistic rules --------------------------------------------------------------

    fn cloudtrail_api_call(event_source: &str, event_name: &str, identity_type: &str) -> Value {
        let service = event_source.trim_end_matches(".amazonaws.com");
        json!({
            "version": "0",
            "id": "6f0e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
            "detail-type": "AWS API Call via CloudTrail",
            "source": format!("aws.{service}"),
            "account": "123456789012",
            "time": "2026-01-08T10:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": {
                "eventVersion": "1.11",
                "userIdentity": {"type": identity_type, "accountId": "123456789012"},
                "eventTime": "2026-01-08T10:00:00Z",
                "eventSource": event_source,
                "eventName": event_name,
                "awsRegion": "us-east-1",
                "sourceIPAddress": "203.0.113.7",
                "requestParameters": {"name": "management-trail"},
                "responseElements": null,
                "readOnly": false,
                "eventType": "AwsApiCall",
                "managementEvent": true,
                "recipientAccountId": "123456789012",
                "eventCategory": "Management"
            }
        })
    }

    #[test]
    fn cis_rule_for_cloudtrail_configuration_changes() {
        let rule = compile(json!({
            "source": ["aws.cloudtrail"],
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {
                "eventSource": ["cloudtrail.amazonaws.com"],
                "eventName": ["StopLogging", "DeleteTrail", "UpdateTrail"]
            }
        }));
        for name in ["StopLogging", "DeleteTrail", "UpdateTrail"] {
            assert!(rule.matches(&cloudtrail_api_call(
                "cloudtrail.amazonaws.com",
                name,
                "IAMUser"
            )));
        }
        assert!(!rule.matches(&cloudtrail_api_call(
            "cloudtrail.amazonaws.com",
            "StartLogging",
            "IAMUser"
        )));
        assert!(!rule.matches(&cloudtrail_api_call(
            "iam.amazonaws.com",
            "DeleteTrail",
            "IAMUser"
        )));
    }

    #[test]
    fn root_console_sign_in_rule() {
        let rule = compile(json!({
            "detail-type": ["AWS Console Sign In via CloudTrail"],
            "detail": {"userIdentity": {"type": ["Root"]}}
        }));
        let mut login = cloudtrail_api_call("signin.amazonaws.com", "ConsoleLogin", "Root");
        login["detail-type"] = json!("AWS Console Sign In via CloudTrail");
        assert!(rule.matches(&login));
        login["detail"]["userIdentity"]["type"] = json!("IAMUser");
        assert!(!rule.matches(&login));
    }

    #[test]
    fn cis_style_rule_for_unauthorized_calls_and_console_logins_without_mfa() {
        let unauthorized = compile(json!({
            "detail-type": ["AWS API Call via CloudTrail"],
            "detail": {"errorCode": [{"prefix": "AccessDenied"}, "UnauthorizedOperation"]}
        }));
        let mut denied = cloudtrail_api_call("ec2.amazonaws.com", "RunInstances", "IAMUser");
        denied["detail"]["errorCode"] = json!("UnauthorizedOperation");
        assert!(unauthorized.matches(&denied));
        denied["detail"]["errorCode"] = json!("AccessDeniedException");
        assert!(unauthorized.matches(&denied));
        assert!(!unauthorized.matches(&cloudtrail_api_call(
            "ec2.amazonaws.com",
            "RunInstances",
            "IAMUser"
        )));

        let no_mfa = compile(json!({
            "detail-type": ["AWS Console Sign In via CloudTrail"],
            "detail": {
                "eventName": ["ConsoleLogin"],
                "additionalEventData": {"MFAUsed": [{"anything-but": "Yes"}]},
                "responseElements": {"ConsoleLogin": ["Success"]}
            }
        }));
        let mut login = cloudtrail_api_call("signin.amazonaws.com", "ConsoleLogin", "IAMUser");
        login["detail-type"] = json!("AWS Console Sign In via CloudTrail");
        login["detail"]["additionalEventData"] = json!({"MFAUsed": "No"});
        login["detail"]["responseElements"] = json!({"ConsoleLogin": "Success"});
        assert!(no_mfa.matches(&login));
        login["detail"]["additionalEventData"]["MFAUsed"] = json!("Yes");
        assert!(!no_mfa.matches(&login));
    }

    #[test]
    fn iam_policy_change_rule_with_wildcards_and_or() {
        let rule = compile(json!({
            "source": ["aws.iam"],
            "$or": [
                {"detail": {"eventName": [{"wildcard": "*Policy"}]}},
                {"detail": {"eventName": [{"prefix": "AttachRole"}, {"prefix": "DetachRole"}]}}
            ]
        }));
        assert!(rule.matches(&cloudtrail_api_call(
            "iam.amazonaws.com",
            "PutUserPolicy",
            "IAMUser"
        )));
        assert!(rule.matches(&cloudtrail_api_call(
            "iam.amazonaws.com",
            "DetachRolePolicy",
            "IAMUser"
        )));
        assert!(!rule.matches(&cloudtrail_api_call(
            "iam.amazonaws.com",
            "CreateUser",
            "IAMUser"
        )));
    }

    #[test]
    fn test_event_pattern_style_examples() {
        // A pattern with three constraints against an EC2 termination event.
        let termination = json!({
            "source": ["aws.ec2"],
            "detail-type": ["EC2 Instance State-change Notification"],
            "detail": {"state": ["terminated"]}
        });
        assert!(matches(termination.clone(), ec2_event()));
        let mut pending = ec2_event();
        pending["detail"]["state"] = json!("pending");
        assert!(!matches(termination, pending));

        // The user guide's combined content filter, with an IP block added.
        let combined = json!({
            "time": [{"prefix": "2017-12-22"}],
            "detail": {
                "state": [{"anything-but": "initializing"}],
                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
                "x-limit": [{"anything-but": [100, 200, 300]}],
                "source-ip": [{"cidr": "10.0.0.0/8"}]
            }
        });
        assert!(matches(combined.clone(), ec2_event()));
        let mut initializing = ec2_event();
        initializing["detail"]["state"] = json!("initializing");
        assert!(!matches(combined, initializing));
    }

    // ---- robustness -------------------------------------------------------------------

    /// A small deterministic generator (xorshift64*), so the garbage is the same every run.
    struct Garbage(u64);

    impl Garbage {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            let i = (self.next() % items.len() as u64) as usize;
            items[i]
        }
    }

    #[test]
    fn garbage_input_never_panics() {
        const PIECES: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"a\"",
            "\"detail\"",
            "\"$or\"",
            "\"prefix\"",
            "\"suffix\"",
            "\"anything-but\"",
            "\"numeric\"",
            "\"exists\"",
            "\"cidr\"",
            "\"wildcard\"",
            "\"equals-ignore-case\"",
            "\"exactly\"",
            "\">\"",
            "\"<=\"",
            "\"=\"",
            "\"10.0.0.0/8\"",
            "\"::/0\"",
            "\"a*b\"",
            "\"a**\"",
            "\"\\\\\"",
            "\"\\\\*\"",
            "0",
            "-1",
            "1e308",
            "5.5",
            "true",
            "false",
            "null",
            "\"\"",
            "\"é\"",
            " ",
            "\"x\"",
        ];
        let events = [
            json!({"a": "x", "detail": {"a": [1, "a*b", null, {"a": "10.1.2.3"}]}}),
            json!({"a": [[[["deep"]]]], "detail": []}),
            json!(null),
            json!({"detail": {"a": {"b": 5.5}}, "a": "::1"}),
        ];
        let mut g = Garbage(0x9E37_79B9_7F4A_7C15);
        let mut compiled = 0;
        for _ in 0..20_000 {
            let len = 1 + (g.next() % 24) as usize;
            let text: String = (0..len).map(|_| g.pick(PIECES)).collect();
            if let Ok(p) = EventPattern::compile(&text) {
                compiled += 1;
                for e in &events {
                    let _ = p.matches(e);
                }
            }
        }
        // Structured garbage: valid shells around random operators and operands.
        for _ in 0..20_000 {
            let op = g.pick(&[
                "prefix",
                "suffix",
                "anything-but",
                "numeric",
                "exists",
                "cidr",
                "wildcard",
                "equals-ignore-case",
                "exactly",
                "$or",
                "bogus",
            ]);
            let operand = g.pick(&[
                "\"x\"",
                "[]",
                "[1,2]",
                "[\">\",1,\"<\",2]",
                "{\"prefix\":\"a\"}",
                "{\"wildcard\":[\"*a\",\"b*\"]}",
                "true",
                "null",
                "\"1.2.3.4/9\"",
                "\"*\"",
                "{\"equals-ignore-case\":\"A\"}",
                "[\"=\",1e300]",
                "{}",
                "[{\"a\":[1]},{\"b\":[2]}]",
            ]);
            let text = format!("{{\"detail\":{{\"a\":[{{\"{op}\":{operand}}}]}}}}");
            if let Ok(p) = EventPattern::compile(&text) {
                compiled += 1;
                for e in &events {
                    let _ = p.matches(e);
                }
            }
        }
        assert!(
            compiled > 100,
            "the generator should produce some valid patterns"
        );
    }

    #[test]
    fn deeply_nested_event_arrays_do_not_overflow() {
        // Deeper than the look-through limit, but shallow enough for `Value`'s own
        // recursive drop on a test thread's stack.
        let mut deep = json!("needle");
        for _ in 0..(MAX_EVENT_ARRAY_DEPTH + 50) {
            deep = Value::Array(vec![deep]);
        }
        let event = json!({"a": deep});
        assert!(!compile(json!({"a": ["needle"]})).matches(&event));
        assert!(compile(json!({"a": [{"exists": false}]})).matches(&event));
    }
}
