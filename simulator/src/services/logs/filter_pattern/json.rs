//! JSON filter patterns: `{ SELECTOR OP VALUE }`, `IS NULL`, `NOT EXISTS`, `IS TRUE`,
//! `IS FALSE`, combined with `&&`, `||` and parentheses.
//!
//! Semantics, as the CloudWatch Logs guide gives them: a message that is not a JSON object
//! never matches; a comparison only applies when the selector reaches a value node (string,
//! number, or boolean here) — on a missing field, `null`, an object or an array both `=` and
//! `!=` are false, which is why the CIS root-usage filter spells out `NOT EXISTS`.
//!
//! A selector may use the `*` wildcard once (`$.items[*].id`, `$.*`): it stands for every
//! element of an array and every member of an object, and a condition holds when it holds
//! for one of the values reached (`NOT EXISTS` when none is reached). A pattern may hold at
//! most [`MAX_WILDCARD_SELECTORS`] wildcard selectors. A property whose name has a period is
//! selected with the bracket notation, `$.['cluster.name']`.

use std::borrow::Cow;

use super::FilterPatternError;
use super::json_scan::{self, Node};
use super::syntax::{
    BoolExpr, CmpOp, Cursor, Operand, RegexBudget, parse_expr, parse_number, parse_op,
    parse_operand,
};

/// How many selectors of one JSON pattern may use the `*` wildcard (the guide's quota).
pub(super) const MAX_WILDCARD_SELECTORS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
    /// `[*]` or `.*`: every element of an array, every member of an object.
    Any,
}

/// `$.a.b[0].c`: property names are letters, digits, `-` and `_` (any text in the bracket
/// notation `['a.b']`); indexes and `[*]` follow a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Selector {
    steps: Vec<Step>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

impl Selector {
    fn parse(c: &mut Cursor<'_>) -> Result<Selector, FilterPatternError> {
        if !c.eat("$") {
            return Err(c.error(format!(
                "expected a selector starting with '$' (such as $.eventName), found {}",
                c.found()
            )));
        }
        let mut steps = Vec::new();
        loop {
            match c.peek() {
                Some('.') => {
                    c.bump();
                    match c.peek() {
                        Some('*') => {
                            c.bump();
                            steps.push(Step::Any);
                        }
                        Some('[') => {
                            c.bump();
                            if !matches!(c.peek(), Some('\'' | '"')) {
                                return Err(c.error(format!(
                                    "expected a quoted property name after '.[', as in $.['cluster.name'], found {}",
                                    c.found()
                                )));
                            }
                            steps.push(quoted_key(c)?);
                        }
                        _ => {
                            let name = c.take_while(is_name_char);
                            if name.is_empty() {
                                return Err(c.error(format!(
                                    "expected a property name after '.', found {} (names are letters, digits, '-' and '_'; use $.['a.b'] for others)",
                                    c.found()
                                )));
                            }
                            steps.push(Step::Key(name.to_string()));
                        }
                    }
                }
                Some('[') => {
                    c.bump();
                    if matches!(c.peek(), Some('\'' | '"')) {
                        steps.push(quoted_key(c)?);
                        continue;
                    }
                    if steps.is_empty() {
                        return Err(
                            c.error("an array index must follow a property, as in $.items[0]")
                        );
                    }
                    if c.eat("*") {
                        steps.push(Step::Any);
                    } else {
                        let digits = c.take_while(|ch| ch.is_ascii_digit());
                        let index = digits.parse::<usize>().map_err(|_| {
                            c.error(format!("expected an array index, found {}", c.found()))
                        })?;
                        steps.push(Step::Index(index));
                    }
                    if !c.eat("]") {
                        return Err(c.error(format!("expected ']', found {}", c.found())));
                    }
                }
                _ => break,
            }
        }
        if steps.is_empty() {
            return Err(c.error("a selector needs a property after '$', as in $.eventName"));
        }
        if steps.iter().filter(|s| **s == Step::Any).count() > 1 {
            return Err(c.error("a property selector may use the '*' wildcard only once"));
        }
        Ok(Selector { steps })
    }

