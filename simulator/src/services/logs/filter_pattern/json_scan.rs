//! A zero-copy JSON reader for JSON filter patterns. Log events are evaluated one by one
//! and most never match, so instead of building a `serde_json::Value` tree per event this
//! validates the message once (iteratively, with a fixed-size nesting stack) and then walks
//! the raw bytes to each selected path, skipping everything else. Strings are handed out as
//! raw slices and only unescaped (the one allocation) when they contain a backslash.

use std::borrow::Cow;

use super::json::Step;

/// Containers deeper than this make the message "not JSON" for filter purposes.
pub(super) const MAX_NESTING: usize = 512;

/// What a selector found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Node<'m> {
    Missing,
    Null,
    Bool(bool),
    /// The number's text as written.
    Number(&'m str),
    /// The string's raw contents, escapes not yet decoded.
    Str(&'m str),
    Object,
    Array,
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// True when `msg` is exactly one JSON object (surrounding whitespace allowed).
pub(super) fn is_json_object(msg: &str) -> bool {
    let b = msg.as_bytes();
    let start = ws(b, 0);
    b.get(start) == Some(&b'{') && validate(b, start)
}

/// One bit per open container, 1 for an object.
struct Stack {
    bits: [u64; MAX_NESTING / 64],
    depth: usize,
}

impl Stack {
    fn push(&mut self, object: bool) -> bool {
        if self.depth >= MAX_NESTING {
            return false;
        }
        if let Some(w) = self.bits.get_mut(self.depth / 64) {
            let bit = 1u64 << (self.depth % 64);
            if object {
                *w |= bit;
            } else {
                *w &= !bit;
            }
        }
        self.depth += 1;
        true
    }

    fn top_is_object(&self) -> bool {
        let Some(d) = self.depth.checked_sub(1) else {
            return false;
        };
        self.bits
            .get(d / 64)
            .is_some_and(|w| w & (1 << (d % 64)) != 0)
    }
}

fn validate(b: &[u8], start: usize) -> bool {
    let mut stack = Stack {
        bits: [0; MAX_NESTING / 64],
        depth: 0,
    };
    let mut i = start;
    let mut need_value = true;
    loop {
        i = ws(b, i);
        if need_value {
            match b.get(i) {
                Some(b'{') => {
                    if !stack.push(true) {
                        return false;
                    }
                    i = ws(b, i + 1);
                    if b.get(i) == Some(&b'}') {
                        stack.depth -= 1;
                        i += 1;
                        need_value = false;
                    } else {
                        match key_and_colon(b, i) {
                            Some(next) => i = next,
                            None => return false,
                        }
                    }
                }
                Some(b'[') => {
                    if !stack.push(false) {
                        return false;
                    }
                    i = ws(b, i + 1);
                    if b.get(i) == Some(&b']') {
                        stack.depth -= 1;
                        i += 1;
                        need_value = false;
                    }
                }
                Some(_) => match scalar_end(b, i) {
                    Some(next) => {
                        i = next;
                        need_value = false;
                    }
                    None => return false,
                },
                None => return false,
            }
        } else {
            if stack.depth == 0 {
                return i == b.len();
            }
            let object = stack.top_is_object();
            match b.get(i) {
                Some(b',') => {
                    i += 1;
                    if object {
                        match key_and_colon(b, ws(b, i)) {
                            Some(next) => i = next,
                            None => return false,
                        }
                    }
                    need_value = true;
                }
                Some(b'}') if object => {
                    stack.depth -= 1;
                    i += 1;
                }
                Some(b']') if !object => {
                    stack.depth -= 1;
                    i += 1;
                }
                _ => return false,
            }
        }
    }
}

/// A member name and its `:`; returns the index after the colon.
fn key_and_colon(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let after = string_end(b, i, true)?;
    let colon = ws(b, after);
    (b.get(colon) == Some(&b':')).then_some(colon + 1)
}

/// The end of a string, number or literal starting at `i`.
fn scalar_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i, true),
        b't' => literal_end(b, i, b"true"),
        b'f' => literal_end(b, i, b"false"),
        b'n' => literal_end(b, i, b"null"),
        b'-' | b'0'..=b'9' => number_end(b, i),
        _ => None,
    }
}

