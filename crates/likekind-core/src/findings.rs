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

/// Collects findings. The second field says the messages are left out (see
/// [`Findings::with_words`]).
#[derive(Debug, Default, Clone)]
pub struct Findings(pub Vec<Finding>, bool);

impl Findings {
    /// Findings with their messages (`words`), or without (each empty), for callers that
    /// read only codes and severities (a book's summaries): the engine adds every finding
    /// through [`finding!`](crate::finding) or [`finding_at!`](crate::finding_at), which then
    /// does not build the message.
    pub fn with_words(words: bool) -> Findings {
        Findings(Vec::new(), !words)
    }

    /// Whether messages are written.
    pub fn words(&self) -> bool {
        !self.1
    }

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

/// The message of a finding when its findings keep words; empty, and not built, otherwise.
#[doc(hidden)]
#[macro_export]
macro_rules! finding_message {
    ($fx:expr, $msg:expr) => {
        if $fx.words() {
            $crate::explain::Text::from($msg)
        } else {
            $crate::explain::Text::Borrowed("")
        }
    };
}

/// [`Findings::add`], the message built only when it is kept.
#[doc(hidden)]
#[macro_export]
macro_rules! finding {
    ($fx:expr, $code:expr, $sev:expr, $msg:expr, $auth:expr $(,)?) => {{
        let message = $crate::finding_message!($fx, $msg);
        $fx.add($code, $sev, message, $auth)
    }};
}

/// [`Findings::add_at`], the message built only when it is kept.
#[doc(hidden)]
#[macro_export]
macro_rules! finding_at {
    ($fx:expr, $code:expr, $sev:expr, $path:expr, $msg:expr, $auth:expr $(,)?) => {{
        let message = $crate::finding_message!($fx, $msg);
        $fx.add_at($code, $sev, $path, message, $auth)
    }};
}
