//! CloudWatch Logs filter patterns, the language of metric filters, subscription filters,
//! `FilterLogEvents` and `TestMetricFilter`: the empty pattern, terms (`ERROR`, `"a phrase"`,
//! `?A ?B`, `-term`), `%regex%`, JSON patterns (`{ $.a.b = "x*" && $.n > 5 }`) and
//! space-delimited patterns (`[ip, user, ..., status = 4*, bytes > 1000]`).
//!
//! A pattern is compiled once ([`FilterPattern::compile`]) and then run against every log
//! event, so evaluation is built not to allocate per event:
//!
//! - terms and regexes work on the message `&str` directly; the regex subset has no groups,
//!   so it runs as a position-set automaton over a fixed bit set on the stack;
//! - space-delimited patterns walk the message's fields as slices, re-walking on demand
//!   rather than collecting them;
//! - JSON patterns do not build a `serde_json::Value` tree: the message is validated once by
//!   an iterative scanner (nesting stack in a fixed array) and each selector walks the raw
//!   bytes to its value, skipping the rest. A string value is only copied when it contains
//!   escapes that have to be decoded before comparing;
//! - many metric filters over the same events (a log group's) run as a [`MetricFilterSet`]:
//!   one validating pass per message records the values of every JSON pattern's selectors
//!   (merged into one path trie), and each pattern's conditions then test those values.
//!
//! Allocation happens only for results the caller keeps: [`Match::dimensions`] (when there
//! are dimensions), [`TestMatch`] and [`FilterPattern::extracted_values`].
//!
//! Where the CloudWatch Logs guide is silent the choices made are listed in
//! docs/behaviour-notes.md.

mod delimited;
mod json;
mod json_scan;
mod path_scan;
mod regex;
mod set;
mod syntax;
mod terms;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::error::AwsError;

use delimited::Delimited;
use json::{JsonPattern, Selector};
use regex::Regex;
use syntax::{Cursor, parse_number};
use terms::TermPattern;

pub use set::MetricFilterSet;

/// AWS's length limit for `filterPattern`, in characters.
pub const MAX_PATTERN_LENGTH: usize = 1024;
/// How deeply parentheses may nest; deeper patterns are refused rather than risk the stack.
pub const MAX_DEPTH: usize = 32;
/// AWS allows two `%regex%` values in one JSON or space-delimited pattern.
pub const MAX_REGEXES_PER_PATTERN: usize = 2;
/// AWS allows three dimensions per metric transformation.
pub const MAX_DIMENSIONS: usize = 3;

/// Why a pattern, metric value or dimension was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterPatternErrorKind {
    /// Longer than [`MAX_PATTERN_LENGTH`]: AWS answers with a `ValidationException`.
    TooLong,
    /// Not a valid pattern.
    Syntax,
    /// Parentheses nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The metric value is neither a number nor a field of the pattern.
    MetricValue,
    /// Dimensions the pattern cannot supply.
    Dimensions,
}

/// A refused pattern, with a message fit for the AWS error the caller returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPatternError {
    kind: FilterPatternErrorKind,
    detail: String,
}

impl FilterPatternError {
    fn new(kind: FilterPatternErrorKind, detail: impl Into<String>) -> Self {
        FilterPatternError {
            kind,
            detail: detail.into(),
        }
    }

    fn syntax(detail: String) -> Self {
        Self::new(FilterPatternErrorKind::Syntax, detail)
    }

    fn too_deep(e: FilterPatternError) -> Self {
        Self::new(FilterPatternErrorKind::TooDeep, e.detail)
    }

    pub fn kind(&self) -> FilterPatternErrorKind {
        self.kind
    }

    /// What exactly is wrong, without AWS's prefix (for callers with their own wording,
    /// such as FilterLogEvents' "Invalid filter pattern").
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The message of the AWS error: AWS's wording first, then the detail.
    pub fn message(&self) -> String {
        match self.kind {
            FilterPatternErrorKind::TooLong => format!(
                "1 validation error detected: Value at 'filterPattern' failed to satisfy \
                 constraint: Member must have length less than or equal to {MAX_PATTERN_LENGTH}"
            ),
            FilterPatternErrorKind::Syntax | FilterPatternErrorKind::TooDeep => {
                format!("Invalid metric filter pattern: {}", self.detail)
            }
            FilterPatternErrorKind::MetricValue => format!("Invalid metric value: {}", self.detail),
            FilterPatternErrorKind::Dimensions => self.detail.clone(),
        }
    }

