//! Lexing shared by the JSON and space-delimited parsers: a cursor that knows where it is
//! (so every error names a position), the comparison operators, the values on their right
//! (numbers, `*` wildcards, `%regex%`) and the `&&` / `||` / parentheses expression tree.

use std::cmp::Ordering;

use super::regex::Regex;
use super::{FilterPatternError, MAX_DEPTH, MAX_REGEXES_PER_PATTERN};

/// A position in the pattern text. Byte offsets, but errors report 1-based characters.
pub(super) struct Cursor<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Cursor { src, pos: 0 }
    }

    pub(super) fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(super) fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(super) fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub(super) fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// A syntax error at the current position.
    pub(super) fn error(&self, detail: impl std::fmt::Display) -> FilterPatternError {
        let column = self.src.get(..self.pos).map_or(0, |s| s.chars().count()) + 1;
        FilterPatternError::syntax(format!("{detail} (at character {column})"))
    }

    /// What the parser found, for "expected X, found Y" messages.
    pub(super) fn found(&self) -> String {
        match self.peek() {
            None => "the end of the pattern".to_string(),
            Some(c) => format!("'{c}'"),
        }
    }
}

/// Comparison operators. `<`, `<=`, `>`, `>=` only take numbers; `=` and `!=` take anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(super) fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }

    fn holds(self, ord: Ordering) -> bool {
        match self {
            CmpOp::Eq => ord == Ordering::Equal,
            CmpOp::Ne => ord != Ordering::Equal,
            CmpOp::Lt => ord == Ordering::Less,
            CmpOp::Le => ord != Ordering::Greater,
            CmpOp::Gt => ord == Ordering::Greater,
            CmpOp::Ge => ord != Ordering::Less,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Reads an operator; `==` is refused rather than read as `=` followed by a value `=...`.
pub(super) fn parse_op(c: &mut Cursor<'_>) -> Result<CmpOp, FilterPatternError> {
    let op = if c.eat("!=") {
        CmpOp::Ne
    } else if c.eat("<=") {
        CmpOp::Le
    } else if c.eat(">=") {
        CmpOp::Ge
    } else if c.eat("=") {
        CmpOp::Eq
    } else if c.eat("<") {
        CmpOp::Lt
    } else if c.eat(">") {
        CmpOp::Gt
    } else {
        return Err(c.error(format!(
            "expected one of =, !=, <, <=, >, >=, found {}",
            c.found()
        )));
    };
    if c.peek() == Some('=') {
        return Err(c.error("'==' is not an operator; use '='"));
    }
    Ok(op)
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub(super) enum Operand {
    /// An unquoted number: compared numerically.
    Number(f64),
    /// A quoted or unquoted string, `*` allowed at either end.
    Text(Wildcard),
    /// `%regex%`.
    Regex(Regex),
}

impl Operand {
    /// Whether a value (as its text) satisfies `op self`. Text that is not a number never
    /// equals a number, so `!=` holds for it and the ordering operators do not.
    pub(super) fn test(&self, op: CmpOp, text: &str) -> bool {
        match self {
            Operand::Number(want) => match parse_number(text) {
                Some(have) => have.partial_cmp(want).is_some_and(|o| op.holds(o)),
                None => op == CmpOp::Ne,
            },
            Operand::Text(w) => (op == CmpOp::Eq) == w.matches(text),
            Operand::Regex(r) => (op == CmpOp::Eq) == r.is_match(text),
        }
    }
}

/// A string value with AWS's `*` wildcard, which is only a wildcard at the start or the end
/// (`Ev*ent` matches the literal text `Ev*ent`, as the CloudWatch Logs guide says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wildcard {
    core: String,
    leading: bool,
    trailing: bool,
}

impl Wildcard {
    pub(super) fn new(text: &str) -> Self {
        let (leading, rest) = match text.strip_prefix('*') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (trailing, core) = match rest.strip_suffix('*') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        Wildcard {
            core: core.to_string(),
            leading,
            trailing,
        }
    }

    pub(super) fn matches(&self, text: &str) -> bool {
        match (self.leading, self.trailing) {
            (false, false) => text == self.core,
            (true, false) => text.ends_with(self.core.as_str()),
            (false, true) => text.starts_with(self.core.as_str()),
            (true, true) => text.contains(self.core.as_str()),
        }
    }
}

/// A number as the guide defines one: optional sign, integer or decimal, optional exponent.
/// Anything else (including `inf`, `NaN`, hex) is not a number.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok()
}

/// Counts `%regex%` values: AWS allows two per JSON or space-delimited pattern.
#[derive(Debug, Default)]
pub(super) struct RegexBudget {
    pub(super) used: usize,
}

/// Characters that end an unquoted value.
fn ends_unquoted(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ']' | '}' | '&' | '|' | '(' | ')' | '"')
}

