//! Findings: what the engine noticed, how serious it is, and the authority.
//!
//! Codes are part of the contract: a shipped code is never renamed.

use serde::Serialize;

/// How serious a finding is (contract: `error` | `warning` | `info`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The exchange fails as entered, or the input is impossible.
    Error,
    /// Tax or deferral is lost or at risk.
    Warning,
    /// Worth knowing; nothing is lost.
    Info,
}

/// One finding of the analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub authority: String,
    /// The exchange-file field it is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Collects findings.
#[derive(Debug, Default, Clone)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn add(
        &mut self,
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        authority: &str,
    ) {
        self.0.push(Finding {
            code: code.to_string(),
            severity,
            message: message.into(),
            authority: authority.to_string(),
            path: None,
        });
    }

    pub fn add_at(
        &mut self,
        code: &str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
        authority: &str,
    ) {
        self.0.push(Finding {
            code: code.to_string(),
            severity,
            message: message.into(),
            authority: authority.to_string(),
            path: Some(path.into()),
        });
    }

    pub fn has_error(&self) -> bool {
        self.0.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn has(&self, code: &str) -> bool {
        self.0.iter().any(|f| f.code == code)
    }
}
