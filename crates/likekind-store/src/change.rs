//! What a change is, as the audit log records it and the notifications read it: its own
//! module so that both take it from here and neither imports the other for it.

/// What changed, for the audit log.
pub(crate) struct Change<'a> {
    pub exchange_id: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}
