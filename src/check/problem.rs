//! What `jawnik check` reports: a [`Problem`] (file, line, field, message) with its
//! [`Severity`]; errors make the command fail, warnings do not.

use serde::Serialize;

use crate::content::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found by `jawnik check`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Relative to the site root, `/` separators (`content/raporty/x.md`).
    pub file: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    pub severity: Severity,
    /// The front-matter field concerned (`related`, `sectors`), `body` for body links.
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub(super) fn new(
        severity: Severity,
        file: &str,
        line: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.to_string(),
            line,
            severity,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    pub(super) fn from_diagnostic(d: Diagnostic) -> Self {
        Problem {
            file: d.file,
            line: d.line,
            severity: Severity::Error,
            field: d.field,
            message: d.message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: ", self.severity.as_str())?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}
