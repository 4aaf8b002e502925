//! Builders for protocol diagnostics, so providers report errors the way
//! Terraform renders them (summary, detail, and the offending attribute).

use crate::proto::attribute_path::{Step, step::Selector};
use crate::proto::diagnostic::Severity;
use crate::proto::{AttributePath, Diagnostic, FunctionError};

/// An error diagnostic.
pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    new(Severity::Error, summary, detail)
}

/// A warning diagnostic.
pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    new(Severity::Warning, summary, detail)
}

/// An error diagnostic pointing at an attribute.
pub fn attribute_error(
    path: AttributePath,
    summary: impl Into<String>,
    detail: impl Into<String>,
) -> Diagnostic {
    error(summary, detail).with_attribute(path)
}

/// An error from a provider-defined function.
pub fn function_error(text: impl Into<String>, argument: Option<i64>) -> FunctionError {
    FunctionError {
        text: text.into(),
        function_argument: argument,
    }
}

fn new(severity: Severity, summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    Diagnostic {
        severity: severity as i32,
        summary: summary.into(),
        detail: detail.into(),
        attribute: None,
    }
}

/// True if any diagnostic is an error (Terraform stops on errors only).
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

impl Diagnostic {
    pub fn with_attribute(mut self, path: AttributePath) -> Self {
        self.attribute = Some(path);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error as i32
    }
}

impl AttributePath {
    /// A path starting at a top-level attribute.
    pub fn root(name: impl Into<String>) -> Self {
        AttributePath::default().attr(name)
    }

    /// Appends an attribute step (object attribute or nested block).
    pub fn attr(mut self, name: impl Into<String>) -> Self {
        self.steps.push(Step {
            selector: Some(Selector::AttributeName(name.into())),
        });
        self
    }

    /// Appends a map-key step.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(Step {
            selector: Some(Selector::ElementKeyString(key.into())),
        });
        self
    }

    /// Appends a list/tuple index step.
    pub fn index(mut self, i: i64) -> Self {
        self.steps.push(Step {
            selector: Some(Selector::ElementKeyInt(i)),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_error_with_path() {
        let d = attribute_error(
            AttributePath::root("tags").key("Name").index(2),
            "bad",
            "worse",
        );
        assert!(d.is_error());
        assert_eq!(d.summary, "bad");
        let steps = &d
            .attribute
            .as_ref()
            .map(|a| a.steps.clone())
            .unwrap_or_default();
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0].selector,
            Some(Selector::AttributeName("tags".into()))
        );
        assert_eq!(
            steps[1].selector,
            Some(Selector::ElementKeyString("Name".into()))
        );
        assert_eq!(steps[2].selector, Some(Selector::ElementKeyInt(2)));
        assert!(has_errors(&[warning("w", ""), d]));
        assert!(!has_errors(&[warning("w", "")]));
        assert_eq!(warning("w", "").severity, Severity::Warning as i32);
    }
}
