//! [`ComplaintError`]: why a complaint command was refused.

use crate::complaint::command::ComplaintAction;
use crate::ids::ComplaintNo;
use crate::money::MoneyError;
use crate::rule::RuleId;

/// Why a complaint command was refused.
///
/// Business-rule violations ([`ComplaintError::Rejected`]) name the rule;
/// malformed input ([`ComplaintError::InvalidInput`]) names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComplaintError {
    /// The command breaks a rule.
    #[error("complaint `{complaint}` cannot {action}: {reason} ({rule})")]
    Rejected {
        /// The complaint.
        complaint: ComplaintNo,
        /// What was asked.
        action: ComplaintAction,
        /// The rule broken.
        rule: RuleId,
        /// What is wrong, in words.
        reason: String,
    },
    /// The command's input is malformed.
    #[error("complaint `{complaint}` cannot {action}: invalid `{field}`: {reason}")]
    InvalidInput {
        /// The complaint.
        complaint: ComplaintNo,
        /// What was asked.
        action: ComplaintAction,
        /// The offending field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A money computation failed.
    #[error("complaint `{complaint}` cannot {action}: {source}")]
    Money {
        /// The complaint.
        complaint: ComplaintNo,
        /// What was asked.
        action: ComplaintAction,
        /// The money error.
        source: MoneyError,
    },
}

impl ComplaintError {
    /// The rule broken, for a rule violation (or the money rule EST-01).
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            ComplaintError::Rejected { rule, .. } => Some(*rule),
            ComplaintError::Money { .. } => Some(RuleId::Est01),
            ComplaintError::InvalidInput { .. } => None,
        }
    }

    /// The action that was refused.
    pub fn action(&self) -> ComplaintAction {
        match self {
            ComplaintError::Rejected { action, .. }
            | ComplaintError::InvalidInput { action, .. }
            | ComplaintError::Money { action, .. } => *action,
        }
    }
}