pub(super) fn literal_end(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    let end = i + word.len();
    (b.get(i..end) == Some(word)).then_some(end)
}

/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
pub(super) fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| {
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > s).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(b, i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

/// The index after the closing quote of the string opening at `i`. With `strict`, control
/// characters and malformed escapes are errors (validation); without, it only skips.
fn string_end(b: &[u8], i: usize, strict: bool) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match *b.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => {
                let e = *b.get(j + 1)?;
                if strict {
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let hex = b.get(j + 2..j + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                        }
                        _ => return None,
                    }
                }
                j += 2;
            }
            c if strict && c < 0x20 => return None,
            _ => j += 1,
        }
    }
}

/// The index after the value starting at `i`, in an already validated document.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match *b.get(j)? {
                    b'"' => {
                        j = string_end(b, j, false)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => scalar_end(b, i),
    }
}

/// Follows `steps` from the root of a message [`is_json_object`] accepted and calls `f` on
/// each node reached (a [`Step::Any`] fans out over every element of an array and every
/// member of an object), stopping as soon as `f` returns true. Returns whether it did;
/// `f` is not called at all when the path reaches nothing.
pub(super) fn any_node<'m>(
    msg: &'m str,
    steps: &[Step],
    f: &mut dyn FnMut(Node<'m>) -> bool,
) -> bool {
    walk(msg, ws(msg.as_bytes(), 0), steps, f)
}

fn walk<'m>(msg: &'m str, i: usize, steps: &[Step], f: &mut dyn FnMut(Node<'m>) -> bool) -> bool {
    let b = msg.as_bytes();
    let Some((step, rest)) = steps.split_first() else {
        return match classify(msg, i) {
            Node::Missing => false,
            node => f(node),
        };
    };
    match (step, b.get(i)) {
        (Step::Key(k), Some(b'{')) => member(msg, i, k).is_some_and(|v| walk(msg, v, rest, f)),
        (Step::Index(n), Some(b'[')) => element(b, i, *n).is_some_and(|v| walk(msg, v, rest, f)),
        (Step::Any, Some(b'{')) => each_member(msg, i, &mut |v| walk(msg, v, rest, f)),
        (Step::Any, Some(b'[')) => each_element(b, i, &mut |v| walk(msg, v, rest, f)),
        _ => false,
    }
}

/// The node `steps` reach (the first, with a wildcard), or [`Node::Missing`].
#[cfg(test)]
pub(super) fn lookup<'m>(msg: &'m str, steps: &[Step]) -> Node<'m> {
    let mut found = Node::Missing;
    any_node(msg, steps, &mut |node| {
        found = node;
        true
    });
    found
}

/// Calls `f` on the start of each member value of the object at `i` until it returns true.
fn each_member(msg: &str, i: usize, f: &mut dyn FnMut(usize) -> bool) -> bool {
    let b = msg.as_bytes();
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return false;
    }
    loop {
        let Some(name_end) = string_end(b, j, false) else {
            return false;
        };
        let colon = ws(b, name_end);
        let value = ws(b, colon + 1);
        if f(value) {
            return true;
        }
        let Some(end) = value_end(b, value) else {
            return false;
        };
        j = ws(b, end);
        match b.get(j) {
            Some(b',') => j = ws(b, j + 1),
            _ => return false,
        }
    }
}

/// Calls `f` on the start of each element of the array at `i` until it returns true.
fn each_element(b: &[u8], i: usize, f: &mut dyn FnMut(usize) -> bool) -> bool {
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&b']') {
        return false;
    }
    loop {
        if f(j) {
            return true;
        }
        let Some(end) = value_end(b, j) else {
            return false;
        };
        j = ws(b, end);
        match b.get(j) {
            Some(b',') => j = ws(b, j + 1),
            _ => return false,
        }
    }
}

