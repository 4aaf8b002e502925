//! Term patterns for unstructured events: `ERROR`, `"Failed to process"`, `?ERROR ?WARN`,
//! `ERROR -Exiting`. Terms are case-sensitive substrings (the guide's `ERROR` matches
//! `ERRORCODE`); a quoted term is an exact phrase.
//!
//! `?` terms are alternatives only on their own: the guide says that when `?` terms are
//! combined with other terms (included or excluded), every `?` term is ignored, so
//! `?ERROR ?ARGUMENTS REQUEST` matches exactly the events that contain `REQUEST`. (The AWS
//! CDK's `FilterPattern.anyTermGroup` writes `?"ERROR" "MainThread" ?"WARN" "Deadlock"`,
//! which therefore means `"MainThread" "Deadlock"`.)

use super::FilterPatternError;
use super::syntax::{Cursor, parse_quoted};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TermPattern {
    /// Plain terms: all must occur.
    include: Vec<String>,
    /// `-` terms: none may occur.
    exclude: Vec<String>,
    /// `?` terms: one must occur, unless there are plain or `-` terms, which override them.
    optional: Vec<String>,
}

impl TermPattern {
    pub(super) fn parse(c: &mut Cursor<'_>) -> Result<TermPattern, FilterPatternError> {
        let mut pattern = TermPattern::default();
        loop {
            c.skip_ws();
            let Some(first) = c.peek() else { break };
            let prefixed = matches!(first, '?' | '-');
            if prefixed {
                c.bump();
                // The guide writes an exclusion as `"ERROR" - "Exiting"`, with a space.
                c.skip_ws();
                if c.at_end() {
                    return Err(c.error(format!("'{first}' must be followed by a term")));
                }
            }
            let term = parse_term(c)?;
            match (prefixed, first) {
                (true, '?') => pattern.optional.push(term),
                (true, _) => pattern.exclude.push(term),
                (false, _) => pattern.include.push(term),
            }
        }
        Ok(pattern)
    }

    pub(super) fn matches(&self, msg: &str) -> bool {
        if self.include.is_empty() && self.exclude.is_empty() {
            return self.optional.is_empty()
                || self.optional.iter().any(|t| msg.contains(t.as_str()));
        }
        self.include.iter().all(|t| msg.contains(t.as_str()))
            && !self.exclude.iter().any(|t| msg.contains(t.as_str()))
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
    fn question_mark_terms_are_ignored_next_to_other_terms() {
        // The guide's example: only REQUEST counts.
        let t = pattern("?ERROR ?ARGUMENTS REQUEST");
        assert!(t.matches("[INFO] REQUEST FAILED"));
        assert!(t.matches("[WARN] UNAUTHORIZED REQUEST"));
        assert!(t.matches("[ERROR] 400 BAD REQUEST"));
        assert!(!t.matches("[ERROR 419] MISSING ARGUMENTS"));
        // The same holds for the CDK's anyTermGroup output and for an exclusion.
        let groups = pattern("?\"ERROR\" \"MainThread\" ?\"WARN\" \"Deadlock\"");
        assert!(groups.matches("MainThread Deadlock"));
        assert!(!groups.matches("ERROR in MainThread"));
        let leading = pattern("ERROR ?WARN");
        assert!(leading.matches("ERROR only"));
        assert!(!leading.matches("WARN only"));
        let excluded = pattern("?ERROR ?WARN -DEBUG");
        assert!(excluded.matches("INFO"));
        assert!(!excluded.matches("ERROR DEBUG"));
        // On their own, `?` terms are alternatives.
        let alone = pattern("?ERROR ?ARGUMENTS");
        assert!(alone.matches("[ERROR 400] BAD REQUEST"));
        assert!(alone.matches("MISSING ARGUMENTS"));
        assert!(!alone.matches("[INFO 200] OK"));
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
