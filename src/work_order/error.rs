//! [`WorkOrderError`]: why a command was refused.

use crate::ids::WorkOrderNo;
use crate::money::MoneyError;
use crate::rule::RuleId;
use crate::work_order::command::Action;

/// Why a work-order command was refused.
///
/// Business-rule violations ([`WorkOrderError::Rejected`]) name the rule;
/// malformed input ([`WorkOrderError::InvalidInput`]) names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkOrderError {
    /// The command breaks a rule.
    #[error("work order `{order}` cannot {action}: {reason} ({rule})")]
    Rejected {
        /// The order.
        order: WorkOrderNo,
        /// What was asked.
        action: Action,
        /// The rule broken.
        rule: RuleId,
        /// What is wrong, in words.
        reason: String,
    },
    /// The command's input is malformed.
    #[error("work order `{order}` cannot {action}: invalid `{field}`: {reason}")]
    InvalidInput {
        /// The order.
        order: WorkOrderNo,
        /// What was asked.
        action: Action,
        /// The offending field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A money computation failed.
    #[error("work order `{order}` cannot {action}: {source}")]
    Money {
        /// The order.
        order: WorkOrderNo,
        /// What was asked.
        action: Action,
        /// The money error.
        source: MoneyError,
    },
}

impl WorkOrderError {
    /// The rule broken, for a rule violation (or the money rule EST-01).
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            WorkOrderError::Rejected { rule, .. } => Some(*rule),
            WorkOrderError::Money { .. } => Some(RuleId::Est01),
            WorkOrderError::InvalidInput { .. } => None,
        }
    }

    /// The action that was refused.
    pub fn action(&self) -> Action {
        match self {
            WorkOrderError::Rejected { action, .. }
            | WorkOrderError::InvalidInput { action, .. }
            | WorkOrderError::Money { action, .. } => *action,
        }
    }
}
