//! The order's state: [`OrderState`] (with the data valid in that state)
//! and [`Stage`] (its bare name, with English and Chinese labels).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where an order is in the process, with what holds only there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum OrderState {
    /// Nothing recorded yet.
    New,
    /// An appointment is booked; the vehicle has not arrived.
    Appointment,
    /// Received; diagnosis and estimate in preparation.
    Reception,
    /// The estimate was presented; waiting for the signature.
    Estimated,
    /// Signed by the customer; not yet dispatched.
    Authorized,
    /// Dispatched to a technician; no item started.
    Dispatched,
    /// Work under way.
    InRepair,
    /// Add-on items wait for the customer's answer.
    AwaitingAddOnAuthorization {
        /// The batch waiting.
        batch: u16,
    },
    /// Handed over for the technician's self-check.
    SelfCheck,
    /// Self-check passed; waiting for the QC final check.
    QualityCheck,
    /// QC passed; pre-delivery preparation, settlement and delivery.
    ReadyForDelivery,
    /// Delivered; follow-up due.
    Delivered {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Closed after follow-up.
    Closed,
    /// Cancelled.
    Cancelled {
        /// The stage it was cancelled in.
        from: Stage,
    },
}

impl OrderState {
    /// The bare stage.
    pub fn stage(&self) -> Stage {
        match self {
            OrderState::New => Stage::New,
            OrderState::Appointment => Stage::Appointment,
            OrderState::Reception => Stage::Reception,
            OrderState::Estimated => Stage::Estimated,
            OrderState::Authorized => Stage::Authorized,
            OrderState::Dispatched => Stage::Dispatched,
            OrderState::InRepair => Stage::InRepair,
            OrderState::AwaitingAddOnAuthorization { .. } => Stage::AwaitingAddOnAuthorization,
            OrderState::SelfCheck => Stage::SelfCheck,
            OrderState::QualityCheck => Stage::QualityCheck,
            OrderState::ReadyForDelivery => Stage::ReadyForDelivery,
            OrderState::Delivered { .. } => Stage::Delivered,
            OrderState::Closed => Stage::Closed,
            OrderState::Cancelled { .. } => Stage::Cancelled,
        }
    }
}

/// The stages of a work order, in process order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Nothing recorded yet.
    New,
    /// Appointment booked (预约).
    Appointment,
    /// Reception and diagnosis (接车问诊).
    Reception,
    /// Estimate presented (已报价).
    Estimated,
    /// Authorized by the customer (客户已授权).
    Authorized,
    /// Dispatched (已派工).
    Dispatched,
    /// In repair (维修中).
    InRepair,
    /// Waiting for add-on authorization (增项待确认).
    AwaitingAddOnAuthorization,
    /// Technician self-check (自检).
    SelfCheck,
    /// QC final check (总检).
    QualityCheck,
    /// Ready for delivery (待交车).
    ReadyForDelivery,
    /// Delivered (已交车).
    Delivered,
    /// Closed (已结案).
    Closed,
    /// Cancelled (已取消).
    Cancelled,
}

impl Stage {
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Appointment => "appointment",
            Stage::Reception => "reception",
            Stage::Estimated => "estimated",
            Stage::Authorized => "authorized",
            Stage::Dispatched => "dispatched",
            Stage::InRepair => "in repair",
            Stage::AwaitingAddOnAuthorization => "awaiting add-on authorization",
            Stage::SelfCheck => "self-check",
            Stage::QualityCheck => "quality check",
            Stage::ReadyForDelivery => "ready for delivery",
            Stage::Delivered => "delivered",
            Stage::Closed => "closed",
            Stage::Cancelled => "cancelled",
        }
    }

    /// Chinese label.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Stage::New => "新建",
            Stage::Appointment => "预约",
            Stage::Reception => "接车问诊",
            Stage::Estimated => "已报价",
            Stage::Authorized => "客户已授权",
            Stage::Dispatched => "已派工",
            Stage::InRepair => "维修中",
            Stage::AwaitingAddOnAuthorization => "增项待确认",
            Stage::SelfCheck => "自检",
            Stage::QualityCheck => "总检",
            Stage::ReadyForDelivery => "待交车",
            Stage::Delivered => "已交车",
            Stage::Closed => "已结案",
            Stage::Cancelled => "已取消",
        }
    }

    /// Whether the order was dispatched by this stage (WO-28: cancelling
    /// then needs the work settled).
    pub const fn is_after_dispatch(self) -> bool {
        matches!(
            self,
            Stage::Dispatched
                | Stage::InRepair
                | Stage::AwaitingAddOnAuthorization
                | Stage::SelfCheck
                | Stage::QualityCheck
                | Stage::ReadyForDelivery
        )
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_en())
    }
}
