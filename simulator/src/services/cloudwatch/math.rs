//! A subset of metric math for GetMetricData and alarms on expressions: numbers, the ids
//! of other queries, `+ - * /`, unary minus, parentheses, `ABS(x)`, `FILL(x, value)` and
//! `SUM`/`AVG`/`MIN`/`MAX` (element-wise over `[a, b, ...]`, or over all points of one
//! series). Anything else is refused with a validation error naming the function, rather
//! than answered wrongly.
//!
//! Series are aligned by timestamp: a binary operation keeps the timestamps both sides
//! have (a number applies to every point); results that are not finite (division by zero)
//! are dropped.

use std::collections::BTreeMap;

use crate::error::AwsError;

use super::errors::validation;

/// A time series: epoch seconds -> value.
pub type Series = BTreeMap<i64, f64>;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Id(String),
    Neg(Box<Expr>),
    Binary(char, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    List(Vec<Expr>),
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Scalar(f64),
    Series(Series),
    List(Vec<Series>),
}

const FUNCTIONS: &[&str] = &["ABS", "FILL", "SUM", "AVG", "MIN", "MAX"];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Sym(char),
}

fn err(msg: impl Into<String>) -> AwsError {
    validation(msg)
}

fn tokens(s: &str) -> Result<Vec<Tok>, AwsError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // An exponent: 1e3, 2.5E-4.
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let n = text
                .parse::<f64>()
                .map_err(|_| err(format!("Invalid number in expression: {text}")))?;
            out.push(Tok::Num(n));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if "+-*/(),[]".contains(c) {
            out.push(Tok::Sym(c));
            i += 1;
        } else {
            return Err(err(format!(
                "Unsupported character '{c}' in metric math expression."
            )));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

/// Nesting deeper than this is refused (no stack exhaustion on hostile input).
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), AwsError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(err(format!(
                "Syntax error in metric math expression: expected '{c}'."
            )))
        }
    }

    fn expr(&mut self) -> Result<Expr, AwsError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err("Metric math expression is nested too deeply."));
        }
        let mut left = self.term()?;
        while let Some(Tok::Sym(c @ ('+' | '-'))) = self.peek() {
            let op = *c;
            self.pos += 1;
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, AwsError> {
        let mut left = self.unary()?;
        while let Some(Tok::Sym(c @ ('*' | '/'))) = self.peek() {
            let op = *c;
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, AwsError> {
        // Signs are counted, not recursed into: a long run of them cannot exhaust the stack.
        let mut negative = false;
        loop {
            if self.eat('-') {
                negative = !negative;
            } else if !self.eat('+') {
                break;
            }
        }
        let e = self.atom()?;
        Ok(if negative { Expr::Neg(Box::new(e)) } else { e })
    }

    fn atom(&mut self) -> Result<Expr, AwsError> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Number(n))
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.eat('(') {
                    let upper = name.to_ascii_uppercase();
                    if !FUNCTIONS.contains(&upper.as_str()) || name != upper {
                        return Err(err(format!(
                            "Unsupported metric math function: {name}. ctsim evaluates {}.",
                            FUNCTIONS.join(", ")
                        )));
                    }
                    let mut args = Vec::new();
                    if !self.eat(')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(')') {
                                break;
                            }
                            self.expect(',')?;
                        }
                    }
                    Ok(Expr::Call(upper, args))
                } else {
                    Ok(Expr::Id(name))
                }
            }
            Some(Tok::Sym('(')) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(')')?;
                Ok(e)
            }
            Some(Tok::Sym('[')) => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    items.push(self.expr()?);
                    if self.eat(']') {
                        break;
                    }
                    self.expect(',')?;
                }
                Ok(Expr::List(items))
            }
            _ => Err(err("Syntax error in metric math expression.")),
        }
    }
}

/// Parses an expression; a validation error says what is wrong or unsupported.
pub fn parse(s: &str) -> Result<Expr, AwsError> {
    let mut p = Parser {
        toks: tokens(s)?,
        pos: 0,
        depth: 0,
    };
    if p.toks.is_empty() {
        return Err(err("Metric math expression is empty."));
    }
    let e = p.expr()?;
    if p.pos != p.toks.len() {
        return Err(err("Syntax error in metric math expression."));
    }
    Ok(e)
}

/// The ids an expression refers to.
pub fn references(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Id(id) => {
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        Expr::Number(_) => {}
        Expr::Neg(x) => references(x, out),
        Expr::Binary(_, a, b) => {
            references(a, out);
            references(b, out);
        }
        Expr::Call(_, args) | Expr::List(args) => args.iter().for_each(|a| references(a, out)),
    }
}

fn apply(op: char, a: f64, b: f64) -> f64 {
    match op {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        _ => a / b,
    }
}

fn finite(s: Series) -> Series {
    s.into_iter().filter(|(_, v)| v.is_finite()).collect()
}