/// The value of member `key` of the object at `i`; the last one wins when a key repeats,
/// as with most JSON parsers.
fn member(msg: &str, i: usize, key: &str) -> Option<usize> {
    let b = msg.as_bytes();
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return None;
    }
    let mut found = None;
    loop {
        let name_end = string_end(b, j, false)?;
        let raw = msg.get(j + 1..name_end - 1)?;
        let colon = ws(b, name_end);
        let value = ws(b, colon + 1);
        if raw_equals(raw, key) {
            found = Some(value);
        }
        j = ws(b, value_end(b, value)?);
        match b.get(j)? {
            b',' => j = ws(b, j + 1),
            _ => return found,
        }
    }
}

/// Element `n` (0-based) of the array at `i`.
fn element(b: &[u8], i: usize, n: usize) -> Option<usize> {
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&b']') {
        return None;
    }
    for _ in 0..n {
        j = ws(b, value_end(b, j)?);
        if b.get(j)? != &b',' {
            return None;
        }
        j = ws(b, j + 1);
    }
    Some(j)
}

fn classify(msg: &str, i: usize) -> Node<'_> {
    let b = msg.as_bytes();
    match b.get(i) {
        Some(b'{') => Node::Object,
        Some(b'[') => Node::Array,
        Some(b'"') => string_end(b, i, false)
            .and_then(|end| msg.get(i + 1..end - 1))
            .map_or(Node::Missing, Node::Str),
        Some(b't') => Node::Bool(true),
        Some(b'f') => Node::Bool(false),
        Some(b'n') => Node::Null,
        Some(_) => number_end(b, i)
            .and_then(|end| msg.get(i..end))
            .map_or(Node::Missing, Node::Number),
        None => Node::Missing,
    }
}

/// Decodes the escapes of a validated string's raw contents one character at a time.
struct Unescape<'a> {
    chars: std::str::Chars<'a>,
}

impl Unescape<'_> {
    fn hex4(&mut self) -> Option<u32> {
        let mut v = 0;
        for _ in 0..4 {
            v = v * 16 + self.chars.next()?.to_digit(16)?;
        }
        Some(v)
    }
}

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match self.chars.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let hi = self.hex4().unwrap_or(0xFFFD);
                if (0xD800..0xDC00).contains(&hi) {
                    // A surrogate pair is written as two escapes.
                    let mut peek = self.chars.clone();
                    if peek.next() == Some('\\') && peek.next() == Some('u') {
                        self.chars = peek;
                        let lo = self.hex4().unwrap_or(0);
                        if (0xDC00..0xE000).contains(&lo) {
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            return Some(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                    }
                    '\u{FFFD}'
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                }
            }
            other => other,
        })
    }
}

/// The text of a string's raw contents; borrowed unless it has escapes.
pub(super) fn decode(raw: &str) -> Cow<'_, str> {
    if raw.contains('\\') {
        Cow::Owned(Unescape { chars: raw.chars() }.collect())
    } else {
        Cow::Borrowed(raw)
    }
}

