//! Placeholder.

/// The policy of REG-07 to REG-10, 三包 (placeholder, filled in next).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThreeGuaranteesPolicy {}

impl ThreeGuaranteesPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// None yet.
    pub fn validate(&self) -> Result<(), crate::policy::PolicyError> {
        Ok(())
    }
}
