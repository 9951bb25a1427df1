//! Regulation beyond the source documents (REG-01 … REG-11): what Chinese
//! law asks of every repair shop and car seller, so that a DMS using the
//! crate gets these decisions right too.

mod guarantee;
mod regulator;
mod settlement;
mod three_guarantees;

use serde::{Deserialize, Serialize};

pub use guarantee::{
    ComebackDecision, EarlierRepair, FaultKey, FaultKeyError, GuaranteeEnd, GuaranteeLimit,
    GuaranteePeriod, GuaranteePolicy, GuaranteeTable, GuaranteeVisit, RepairCategory,
    STATUTORY_CAR, STATUTORY_MOTORCYCLE, STATUTORY_OTHER_VEHICLE, STATUTORY_PROOF_DAYS,
    STATUTORY_REPAIRS_BEFORE_ANOTHER_REPAIRER, VehicleKind, comeback, comeback_in_history,
    guarantee_period, statutory_guarantee,
};
pub use regulator::{
    ClockStatus, RegulatorAnswer, RegulatorCase, RegulatorClock, RegulatorClocks, RegulatorPolicy,
    STATUTORY_ACCEPT_WORKING_DAYS, STATUTORY_MEDIATION_WORKING_DAYS, WorkingDayCalendar,
    regulator_clocks,
};
pub use settlement::{
    CompletionCertificate, LabourLine, MaterialKind, MaterialLine, NotChargeable,
    OldPartsDisposition, OverrunConsent, PartConsent, PartsConsent, RepairRecordsPolicy,
    SettlementList, SettlementListError,
};
pub use three_guarantees::*;

use crate::policy::PolicyError;

/// Section 10: regulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegulationPolicy {
    /// REG-01, REG-02: the repair quality guarantee.
    pub guarantee: GuaranteePolicy,
    /// REG-03 … REG-05: completion certificate, settlement list, consent.
    pub repair_records: RepairRecordsPolicy,
    /// REG-07 … REG-10: 三包.
    pub three_guarantees: ThreeGuaranteesPolicy,
    /// REG-11: regulator complaints.
    pub regulator: RegulatorPolicy,
}

impl RegulationPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// The first [`PolicyError`] of its parts.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.guarantee.validate()?;
        self.repair_records.validate()?;
        self.three_guarantees.validate()?;
        self.regulator.validate()?;
        Ok(())
    }
}