fn series_of(v: Val, what: &str) -> Result<Series, AwsError> {
    match v {
        Val::Series(s) => Ok(s),
        _ => Err(err(format!("{what} expects a time series."))),
    }
}

fn combine(items: Vec<Series>, f: fn(&[f64]) -> f64) -> Series {
    let mut at: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for s in items {
        for (t, v) in s {
            at.entry(t).or_default().push(v);
        }
    }
    finite(at.into_iter().map(|(t, vs)| (t, f(&vs))).collect())
}

fn sum(v: &[f64]) -> f64 {
    v.iter().sum()
}
fn avg(v: &[f64]) -> f64 {
    sum(v) / v.len() as f64
}
fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}
fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// Evaluates an expression over the series of the ids it names. `grid` lists the
/// timestamps a number-only expression is answered at, and where `FILL` fills gaps.
pub fn eval(e: &Expr, vars: &BTreeMap<String, Series>, grid: &[i64]) -> Result<Val, AwsError> {
    Ok(match e {
        Expr::Number(n) => Val::Scalar(*n),
        Expr::Id(id) => Val::Series(
            vars.get(id)
                .cloned()
                .ok_or_else(|| err(format!("Unknown metric id in expression: {id}")))?,
        ),
        Expr::Neg(x) => match eval(x, vars, grid)? {
            Val::Scalar(n) => Val::Scalar(-n),
            Val::Series(s) => Val::Series(s.into_iter().map(|(t, v)| (t, -v)).collect()),
            Val::List(l) => Val::List(
                l.into_iter()
                    .map(|s| s.into_iter().map(|(t, v)| (t, -v)).collect())
                    .collect(),
            ),
        },
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a, vars, grid)?, eval(b, vars, grid)?);
            match (a, b) {
                (Val::Scalar(x), Val::Scalar(y)) => Val::Scalar(apply(*op, x, y)),
                (Val::Series(s), Val::Scalar(y)) => Val::Series(finite(
                    s.into_iter().map(|(t, v)| (t, apply(*op, v, y))).collect(),
                )),
                (Val::Scalar(x), Val::Series(s)) => Val::Series(finite(
                    s.into_iter().map(|(t, v)| (t, apply(*op, x, v))).collect(),
                )),
                (Val::Series(a), Val::Series(b)) => Val::Series(finite(
                    a.into_iter()
                        .filter_map(|(t, v)| b.get(&t).map(|w| (t, apply(*op, v, *w))))
                        .collect(),
                )),
                _ => {
                    return Err(err(
                        "Arithmetic on an array of time series is not supported.",
                    ));
                }
            }
        }
        Expr::List(items) => Val::List(
            items
                .iter()
                .map(|i| series_of(eval(i, vars, grid)?, "An array"))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Call(f, args) => call(f, args, vars, grid)?,
    })
}

fn call(
    f: &str,
    args: &[Expr],
    vars: &BTreeMap<String, Series>,
    grid: &[i64],
) -> Result<Val, AwsError> {
    let arity = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(err(format!("{f} takes {n} argument(s).")))
        }
    };
    match f {
        "ABS" => {
            arity(1)?;
            Ok(match eval(&args[0], vars, grid)? {
                Val::Scalar(n) => Val::Scalar(n.abs()),
                Val::Series(s) => Val::Series(s.into_iter().map(|(t, v)| (t, v.abs())).collect()),
                Val::List(_) => return Err(err("ABS of an array is not supported.")),
            })
        }
        "FILL" => {
            arity(2)?;
            let s = series_of(eval(&args[0], vars, grid)?, "FILL")?;
            let Val::Scalar(fill) = eval(&args[1], vars, grid)? else {
                return Err(err("FILL's second argument must be a number."));
            };
            let mut out = s;
            for t in grid {
                out.entry(*t).or_insert(fill);
            }
            Ok(Val::Series(out))
        }
        _ => {
            arity(1)?;
            let agg: fn(&[f64]) -> f64 = match f {
                "SUM" => sum,
                "AVG" => avg,
                "MIN" => min,
                _ => max,
            };
            match eval(&args[0], vars, grid)? {
                Val::List(items) => Ok(Val::Series(combine(items, agg))),
                Val::Series(s) => {
                    let vals: Vec<f64> = s.values().copied().collect();
                    if vals.is_empty() {
                        Ok(Val::Series(Series::new()))
                    } else {
                        Ok(Val::Scalar(agg(&vals)))
                    }
                }
                Val::Scalar(n) => Ok(Val::Scalar(n)),
            }
        }
    }
}

/// An expression's result as one series: a number is answered at every grid point.
pub fn as_series(v: Val, grid: &[i64]) -> Result<Series, AwsError> {
    match v {
        Val::Series(s) => Ok(s),
        Val::Scalar(n) if n.is_finite() => Ok(grid.iter().map(|t| (*t, n)).collect()),
        Val::Scalar(_) => Ok(Series::new()),
        Val::List(_) => Err(err(
            "The expression returns an array of time series; one time series is expected.",
        )),
    }
}
