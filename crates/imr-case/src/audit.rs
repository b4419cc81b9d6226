//! The audit log: who did what to a case, when and why. Entries name people by their
//! identifiers and documents by their hashes; they never carry clinical text.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime,
    /// Who acted: a user or reviewer identifier, or "system".
    pub actor: String,
    /// What happened, a stable code: `case.opened`, `case.assigned`, `case.viewed`, ...
    pub event: String,
    /// Why, or the figures of the step (never clinical text).
    pub detail: String,
}

impl AuditEntry {
    pub fn new(
        at: DateTime,
        actor: impl Into<String>,
        event: impl Into<String>,
        detail: impl Into<String>,
    ) -> AuditEntry {
        AuditEntry {
            at,
            actor: actor.into(),
            event: event.into(),
            detail: detail.into(),
        }
    }
}
