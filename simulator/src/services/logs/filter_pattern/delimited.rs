//! Space-delimited filter patterns: `[ip, user, ..., status_code = 4*, bytes > 1000]`.
//!
//! The message is split on whitespace, except that text between `[` and `]` or between
//! double quotes is one field (without the brackets or quotes). Without `...` the message
//! must have exactly as many fields as the pattern; `...` stands for any number of fields
//! (at most one `...` per pattern). Each field may carry conditions joined by `&&` / `||`.
//! Fields are found by walking the message slice on demand, so matching allocates nothing.

use std::collections::BTreeMap;

use super::FilterPatternError;
use super::syntax::{
    BoolExpr, CmpOp, Cursor, Operand, RegexBudget, parse_expr, parse_op, parse_operand,
};

/// The fields of a message, as slices of it.
pub(super) struct Fields<'m> {
    rest: &'m str,
}

pub(super) fn fields(msg: &str) -> Fields<'_> {
    Fields { rest: msg }
}

impl<'m> Iterator for Fields<'m> {
    type Item = &'m str;

    fn next(&mut self) -> Option<&'m str> {
        let s = self.rest.trim_start();
        let closing = match s.as_bytes().first()? {
            b'[' => Some(b']'),
            b'"' => Some(b'"'),
            _ => None,
        };
        if let Some(close) = closing {
            let body = s.get(1..).unwrap_or("");
            if let Some(end) = find_closing(body, close) {
                self.rest = body.get(end + 1..).unwrap_or("");
                return body.get(..end);
            }
        }
        // An unclosed bracket or quote is an ordinary word.
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        self.rest = s.get(end..).unwrap_or("");
        s.get(..end)
    }
}

/// The closing `]` or `"`; a backslash escapes the next character inside quotes, as in
/// Apache logs' `\"`.
fn find_closing(body: &str, close: u8) -> Option<usize> {
    let b = body.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == close {
            return Some(i);
        }
        i += if c == b'\\' && close == b'"' { 2 } else { 1 };
    }
    None
}

#[derive(Debug, Clone)]
struct FieldCondition {
    /// The slot whose field is compared.
    slot: usize,
    op: CmpOp,
    operand: Operand,
}