    /// `ValidationException` for the length limit, `InvalidParameterException` otherwise.
    pub fn to_aws_error(&self) -> AwsError {
        let code = match self.kind {
            FilterPatternErrorKind::TooLong => "ValidationException",
            _ => "InvalidParameterException",
        };
        AwsError::client(code, self.message())
    }
}

impl fmt::Display for FilterPatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FilterPatternError {}

impl From<FilterPatternError> for AwsError {
    fn from(e: FilterPatternError) -> Self {
        e.to_aws_error()
    }
}

/// Which of the pattern languages a pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// The empty (or all-blank) pattern.
    MatchAll,
    Terms,
    /// A standalone `%regex%`.
    Regex,
    Json,
    SpaceDelimited,
}

#[derive(Debug, Clone)]
enum Kind {
    All,
    Terms(TermPattern),
    Regex(Regex),
    Json(JsonPattern),
    Delimited(Delimited),
}

/// How a message matched: space-delimited matches remember the field count, which fixes
/// where the fields after `...` are.
#[derive(Debug, Clone, Copy)]
enum Hit {
    Plain,
    Delimited(usize),
}

/// A compiled filter pattern.
#[derive(Debug, Clone)]
pub struct FilterPattern {
    text: String,
    kind: Kind,
}

impl FilterPattern {
    /// Compiles a pattern, or says why AWS would refuse it. Never panics.
    pub fn compile(text: &str) -> Result<FilterPattern, FilterPatternError> {
        let length = text.chars().count();
        if length > MAX_PATTERN_LENGTH {
            return Err(FilterPatternError::new(
                FilterPatternErrorKind::TooLong,
                format!(
                    "the filter pattern is {length} characters long; the limit is {MAX_PATTERN_LENGTH}"
                ),
            ));
        }
        let mut c = Cursor::new(text);
        c.skip_ws();
        let kind = match c.peek() {
            None => Kind::All,
            Some('{') => Kind::Json(JsonPattern::parse(&mut c)?),
            Some('[') => Kind::Delimited(Delimited::parse(&mut c)?),
            Some('%') => {
                let regex = syntax::parse_regex(&mut c)?;
                c.skip_ws();
                if !c.at_end() {
                    return Err(c.error(format!(
                        "unexpected {} after the regular expression; a %regex% pattern stands alone",
                        c.found()
                    )));
                }
                Kind::Regex(regex)
            }
            Some(_) => Kind::Terms(TermPattern::parse(&mut c)?),
        };
        Ok(FilterPattern {
            text: text.to_string(),
            kind,
        })
    }

    /// The pattern as given (for Describe* answers).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn kind(&self) -> PatternKind {
        match self.kind {
            Kind::All => PatternKind::MatchAll,
            Kind::Terms(_) => PatternKind::Terms,
            Kind::Regex(_) => PatternKind::Regex,
            Kind::Json(_) => PatternKind::Json,
            Kind::Delimited(_) => PatternKind::SpaceDelimited,
        }
    }

    /// How many `%regex%` the pattern holds: AWS caps patterns with regexes per log group.
    pub fn regex_count(&self) -> usize {
        match &self.kind {
            Kind::All | Kind::Terms(_) => 0,
            Kind::Regex(_) => 1,
            Kind::Json(j) => j.regex_count(),
            Kind::Delimited(d) => d.regex_count(),
        }
    }

    fn hit(&self, message: &str) -> Option<Hit> {
        let matched = match &self.kind {
            Kind::All => true,
            Kind::Terms(t) => t.matches(message),
            Kind::Regex(r) => r.is_match(message),
            Kind::Json(j) => json_scan::is_json_object(message) && j.matches_object(message),
            Kind::Delimited(d) => return d.evaluate(message).map(Hit::Delimited),
        };
        matched.then_some(Hit::Plain)
    }

    /// Whether a log event message matches.
    pub fn matches(&self, message: &str) -> bool {
        self.hit(message).is_some()
    }

    /// TestMetricFilter's `extractedValues` for a matching message (`None` when it does not
    /// match): the fields of a space-delimited pattern as `$name` or `$position`, empty for
    /// every other kind of pattern, as the guide says.
    pub fn extracted_values(&self, message: &str) -> Option<BTreeMap<String, String>> {
        Some(match (&self.kind, self.hit(message)?) {
            (Kind::Delimited(d), Hit::Delimited(count)) => d.extracted(message, count),
            _ => BTreeMap::new(),
        })
    }

    /// TestMetricFilter: the matching messages, numbered from 1 in the order given.
    pub fn test_messages<S: AsRef<str>>(&self, messages: &[S]) -> Vec<TestMatch> {
        messages
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let message = m.as_ref();
                self.extracted_values(message)
                    .map(|extracted_values| TestMatch {
                        event_number: i64::try_from(i).map_or(i64::MAX, |n| n.saturating_add(1)),
                        event_message: message.to_string(),
                        extracted_values,
                    })
            })
            .collect()
    }
}