    fn has_wildcard(&self) -> bool {
        self.steps.contains(&Step::Any)
    }

    pub(super) fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// A whole string that must be one selector (metric values and dimensions).
    pub(super) fn parse_all(text: &str) -> Result<Selector, FilterPatternError> {
        let mut c = Cursor::new(text);
        let selector = Selector::parse(&mut c)?;
        if !c.at_end() {
            return Err(c.error(format!("unexpected {} after the selector", c.found())));
        }
        Ok(selector)
    }

    /// The selected value as text, for dimensions: strings, numbers and booleans only (with
    /// a wildcard, the first such value reached).
    pub(super) fn text_in<'m>(&self, msg: &'m str) -> Option<Cow<'m, str>> {
        let mut found = None;
        json_scan::any_node(msg, &self.steps, &mut |node| {
            found = match node {
                Node::Str(raw) => Some(json_scan::decode(raw)),
                Node::Number(raw) => Some(Cow::Borrowed(raw)),
                Node::Bool(true) => Some(Cow::Borrowed("true")),
                Node::Bool(false) => Some(Cow::Borrowed("false")),
                _ => None,
            };
            found.is_some()
        });
        found
    }

    /// The selected value as a number, for metric values: a JSON number, or a string that
    /// is one (with a wildcard, the first such value reached).
    pub(super) fn number_in(&self, msg: &str) -> Option<f64> {
        let mut found = None;
        json_scan::any_node(msg, &self.steps, &mut |node| {
            found = match node {
                Node::Number(raw) => parse_number(raw),
                Node::Str(raw) => parse_number(&json_scan::decode(raw)),
                _ => None,
            };
            found.is_some()
        });
        found
    }
}

/// `'name']` or `"name"]` after the `[` of the bracket notation.
fn quoted_key(c: &mut Cursor<'_>) -> Result<Step, FilterPatternError> {
    let Some(quote) = c.bump() else {
        return Err(c.error("expected a quoted property name"));
    };
    let name = c.take_while(|ch| ch != quote);
    if !c.eat(&quote.to_string()) {
        return Err(c.error(format!(
            "unterminated property name: expected a closing {quote}"
        )));
    }
    if name.is_empty() {
        return Err(c.error("a quoted property name is empty"));
    }
    if !c.eat("]") {
        return Err(c.error(format!(
            "expected ']' after the quoted property name, found {}",
            c.found()
        )));
    }
    Ok(Step::Key(name.to_string()))
}

#[derive(Debug, Clone)]
enum Test {
    Compare(CmpOp, Operand),
    IsNull,
    NotExists,
    IsTrue,
    IsFalse,
}

#[derive(Debug, Clone)]
pub(super) struct Condition {
    selector: Selector,
    test: Test,
}

impl Condition {
    pub(super) fn selector(&self) -> &Selector {
        &self.selector
    }

    /// Whether the condition holds in a message [`json_scan::is_json_object`] accepted.
    pub(super) fn holds(&self, msg: &str) -> bool {
        let steps = &self.selector.steps;
        self.holds_over(|test| json_scan::any_node(msg, steps, test))
    }