#[derive(Debug, Clone)]
enum Slot {
    Ellipsis,
    Field {
        name: Option<String>,
        expr: Option<BoolExpr<FieldCondition>>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Delimited {
    slots: Vec<Slot>,
    ellipsis: Option<usize>,
    regexes: usize,
}

/// A parsed leaf before names are resolved to slots: `name` alone, or `name OP value`.
struct RawLeaf {
    name: String,
    test: Option<(CmpOp, Operand)>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn parse_leaf(c: &mut Cursor<'_>, budget: &mut RegexBudget) -> Result<RawLeaf, FilterPatternError> {
    c.skip_ws();
    let name = c.take_while(is_name_char);
    if name.is_empty() {
        return Err(c.error(format!(
            "expected a field name (letters, digits, '_' or '-'), found {}",
            c.found()
        )));
    }
    c.skip_ws();
    let test = if matches!(c.peek(), Some('=' | '!' | '<' | '>')) {
        let op = parse_op(c)?;
        Some((op, parse_operand(c, op, budget)?))
    } else {
        None
    };
    Ok(RawLeaf {
        name: name.to_string(),
        test,
    })
}

impl Delimited {
    /// Parses from the opening `[` to the end of the text.
    pub(super) fn parse(c: &mut Cursor<'_>) -> Result<Delimited, FilterPatternError> {
        if !c.eat("[") {
            return Err(c.error(format!("expected '[', found {}", c.found())));
        }
        let mut budget = RegexBudget::default();
        let mut raw: Vec<Option<BoolExpr<RawLeaf>>> = Vec::new();
        let mut ellipsis = None;
        loop {
            c.skip_ws();
            if matches!(c.peek(), Some(',' | ']')) {
                raw.push(None);
            } else if c.eat("...") {
                if ellipsis.is_some() {
                    return Err(c.error("a space-delimited pattern can contain '...' only once"));
                }
                ellipsis = Some(raw.len());
                raw.push(None);
            } else {
                raw.push(Some(parse_expr(c, 0, &mut |c| parse_leaf(c, &mut budget))?));
            }
            c.skip_ws();
            if c.eat(",") {
                continue;
            }
            if c.eat("]") {
                break;
            }
            return Err(c.error(format!("expected ',' or ']', found {}", c.found())));
        }
        c.skip_ws();
        if !c.at_end() {
            return Err(c.error(format!(
                "unexpected {} after the closing ']' of the space-delimited pattern",
                c.found()
            )));
        }
        if matches!(raw.as_slice(), [None]) && ellipsis.is_none() {
            return Err(c.error("the space-delimited pattern has no fields"));
        }
        Self::resolve(c, raw, ellipsis, budget.used)
    }

    /// Names each slot after its first condition's field and points every condition at the
    /// slot it names.
    fn resolve(
        c: &Cursor<'_>,
        raw: Vec<Option<BoolExpr<RawLeaf>>>,
        ellipsis: Option<usize>,
        regexes: usize,
    ) -> Result<Delimited, FilterPatternError> {
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, expr) in raw.iter().enumerate() {
            let Some(expr) = expr else { continue };
            let mut first = None;
            let mut bare_in_compound = false;
            let compound = !matches!(expr, BoolExpr::Leaf(_));
            expr.for_each_leaf(&mut |leaf: &RawLeaf| {
                first.get_or_insert_with(|| leaf.name.clone());
                bare_in_compound |= compound && leaf.test.is_none();
            });
            if bare_in_compound {
                return Err(c.error(format!(
                    "field {} has a name without a condition inside '&&' or '||'",
                    i + 1
                )));
            }
            if let Some(name) = first
                && names.insert(name.clone(), i).is_some()
            {
                return Err(c.error(format!("the field name '{name}' is used twice")));
            }
        }
        let mut slots = Vec::with_capacity(raw.len());
        for (i, expr) in raw.into_iter().enumerate() {
            let slot = match expr {
                None if ellipsis == Some(i) => Slot::Ellipsis,
                None => Slot::Field {
                    name: None,
                    expr: None,
                },
                Some(BoolExpr::Leaf(RawLeaf { name, test: None })) => Slot::Field {
                    name: Some(name),
                    expr: None,
                },
                Some(expr) => {
                    let mut first = None;
                    let expr = expr.try_map(&mut |leaf: RawLeaf| {
                        first.get_or_insert_with(|| leaf.name.clone());
                        let slot = *names.get(&leaf.name).ok_or_else(|| {
                            c.error(format!(
                                "the condition on '{}' names no field of the pattern",
                                leaf.name
                            ))
                        })?;
                        let (op, operand) = leaf
                            .test
                            .ok_or_else(|| c.error("a field name has no condition"))?;
                        Ok::<_, FilterPatternError>(FieldCondition { slot, op, operand })
                    })?;
                    Slot::Field {
                        name: first,
                        expr: Some(expr),
                    }
                }
            };
            slots.push(slot);
        }
        Ok(Delimited {
            slots,
            ellipsis,
            regexes,
        })
    }

    pub(super) fn regex_count(&self) -> usize {
        self.regexes
    }

    /// The slot a `$name` refers to (metric values, dimensions).
    pub(super) fn slot_named(&self, name: &str) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| matches!(s, Slot::Field { name: Some(n), .. } if n == name))
    }

    /// The message field (0-based) a slot covers, given the message's field count.
    fn field_of(&self, slot: usize, count: usize) -> Option<usize> {
        match self.ellipsis {
            Some(e) if slot == e => None,
            Some(e) if slot > e => count.checked_sub(self.slots.len() - slot),
            _ => Some(slot),
        }
    }

