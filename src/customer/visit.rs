//! A visit to the workshop, as the customer file records it: the history
//! every C-card counter is derived from (CUS-05).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::WorkOrderNo;
use crate::maintenance::MaintenanceItem;
use crate::money::Money;
use crate::units::Km;

words! {
    /// What the visit was for.
    VisitKind {
        /// The manufacturer's first maintenance (首保).
        FirstMaintenance => "first maintenance", "首保";
        /// A regular maintenance (保养).
        Maintenance => "maintenance", "保养";
        /// A repair (维修).
        Repair => "repair", "维修";
        /// Body and paint work (钣喷).
        BodyAndPaint => "body and paint", "钣喷";
        /// Warranty work (保修).
        Warranty => "warranty", "保修";
    }
}

impl VisitKind {
    /// Whether the visit is a maintenance, first or regular (CUS-04).
    pub const fn is_maintenance(self) -> bool {
        matches!(self, VisitKind::FirstMaintenance | VisitKind::Maintenance)
    }
}

/// One visit: a work order delivered on `date`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// The day of the visit (the dealer's local date).
    pub date: NaiveDate,
    /// What it was for.
    pub kind: VisitKind,
    /// The work order (维修单号), when there is one.
    #[serde(default)]
    pub order: Option<WorkOrderNo>,
    /// The odometer at the visit.
    #[serde(default)]
    pub odometer: Option<Km>,
    /// What the customer paid, for the monetary value (CUS-07) and the
    /// membership tiers (CUS-08).
    #[serde(default)]
    pub amount: Option<Money>,
    /// The maintenance items done, for the next maintenance (MNT-01).
    #[serde(default)]
    pub items: Vec<MaintenanceItem>,
    /// A comeback: rework of an earlier repair (返修, WO-24), counted for
    /// the important-customer status (CUS-09).
    #[serde(default)]
    pub comeback: bool,
    /// The dealer caused the customer a loss at this visit (CUS-09).
    #[serde(default)]
    pub dealer_caused_loss: bool,
}

impl Visit {
    /// A visit with nothing but its date and kind.
    pub fn new(date: NaiveDate, kind: VisitKind) -> Self {
        Visit {
            date,
            kind,
            order: None,
            odometer: None,
            amount: None,
            items: Vec::new(),
            comeback: false,
            dealer_caused_loss: false,
        }
    }
}
