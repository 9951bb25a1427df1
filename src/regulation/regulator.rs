//! Placeholder.

/// The policy of REG-11, regulator complaint clocks (placeholder, filled in next).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegulatorPolicy {}

impl RegulatorPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// None yet.
    pub fn validate(&self) -> Result<(), crate::policy::PolicyError> {
        Ok(())
    }
}
