//! Placeholder.

/// The policy of CUS-06 weekly file audit (placeholder, filled in next).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileAuditPolicy {}

impl FileAuditPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// None yet.
    pub fn validate(&self) -> Result<(), crate::policy::PolicyError> {
        Ok(())
    }
}
