//! Placeholder.

/// The policy of REG-03 to REG-05, completion certificate, settlement list and consent (placeholder, filled in next).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepairRecordsPolicy {}

impl RepairRecordsPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// None yet.
    pub fn validate(&self) -> Result<(), crate::policy::PolicyError> {
        Ok(())
    }
}
