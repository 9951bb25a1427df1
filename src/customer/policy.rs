//! Section 6 of the [`Policy`](crate::Policy): [`CustomerPolicy`].

use serde::{Deserialize, Serialize};

use super::audit::FileAuditPolicy;
use super::flags::{ImportantCustomerPolicy, MembershipPolicy};
use super::segment::RfmPolicy;
use crate::policy::{PolicyError, invalid};
use crate::rule::RuleId;

words! {
    /// Which visit moves an A-card customer to the C-card (CUS-04).
    ///
    /// \[002\] moves the customer "after the first maintenance at this
    /// dealer" (自来我店进行首次保养后转入C卡). A customer whose first
    /// visit is a repair therefore stays on the A-card under the default:
    /// the repair is recorded in the file's history and counted, and the
    /// move happens at the first maintenance, first or regular. A dealer
    /// that wants every first workshop visit to move the file picks
    /// [`TransitionTrigger::FirstServiceVisit`].
    TransitionTrigger {
        /// The first maintenance (首保 or a regular one) at this dealer.
        FirstMaintenance => "first maintenance here", "首次保养";
        /// The first workshop visit of any kind.
        FirstServiceVisit => "first workshop visit", "首次进厂";
    }
}

/// The three windows of the C-card's visit counters (CUS-05), in months:
/// half a year, one year, three years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CounterWindows {
    /// 半年内来店次数 (6).
    pub short_months: u32,
    /// 一年内来店次数 (12).
    pub medium_months: u32,
    /// 三年内来店次数 (36).
    pub long_months: u32,
}

impl Default for CounterWindows {
    fn default() -> Self {
        CounterWindows {
            short_months: 6,
            medium_months: 12,
            long_months: 36,
        }
    }
}

/// Section 6: customer files.
///
/// ```
/// use aftersales::{Policy, TransitionTrigger};
///
/// let policy: Policy = serde_json::from_str(
///     r#"{ "customer": { "transition": "first_service_visit" } }"#,
/// )?;
/// assert_eq!(policy.customer().transition, TransitionTrigger::FirstServiceVisit);
/// assert_eq!(policy.customer().windows.long_months, 36);
///
/// let bad = r#"{ "customer": { "windows": { "short_months": 12, "medium_months": 6 } } }"#;
/// assert!(serde_json::from_str::<Policy>(bad).unwrap_err().to_string().contains("CUS-05"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomerPolicy {
    /// CUS-04: the visit that moves an A-card customer to the C-card.
    pub transition: TransitionTrigger,
    /// CUS-05: the counter windows.
    pub windows: CounterWindows,
    /// CUS-06: the weekly file audit.
    pub file_audit: FileAuditPolicy,
    /// CUS-07: recency, frequency and monetary scoring.
    pub rfm: RfmPolicy,
    /// CUS-08: membership tiers and VIP.
    pub membership: MembershipPolicy,
    /// CUS-09: the important-customer status.
    pub important: ImportantCustomerPolicy,
}

impl Default for CustomerPolicy {
    fn default() -> Self {
        CustomerPolicy {
            transition: TransitionTrigger::FirstMaintenance,
            windows: CounterWindows::default(),
            file_audit: FileAuditPolicy::default(),
            rfm: RfmPolicy::default(),
            membership: MembershipPolicy::default(),
            important: ImportantCustomerPolicy::default(),
        }
    }
}

/// The longest counter window: 100 years.
const MAX_WINDOW_MONTHS: u32 = 1_200;

impl CustomerPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] on `customer.windows` (CUS-05) when a window is zero,
    /// longer than 1,200 months, or the three do not grow (short < medium <
    /// long); and whatever the audit, RFM, membership and important-customer
    /// parts reject.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let w = self.windows;
        if w.short_months == 0 || w.long_months > MAX_WINDOW_MONTHS {
            return Err(invalid(
                "customer.windows",
                RuleId::Cus05,
                format!(
                    "must lie between 1 and {MAX_WINDOW_MONTHS} months, not {}–{}",
                    w.short_months, w.long_months
                ),
            ));
        }
        if !(w.short_months < w.medium_months && w.medium_months < w.long_months) {
            return Err(invalid(
                "customer.windows",
                RuleId::Cus05,
                format!(
                    "must grow from short to long, not {} / {} / {} months",
                    w.short_months, w.medium_months, w.long_months
                ),
            ));
        }
        self.file_audit.validate()?;
        self.rfm.validate()?;
        self.membership.validate()?;
        self.important.validate()?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn windows_must_grow() {
        assert_eq!(CustomerPolicy::default().validate(), Ok(()));
        let mut p = CustomerPolicy::default();
        p.windows.short_months = 0;
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Cus05);
        p.windows = CounterWindows {
            short_months: 6,
            medium_months: 6,
            long_months: 36,
        };
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid policy: `customer.windows` must grow from short to long, \
             not 6 / 6 / 36 months (CUS-05)"
        );
        p.windows.long_months = 1_201;
        p.windows.medium_months = 12;
        assert!(p.validate().is_err());
    }
}