/// Reads the value after an operator and checks it suits the operator.
pub(super) fn parse_operand(
    c: &mut Cursor<'_>,
    op: CmpOp,
    budget: &mut RegexBudget,
) -> Result<Operand, FilterPatternError> {
    c.skip_ws();
    let operand = match c.peek() {
        Some('"') => Operand::Text(Wildcard::new(&parse_quoted(c)?)),
        Some('%') => {
            budget.used += 1;
            if budget.used > MAX_REGEXES_PER_PATTERN {
                return Err(c.error(format!(
                    "a JSON or space-delimited filter pattern can contain at most \
                     {MAX_REGEXES_PER_PATTERN} regular expressions"
                )));
            }
            Operand::Regex(parse_regex(c)?)
        }
        Some('\'') => {
            return Err(
                c.error("single quotes are not supported; enclose strings in double quotes")
            );
        }
        _ => {
            let text = c.take_while(|ch| !ends_unquoted(ch));
            if text.is_empty() {
                return Err(c.error(format!("expected a value, found {}", c.found())));
            }
            if let Some(n) = parse_number(text) {
                Operand::Number(n)
            } else {
                check_unquoted(text).map_err(|detail| c.error(detail))?;
                Operand::Text(Wildcard::new(text))
            }
        }
    };
    if op.is_ordering() && !matches!(operand, Operand::Number(_)) {
        return Err(c.error(format!(
            "the operator {} compares numbers; its value must be a number",
            op.symbol()
        )));
    }
    Ok(operand)
}

/// The guide asks for double quotes around strings with anything but plain characters;
/// these are the ones AWS names (`@`, `$`, `\`), non-ASCII text, and what would read as syntax.
fn check_unquoted(text: &str) -> Result<(), String> {
    for ch in text.chars() {
        if !ch.is_ascii() {
            return Err(format!(
                "the value '{text}' contains non-ASCII characters and must be enclosed in double quotes"
            ));
        }
        if matches!(
            ch,
            '@' | '$' | '\\' | '%' | '\'' | '=' | '<' | '>' | '!' | '{' | '['
        ) || ch.is_ascii_control()
        {
            return Err(format!(
                "the value '{text}' contains '{ch}' and must be enclosed in double quotes"
            ));
        }
    }
    Ok(())
}

/// A double-quoted string; `\"` and `\\` stand for `"` and `\`, other backslashes are kept.
pub(super) fn parse_quoted(c: &mut Cursor<'_>) -> Result<String, FilterPatternError> {
    if !c.eat("\"") {
        return Err(c.error(format!("expected '\"', found {}", c.found())));
    }
    let mut out = String::new();
    loop {
        match c.bump() {
            None => return Err(c.error("unterminated quoted string")),
            Some('"') => return Ok(out),
            Some('\\') => match c.peek() {
                Some(q @ ('"' | '\\')) => {
                    c.bump();
                    out.push(q);
                }
                _ => out.push('\\'),
            },
            Some(ch) => out.push(ch),
        }
    }
}

/// `%...%`: there is no escape for `%` inside, so the regex ends at the next one.
pub(super) fn parse_regex(c: &mut Cursor<'_>) -> Result<Regex, FilterPatternError> {
    if !c.eat("%") {
        return Err(c.error(format!("expected '%', found {}", c.found())));
    }
    let body = c.take_while(|ch| ch != '%');
    if !c.eat("%") {
        return Err(c.error("unterminated regular expression: expected a closing '%'"));
    }
    Regex::compile(body).map_err(|detail| c.error(format!("invalid regular expression: {detail}")))
}

/// A boolean combination of leaves. `&&` binds tighter than `||`, parentheses group.
#[derive(Debug, Clone)]
pub(super) enum BoolExpr<L> {
    Leaf(L),
    All(Vec<BoolExpr<L>>),
    Any(Vec<BoolExpr<L>>),
}

impl<L> BoolExpr<L> {
    /// Short-circuits like the operators read; the tree is at most [`MAX_DEPTH`] deep, so
    /// the recursion is bounded.
    pub(super) fn eval(&self, leaf: &mut impl FnMut(&L) -> bool) -> bool {
        match self {
            BoolExpr::Leaf(l) => leaf(l),
            BoolExpr::All(xs) => xs.iter().all(|x| x.eval(leaf)),
            BoolExpr::Any(xs) => xs.iter().any(|x| x.eval(leaf)),
        }
    }

    pub(super) fn for_each_leaf<'s>(&'s self, f: &mut impl FnMut(&'s L)) {
        match self {
            BoolExpr::Leaf(l) => f(l),
            BoolExpr::All(xs) | BoolExpr::Any(xs) => xs.iter().for_each(|x| x.for_each_leaf(f)),
        }
    }

