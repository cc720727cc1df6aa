//! Findings: what the engine noticed, how serious it is, and the authority.
//!
//! Codes are part of the contract: a shipped code is never renamed.

use crate::explain::Text;
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
    /// Static text (codes, authorities, fixed messages) is borrowed, not copied.
    pub code: Text,
    pub severity: Severity,
    pub message: Text,
    pub authority: Text,
    /// The exchange-file field it is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Text>,
}

/// Collects findings.
#[derive(Debug, Default, Clone)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn add(
        &mut self,
        code: impl Into<Text>,
        severity: Severity,
        message: impl Into<Text>,
        authority: impl Into<Text>,
    ) {
        self.push(Finding {
            code: code.into(),
            severity,
            message: message.into(),
            authority: authority.into(),
            path: None,
        });
    }

    pub fn add_at(
        &mut self,
        code: impl Into<Text>,
        severity: Severity,
        path: impl Into<Text>,
        message: impl Into<Text>,
        authority: impl Into<Text>,
    ) {
        self.push(Finding {
            code: code.into(),
            severity,
            message: message.into(),
            authority: authority.into(),
            path: Some(path.into()),
        });
    }

    fn push(&mut self, f: Finding) {
        if self.0.capacity() == 0 {
            // An analysis notes a handful to a dozen findings: one allocation.
            self.0.reserve(16);
        }
        self.0.push(f);
    }

    pub fn has_error(&self) -> bool {
        self.0.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn has(&self, code: &str) -> bool {
        self.0.iter().any(|f| f.code == code)
    }
}
