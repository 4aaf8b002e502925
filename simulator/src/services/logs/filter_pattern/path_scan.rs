//! One pass over a log event for the selectors of many JSON filter patterns at once.
//!
//! The selectors without a wildcard go into a [`PathTrie`] (`$.userIdentity.type` and
//! `$.userIdentity.invokedBy` share the `userIdentity` node). [`PathTrie::scan`] then
//! validates the message exactly as [`json_scan::is_json_object`] does, in a single
//! iterative pass, and on the way records where each trie node's value is (its kind and
//! byte span). Subtrees no selector enters are only validated: strings, which are most of
//! a CloudTrail record, are crossed eight bytes at a time.
//!
//! A node's value is the one [`json_scan::any_node`] would reach: when a member name
//! repeats, the last one wins, so reaching a node again first forgets what its subtree
//! recorded from the earlier value. Nodes are numbered in preorder, which makes a subtree
//! one range of node numbers.
//!
//! Nothing is allocated per message: the recorded spans and the nesting stack live in a
//! [`ScanScratch`] the caller keeps between messages.

use super::json::Step;
use super::json_scan::{self, MAX_NESTING, Node};

/// "No trie node": the value or container is not on any selector's path.
const NONE: u32 = u32::MAX;

/// A trie node: the member names and array indexes below it, and where its subtree ends.
#[derive(Debug, Clone)]
struct TrieNode {
    keys: Vec<(Box<str>, u32)>,
    indexes: Vec<(usize, u32)>,
    /// One past the last node of this node's subtree.
    end: u32,
}

impl TrieNode {
    fn has_children(&self) -> bool {
        !self.keys.is_empty() || !self.indexes.is_empty()
    }
}

/// The selectors of a set of JSON patterns, merged by common prefix. Node 0 is the
/// message's top-level object.
#[derive(Debug, Clone)]
pub(super) struct PathTrie {
    nodes: Vec<TrieNode>,
}

/// A trie under construction: node numbers are insertion order until [`TrieBuilder::finish`]
/// renumbers them in preorder.
#[derive(Debug, Default)]
struct Draft {
    keys: Vec<(String, usize)>,
    indexes: Vec<(usize, usize)>,
}

#[derive(Debug)]
pub(super) struct TrieBuilder {
    drafts: Vec<Draft>,
}

impl TrieBuilder {
    pub(super) fn new() -> Self {
        TrieBuilder {
            drafts: vec![Draft::default()],
        }
    }

    /// Adds a selector's path; one with a wildcard step is left out (and `false` returned).
    pub(super) fn insert(&mut self, steps: &[Step]) -> bool {
        if steps.contains(&Step::Any) {
            return false;
        }
        let mut at = 0;
        for step in steps {
            let next = self.drafts.len();
            let Some(draft) = self.drafts.get_mut(at) else {
                return false;
            };
            at = match step {
                Step::Key(k) => match draft.keys.iter().find(|(name, _)| name == k) {
                    Some(&(_, child)) => child,
                    None => {
                        draft.keys.push((k.clone(), next));
                        self.drafts.push(Draft::default());
                        next
                    }
                },
                Step::Index(n) => match draft.indexes.iter().find(|(i, _)| i == n) {
                    Some(&(_, child)) => child,
                    None => {
                        draft.indexes.push((*n, next));
                        self.drafts.push(Draft::default());
                        next
                    }
                },
                Step::Any => return false,
            };
        }
        true
    }

    /// The trie, numbered in preorder.
    pub(super) fn finish(self) -> PathTrie {
        let mut nodes = Vec::with_capacity(self.drafts.len());
        let mut drafts: Vec<Option<Draft>> = self.drafts.into_iter().map(Some).collect();
        number(&mut drafts, 0, &mut nodes);
        PathTrie { nodes }
    }
}

/// Appends draft `id` and its subtree to `nodes` in preorder; returns its number. The
/// recursion is as deep as the longest selector, which the pattern length bounds.
fn number(drafts: &mut [Option<Draft>], id: usize, nodes: &mut Vec<TrieNode>) -> u32 {
    let me = nodes.len();
    nodes.push(TrieNode {
        keys: Vec::new(),
        indexes: Vec::new(),
        end: 0,
    });
    let draft = drafts
        .get_mut(id)
        .and_then(Option::take)
        .unwrap_or_default();
    let mut keys = Vec::with_capacity(draft.keys.len());
    for (name, child) in draft.keys {
        keys.push((name.into_boxed_str(), number(drafts, child, nodes)));
    }
    let mut indexes = Vec::with_capacity(draft.indexes.len());
    for (index, child) in draft.indexes {
        indexes.push((index, number(drafts, child, nodes)));
    }
    let end = to_id(nodes.len());
    if let Some(node) = nodes.get_mut(me) {
        node.keys = keys;
        node.indexes = indexes;
        node.end = end;
    }
    to_id(me)
}

/// Node numbers are u32; a trie never comes near that many nodes (patterns are at most
/// 1024 characters and a log group has at most 100 filters).
fn to_id(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// The kind of a recorded value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    Null,
    True,
    False,
    Number,
    Str,
    Object,
    Array,
}