    pub(super) fn try_map<M, E>(
        self,
        f: &mut impl FnMut(L) -> Result<M, E>,
    ) -> Result<BoolExpr<M>, E> {
        Ok(match self {
            BoolExpr::Leaf(l) => BoolExpr::Leaf(f(l)?),
            BoolExpr::All(xs) => BoolExpr::All(
                xs.into_iter()
                    .map(|x| x.try_map(f))
                    .collect::<Result<_, _>>()?,
            ),
            BoolExpr::Any(xs) => BoolExpr::Any(
                xs.into_iter()
                    .map(|x| x.try_map(f))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
}

/// Parses `a || b && (c || d)`; `leaf` reads one condition.
pub(super) fn parse_expr<L>(
    c: &mut Cursor<'_>,
    depth: usize,
    leaf: &mut impl FnMut(&mut Cursor<'_>) -> Result<L, FilterPatternError>,
) -> Result<BoolExpr<L>, FilterPatternError> {
    let mut any = vec![parse_and(c, depth, leaf)?];
    loop {
        c.skip_ws();
        if c.eat("||") {
            any.push(parse_and(c, depth, leaf)?);
        } else if c.peek() == Some('|') {
            return Err(c.error("'|' is not an operator; use '||'"));
        } else {
            break;
        }
    }
    Ok(if any.len() == 1 {
        any.swap_remove(0)
    } else {
        BoolExpr::Any(any)
    })
}

fn parse_and<L>(
    c: &mut Cursor<'_>,
    depth: usize,
    leaf: &mut impl FnMut(&mut Cursor<'_>) -> Result<L, FilterPatternError>,
) -> Result<BoolExpr<L>, FilterPatternError> {
    let mut all = vec![parse_primary(c, depth, leaf)?];
    loop {
        c.skip_ws();
        if c.eat("&&") {
            all.push(parse_primary(c, depth, leaf)?);
        } else if c.peek() == Some('&') {
            return Err(c.error("'&' is not an operator; use '&&'"));
        } else {
            break;
        }
    }
    Ok(if all.len() == 1 {
        all.swap_remove(0)
    } else {
        BoolExpr::All(all)
    })
}

fn parse_primary<L>(
    c: &mut Cursor<'_>,
    depth: usize,
    leaf: &mut impl FnMut(&mut Cursor<'_>) -> Result<L, FilterPatternError>,
) -> Result<BoolExpr<L>, FilterPatternError> {
    c.skip_ws();
    if c.peek() != Some('(') {
        return Ok(BoolExpr::Leaf(leaf(c)?));
    }
    if depth >= MAX_DEPTH {
        return Err(FilterPatternError::too_deep(c.error(format!(
            "parentheses are nested more than {MAX_DEPTH} deep"
        ))));
    }
    c.bump();
    let inner = parse_expr(c, depth + 1, leaf)?;
    c.skip_ws();
    if !c.eat(")") {
        return Err(c.error(format!("expected ')', found {}", c.found())));
    }
    Ok(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_documented_grammar() {
        for (text, want) in [
            ("500", Some(500.0)),
            ("+1000", Some(1000.0)),
            ("-3", Some(-3.0)),
            ("55.5", Some(55.5)),
            ("10e3", Some(10e3)),
            ("10e-3", Some(10e-3)),
            ("1.5E+2", Some(150.0)),
            (".5", Some(0.5)),
            ("", None),
            ("-", None),
            ("1e", None),
            ("4*", None),
            ("inf", None),
            ("NaN", None),
            ("0x10", None),
            ("1.2.3", None),
        ] {
            assert_eq!(parse_number(text), want, "{text}");
        }
    }

    #[test]
    fn wildcards_apply_only_at_the_ends() {
        assert!(Wildcard::new("*Event").matches("PutEvent"));
        assert!(Wildcard::new("Event*").matches("EventName"));
        assert!(Wildcard::new("*html*").matches("GET /index.html HTTP/1.0"));
        assert!(Wildcard::new("*").matches(""));
        assert!(Wildcard::new("Ev*ent").matches("Ev*ent"));
        assert!(!Wildcard::new("Ev*ent").matches("Event"));
        assert!(!Wildcard::new("Event").matches("PutEvent"));
    }

    #[test]
    fn operands_that_are_not_numbers_are_never_numerically_equal() {
        let n = Operand::Number(400.0);
        assert!(n.test(CmpOp::Eq, "400"));
        assert!(n.test(CmpOp::Eq, "400.0"));
        assert!(!n.test(CmpOp::Eq, "abc"));
        assert!(n.test(CmpOp::Ne, "abc"));
        assert!(!n.test(CmpOp::Lt, "abc"));
        assert!(n.test(CmpOp::Le, "400"));
        assert!(n.test(CmpOp::Gt, "401"));
        assert!(!n.test(CmpOp::Gt, "400"));
        assert!(n.test(CmpOp::Ge, "400"));
        assert!(n.test(CmpOp::Lt, "-1"));
    }
}
