//! Maintenance intervals and reminders (MNT-01 … MNT-06).

use serde::{Deserialize, Serialize};

use crate::policy::PolicyError;

/// Section 8: the maintenance schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MaintenancePolicy {}

impl MaintenancePolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the inconsistent field.
    pub fn validate(&self) -> Result<(), PolicyError> {
        Ok(())
    }
}
