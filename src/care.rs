//! The customer-care calendar (CARE-01 … CARE-07).

use serde::{Deserialize, Serialize};

use crate::policy::PolicyError;

/// Section 7: the customer-care calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CarePolicy {}

impl CarePolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the inconsistent field.
    pub fn validate(&self) -> Result<(), PolicyError> {
        Ok(())
    }
}
