//! Placeholder.

/// The policy of REG-01 and REG-02, the repair quality guarantee (placeholder, filled in next).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuaranteePolicy {}

impl GuaranteePolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// None yet.
    pub fn validate(&self) -> Result<(), crate::policy::PolicyError> {
        Ok(())
    }
}
