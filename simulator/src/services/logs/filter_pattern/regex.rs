//! The regular-expression subset CloudWatch Logs documents for `%...%` patterns: letters,
//! digits, the symbols `_ # = @ / ; , - :` and spaces as literals; `.`, `[...]` classes
//! (ranges, `^` negation), `\d \D \s \S \w \W`, backslash escapes of the operator
//! characters, `\xhh` for any ASCII character (how the guide matches symbols it does not
//! allow as literals, such as `(`), the repetitions `? * + {m} {m,} {m,n}`, `|` alternation, and `^` / `$`
//! anchors. Parentheses and multi-byte characters are refused, as AWS refuses them.
//!
//! With no groups, every alternative is a straight line of repeated atoms, so the matcher is
//! a position-set (Thompson) simulation over at most [`MAX_STATES`] states held in a fixed
//! bit set on the stack: linear in the message, no backtracking blow-up, no allocation.

const MAX_STATES: usize = 256;
const WORDS: usize = MAX_STATES / 64;
/// The largest count a `{m,n}` may name (the state limit usually bites first).
const MAX_REPEAT: u32 = 255;

type Bits = [u64; WORDS];

fn set(bits: &mut Bits, i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn ones(bits: &Bits) -> impl Iterator<Item = usize> + '_ {
    bits.iter().enumerate().flat_map(|(wi, &w)| {
        let mut w = w;
        std::iter::from_fn(move || {
            if w == 0 {
                return None;
            }
            let b = w.trailing_zeros() as usize;
            w &= w - 1;
            Some(wi * 64 + b)
        })
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    Digit,
    Space,
    Word,
}

impl Builtin {
    fn matches(self, ch: char) -> bool {
        match self {
            Builtin::Digit => ch.is_ascii_digit(),
            Builtin::Space => matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
            Builtin::Word => ch.is_ascii_alphanumeric() || ch == '_',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    Range(char, char),
    Builtin(Builtin, bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    /// `.`: any character but a newline.
    Any,
    Char(char),
    Builtin(Builtin, bool),
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

impl Atom {
    fn matches(&self, ch: char) -> bool {
        match self {
            Atom::Any => ch != '\n',
            Atom::Char(c) => *c == ch,
            Atom::Builtin(b, negated) => b.matches(ch) != *negated,
            Atom::Class { negated, items } => {
                let hit = items.iter().any(|item| match item {
                    ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&ch),
                    ClassItem::Builtin(b, neg) => b.matches(ch) != *neg,
                });
                hit != *negated
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rep {
    One,
    Optional,
    Star,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Step { atom: Atom, rep: Rep },
    Accept { at_end: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Start {
    pos: usize,
    anchored: bool,
}

/// A compiled `%regex%`: an unanchored search unless `^` / `$` say otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Regex {
    nodes: Vec<Node>,
    starts: Vec<Start>,
}

/// Literal characters the guide allows besides letters and digits.
fn is_plain(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
        || matches!(
            ch,
            '_' | '#' | '=' | '@' | '/' | ';' | ',' | '-' | ':' | ' '
        )
}

fn is_operator(ch: char) -> bool {
    matches!(
        ch,
        '^' | '$' | '?' | '[' | ']' | '{' | '}' | '|' | '\\' | '*' | '+' | '.'
    )
}

impl Regex {
    /// Compiles the text between the `%` signs; the error says what is unsupported.
    pub(super) fn compile(source: &str) -> Result<Regex, String> {
        if source.is_empty() {
            return Err("the regular expression is empty".into());
        }
        for ch in source.chars() {
            if !ch.is_ascii() {
                return Err("multi-byte characters are not supported".into());
            }
            if matches!(ch, '(' | ')') {
                return Err("'(' and ')' are not supported; subpatterns cannot be grouped".into());
            }
            if !is_plain(ch) && !is_operator(ch) {
                return Err(format!("the character '{ch}' is not supported"));
            }
        }
        let chars: Vec<char> = source.chars().collect();
        let mut regex = Regex {
            nodes: Vec::new(),
            starts: Vec::new(),
        };
        for alt in split_alternatives(&chars) {
            regex.add_alternative(alt)?;
        }
        Ok(regex)
    }

    fn add_alternative(&mut self, alt: &[char]) -> Result<(), String> {
        if alt.is_empty() {
            return Err("an alternative of '|' is empty".into());
        }
        let (anchored, mut body) = match alt.split_first() {
            Some(('^', rest)) => (true, rest),
            _ => (false, alt),
        };
        let mut at_end = false;
        if let Some((&'$', rest)) = body.split_last()
            && !ends_with_escape(rest)
        {
            at_end = true;
            body = rest;
        }
        let start = self.nodes.len();
        let mut i = 0;
        while i < body.len() {
            let (atom, next) = parse_atom(body, i)?;
            let (min, max, next) = parse_repeat(body, next)?;
            if body
                .get(next)
                .is_some_and(|&c| matches!(c, '?' | '*' | '+' | '{'))
            {
                return Err(format!(
                    "'{}' follows another repetition operator and has nothing to repeat",
                    body.get(next).copied().unwrap_or('?')
                ));
            }
            for _ in 0..min {
                self.push(Node::Step {
                    atom: atom.clone(),
                    rep: Rep::One,
                })?;
            }
            match max {
                None => self.push(Node::Step {
                    atom,
                    rep: Rep::Star,
                })?,
                Some(max) => {
                    for _ in min..max {
                        self.push(Node::Step {
                            atom: atom.clone(),
                            rep: Rep::Optional,
                        })?;
                    }
                }
            }
            i = next;
        }
        self.push(Node::Accept { at_end })?;
        self.starts.push(Start {
            pos: start,
            anchored,
        });
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), String> {
        if self.nodes.len() >= MAX_STATES {
            return Err("the regular expression is too complex (too many repetitions)".into());
        }
        self.nodes.push(node);
        Ok(())
    }

    /// Adds `pos` and every position reachable from it without consuming a character.
    fn enter(&self, bits: &mut Bits, mut pos: usize) {
        loop {
            set(bits, pos);
            match self.nodes.get(pos) {
                Some(Node::Step {
                    rep: Rep::Optional | Rep::Star,
                    ..
                }) => pos += 1,
                _ => return,
            }
        }
    }

    fn accepts(&self, bits: &Bits, at_text_end: bool) -> bool {
        ones(bits).any(|p| {
            matches!(self.nodes.get(p), Some(Node::Accept { at_end }) if at_text_end || !*at_end)
        })
    }

    /// True when the regex matches anywhere in `text`.
    pub(super) fn is_match(&self, text: &str) -> bool {
        let mut current: Bits = [0; WORDS];
        for s in &self.starts {
            self.enter(&mut current, s.pos);
        }
        if self.accepts(&current, false) {
            return true;
        }
        let floating = self.starts.iter().any(|s| !s.anchored);
        for ch in text.chars() {
            let mut next: Bits = [0; WORDS];
            for p in ones(&current) {
                if let Some(Node::Step { atom, rep }) = self.nodes.get(p)
                    && atom.matches(ch)
                {
                    let to = if *rep == Rep::Star { p } else { p + 1 };
                    self.enter(&mut next, to);
                }
            }
            for s in self.starts.iter().filter(|s| !s.anchored) {
                self.enter(&mut next, s.pos);
            }
            current = next;
            if self.accepts(&current, false) {
                return true;
            }
            if !floating && current.iter().all(|w| *w == 0) {
                return false;
            }
        }
        self.accepts(&current, true)
    }
}

/// True when the last character is a backslash that escapes what follows it.
fn ends_with_escape(chars: &[char]) -> bool {
    chars.iter().rev().take_while(|c| **c == '\\').count() % 2 == 1
}

/// Splits on `|` outside classes and escapes.
fn split_alternatives(chars: &[char]) -> Vec<&[char]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut in_class = false;
    while let Some(&ch) = chars.get(i) {
        match ch {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '|' if !in_class => {
                parts.push(chars.get(start..i).unwrap_or(&[]));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(chars.get(start..).unwrap_or(&[]));
    parts
}

/// One atom at `i`; returns it and the index after it.
fn parse_atom(body: &[char], i: usize) -> Result<(Atom, usize), String> {
    let Some(&ch) = body.get(i) else {
        return Err("unexpected end of the regular expression".into());
    };
    match ch {
        '\\' => {
            let (atom, next) = parse_escape(body, i)?;
            Ok((atom, next))
        }
        '[' => parse_class(body, i),
        '.' => Ok((Atom::Any, i + 1)),
        '^' => {
            Err("'^' is only supported at the start of the expression or of an alternative".into())
        }
        '$' => {
            Err("'$' is only supported at the end of the expression or of an alternative".into())
        }
        '?' | '*' | '+' | '{' => Err(format!("'{ch}' has nothing to repeat")),
        ']' | '}' => Err(format!("unmatched '{ch}'")),
        _ => Ok((Atom::Char(ch), i + 1)),
    }
}

/// `\d`-style classes or an escaped operator or symbol.
fn parse_escape(body: &[char], i: usize) -> Result<(Atom, usize), String> {
    let Some(&next) = body.get(i + 1) else {
        return Err("the expression ends with a lone '\\'".into());
    };
    if next == 'x' {
        return parse_hex_escape(body, i);
    }
    let atom = match next {
        'd' => Atom::Builtin(Builtin::Digit, false),
        'D' => Atom::Builtin(Builtin::Digit, true),
        's' => Atom::Builtin(Builtin::Space, false),
        'S' => Atom::Builtin(Builtin::Space, true),
        'w' => Atom::Builtin(Builtin::Word, false),
        'W' => Atom::Builtin(Builtin::Word, true),
        c if is_operator(c) || (is_plain(c) && !c.is_ascii_alphanumeric()) => Atom::Char(c),
        c => return Err(format!("the escape '\\{c}' is not supported")),
    };
    Ok((atom, i + 2))
}

/// `\xhh`: two hexadecimal digits naming an ASCII character, matched literally.
fn parse_hex_escape(body: &[char], i: usize) -> Result<(Atom, usize), String> {
    let digits = body.get(i + 2..i + 4).unwrap_or(&[]);
    let value = match digits {
        [hi, lo] => hi
            .to_digit(16)
            .zip(lo.to_digit(16))
            .and_then(|(hi, lo)| char::from_u32(hi * 16 + lo)),
        _ => None,
    };
    match value {
        Some(ch) if ch.is_ascii() => Ok((Atom::Char(ch), i + 4)),
        _ => {
            Err("'\\x' must be followed by two hexadecimal digits naming an ASCII character".into())
        }
    }
}

fn parse_class(body: &[char], open: usize) -> Result<(Atom, usize), String> {
    let mut i = open + 1;
    let negated = body.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    loop {
        let Some(&ch) = body.get(i) else {
            return Err("unterminated character class: expected ']'".into());
        };
        if ch == ']' {
            if items.is_empty() {
                return Err("a character class '[]' is empty".into());
            }
            return Ok((Atom::Class { negated, items }, i + 1));
        }
        let (lo, after) = match class_char(body, i)? {
            ClassChar::Builtin(b, neg) => {
                items.push(ClassItem::Builtin(b, neg));
                i += 2;
                continue;
            }
            ClassChar::Literal(c, after) => (c, after),
        };
        if body.get(after) == Some(&'-') && body.get(after + 1).is_some_and(|c| *c != ']') {
            let ClassChar::Literal(hi, end) = class_char(body, after + 1)? else {
                return Err("a range cannot end with a class such as \\d".into());
            };
            if hi < lo {
                return Err(format!("the range {lo}-{hi} is out of order"));
            }
            items.push(ClassItem::Range(lo, hi));
            i = end;
        } else {
            items.push(ClassItem::Range(lo, lo));
            i = after;
        }
    }
}

enum ClassChar {
    Literal(char, usize),
    Builtin(Builtin, bool),
}

fn class_char(body: &[char], i: usize) -> Result<ClassChar, String> {
    match body.get(i) {
        None => Err("unterminated character class: expected ']'".into()),
        Some('\\') => match parse_escape(body, i)? {
            (Atom::Builtin(b, neg), _) => Ok(ClassChar::Builtin(b, neg)),
            (Atom::Char(c), next) => Ok(ClassChar::Literal(c, next)),
            _ => Err("unsupported escape in a character class".into()),
        },
        Some('[') => Err("'[' inside a character class must be escaped".into()),
        Some(&c) => Ok(ClassChar::Literal(c, i + 1)),
    }
}

/// A repetition after an atom: `(min, max, next)`, `max == None` for unbounded.
fn parse_repeat(body: &[char], i: usize) -> Result<(u32, Option<u32>, usize), String> {
    match body.get(i) {
        Some('?') => Ok((0, Some(1), i + 1)),
        Some('*') => Ok((0, None, i + 1)),
        Some('+') => Ok((1, None, i + 1)),
        Some('{') => parse_braces(body, i),
        _ => Ok((1, Some(1), i)),
    }
}

/// `{m}`, `{m,}`, `{m,n}`, spaces allowed inside (the guide writes `{m, n}`).
fn parse_braces(body: &[char], open: usize) -> Result<(u32, Option<u32>, usize), String> {
    let close = body
        .iter()
        .skip(open)
        .position(|c| *c == '}')
        .map(|p| p + open)
        .ok_or("'{' starts a repetition but has no closing '}'")?;
    let inner: String = body.get(open + 1..close).unwrap_or(&[]).iter().collect();
    let bad = || format!("'{{{inner}}}' is not a repetition; use {{m}}, {{m,}} or {{m,n}}");
    let number = |s: &str| -> Result<u32, String> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        match s.parse::<u32>() {
            Ok(n) if n <= MAX_REPEAT => Ok(n),
            _ => Err(format!(
                "the repetition count {s} is larger than {MAX_REPEAT}"
            )),
        }
    };
    let (min, max) = match inner.split_once(',') {
        None => {
            let n = number(&inner)?;
            (n, Some(n))
        }
        Some((lo, hi)) if hi.trim().is_empty() => (number(lo)?, None),
        Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
    };
    if max.is_some_and(|max| max < min) {
        return Err(format!("in '{{{inner}}}' the maximum is below the minimum"));
    }
    Ok((min, max, close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(s: &str) -> Regex {
        Regex::compile(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn plain_text_is_found_anywhere() {
        assert!(re("AUTHORIZED").is_match("[ERROR 401] UNAUTHORIZED REQUEST"));
        assert!(re("AUTHORIZED").is_match("[SUCCESS 200] AUTHORIZED REQUEST"));
        assert!(!re("AUTHORIZED").is_match("authorized"));
    }

    #[test]
    fn anchors_pin_the_start_and_end() {
        assert!(re("^[hc]at").is_match("hat trick"));
        assert!(!re("^[hc]at").is_match("that"));
        assert!(re("[hc]at$").is_match("the cat"));
        assert!(!re("[hc]at$").is_match("cats"));
        assert!(re("^abc$").is_match("abc"));
        assert!(!re("^abc$").is_match("abcd"));
    }

    #[test]
    fn repetitions_follow_their_documented_counts() {
        assert!(re("colou?r").is_match("color"));
        assert!(re("colou?r").is_match("colour"));
        assert!(re("^a{3,5}$").is_match("aaaa"));
        assert!(!re("^a{3,5}$").is_match("aa"));
        assert!(!re("^a{3,5}$").is_match("aaaaaa"));
        assert!(re("^a{2}$").is_match("aa"));
        assert!(re("^a{2,}$").is_match("aaaaaaa"));
        assert!(re("^a{ 1 , 2 }$").is_match("aa"));
        assert!(re("ab*c").is_match("ac"));
        assert!(re("ab*c").is_match("abbbc"));
        assert!(!re("ab+c").is_match("ac"));
        assert!(re("ab+c").is_match("abc"));
    }

    #[test]
    fn classes_ranges_and_escapes_match_single_characters() {
        assert!(re("[abcx-z]").is_match("y"));
        assert!(!re("^[abcx-z]$").is_match("d"));
        assert!(re("^[^0-9]+$").is_match("abc"));
        assert!(!re("^[^0-9]+$").is_match("a1"));
        assert!(re(r"10\.10\.0\.1").is_match("from 10.10.0.1:443"));
        assert!(!re(r"10\.10\.0\.1").is_match("10x10x0x1"));
        assert!(re(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$").is_match("192.168.0.1"));
        assert!(re(r"\s\w+\S").is_match("a bc!"));
        assert!(re(r"[\d_]").is_match("_"));
        assert!(re(".ing").is_match("string"));
    }

    #[test]
    fn alternatives_may_each_be_anchored() {
        let r = re(r"Task timed out after|^REPORT\s.+\sStatus: timeout");
        assert!(r.is_match("2024 Task timed out after 3.00 seconds"));
        assert!(r.is_match("REPORT RequestId: x Status: timeout"));
        assert!(!r.is_match("X REPORT RequestId: x Status: timeout"));
        assert!(re("gray|grey").is_match("grey"));
        assert!(re("[Ee]rror|[Ff]ail").is_match("failed: Fail"));
    }

    #[test]
    fn unsupported_syntax_is_refused_with_a_reason() {
        for (src, needle) in [
            ("", "empty"),
            ("something!", "'!'"),
            ("(a|b)", "'(' and ')'"),
            ("caf\u{e9}", "multi-byte"),
            ("*a", "nothing to repeat"),
            ("a**", "nothing to repeat"),
            ("a{2", "closing"),
            ("a{x}", "not a repetition"),
            ("a{5,2}", "below the minimum"),
            ("[a", "unterminated"),
            ("[]", "empty"),
            ("[z-a]", "out of order"),
            ("a^b", "'^'"),
            ("a$b", "'$'"),
            ("a|", "empty"),
            (r"\q", "escape"),
            (r"\1", "escape"),
            ("a\\", "lone"),
            ("a{255}{1}", "nothing to repeat"),
            ("a{200}b{200}", "too complex"),
        ] {
            let err = Regex::compile(src).expect_err(src);
            assert!(err.contains(needle), "{src}: {err}");
        }
    }

    #[test]
    fn pathological_patterns_stay_linear() {
        let r = re("a*a*a*a*a*a*a*a*a*a*b");
        let text = "a".repeat(20_000);
        assert!(!r.is_match(&text));
    }

    #[test]
    fn hex_escapes_match_ascii_characters_the_syntax_does_not_allow() {
        assert!(re(r"\x3A").is_match("key:value"));
        assert!(re(r"f\x28x\x29").is_match("f(x)"));
        assert!(!re(r"\x28").is_match("fx"));
        assert!(re(r"[\x21\x3F]$").is_match("really?"));
        assert!(re(r"^\x41{2}$").is_match("AA"));
        assert!(re(r"\x7c").is_match("a|b"));
        for bad in [r"\x", r"\x4", r"\x4G", r"\xFF"] {
            let err = Regex::compile(bad).expect_err(bad);
            assert!(err.contains("hexadecimal"), "{bad}: {err}");
        }
    }

    #[test]
    fn an_escaped_dollar_is_a_literal() {
        let r = re(r"cost\$");
        assert!(r.is_match("cost$ 5"));
        assert!(!r.is_match("cost"));
    }
}
