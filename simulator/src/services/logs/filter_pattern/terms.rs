//! Term patterns for unstructured events: `ERROR`, `"Failed to process"`, `?ERROR ?WARN`,
//! `ERROR -Exiting`. Terms are case-sensitive substrings (the guide's `ERROR` matches
//! `ERRORCODE`); a quoted term is an exact phrase.
//!
//! The guide only shows `?` terms on their own. When plain or `-` terms are mixed with `?`
//! ones, each `?` starts a new alternative that the terms after it join, which is what the
//! AWS CDK's `FilterPattern.anyTermGroup` emits (`?"ERROR" "MainThread" ?"WARN" "Deadlock"`);
//! terms before the first `?` form an alternative of their own.

use super::FilterPatternError;
use super::syntax::{Cursor, parse_quoted};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Alternative {
    include: Vec<String>,
    exclude: Vec<String>,
}

impl Alternative {
    fn matches(&self, msg: &str) -> bool {
        self.include.iter().all(|t| msg.contains(t.as_str()))
            && !self.exclude.iter().any(|t| msg.contains(t.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TermPattern {
    alternatives: Vec<Alternative>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Plain,
    Or,
    Exclude,
}

impl TermPattern {
    pub(super) fn parse(c: &mut Cursor<'_>) -> Result<TermPattern, FilterPatternError> {
        let mut alternatives = Vec::new();
        let mut current: Option<Alternative> = None;
        loop {
            c.skip_ws();
            let Some(first) = c.peek() else { break };
            let prefix = match first {
                '?' => Prefix::Or,
                '-' => Prefix::Exclude,
                _ => Prefix::Plain,
            };
            if prefix != Prefix::Plain {
                c.bump();
                // The guide writes an exclusion as `"ERROR" - "Exiting"`, with a space.
                c.skip_ws();
                if c.at_end() {
                    return Err(c.error(format!("'{first}' must be followed by a term")));
                }
            }
            let term = parse_term(c)?;
            if prefix == Prefix::Or {
                alternatives.extend(current.take());
            }
            let alt = current.get_or_insert_with(Alternative::default);
            match prefix {
                Prefix::Exclude => alt.exclude.push(term),
                Prefix::Plain | Prefix::Or => alt.include.push(term),
            }
        }
        alternatives.extend(current);
        if alternatives.is_empty() {
            alternatives.push(Alternative::default());
        }
        Ok(TermPattern { alternatives })
    }

    pub(super) fn matches(&self, msg: &str) -> bool {
        self.alternatives.iter().any(|a| a.matches(msg))
    }
}

fn parse_term(c: &mut Cursor<'_>) -> Result<String, FilterPatternError> {
    match c.peek() {
        Some('"') => {
            let term = parse_quoted(c)?;
            if c.peek().is_some_and(|ch| !ch.is_whitespace()) {
                return Err(c.error(format!(
                    "expected a space after the quoted term, found {}",
                    c.found()
                )));
            }
            Ok(term)
        }
        Some('%') => Err(c.error(
            "a regular expression (%...%) must be the whole filter pattern or a value in a JSON \
             or space-delimited pattern",
        )),
        _ => {
            let term = c.take_while(|ch| !ch.is_whitespace());
            if term.contains('"') {
                return Err(c.error(format!(
                    "the term '{term}' contains a double quote; enclose the whole term in double quotes"
                )));
            }
            Ok(term.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> TermPattern {
        TermPattern::parse(&mut Cursor::new(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn which(p: &str, lines: &[&str]) -> Vec<usize> {
        let t = pattern(p);
        (0..lines.len())
            .filter(|i| t.matches(lines[*i]))
            .map(|i| i + 1)
            .collect()
    }

    const LINES: [&str; 3] = ["ERROR WARN message", "ERROR message", "WARN message"];

    #[test]
    fn the_guides_or_and_exclusion_examples() {
        assert_eq!(which("ERROR", &LINES), [1, 2]);
        assert_eq!(which("?ERROR ?WARN", &LINES), [1, 2, 3]);
        assert_eq!(which("ERROR WARN", &LINES), [1]);
        assert_eq!(which("ERROR -WARN", &LINES), [2]);
    }

    #[test]
    fn terms_are_case_sensitive_substrings() {
        let t = pattern("ERROR");
        assert!(t.matches("[ERROR] A fatal exception has occurred"));
        assert!(t.matches("Exiting with ERRORCODE: -1"));
        assert!(!t.matches("error: lower case"));
    }

    #[test]
    fn quoted_terms_are_exact_phrases() {
        let t = pattern("\"Failed to process the request\"");
        assert!(t.matches("[WARN] Failed to process the request"));
        assert!(!t.matches("Failed to process: the request"));
        let unquoted = pattern("Failed to process the request");
        assert!(unquoted.matches("the request Failed to process"));
        let escaped = pattern(r#""say \"hi\"""#);
        assert!(escaped.matches(r#"they say "hi" here"#));
    }

    #[test]
    fn an_exclusion_may_be_written_with_a_space() {
        let t = pattern("\"ERROR\" - \"Exiting\"");
        assert!(t.matches("[ERROR] A fatal exception has occurred"));
        assert!(!t.matches("Exiting with ERRORCODE: -1"));
    }

    #[test]
    fn question_marks_start_alternatives_that_later_terms_join() {
        let t = pattern("?\"ERROR\" \"MainThread\" ?\"WARN\" \"Deadlock\"");
        assert!(t.matches("ERROR in MainThread"));
        assert!(t.matches("WARN Deadlock detected"));
        assert!(!t.matches("ERROR Deadlock"));
        assert!(!t.matches("WARN in MainThread"));
        let leading = pattern("ERROR ?WARN");
        assert!(leading.matches("ERROR only"));
        assert!(leading.matches("WARN only"));
        let excluded = pattern("?ERROR ?WARN -DEBUG");
        assert!(excluded.matches("ERROR DEBUG"));
        assert!(!excluded.matches("WARN DEBUG"));
    }

    #[test]
    fn an_empty_pattern_matches_everything() {
        assert!(pattern("").matches("anything"));
        assert!(pattern("   ").matches(""));
        assert!(pattern("\"\"").matches("anything"));
    }

    #[test]
    fn malformed_term_patterns_are_refused_with_a_reason() {
        for (p, needle) in [
            ("ERROR -", "must be followed"),
            ("?", "must be followed"),
            ("\"open", "unterminated"),
            ("\"a\"b", "space after"),
            ("ab\"c", "double quote"),
            ("ERROR %x%", "whole filter pattern"),
        ] {
            let Err(e) = TermPattern::parse(&mut Cursor::new(p)) else {
                panic!("{p} should not parse");
            };
            assert!(e.detail().contains(needle), "{p}: {}", e.detail());
        }
    }
}