impl fmt::Display for FilterPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One entry of TestMetricFilter's `matches` (a `MetricFilterMatchRecord`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestMatch {
    pub event_number: i64,
    pub event_message: String,
    pub extracted_values: BTreeMap<String, String>,
}

/// A `$.selector` of a JSON pattern or a `$field` of a space-delimited one.
#[derive(Debug, Clone)]
enum FieldRef {
    Json(Selector),
    Field(usize),
}

impl FieldRef {
    /// Reads `$.a.b` or `$name`; `what` names the parameter in errors.
    fn compile(
        text: &str,
        pattern: &FilterPattern,
        what: &str,
        kind: FilterPatternErrorKind,
    ) -> Result<FieldRef, FilterPatternError> {
        let err = |detail: String| FilterPatternError::new(kind, detail);
        match (&pattern.kind, text.strip_prefix('$')) {
            (_, None) => Err(err(format!(
                "the {what} '{text}' must name a field, as $.field (JSON patterns) or $name \
                 (space-delimited patterns)"
            ))),
            (Kind::Json(_), Some(_)) => {
                Selector::parse_all(text).map(FieldRef::Json).map_err(|e| {
                    err(format!(
                        "the {what} '{text}' is not a JSON selector: {}",
                        e.detail()
                    ))
                })
            }
            (Kind::Delimited(d), Some(name)) => {
                d.slot_named(name).map(FieldRef::Field).ok_or_else(|| {
                    err(format!(
                        "the {what} '{text}' names no field of the space-delimited filter pattern"
                    ))
                })
            }
            (_, Some(_)) => Err(err(format!(
                "the {what} '{text}' refers to a field, which only JSON and space-delimited \
                 filter patterns define"
            ))),
        }
    }

    fn text<'m>(&self, pattern: &FilterPattern, msg: &'m str, hit: Hit) -> Option<Cow<'m, str>> {
        match (self, &pattern.kind, hit) {
            (FieldRef::Json(s), _, _) => s.text_in(msg),
            (FieldRef::Field(slot), Kind::Delimited(d), Hit::Delimited(count)) => {
                d.field_text(msg, count, *slot).map(Cow::Borrowed)
            }
            _ => None,
        }
    }

    fn number(&self, pattern: &FilterPattern, msg: &str, hit: Hit) -> Option<f64> {
        match self {
            FieldRef::Json(s) => s.number_in(msg),
            FieldRef::Field(_) => parse_number(&self.text(pattern, msg, hit)?),
        }
    }
}

#[derive(Debug, Clone)]
enum MetricValue {
    Constant(f64),
    Field(FieldRef),
}

/// A metric filter ready to run: the pattern, its `metricValue` and `dimensions`, checked
/// against each other the way PutMetricFilter checks them.
#[derive(Debug, Clone)]
pub struct CompiledMetricFilter {
    pattern: FilterPattern,
    value: MetricValue,
    dimensions: Vec<(String, FieldRef)>,
}

