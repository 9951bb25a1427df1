//! Decisions over several orders of one vehicle: rework counting (WO-24)
//! and queue order (WO-25).

use serde::{Deserialize, Serialize};

use crate::ids::{Vin, WorkOrderNo};
use crate::policy::Policy;
use crate::rule::{Reason, RuleId};
use crate::work_order::WorkOrder;
use crate::work_order::estimate::Priority;
use crate::work_order::state::Stage;

/// The comebacks (返修) of one vehicle, counted from its orders (WO-24).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReworkTally {
    /// The vehicle.
    pub vin: Vin,
    /// Orders that were comebacks, each with the order it links to.
    pub comebacks: Vec<(WorkOrderNo, WorkOrderNo)>,
    /// Whether the count reached the policy's threshold: the customer is
    /// then an important customer (CUS-09).
    pub important_customer: bool,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Counts the comebacks of `vin` among `orders` (cancelled orders do not
/// count) and says whether the customer has become an important customer.
///
/// ```
/// use aftersales::{reworks_for_vehicle, Policy, Vin, WorkOrder};
/// let vin: Vin = "LFV3A28W8L3123456".parse()?;
/// let tally = reworks_for_vehicle(&[] as &[WorkOrder], &vin, &Policy::default());
/// assert!(tally.comebacks.is_empty() && !tally.important_customer);
/// # Ok::<(), aftersales::IdError>(())
/// ```
pub fn reworks_for_vehicle<'a, I>(orders: I, vin: &Vin, policy: &Policy) -> ReworkTally
where
    I: IntoIterator<Item = &'a WorkOrder>,
{
    let comebacks: Vec<(WorkOrderNo, WorkOrderNo)> = orders
        .into_iter()
        .filter(|o| o.stage() != Stage::Cancelled)
        .filter_map(|o| {
            let r = o.reception()?;
            let original = r.comeback_of.clone()?;
            (r.vehicle.vin == *vin).then(|| (o.no().clone(), original))
        })
        .collect();
    let threshold = policy.work_order().rework_repeat_threshold;
    let count = u32::try_from(comebacks.len()).unwrap_or(u32::MAX);
    let important_customer = threshold > 0 && count >= threshold;
    let mut reasons = vec![Reason::new(
        RuleId::Wo24,
        format!("{count} comeback(s) of `{vin}`; threshold {threshold}"),
    )];
    for (order, original) in &comebacks {
        reasons.push(Reason::new(
            RuleId::Wo24,
            format!("`{order}` is a comeback of `{original}`"),
        ));
    }
    ReworkTally {
        vin: vin.clone(),
        comebacks,
        important_customer,
        reasons,
    }
}

impl WorkOrder {
    /// The order's queue priority (WO-25): the highest priority among its
    /// items that are neither declined nor deferred, `None` without items.
    /// Sort a queue by this, descending: safety first.
    pub fn priority(&self) -> Option<Priority> {
        self.items()
            .iter()
            .filter(|i| !i.status.is_declined_or_deferred())
            .map(|i| i.priority)
            .max()
    }
}