    /// The condition over the nodes its selector reaches, however they are found: `any`
    /// hands each node to `test` until `test` returns true, and says whether it did
    /// (metric filter sets pass the node their shared scan recorded).
    pub(super) fn holds_over<'m>(
        &self,
        mut any: impl FnMut(&mut dyn FnMut(Node<'m>) -> bool) -> bool,
    ) -> bool {
        match &self.test {
            Test::IsNull => any(&mut |node| node == Node::Null),
            Test::NotExists => !any(&mut |_| true),
            Test::IsTrue => any(&mut |node| node == Node::Bool(true)),
            Test::IsFalse => any(&mut |node| node == Node::Bool(false)),
            Test::Compare(op, operand) => any(&mut |node| match node {
                Node::Str(raw) => operand.test(*op, &json_scan::decode(raw)),
                Node::Number(raw) => operand.test(*op, raw),
                Node::Bool(b) => operand.test(*op, if b { "true" } else { "false" }),
                Node::Missing | Node::Null | Node::Object | Node::Array => false,
            }),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct JsonPattern {
    expr: BoolExpr<Condition>,
    regexes: usize,
}

impl JsonPattern {
    /// Parses from the opening `{` to the end of the text.
    pub(super) fn parse(c: &mut Cursor<'_>) -> Result<JsonPattern, FilterPatternError> {
        if !c.eat("{") {
            return Err(c.error(format!("expected '{{', found {}", c.found())));
        }
        c.skip_ws();
        if c.peek() == Some('}') {
            return Err(c.error("the JSON filter pattern has no condition"));
        }
        let mut budget = RegexBudget::default();
        let expr = parse_expr(c, 0, &mut |c| parse_condition(c, &mut budget))?;
        let mut wildcards = 0;
        expr.for_each_leaf(&mut |cond: &Condition| {
            wildcards += usize::from(cond.selector.has_wildcard());
        });
        if wildcards > MAX_WILDCARD_SELECTORS {
            return Err(c.error(format!(
                "a JSON filter pattern may use at most {MAX_WILDCARD_SELECTORS} wildcard selectors, found {wildcards}"
            )));
        }
        c.skip_ws();
        if !c.eat("}") {
            return Err(c.error(format!("expected '&&', '||' or '}}', found {}", c.found())));
        }
        c.skip_ws();
        if !c.at_end() {
            return Err(c.error(format!(
                "unexpected {} after the closing '}}' of the JSON filter pattern",
                c.found()
            )));
        }
        Ok(JsonPattern {
            expr,
            regexes: budget.used,
        })
    }

    pub(super) fn regex_count(&self) -> usize {
        self.regexes
    }

    /// The `&&` / `||` tree of conditions.
    pub(super) fn conditions(&self) -> &BoolExpr<Condition> {
        &self.expr
    }

    /// Evaluates a message that [`json_scan::is_json_object`] accepted.
    pub(super) fn matches_object(&self, msg: &str) -> bool {
        self.expr.eval(&mut |cond: &Condition| cond.holds(msg))
    }

    #[cfg(test)]
    fn selectors(&self) -> Vec<Vec<Step>> {
        let mut out = Vec::new();
        self.expr
            .for_each_leaf(&mut |c: &Condition| out.push(c.selector.steps.clone()));
        out
    }
}

fn parse_condition(
    c: &mut Cursor<'_>,
    budget: &mut RegexBudget,
) -> Result<Condition, FilterPatternError> {
    c.skip_ws();
    let selector = Selector::parse(c)?;
    c.skip_ws();
    let test = if c.peek().is_some_and(|ch| ch.is_ascii_alphabetic()) {
        parse_keyword_test(c)?
    } else {
        let op = parse_op(c)?;
        Test::Compare(op, parse_operand(c, op, budget)?)
    };
    Ok(Condition { selector, test })
}

/// `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS` (keywords in any case).
fn parse_keyword_test(c: &mut Cursor<'_>) -> Result<Test, FilterPatternError> {
    let word = |c: &mut Cursor<'_>| {
        c.take_while(|ch| ch.is_ascii_alphabetic())
            .to_ascii_uppercase()
    };
    let first = word(c);
    let expected = "expected an operator, IS NULL, IS TRUE, IS FALSE or NOT EXISTS";
    if !c.peek().is_some_and(char::is_whitespace) {
        return Err(c.error(format!("{expected}, found '{first}'")));
    }
    c.skip_ws();
    let second = word(c);
    let test = match (first.as_str(), second.as_str()) {
        ("IS", "NULL") => Test::IsNull,
        ("IS", "TRUE") => Test::IsTrue,
        ("IS", "FALSE") => Test::IsFalse,
        ("NOT", "EXISTS") => Test::NotExists,
        _ => return Err(c.error(format!("{expected}, found '{first} {second}'"))),
    };
    if c.peek().is_some_and(is_name_char) {
        return Err(c.error(format!("{expected}, found a longer word")));
    }
    Ok(test)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> JsonPattern {
        JsonPattern::parse(&mut Cursor::new(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn matches(text: &str, msg: &str) -> bool {
        json_scan::is_json_object(msg) && pattern(text).matches_object(msg)
    }

    fn parse_error(text: &str) -> String {
        match JsonPattern::parse(&mut Cursor::new(text)) {
            Ok(p) => panic!("{text} should not parse: {p:?}"),
            Err(e) => e.detail().to_string(),
        }
    }

    /// The guide's example document.
    const DOC: &str = r#"{
      "eventType": "UpdateTrail",
      "sourceIPAddress": "111.111.111.111",
      "arrayKey": ["value", "another value"],
      "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
      "SomeObject": null,
      "ThisFlag": true
    }"#;

    #[test]
    fn the_guides_examples_match_its_example_document() {
        for p in [
            r#"{ $.eventType = "UpdateTrail" }"#,
            "{ $.sourceIPAddress != 123.123.* }",
            r#"{ $.arrayKey[0] = "value" }"#,
            "{ $.objectList[1].id = 2 }",
            "{ $.SomeObject IS NULL }",
            "{ $.SomeOtherObject NOT EXISTS }",
            "{ $.ThisFlag IS TRUE }",
        ] {
            assert!(matches(p, DOC), "{p}");
        }
        for p in [
            "{ $.ThisFlag IS FALSE }",
            "{ $.eventType IS NULL }",
            "{ $.SomeObject NOT EXISTS }",
            "{ $.eventType.inner = x }",
            "{ $.objectList[2].id = 3 }",
        ] {
            assert!(!matches(p, DOC), "{p}");
        }
    }

    const COMPOUND: &str = r#"{
      "user": {"id": 1, "email": "John.Stiles@example.com"},
      "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
      "actions": ["GET", "PUT", "DELETE"],
      "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]
    }"#;

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        assert!(matches(
            r#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#,
            COMPOUND
        ));
        assert!(!matches(
            r#"{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }"#,
            COMPOUND
        ));
        assert!(matches(
            r#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }"#,
            COMPOUND
        ));
        assert!(!matches(
            r#"{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }"#,
            COMPOUND
        ));
        assert!(matches("{ $.coordinates[2][0] = 7 }", COMPOUND));
        assert!(matches("{$.user.id=1&&$.actions[1]=PUT}", COMPOUND));
    }

    #[test]
    fn comparisons_on_arrays_objects_null_and_missing_fields_never_match() {
        let msg = r#"{"users":[1,2,3],"obj":{"a":1},"nil":null}"#;
        for field in ["users", "obj", "nil", "absent"] {
            assert!(!matches(&format!("{{ $.{field} = 1 }}"), msg), "{field} =");
            assert!(
                !matches(&format!("{{ $.{field} != 1 }}"), msg),
                "{field} !="
            );
            assert!(
                !matches(&format!("{{ $.{field} = * }}"), msg),
                "{field} = *"
            );
            assert!(
                !matches(&format!("{{ $.{field} != \"x\" }}"), msg),
                "{field} != x"
            );
        }
    }

    #[test]
    fn numeric_operators_compare_numbers() {
        let msg = r#"{"latency": 750, "ratio": 0.25, "code": "404", "name": "abc", "big": 1e3}"#;
        for (p, want) in [
            ("{ $.latency >= 500 }", true),
            ("{ $.latency > 750 }", false),
            ("{ $.latency < 1000 }", true),
            ("{ $.latency <= 750 }", true),
            ("{ $.latency = 750.0 }", true),
            ("{ $.latency != 750 }", false),
            ("{ $.latency > +700 }", true),
            ("{ $.ratio < 10e-1 }", true),
            ("{ $.big = 1000 }", true),
            ("{ $.code = 404 }", true),
            ("{ $.code > 400 }", true),
            ("{ $.name > 1 }", false),
            ("{ $.name = 1 }", false),
            ("{ $.name != 1 }", true),
            ("{ $.latency = 7* }", true),
            ("{ $.latency = * }", true),
        ] {
            assert_eq!(matches(p, msg), want, "{p}");
        }
    }

    #[test]
    fn string_values_may_be_quoted_unquoted_wildcarded_or_regex() {
        let msg = r#"{"eventName":"PutEvent","ip":"10.1.2.3","path":"a\"b","flag":false}"#;
        for (p, want) in [
            ("{ $.eventName = PutEvent }", true),
            ("{ $.eventName = \"*Event\" }", true),
            ("{ $.eventName = *Event }", true),
            ("{ $.eventName = Put* }", true),
            ("{ $.eventName = \"Pu*ent\" }", false),
            ("{ $.eventName != \"GetEvent\" }", true),
            ("{ $.eventName = \"putevent\" }", false),
            ("{ $.ip = 10.1.* }", true),
            ("{ $.ip != 10.1.* }", false),
            (r#"{ $.path = "a\"b" }"#, true),
            ("{ $.eventName = %^Put% }", true),
            ("{ $.eventName != %^Put% }", false),
            ("{ $.eventName = \"%^Put%\" }", false),
            ("{ $.flag = false }", true),
            ("{ $.flag IS FALSE }", true),
        ] {
            assert_eq!(matches(p, msg), want, "{p}");
        }
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert!(matches("{ $.a is null }", r#"{"a":null}"#));
        assert!(matches("{ $.b Not Exists }", r#"{"a":null}"#));
    }

    #[test]
    fn a_message_that_is_not_a_json_object_never_matches() {
        for msg in ["NOT JSON", "[1]", r#"{"a":1} trailing"#, ""] {
            assert!(!matches("{ $.a NOT EXISTS }", msg), "{msg}");
        }
    }

    #[test]
    fn selectors_read_names_and_indexes() {
        let key = |k: &str| Step::Key(k.to_string());
        assert_eq!(
            pattern("{ $.a.b[0][12] = 1 || ($.c-d_e IS NULL) }").selectors(),
            [
                vec![key("a"), key("b"), Step::Index(0), Step::Index(12)],
                vec![key("c-d_e")]
            ]
        );
    }

    #[test]
    fn malformed_json_patterns_are_refused_with_a_reason() {
        for (p, needle) in [
            ("{ }", "no condition"),
            ("{ status = \"401\" }", "starting with '$'"),
            ("{ $ = 1 }", "property after '$'"),
            ("{ $. = 1 }", "property name"),
            ("{ $.a[*][*] = 1 }", "only once"),
            ("{ $.*.b[*] = 1 }", "only once"),
            ("{ $.['a.b = 1 }", "unterminated"),
            ("{ $.[''] = 1 }", "empty"),
            ("{ $.['a'.b] = 1 }", "']'"),
            ("{ $.[0] = 1 }", "quoted property name"),
            (
                "{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.* = 1 }",
                "at most 3 wildcard",
            ),
            ("{ $[0] = 1 }", "must follow a property"),
            ("{ $.a[x] = 1 }", "array index"),
            ("{ $.a[1 = 1 }", "']'"),
            ("{ $.a == 1 }", "'=='"),
            ("{ $.a = 'Root' }", "single quotes"),
            ("{ $.a = }", "expected a value"),
            ("{ $.a > abc }", "must be a number"),
            ("{ $.a < \"5\" }", "must be a number"),
            ("{ $.a = 1 ", "'}'"),
            ("{ $.a = 1 } x", "after the closing"),
            ("{ $.a = 1 & $.b = 2 }", "'&&'"),
            ("{ $.a = 1 | $.b = 2 }", "'||'"),
            ("{ ($.a = 1 }", "')'"),
            ("{ $.a IS }", "IS NULL"),
            ("{ $.a IS MAYBE }", "IS NULL"),
            ("{ $.a EXISTS }", "IS NULL"),
            ("{ $.a ~ 1 }", "expected one of"),
            ("{ $.a = user@example.com }", "double quotes"),
            ("{ $.a = \"open }", "unterminated"),
            ("{ $.a = %x% && $.b = %y% && $.c = %z% }", "at most 2"),
            ("{ $.a = %(x)% }", "regular expression"),
            ("{ $.a = %x }", "closing '%'"),
        ] {
            let detail = parse_error(p);
            assert!(detail.contains(needle), "{p}: {detail}");
        }
    }

    #[test]
    fn wildcard_selectors_reach_every_element_and_member() {
        let doc = r#"{"arrayKey":["value","another value"],"ip":"111.111.111.111",
            "users":[{"id":2,"admin":false},{"id":3,"admin":true}],"empty":[],"n":null}"#;
        for (p, want) in [
            (r#"{ $.arrayKey[*] = "another value" }"#, true),
            ("{ $.arrayKey[*] = %val.{2}% }", true),
            (r#"{ $.arrayKey[*] != "value" }"#, true),
            (r#"{ $.arrayKey[*] = "other" }"#, false),
            (r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", true),
            ("{ $.* = 222.* }", false),
            ("{ $.users[*].id = 3 }", true),
            ("{ $.users[*].admin IS TRUE }", true),
            ("{ $.users[*].id > 3 }", false),
            ("{ $.users[*].name NOT EXISTS }", true),
            ("{ $.users[*].id NOT EXISTS }", false),
            ("{ $.empty[*] NOT EXISTS }", true),
            ("{ $.empty[*] = * }", false),
            ("{ $.* IS NULL }", true),
            ("{ $.users.* = 2 }", false),
        ] {
            assert_eq!(matches(p, doc), want, "{p}");
        }
        let sel = |s: &str| Selector::parse_all(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(sel("$.users[*].id").number_in(doc), Some(2.0));
        assert_eq!(
            sel("$.users[*].admin").text_in(doc).as_deref(),
            Some("false")
        );
    }

    #[test]
    fn the_bracket_notation_selects_names_with_periods() {
        let doc = r#"{"cluster.name":"c","a":{"b.c":[1,{"d e":"x"}]}}"#;
        for (p, want) in [
            (r#"{ $.['cluster.name'] = "c" }"#, true),
            (r#"{ $["cluster.name"] = c }"#, true),
            (r#"{ $.a['b.c'][1].['d e'] = "x" }"#, true),
            (r#"{ $.cluster.name = "c" }"#, false),
            (r#"{ $.['cluster'] NOT EXISTS }"#, true),
        ] {
            assert_eq!(matches(p, doc), want, "{p}");
        }
        let key = |k: &str| Step::Key(k.to_string());
        assert_eq!(
            pattern(r"{ $.a['b.c'][*] = 1 }").selectors(),
            [vec![key("a"), key("b.c"), Step::Any]]
        );
    }

    #[test]
    fn metric_values_read_numbers_and_numeric_strings() {
        let msg = r#"{"latency":50,"s":"12.5","t":"x","b":true}"#;
        let sel = |s: &str| Selector::parse_all(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(sel("$.latency").number_in(msg), Some(50.0));
        assert_eq!(sel("$.s").number_in(msg), Some(12.5));
        assert_eq!(sel("$.t").number_in(msg), None);
        assert_eq!(sel("$.b").number_in(msg), None);
        assert_eq!(sel("$.t").text_in(msg).as_deref(), Some("x"));
        assert_eq!(sel("$.b").text_in(msg).as_deref(), Some("true"));
        assert_eq!(sel("$.latency").text_in(msg).as_deref(), Some("50"));
        assert!(Selector::parse_all("$.a b").is_err());
    }
}
