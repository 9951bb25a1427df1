//! Customer files (CUS-01 … CUS-12): the A-card of a sales customer and
//! the C-card of a service customer, one file per vehicle, the move from
//! one to the other, and what the visit history says at any date.
//!
//! Start from [`CustomerFile`]: open it with an [`ACard`] for a car sold
//! here or a [`CCard`] for a service-only customer, record each [`Visit`],
//! and read the [`Counters`] at a reference date. The first maintenance
//! here moves an A-card customer to the C-card (CUS-04,
//! [`CustomerFileEvent::MovedToServiceFile`]); [`CCard::from_a_card`]
//! keeps every field the A-card had.
//!
//! What the file says about the customer at a date: [`customer_flags`]
//! (membership tier and VIP, CUS-08; important customer with its reasons,
//! CUS-09; long time no visit, CUS-11; communication style, CUS-10) and
//! [`customer_segment`] (recency, frequency and monetary scores and the
//! segment, CUS-07). [`AuditSample`] and [`WeeklyAudit`] run the weekly
//! file audit (CUS-06); [`CardAnalysis`] counts the A-card and C-card
//! analysis tables (CUS-12) in one pass.

mod analysis;
mod audit;
mod card;
mod counters;
mod file;
mod flags;
mod policy;
mod render;
mod segment;
mod visit;

pub use analysis::{
    ACardAnalysis, AnalysisError, CCardAnalysis, CardAnalysis, CardTally, CollectionPeriod,
};
pub use audit::{
    Abnormality, AuditError, AuditOutcome, AuditRecord, AuditSample, AuditStatus, AuditWeek,
    FileAuditPolicy, FileCategory, SampledFile, Shortfall, WeeklyAudit,
};
pub use card::{
    ACard, Accessory, AgeBand, BasicInfo, CCard, CardError, CardText, CommunicationStyle,
    ContactInfo, DealChannel, Gender, IncomeBand, InformationSource, InsuranceChoice,
    InsuranceInfo, LostSaleReason, Occupation, OrganisationType, PersonalInfo, PurchaseFactor,
    PurchaseType, SaleInfo, ServiceInfo, VehicleCondition, VehicleInfo, VisitChannel,
};
pub use counters::{Counters, window_start};
pub use file::{
    Amendment, Card, CardKind, ComplaintNote, CustomerFile, CustomerFileCommand, CustomerFileError,
    CustomerFileEvent, NextMaintenanceDue,
};
pub use flags::{
    CustomerFlagInputs, CustomerFlags, FlagError, ImportantCustomerPolicy, ImportantReason,
    LongTimeNoVisit, MemberStatus, MemberTier, Membership, MembershipPolicy, TierRule, VipReason,
    VipRule, VisitRef, customer_flags, important_reasons, long_time_no_visit, member_status,
    vehicles_on_card, vip_reasons,
};
pub use policy::{CounterWindows, CustomerPolicy, TransitionTrigger};
pub use segment::{
    CustomerAttributes, CustomerSegment, RfmMeasures, RfmPolicy, RfmScore, Segment, SegmentError,
    customer_segment, rfm,
};
pub use visit::{Visit, VisitKind};