/// Compares raw contents with plain text without decoding into a buffer.
fn raw_equals(raw: &str, text: &str) -> bool {
    if raw.contains('\\') {
        Unescape { chars: raw.chars() }.eq(text.chars())
    } else {
        raw == text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }

    #[test]
    fn only_a_single_json_object_is_accepted() {
        for ok in [
            "{}",
            " {\"a\":1} \n",
            r#"{"a":[1,2,{"b":null}],"c":"x\"y","d":-1.5e3,"e":true,"f":false}"#,
            r#"{"u":"\u00e9\ud83d\ude00"}"#,
        ] {
            assert!(is_json_object(ok), "{ok}");
        }
        for bad in [
            "",
            "[1]",
            "\"s\"",
            "42",
            "{",
            "{\"a\":1} x",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":tru}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\":[1 2]}",
            "{\"a\":[1,]}",
            "{\"a\":1}}",
            "{\"a\":]",
            "{\"a\":\"unterminated}",
            "ERROR something happened",
        ] {
            assert!(!is_json_object(bad), "{bad}");
        }
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_not_json_and_does_not_overflow() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(!is_json_object(&deep));
        let ok = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert!(is_json_object(&ok));
    }

    #[test]
    fn lookups_follow_keys_and_indexes() {
        let msg =
            r#"{"a":{"b":[10,{"c":"x"},[7,8]]},"s":"t\"q","n":null,"t":true,"k\"ey":1,"a2":2}"#;
        assert!(is_json_object(msg));
        let a = key("a");
        let b = key("b");
        assert_eq!(
            lookup(msg, &[a.clone(), b.clone(), Step::Index(0)]),
            Node::Number("10")
        );
        assert_eq!(
            lookup(msg, &[a.clone(), b.clone(), Step::Index(1), key("c")]),
            Node::Str("x")
        );
        assert_eq!(
            lookup(msg, &[a.clone(), b.clone(), Step::Index(2), Step::Index(1)]),
            Node::Number("8")
        );
        assert_eq!(
            lookup(msg, &[a.clone(), b.clone(), Step::Index(3)]),
            Node::Missing
        );
        assert_eq!(lookup(msg, &[a.clone(), key("b"), key("c")]), Node::Missing);
        assert_eq!(lookup(msg, std::slice::from_ref(&a)), Node::Object);
        assert_eq!(lookup(msg, &[a, b]), Node::Array);
        assert_eq!(lookup(msg, &[key("s")]), Node::Str("t\\\"q"));
        assert_eq!(lookup(msg, &[key("n")]), Node::Null);
        assert_eq!(lookup(msg, &[key("t")]), Node::Bool(true));
        assert_eq!(lookup(msg, &[key("k\"ey")]), Node::Number("1"));
        assert_eq!(lookup(msg, &[key("a2")]), Node::Number("2"));
        assert_eq!(lookup(msg, &[key("missing")]), Node::Missing);
    }

    #[test]
    fn a_wildcard_step_visits_every_element_and_member_in_order() {
        let msg = r#"{"a":[1,{"b":"x"},[2]],"o":{"p":true,"q":null},"e":[],"f":{}}"#;
        let all = |steps: &[Step]| {
            let mut seen = Vec::new();
            any_node(msg, steps, &mut |n| {
                seen.push(n);
                false
            });
            seen
        };
        assert_eq!(
            all(&[key("a"), Step::Any]),
            [Node::Number("1"), Node::Object, Node::Array]
        );
        assert_eq!(all(&[key("a"), Step::Any, key("b")]), [Node::Str("x")]);
        assert_eq!(all(&[key("o"), Step::Any]), [Node::Bool(true), Node::Null]);
        assert_eq!(all(&[key("e"), Step::Any]), []);
        assert_eq!(all(&[key("f"), Step::Any]), []);
        assert_eq!(all(&[Step::Any, Step::Index(0)]), [Node::Number("1")]);
        // Stops at the first node the callback accepts.
        let mut calls = 0;
        assert!(any_node(msg, &[key("a"), Step::Any], &mut |_| {
            calls += 1;
            true
        }));
        assert_eq!(calls, 1);
    }

    #[test]
    fn the_last_of_repeated_keys_wins() {
        let msg = r#"{"a":1,"a":2}"#;
        assert_eq!(lookup(msg, &[key("a")]), Node::Number("2"));
    }

    #[test]
    fn strings_are_borrowed_unless_they_have_escapes() {
        assert!(matches!(decode("plain"), Cow::Borrowed("plain")));
        assert_eq!(decode(r#"a\"b\\c\/d\n\u00e9"#), "a\"b\\c/d\n\u{e9}");
        assert_eq!(decode(r"\ud83d\ude00"), "\u{1F600}");
        assert_eq!(decode(r"\ud83d"), "\u{FFFD}");
    }
}
