//! Provider diagnostics: an error or warning, optionally pinned to an attribute path.

use tfplugin6::proto;

use crate::plan::{Path, PathStep, Problem};

#[derive(Clone, Debug, PartialEq)]
pub struct Diag {
    pub error: bool,
    pub summary: String,
    pub detail: String,
    pub path: Option<Path>,
}

pub type Diags = Vec<Diag>;

impl Diag {
    pub fn error(summary: impl Into<String>) -> Self {
        Diag {
            error: true,
            summary: summary.into(),
            detail: String::new(),
            path: None,
        }
    }
    pub fn warning(summary: impl Into<String>) -> Self {
        Diag {
            error: false,
            ..Self::error(summary)
        }
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
    pub fn at(mut self, path: Path) -> Self {
        self.path = Some(path);
        self
    }

    pub fn to_proto(&self) -> proto::Diagnostic {
        let severity = if self.error {
            proto::diagnostic::Severity::Error
        } else {
            proto::diagnostic::Severity::Warning
        };
        proto::Diagnostic {
            severity: severity as i32,
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            attribute: self.path.as_ref().map(path_to_proto),
        }
    }
}

impl From<Problem> for Diag {
    fn from(p: Problem) -> Self {
        Diag::error(p.summary).detail(p.detail).at(p.path)
    }
}

pub fn path_to_proto(path: &Path) -> proto::AttributePath {
    use proto::attribute_path::step::Selector;
    proto::AttributePath {
        steps: path
            .iter()
            .map(|step| proto::attribute_path::Step {
                selector: Some(match step {
                    PathStep::Attr(name) => Selector::AttributeName(name.clone()),
                    PathStep::Index(i) => Selector::ElementKeyInt(*i),
                    PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                }),
            })
            .collect(),
    }
}

pub fn to_proto(diags: &[Diag]) -> Vec<proto::Diagnostic> {
    diags.iter().map(Diag::to_proto).collect()
}

pub fn has_errors(diags: &[Diag]) -> bool {
    diags.iter().any(|d| d.error)
}
