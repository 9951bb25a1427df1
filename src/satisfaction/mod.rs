//! Satisfaction: questionnaires (FU-11) and score bands (SAT-01).

use serde::{Deserialize, Serialize};

use crate::policy::PolicyError;

/// Section 5: satisfaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SatisfactionPolicy {}

impl SatisfactionPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the inconsistent field.
    pub fn validate(&self) -> Result<(), PolicyError> {
        Ok(())
    }
}