    /// The text of a slot's field in a message that matched with `count` fields.
    pub(super) fn field_text<'m>(
        &self,
        msg: &'m str,
        count: usize,
        slot: usize,
    ) -> Option<&'m str> {
        fields(msg).nth(self.field_of(slot, count)?)
    }

    /// `Some(field count)` when the message matches.
    pub(super) fn evaluate(&self, msg: &str) -> Option<usize> {
        let count = fields(msg).count();
        let fixed = self.slots.len() - usize::from(self.ellipsis.is_some());
        let fits = if self.ellipsis.is_some() {
            count >= fixed
        } else {
            count == fixed
        };
        if !fits {
            return None;
        }
        for slot in &self.slots {
            if let Slot::Field {
                expr: Some(expr), ..
            } = slot
            {
                let ok = expr.eval(&mut |cond: &FieldCondition| {
                    self.field_text(msg, count, cond.slot)
                        .is_some_and(|text| cond.operand.test(cond.op, text))
                });
                if !ok {
                    return None;
                }
            }
        }
        Some(count)
    }

    /// TestMetricFilter's `extractedValues`: every field, keyed `$name` when the pattern
    /// names it and `$position` (1-based) otherwise.
    pub(super) fn extracted(&self, msg: &str, count: usize) -> BTreeMap<String, String> {
        let after = self.ellipsis.map_or(0, |e| self.slots.len() - e - 1);
        let tail_start = count.saturating_sub(after);
        let mut out = BTreeMap::new();
        for (i, text) in fields(msg).enumerate() {
            let slot = match self.ellipsis {
                Some(_) if i >= tail_start => self.slots.len().checked_sub(count.saturating_sub(i)),
                Some(e) if i >= e => None,
                _ => Some(i),
            };
            let name = slot.and_then(|s| match self.slots.get(s) {
                Some(Slot::Field { name: Some(n), .. }) => Some(n.as_str()),
                _ => None,
            });
            let key = match name {
                Some(n) => format!("${n}"),
                None => format!("${}", i + 1),
            };
            out.insert(key, text.to_string());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APACHE: &str =
        r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#;

    fn pattern(text: &str) -> Delimited {
        Delimited::parse(&mut Cursor::new(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn matches(text: &str, msg: &str) -> bool {
        pattern(text).evaluate(msg).is_some()
    }

    fn parse_error(text: &str) -> String {
        match Delimited::parse(&mut Cursor::new(text)) {
            Ok(p) => panic!("{text} should not parse: {p:?}"),
            Err(e) => e.detail().to_string(),
        }
    }

    #[test]
    fn brackets_and_quotes_make_single_fields() {
        let got: Vec<&str> = fields(APACHE).collect();
        assert_eq!(
            got,
            [
                "127.0.0.1",
                "-",
                "frank",
                "10/Oct/2000:13:25:15 -0700",
                "GET /index.html HTTP/1.0",
                "404",
                "1534"
            ]
        );
        let odd: Vec<&str> = fields("  a  [unclosed b \"q\\\"x\" \"open").collect();
        assert_eq!(odd, ["a", "[unclosed", "b", "q\\\"x", "\"open"]);
    }

    #[test]
    fn field_counts_must_agree_unless_there_is_an_ellipsis() {
        assert!(matches(
            "[ip, user, username, timestamp, request, status_code, bytes]",
            APACHE
        ));
        assert!(!matches(
            "[ip, user, username, timestamp, request, status_code]",
            APACHE
        ));
        assert!(!matches("[a, b, c, d, e, f, g, h]", APACHE));
        assert!(matches("[..., status_code, bytes]", APACHE));
        assert!(matches("[ip, user, ..., status_code, bytes]", APACHE));
        assert!(matches("[ip, user, ...]", APACHE));
        assert!(matches("[a, b, c, d, e, f, g, ...]", APACHE));
        assert!(!matches("[a, b, c, d, e, f, g, h, ...]", APACHE));
    }

    #[test]
    fn conditions_filter_on_strings_and_numbers() {
        for (p, want) in [
            (
                "[ip, user, username, timestamp, request, status_code, bytes > 1000]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request, status_code, bytes < 1000]",
                false,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 404, bytes]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 200, bytes]",
                false,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request = *.php*, status_code, bytes]",
                false,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
                true,
            ),
            (
                "[ip, user, username, timestamp, request, status_code = 500 || status_code = 503, bytes]",
                false,
            ),
            ("[ip, user = \"-\", ...]", true),
            ("[ip = %^127\\.%, ...]", true),
            ("[ip != %^127\\.%, ...]", false),
            ("[..., bytes >= 1534]", true),
            ("[..., bytes <= 1533]", false),
            ("[..., request, code, bytes != 1534]", false),
            ("[ip, user != -, ...]", false),
        ] {
            assert_eq!(matches(p, APACHE), want, "{p}");
        }
    }

    #[test]
    fn the_guides_word_examples_select_by_first_word() {
        let lines = ["ERROR WARN message", "ERROR message", "WARN message"];
        let which = |p: &str| -> Vec<usize> {
            let d = pattern(p);
            (0..3)
                .filter(|i| d.evaluate(lines[*i]).is_some())
                .map(|i| i + 1)
                .collect()
        };
        assert_eq!(which("[w1=ERROR, w2]"), [2]);
        assert_eq!(which("[w1=ERROR || w1=WARN, w2]"), [2, 3]);
        // The guide says this one selects line 1, which has three fields and starts with
        // ERROR; by its own rules (field count, w1 != ERROR) it selects none.
        assert_eq!(which("[w1!=ERROR&&w1!=WARN, w2]"), Vec::<usize>::new());
        assert_eq!(which("[w1=ERROR, ...]"), [1, 2]);
    }

    #[test]
    fn extracted_values_name_fields_or_number_them() {
        let d = pattern("[..., request=*.html*, status_code=4*,]");
        let count = d.evaluate(APACHE).unwrap_or_else(|| panic!("should match"));
        let got = d.extracted(APACHE, count);
        let want: BTreeMap<String, String> = [
            ("$1", "127.0.0.1"),
            ("$2", "-"),
            ("$3", "frank"),
            ("$4", "10/Oct/2000:13:25:15 -0700"),
            ("$request", "GET /index.html HTTP/1.0"),
            ("$status_code", "404"),
            ("$7", "1534"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(got, want);
        assert_eq!(d.slot_named("status_code"), Some(2));
        assert_eq!(d.field_text(APACHE, count, 2), Some("404"));
        assert_eq!(d.slot_named("bytes"), None);
    }

    #[test]
    fn conditions_may_refer_to_another_named_field() {
        assert!(matches("[a, b = x && a = 1]", "1 x"));
        assert!(!matches("[a, b = x && a = 2]", "1 x"));
    }

    #[test]
    fn malformed_space_delimited_patterns_are_refused_with_a_reason() {
        for (p, needle) in [
            ("[]", "no fields"),
            ("[a, ..., b, ...]", "only once"),
            ("[a, b", "',' or ']'"),
            ("[a b]", "',' or ']'"),
            ("[a, b] c", "after the closing"),
            ("[a, a]", "used twice"),
            ("[a = 1, b = 2 && c = 3]", "names no field"),
            ("[a = 1 || b, b]", "without a condition"),
            ("[a > x]", "must be a number"),
            ("[a = ]", "expected a value"),
            ("[a == 1]", "'=='"),
            ("[a = %x%, b = %y%, c = %z%]", "at most 2"),
            ("[@a]", "field name"),
        ] {
            let detail = parse_error(p);
            assert!(detail.contains(needle), "{p}: {detail}");
        }
    }
}