/// What one matching event contributes to the metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'f, 'm> {
    /// `None` when the metric value names a field this event lacks or holds no number in;
    /// AWS publishes no data point for such an event.
    pub value: Option<f64>,
    /// In dimension-name order.
    pub dimensions: Vec<DimensionValue<'f, 'm>>,
}

/// One dimension of a [`Match`]; `value` is `None` when the event lacks the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionValue<'f, 'm> {
    pub name: &'f str,
    pub value: Option<Cow<'m, str>>,
}

impl CompiledMetricFilter {
    /// Checks `metric_value` (a number, `$.selector` or `$field`) and `dimensions` (name to
    /// `$.selector` or `$field`) against a compiled pattern.
    pub fn new<K, V>(
        pattern: FilterPattern,
        metric_value: &str,
        dimensions: impl IntoIterator<Item = (K, V)>,
    ) -> Result<CompiledMetricFilter, FilterPatternError>
    where
        K: Into<String>,
        V: AsRef<str>,
    {
        use FilterPatternErrorKind as EK;
        let value = if let Some(n) = parse_number(metric_value) {
            MetricValue::Constant(n)
        } else {
            MetricValue::Field(FieldRef::compile(
                metric_value,
                &pattern,
                "metric value",
                EK::MetricValue,
            )?)
        };
        let mut dims = Vec::new();
        for (name, field) in dimensions {
            let name = name.into();
            if name.is_empty() {
                return Err(FilterPatternError::new(
                    EK::Dimensions,
                    "a dimension name is empty",
                ));
            }
            dims.push((name, field.as_ref().to_string()));
        }
        if dims.is_empty() {
            return Ok(CompiledMetricFilter {
                pattern,
                value,
                dimensions: Vec::new(),
            });
        }
        if !matches!(pattern.kind, Kind::Json(_) | Kind::Delimited(_)) {
            return Err(FilterPatternError::new(
                EK::Dimensions,
                "The specified filter pattern does not support dimensions",
            ));
        }
        if dims.len() > MAX_DIMENSIONS {
            return Err(FilterPatternError::new(
                EK::Dimensions,
                format!("A metric filter can have at most {MAX_DIMENSIONS} dimensions"),
            ));
        }
        dims.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = dims.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(FilterPatternError::new(
                EK::Dimensions,
                format!("the dimension '{}' is given twice", w[0].0),
            ));
        }
        let dimensions = dims
            .into_iter()
            .map(|(name, field)| {
                FieldRef::compile(&field, &pattern, "dimension value", EK::Dimensions)
                    .map(|r| (name, r))
            })
            .collect::<Result<_, _>>()?;
        Ok(CompiledMetricFilter {
            pattern,
            value,
            dimensions,
        })
    }

    /// [`FilterPattern::compile`] then [`CompiledMetricFilter::new`].
    pub fn compile<K, V>(
        pattern: &str,
        metric_value: &str,
        dimensions: impl IntoIterator<Item = (K, V)>,
    ) -> Result<CompiledMetricFilter, FilterPatternError>
    where
        K: Into<String>,
        V: AsRef<str>,
    {
        Self::new(FilterPattern::compile(pattern)?, metric_value, dimensions)
    }

    pub fn pattern(&self) -> &FilterPattern {
        &self.pattern
    }

    /// Runs one log event message: `None` when the pattern does not match.
    pub fn evaluate<'f, 'm>(&'f self, message: &'m str) -> Option<Match<'f, 'm>> {
        let hit = self.pattern.hit(message)?;
        Some(self.matched(message, hit))
    }

    /// What a message the pattern matched (as `hit`) contributes.
    fn matched<'f, 'm>(&'f self, message: &'m str, hit: Hit) -> Match<'f, 'm> {
        let value = match &self.value {
            MetricValue::Constant(n) => Some(*n),
            MetricValue::Field(f) => f.number(&self.pattern, message, hit),
        };
        let dimensions = self
            .dimensions
            .iter()
            .map(|(name, field)| DimensionValue {
                name: name.as_str(),
                value: field.text(&self.pattern, message, hit),
            })
            .collect();
        Match { value, dimensions }
    }
}