/// Where a trie node's value is: for strings the raw contents between the quotes, for
/// numbers the number's text.
#[derive(Debug, Clone, Copy)]
struct Span {
    kind: Kind,
    start: usize,
    end: usize,
}

const MISSING: Span = Span {
    kind: Kind::Missing,
    start: 0,
    end: 0,
};

/// An open container: the trie node whose children its members or elements may be
/// (`NONE` if none), and the index of the current element of an array.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: u32,
    index: usize,
    object: bool,
}

/// Buffers [`PathTrie::scan`] reuses from one message to the next.
#[derive(Debug, Clone, Default)]
pub(super) struct ScanScratch {
    spans: Vec<Span>,
    stack: Vec<Frame>,
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether one of the eight bytes of `w` is a `"`, a `\` or a control character (below
/// 0x20): the bytes a string scan has to stop at. Exact, as a yes/no answer.
fn has_string_special(w: u64) -> bool {
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    quote | backslash | control != 0
}

/// The index after the closing quote of the string opening at `i`, validated as
/// [`json_scan`]'s strict string scan does (no control characters, only JSON escapes),
/// and whether it holds an escape.
fn string_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        while let Some(chunk) = b.get(j..j + 8) {
            let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            if has_string_special(u64::from_le_bytes(bytes)) {
                break;
            }
            j += 8;
        }
        match *b.get(j)? {
            b'"' => return Some((j + 1, escaped)),
            b'\\' => {
                escaped = true;
                match *b.get(j + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                    b'u' => {
                        let hex = b.get(j + 2..j + 6)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        j += 6;
                    }
                    _ => return None,
                }
            }
            c if c < 0x20 => return None,
            _ => j += 1,
        }
    }
}

impl PathTrie {
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node a path without wildcards ends at.
    pub(super) fn find(&self, steps: &[Step]) -> Option<u32> {
        let mut at = 0u32;
        for step in steps {
            let node = self.nodes.get(at as usize)?;
            at = match step {
                Step::Key(k) => node.keys.iter().find(|(name, _)| **name == **k)?.1,
                Step::Index(n) => node.indexes.iter().find(|(i, _)| i == n)?.1,
                Step::Any => return None,
            };
        }
        Some(at)
    }

    /// The value node `id` reached in the last [`PathTrie::scan`] of `msg`, if any.
    pub(super) fn node<'m>(
        &self,
        scratch: &ScanScratch,
        msg: &'m str,
        id: u32,
    ) -> Option<Node<'m>> {
        let span = scratch.spans.get(id as usize)?;
        Some(match span.kind {
            Kind::Missing => return None,
            Kind::Null => Node::Null,
            Kind::True => Node::Bool(true),
            Kind::False => Node::Bool(false),
            Kind::Number => Node::Number(msg.get(span.start..span.end)?),
            Kind::Str => Node::Str(msg.get(span.start..span.end)?),
            Kind::Object => Node::Object,
            Kind::Array => Node::Array,
        })
    }

    /// Records that trie node `target` (if any) holds a value; its subtree's earlier
    /// values, from a repeated member name, are forgotten.
    fn reach(&self, spans: &mut [Span], target: u32, span: Span) {
        let Some(node) = self.nodes.get(target as usize) else {
            return;
        };
        let first = target as usize;
        if let Some(below) = spans.get_mut(first + 1..node.end as usize) {
            below.fill(MISSING);
        }
        if let Some(slot) = spans.get_mut(first) {
            *slot = span;
        }
    }

    /// The container node for a value reached at `target`: `NONE` when nothing is below.
    fn container(&self, target: u32) -> u32 {
        match self.nodes.get(target as usize) {
            Some(node) if node.has_children() => target,
            _ => NONE,
        }
    }

    fn index_child(&self, node: u32, index: usize) -> u32 {
        self.nodes
            .get(node as usize)
            .and_then(|n| n.indexes.iter().find(|(i, _)| *i == index))
            .map_or(NONE, |&(_, child)| child)
    }

    /// The child of `node` for the member name whose raw text (escapes not decoded) is
    /// `raw`: names compare as decoded text, as [`json_scan`]'s lookups do.
    fn key_child(&self, node: u32, raw: &str, escaped: bool) -> u32 {
        let Some(n) = self.nodes.get(node as usize) else {
            return NONE;
        };
        if n.keys.is_empty() {
            return NONE;
        }
        let found = if escaped {
            let name = json_scan::decode(raw);
            n.keys.iter().find(|(k, _)| **k == *name)
        } else {
            n.keys.iter().find(|(k, _)| k.as_bytes() == raw.as_bytes())
        };
        found.map_or(NONE, |&(_, child)| child)
    }

    /// A member name and its `:` at `i` (validated); the index after the colon and the
    /// trie node the member's value is for.
    fn member_name(&self, msg: &str, i: usize, node: u32) -> Option<(usize, u32)> {
        let b = msg.as_bytes();
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (end, escaped) = string_end(b, i)?;
        let colon = ws(b, end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let child = if node == NONE {
            NONE
        } else {
            self.key_child(node, msg.get(i + 1..end - 1)?, escaped)
        };
        Some((colon + 1, child))
    }

    /// Validates `msg` as exactly one JSON object (what [`json_scan::is_json_object`]
    /// accepts) and records the value of every trie node it holds. `false` when the message
    /// is not a JSON object; what is recorded is then meaningless.
    pub(super) fn scan(&self, msg: &str, scratch: &mut ScanScratch) -> bool {
        let ScanScratch { spans, stack } = scratch;
        spans.clear();
        spans.resize(self.nodes.len(), MISSING);
        stack.clear();
        stack.reserve(MAX_NESTING);
        let b = msg.as_bytes();
        let mut i = ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return false;
        }
        let mut target = if self.nodes.is_empty() { NONE } else { 0 };
        let mut need_value = true;
        loop {
            i = ws(b, i);
            if need_value {
                let Some(&c) = b.get(i) else {
                    return false;
                };
                let (kind, end) = match c {
                    b'{' | b'[' => {
                        if stack.len() >= MAX_NESTING {
                            return false;
                        }
                        let object = c == b'{';
                        let kind = if object { Kind::Object } else { Kind::Array };
                        self.reach(
                            spans,
                            target,
                            Span {
                                kind,
                                start: i,
                                end: i,
                            },
                        );
                        let node = self.container(target);
                        stack.push(Frame {
                            node,
                            index: 0,
                            object,
                        });
                        i = ws(b, i + 1);
                        if b.get(i) == Some(if object { &b'}' } else { &b']' }) {
                            stack.pop();
                            i += 1;
                            need_value = false;
                        } else if object {
                            match self.member_name(msg, i, node) {
                                Some((next, child)) => (i, target) = (next, child),
                                None => return false,
                            }
                        } else {
                            target = self.index_child(node, 0);
                        }
                        continue;
                    }
                    b'"' => (Kind::Str, string_end(b, i).map(|(end, _)| end)),
                    b't' => (Kind::True, json_scan::literal_end(b, i, b"true")),
                    b'f' => (Kind::False, json_scan::literal_end(b, i, b"false")),
                    b'n' => (Kind::Null, json_scan::literal_end(b, i, b"null")),
                    b'-' | b'0'..=b'9' => (Kind::Number, json_scan::number_end(b, i)),
                    _ => return false,
                };
                let Some(end) = end else {
                    return false;
                };
                if target != NONE {
                    let span = match kind {
                        Kind::Str => Span {
                            kind,
                            start: i + 1,
                            end: end - 1,
                        },
                        _ => Span {
                            kind,
                            start: i,
                            end,
                        },
                    };
                    self.reach(spans, target, span);
                }
                i = end;
                need_value = false;
            } else {
                let Some(top) = stack.last_mut() else {
                    return i == b.len();
                };
                match b.get(i) {
                    Some(b',') => {
                        i += 1;
                        if top.object {
                            match self.member_name(msg, ws(b, i), top.node) {
                                Some((next, child)) => (i, target) = (next, child),
                                None => return false,
                            }
                        } else {
                            top.index += 1;
                            target = if top.node == NONE {
                                NONE
                            } else {
                                self.index_child(top.node, top.index)
                            };
                        }
                        need_value = true;
                    }
                    Some(b'}') if top.object => {
                        stack.pop();
                        i += 1;
                    }
                    Some(b']') if !top.object => {
                        stack.pop();
                        i += 1;
                    }
                    _ => return false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(w: u64) -> bool {
        w.to_le_bytes()
            .iter()
            .any(|&c| c == b'"' || c == b'\\' || c < 0x20)
    }

    #[test]
    fn the_eight_byte_string_test_is_exact() {
        for filler in [b'a', b' ', 0x7F, 0x80, 0xFF, 0x21, 0x5D] {
            for pos in 0..8 {
                for c in 0..=255u8 {
                    let mut bytes = [filler; 8];
                    bytes[pos] = c;
                    let w = u64::from_le_bytes(bytes);
                    assert_eq!(has_string_special(w), naive(w), "{bytes:?}");
                }
            }
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            assert_eq!(has_string_special(x), naive(x), "{x:#x}");
        }
    }

    #[test]
    fn strings_stop_at_quotes_escapes_and_control_characters_anywhere() {
        for len in 0..40 {
            for special in [0x00u8, 0x01, 0x1F, b'"', b'\\', 0x20, b'a'] {
                for at in 0..len {
                    let mut body = vec![b'x'; len];
                    body[at] = special;
                    let mut text = b"\"".to_vec();
                    text.extend_from_slice(&body);
                    text.push(b'"');
                    let reference = json_scan::is_json_object(&format!(
                        "{{\"s\":{}}}",
                        String::from_utf8_lossy(&text)
                    ));
                    let ours = string_end(&text, 0).is_some_and(|(end, _)| end == text.len());
                    assert_eq!(ours, reference, "{text:?}");
                }
            }
        }
    }
}
