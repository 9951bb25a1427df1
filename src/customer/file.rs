//! The customer file of one vehicle (一车一档, CUS-01): an A-card or a
//! C-card with its visit history, driven by commands and events like the
//! work order, with the A-to-C transition as an event (CUS-04).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::card::{ACard, CCard, CardText, ContactInfo, InsuranceInfo, PersonalInfo, ServiceInfo};
use super::counters::Counters;
use super::policy::TransitionTrigger;
use super::visit::{Visit, VisitKind};
use crate::care::CareProfile;
use crate::ids::{ComplaintNo, CustomerId, StaffId, Vin};
use crate::maintenance::{MaintenanceError, MaintenanceHistory, OdometerReading, ServiceRecord};
use crate::policy::Policy;
use crate::rule::RuleId;
use crate::time::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, SUPPORTED_RANGE};
use crate::units::Km;

/// The card a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "card")]
pub enum Card {
    /// A sales customer (A卡).
    A(ACard),
    /// A service customer (C卡).
    C(CCard),
}

words! {
    /// Which card a file holds, for listing and filing.
    CardKind {
        /// The A-card: bought here, no maintenance here yet.
        A => "A-card (sales)", "A卡（销售）";
        /// The C-card: a service customer.
        C => "C-card (service)", "C卡（售后）";
    }
}

impl Card {
    /// Which card.
    pub const fn kind(&self) -> CardKind {
        match self {
            Card::A(_) => CardKind::A,
            Card::C(_) => CardKind::C,
        }
    }

    /// The DMS's customer id.
    pub fn customer(&self) -> &CustomerId {
        match self {
            Card::A(a) => &a.customer,
            Card::C(c) => &c.customer,
        }
    }

    /// The vehicle's VIN: the file's key (CUS-01).
    pub fn vin(&self) -> &Vin {
        match self {
            Card::A(a) => &a.vehicle.vin,
            Card::C(c) => &c.vehicle.vin,
        }
    }

    /// The contact block.
    pub fn contact(&self) -> &ContactInfo {
        match self {
            Card::A(a) => &a.contact,
            Card::C(c) => &c.contact,
        }
    }
}

/// A correction of a hand-kept block. The counters cannot be amended:
/// they are derived (CUS-05).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "block", content = "value")]
pub enum Amendment {
    /// The contact block, replaced whole.
    Contact(ContactInfo),
    /// The personal block, replaced whole.
    Personal(PersonalInfo),
    /// The insurance block, replaced whole.
    Insurance(InsuranceInfo),
    /// The remarks.
    Remarks(Option<CardText>),
    /// The C-card's hand-kept service block (advisor, information source,
    /// referrals, repeat purchase, lost sale). `bought_here` is a fact of
    /// the file's history and cannot change (CUS-04).
    Service(ServiceInfo),
}

/// A command to a [`CustomerFile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum CustomerFileCommand {
    /// Open the file of a new car sold here, on an A-card.
    OpenSalesFile {
        /// The day (the delivery, as a rule).
        on: NaiveDate,
        /// The card.
        card: ACard,
    },
    /// Open the file of a service customer who did not buy here, on a
    /// C-card with `bought_here` = no (CUS-04).
    OpenServiceFile {
        /// The day of the first visit, as a rule.
        on: NaiveDate,
        /// The card.
        card: CCard,
    },
    /// Record a workshop visit; on an A-card the transition may follow
    /// (CUS-04).
    RecordVisit {
        /// The visit.
        visit: Visit,
        /// The service advisor of the visit, who looks after the customer
        /// from now on.
        advisor: Option<StaffId>,
    },
    /// Record a complaint of the customer (C-card 是否有投诉; CUS-09 for a
    /// major one).
    RecordComplaint {
        /// The day it was received.
        on: NaiveDate,
        /// Its number.
        complaint: ComplaintNo,
        /// Whether it is major (CMP-04 level 3 or 4).
        major: bool,
    },
    /// Correct a hand-kept block.
    Amend {
        /// The day.
        on: NaiveDate,
        /// What changes.
        amendment: Amendment,
    },
}

impl CustomerFileCommand {
    /// What the command asks, in words.
    pub const fn action(&self) -> &'static str {
        match self {
            CustomerFileCommand::OpenSalesFile { .. } => "open a sales file",
            CustomerFileCommand::OpenServiceFile { .. } => "open a service file",
            CustomerFileCommand::RecordVisit { .. } => "record a visit",
            CustomerFileCommand::RecordComplaint { .. } => "record a complaint",
            CustomerFileCommand::Amend { .. } => "amend the card",
        }
    }
}

/// What happened to a [`CustomerFile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum CustomerFileEvent {
    /// The file was opened on an A-card.
    SalesFileOpened {
        /// The day.
        on: NaiveDate,
        /// The card.
        card: ACard,
    },
    /// The file was opened on a C-card.
    ServiceFileOpened {
        /// The day.
        on: NaiveDate,
        /// The card.
        card: CCard,
    },
    /// A visit was recorded.
    VisitRecorded {
        /// The visit.
        visit: Visit,
    },
    /// The customer moved from the A-card to the C-card (CUS-04).
    MovedToServiceFile {
        /// The day of the visit that moved them.
        on: NaiveDate,
        /// What that visit was.
        trigger: VisitKind,
        /// The service advisor from now on.
        advisor: Option<StaffId>,
    },
    /// A complaint was recorded.
    ComplaintRecorded {
        /// The day.
        on: NaiveDate,
        /// Its number.
        complaint: ComplaintNo,
        /// Whether it is major.
        major: bool,
    },
    /// A block was corrected.
    Amended {
        /// The day.
        on: NaiveDate,
        /// What changed.
        amendment: Amendment,
    },
}

impl CustomerFileCommand {
    /// Every date the command carries, with the field that holds it.
    ///
    /// An exhaustive match over the commands and the amendments, so a new
    /// one cannot be added without deciding here which dates it carries.
    fn dates(&self) -> Vec<(&'static str, NaiveDate)> {
        use CustomerFileCommand as C;
        let mut out = Vec::new();
        match self {
            C::OpenSalesFile { on, card } => {
                out.push(("on", *on));
                card_dates(&mut out, &card.basic, &card.vehicle);
                insurance_dates(&mut out, "card.insurance.insured_on", &card.insurance);
                personal_dates(&mut out, CARD_PERSONAL, &card.personal);
            }
            C::OpenServiceFile { on, card } => {
                out.push(("on", *on));
                card_dates(&mut out, &card.basic, &card.vehicle);
                insurance_dates(&mut out, "card.insurance.insured_on", &card.insurance);
                personal_dates(&mut out, CARD_PERSONAL, &card.personal);
            }
            C::RecordVisit { visit, advisor: _ } => out.push(("visit.date", visit.date)),
            C::RecordComplaint {
                on,
                complaint: _,
                major: _,
            } => out.push(("on", *on)),
            C::Amend { on, amendment } => {
                out.push(("on", *on));
                match amendment {
                    Amendment::Insurance(insurance) => {
                        insurance_dates(&mut out, "amendment.insured_on", insurance);
                    }
                    Amendment::Personal(personal) => {
                        personal_dates(
                            &mut out,
                            (
                                "amendment.wedding_anniversary",
                                "amendment.annual_inspection",
                            ),
                            personal,
                        );
                    }
                    Amendment::Contact(_) | Amendment::Remarks(_) | Amendment::Service(_) => {}
                }
            }
        }
        out
    }

    /// Refuses a command carrying a date outside the years of
    /// [`SUPPORTED_RANGE`], naming the first such field.
    fn check_dates(&self) -> Result<(), (&'static str, String)> {
        for (field, date) in self.dates() {
            if !(FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&date.year()) {
                return Err((
                    field,
                    format!("{date} is outside the supported time range ({SUPPORTED_RANGE})"),
                ));
            }
        }
        Ok(())
    }
}

/// The field names of a card's personal dates.
const CARD_PERSONAL: (&str, &str) = (
    "card.personal.wedding_anniversary",
    "card.personal.annual_inspection",
);

/// The dates of a card's basic and vehicle blocks.
fn card_dates(
    out: &mut Vec<(&'static str, NaiveDate)>,
    basic: &super::card::BasicInfo,
    vehicle: &super::card::VehicleInfo,
) {
    out.extend(basic.birthday.map(|d| ("card.basic.birthday", d)));
    out.extend(
        vehicle
            .delivered_on
            .map(|d| ("card.vehicle.delivered_on", d)),
    );
}

/// The insurance date, under the field name `field`.
fn insurance_dates(
    out: &mut Vec<(&'static str, NaiveDate)>,
    field: &'static str,
    insurance: &InsuranceInfo,
) {
    out.extend(insurance.insured_on.map(|d| (field, d)));
}

/// The dates of a personal block, under the field names `fields`
/// (wedding anniversary, annual inspection).
fn personal_dates(
    out: &mut Vec<(&'static str, NaiveDate)>,
    fields: (&'static str, &'static str),
    personal: &PersonalInfo,
) {
    out.extend(personal.wedding_anniversary.map(|d| (fields.0, d)));
    out.extend(personal.annual_inspection.map(|d| (fields.1, d)));
}

/// Why a command was refused.
///
/// Business-rule violations ([`CustomerFileError::Rejected`]) name the
/// rule; malformed input ([`CustomerFileError::InvalidInput`]) names the
/// field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CustomerFileError {
    /// The command breaks a rule.
    #[error("customer file `{vin}` cannot {action}: {reason} ({rule})")]
    Rejected {
        /// The file's VIN, or the card's for a file not yet opened.
        vin: String,
        /// What was asked.
        action: &'static str,
        /// The rule broken.
        rule: RuleId,
        /// What is wrong, in words.
        reason: String,
    },
    /// The command's input is malformed: a date outside the years of
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE).
    #[error("customer file `{vin}` cannot {action}: invalid `{field}`: {reason}")]
    InvalidInput {
        /// The file's VIN, or the card's for a file not yet opened.
        vin: String,
        /// What was asked.
        action: &'static str,
        /// The offending field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl CustomerFileError {
    /// The rule broken, for a rule violation.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            CustomerFileError::Rejected { rule, .. } => Some(*rule),
            CustomerFileError::InvalidInput { .. } => None,
        }
    }

    /// What was asked.
    pub fn action(&self) -> &'static str {
        match self {
            CustomerFileError::Rejected { action, .. }
            | CustomerFileError::InvalidInput { action, .. } => action,
        }
    }
}

/// A complaint as the file keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintNote {
    /// The day it was received.
    pub on: NaiveDate,
    /// Its number.
    pub complaint: ComplaintNo,
    /// Whether it is major.
    pub major: bool,
}

/// The file of one vehicle (CUS-01): the card, the visit history and the
/// complaints, rebuilt from its events.
///
/// ```
/// use aftersales::{
///     ACard, BasicInfo, CardKind, CustomerFile, CustomerFileCommand, Policy, Visit, VisitKind,
///     VehicleInfo,
/// };
/// use chrono::NaiveDate;
///
/// let policy = Policy::default();
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let card = ACard {
///     customer: "C-0001".parse()?,
///     basic: BasicInfo::new("王先生".parse()?),
///     contact: Default::default(),
///     vehicle: VehicleInfo::new("LSVAA4180E2123456".parse()?),
///     insurance: Default::default(),
///     personal: Default::default(),
///     sale: Default::default(),
///     remarks: None,
/// };
/// let mut file = CustomerFile::new();
/// file.execute(CustomerFileCommand::OpenSalesFile { on: d(3, 2), card }, &policy)?;
/// assert_eq!(file.card_kind(), Some(CardKind::A));
///
/// // The first maintenance here moves the customer to the C-card (CUS-04).
/// let visit = Visit::new(d(6, 10), VisitKind::FirstMaintenance);
/// let events = file.execute(
///     CustomerFileCommand::RecordVisit { visit, advisor: Some("SA-02".parse()?) },
///     &policy,
/// )?;
/// assert_eq!(events.len(), 2); // the visit, then the move
/// assert_eq!(file.card_kind(), Some(CardKind::C));
/// assert_eq!(file.counters(d(6, 30), &policy).visits_short, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Stored data
///
/// Store the events, not the file: the events are the stored truth.
/// Append the [`CustomerFileEvent`]s that [`CustomerFile::execute`]
/// returns to the file's log, in the order they came, and rebuild the file
/// with [`CustomerFile::replay`]. Events stored by older versions of the
/// crate still load. The file serializes, as a read model a DMS may show
/// or cache for display, but it does not deserialize: a file loaded field
/// by field could hold what no command allows (a C-card moved over before
/// the file was opened, visits out of order on the odometer), so there is
/// no way to load one.
///
/// ```
/// # use aftersales::{ACard, BasicInfo, CustomerFile, CustomerFileCommand, Policy, VehicleInfo};
/// # use chrono::NaiveDate;
/// # let card = ACard {
/// #     customer: "C-0001".parse()?,
/// #     basic: BasicInfo::new("王先生".parse()?),
/// #     contact: Default::default(),
/// #     vehicle: VehicleInfo::new("LSVAA4180E2123456".parse()?),
/// #     insurance: Default::default(),
/// #     personal: Default::default(),
/// #     sale: Default::default(),
/// #     remarks: None,
/// # };
/// use aftersales::CustomerFileEvent;
///
/// let on = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("no such day")?;
/// let mut file = CustomerFile::new();
/// let events =
///     file.execute(CustomerFileCommand::OpenSalesFile { on, card }, &Policy::default())?;
/// // The DMS stores the events ...
/// let stored = serde_json::to_string(&events)?;
/// // ... and rebuilds the file from them.
/// let log: Vec<CustomerFileEvent> = serde_json::from_str(&stored)?;
/// assert_eq!(CustomerFile::replay(&log), file);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The file itself does not load from JSON (a test that it stays so):
///
/// ```compile_fail,E0277
/// let file: aftersales::CustomerFile = serde_json::from_str("{}")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CustomerFile {
    card: Option<Card>,
    opened_on: Option<NaiveDate>,
    moved_on: Option<NaiveDate>,
    visits: Vec<Visit>,
    complaints: Vec<ComplaintNote>,
    version: u64,
}

impl CustomerFile {
    /// A file not yet opened.
    pub fn new() -> Self {
        CustomerFile::default()
    }

    /// The file rebuilt from its events.
    pub fn replay<'a, I>(events: I) -> Self
    where
        I: IntoIterator<Item = &'a CustomerFileEvent>,
    {
        let mut file = CustomerFile::new();
        for event in events {
            file.apply(event);
        }
        file
    }

    /// Checks `command` and returns the events it causes.
    ///
    /// # Errors
    ///
    /// [`CustomerFileError::InvalidInput`] naming the field, before any
    /// rule is checked, when a date the command carries (the day, the
    /// visit's date, a date on the card or in the amendment) lies outside
    /// the years of [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE);
    /// otherwise [`CustomerFileError::Rejected`] naming the rule:
    /// - CUS-01 when the file is opened twice, or a command comes before
    ///   the file is opened;
    /// - CUS-04 when a service file is opened for a vehicle bought here (it
    ///   starts on the A-card and moves over);
    /// - CUS-05 when a visit is dated before the file was opened, repeats
    ///   a recorded order, or reads less on the odometer than an earlier
    ///   visit (or more than a later one).
    pub fn decide(
        &self,
        command: &CustomerFileCommand,
        policy: &Policy,
    ) -> Result<Vec<CustomerFileEvent>, CustomerFileError> {
        use CustomerFileCommand as C;
        use CustomerFileEvent as E;
        let vin = match (&self.card, command) {
            (Some(card), _) => card.vin().to_string(),
            (None, C::OpenSalesFile { card, .. }) => card.vehicle.vin.to_string(),
            (None, C::OpenServiceFile { card, .. }) => card.vehicle.vin.to_string(),
            (None, _) => "(not opened)".to_owned(),
        };
        command
            .check_dates()
            .map_err(|(field, reason)| CustomerFileError::InvalidInput {
                vin: vin.clone(),
                action: command.action(),
                field,
                reason,
            })?;
        let reject = |rule: RuleId, reason: String| CustomerFileError::Rejected {
            vin: vin.clone(),
            action: command.action(),
            rule,
            reason,
        };
        match command {
            C::OpenSalesFile { on, card } => {
                if self.card.is_some() {
                    return Err(reject(RuleId::Cus01, "the file is already open".into()));
                }
                Ok(vec![E::SalesFileOpened {
                    on: *on,
                    card: card.clone(),
                }])
            }
            C::OpenServiceFile { on, card } => {
                if self.card.is_some() {
                    return Err(reject(RuleId::Cus01, "the file is already open".into()));
                }
                if card.service.bought_here || card.sale.is_some() {
                    return Err(reject(
                        RuleId::Cus04,
                        "the vehicle was bought here, so its file starts on the A-card".into(),
                    ));
                }
                Ok(vec![E::ServiceFileOpened {
                    on: *on,
                    card: card.clone(),
                }])
            }
            C::RecordVisit { visit, advisor } => {
                let (Some(card), Some(opened)) = (&self.card, self.opened_on) else {
                    return Err(reject(RuleId::Cus01, "the file is not open".into()));
                };
                if visit.date < opened {
                    return Err(reject(
                        RuleId::Cus05,
                        format!(
                            "the visit on {} is before the file was opened on {opened}",
                            visit.date
                        ),
                    ));
                }
                if let Some(order) = &visit.order {
                    if self.visits.iter().any(|v| v.order.as_ref() == Some(order)) {
                        return Err(reject(
                            RuleId::Cus05,
                            format!("order `{order}` is already recorded"),
                        ));
                    }
                }
                if let Some(km) = visit.odometer {
                    self.check_odometer(visit.date, km)
                        .map_err(|reason| reject(RuleId::Cus05, reason))?;
                }
                let mut events = vec![E::VisitRecorded {
                    visit: visit.clone(),
                }];
                if card.kind() == CardKind::A {
                    let moves = match policy.customer().transition {
                        TransitionTrigger::FirstMaintenance => visit.kind.is_maintenance(),
                        TransitionTrigger::FirstServiceVisit => true,
                    };
                    if moves {
                        events.push(E::MovedToServiceFile {
                            on: visit.date,
                            trigger: visit.kind,
                            advisor: advisor.clone(),
                        });
                    }
                }
                Ok(events)
            }
            C::RecordComplaint {
                on,
                complaint,
                major,
            } => {
                if self.card.is_none() {
                    return Err(reject(RuleId::Cus01, "the file is not open".into()));
                }
                if self.complaints.iter().any(|c| &c.complaint == complaint) {
                    return Err(reject(
                        RuleId::Cus03,
                        format!("complaint `{complaint}` is already recorded"),
                    ));
                }
                Ok(vec![E::ComplaintRecorded {
                    on: *on,
                    complaint: complaint.clone(),
                    major: *major,
                }])
            }
            C::Amend { on, amendment } => {
                let Some(card) = &self.card else {
                    return Err(reject(RuleId::Cus01, "the file is not open".into()));
                };
                if let Amendment::Service(service) = amendment {
                    match card {
                        Card::A(_) => {
                            return Err(reject(
                                RuleId::Cus03,
                                "an A-card has no service block".into(),
                            ));
                        }
                        Card::C(c) if c.service.bought_here != service.bought_here => {
                            return Err(reject(
                                RuleId::Cus04,
                                "whether the vehicle was bought here cannot be changed".into(),
                            ));
                        }
                        Card::C(_) => {}
                    }
                }
                Ok(vec![E::Amended {
                    on: *on,
                    amendment: amendment.clone(),
                }])
            }
        }
    }

    /// `km` on `date` against the recorded visits: not below an earlier
    /// reading, not above a later one.
    fn check_odometer(&self, date: NaiveDate, km: Km) -> Result<(), String> {
        for v in &self.visits {
            let Some(other) = v.odometer else { continue };
            if v.date < date && other > km {
                return Err(format!(
                    "the odometer reads {km} on {date}, less than {other} on {}",
                    v.date
                ));
            }
            if v.date > date && other < km {
                return Err(format!(
                    "the odometer reads {km} on {date}, more than {other} on the later {}",
                    v.date
                ));
            }
        }
        Ok(())
    }

    /// [`CustomerFile::decide`] and [`CustomerFile::apply`]: runs the
    /// command and returns the events for the DMS to store.
    ///
    /// # Errors
    ///
    /// As [`CustomerFile::decide`]; the file is unchanged on error.
    pub fn execute(
        &mut self,
        command: CustomerFileCommand,
        policy: &Policy,
    ) -> Result<Vec<CustomerFileEvent>, CustomerFileError> {
        let events = self.decide(&command, policy)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Records an event. Never fails and holds no rule.
    pub fn apply(&mut self, event: &CustomerFileEvent) {
        use CustomerFileEvent as E;
        self.version = self.version.saturating_add(1);
        match event {
            E::SalesFileOpened { on, card } => {
                self.card = Some(Card::A(card.clone()));
                self.opened_on = Some(*on);
            }
            E::ServiceFileOpened { on, card } => {
                self.card = Some(Card::C(card.clone()));
                self.opened_on = Some(*on);
            }
            E::VisitRecorded { visit } => {
                // Keep the history in date order; a late entry goes after
                // the visits of its day.
                let at = self.visits.partition_point(|v| v.date <= visit.date);
                self.visits.insert(at, visit.clone());
            }
            E::MovedToServiceFile { on, advisor, .. } => {
                if let Some(Card::A(a)) = self.card.take() {
                    self.card = Some(Card::C(CCard::from_a_card(a, advisor.clone())));
                    self.moved_on = Some(*on);
                }
            }
            E::ComplaintRecorded {
                on,
                complaint,
                major,
            } => self.complaints.push(ComplaintNote {
                on: *on,
                complaint: complaint.clone(),
                major: *major,
            }),
            E::Amended { amendment, .. } => {
                if let Some(card) = &mut self.card {
                    amend(card, amendment);
                }
            }
        }
    }

    /// The card, once the file is open.
    pub fn card(&self) -> Option<&Card> {
        self.card.as_ref()
    }

    /// Which card, once the file is open.
    pub fn card_kind(&self) -> Option<CardKind> {
        self.card.as_ref().map(Card::kind)
    }

    /// The day the file was opened.
    pub fn opened_on(&self) -> Option<NaiveDate> {
        self.opened_on
    }

    /// The day the customer moved to the C-card (CUS-04).
    pub fn moved_on(&self) -> Option<NaiveDate> {
        self.moved_on
    }

    /// The visits, by date.
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }

    /// The complaints, as recorded.
    pub fn complaints(&self) -> &[ComplaintNote] {
        &self.complaints
    }

    /// Events applied so far.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The counters at `at` (CUS-05), derived from the visits.
    pub fn counters(&self, at: NaiveDate, policy: &Policy) -> Counters {
        Counters::from_visits(&self.visits, at, &policy.customer().windows)
    }

    /// Whether the customer has complained by `at` (是否有投诉).
    pub fn has_complaint(&self, at: NaiveDate) -> bool {
        self.complaints.iter().any(|c| c.on <= at)
    }

    /// The vehicle's maintenance history from the file, when the card
    /// knows the powertrain, the delivery date and the delivery odometer:
    /// maintenance visits with their items as services, other visits with
    /// an odometer as readings.
    pub fn maintenance_history(&self) -> Option<MaintenanceHistory> {
        let vehicle = match self.card.as_ref()? {
            Card::A(a) => &a.vehicle,
            Card::C(c) => &c.vehicle,
        };
        let delivery = OdometerReading::new(vehicle.delivered_on?, vehicle.delivery_odometer?);
        let mut history = MaintenanceHistory::new(vehicle.powertrain?, delivery);
        for v in &self.visits {
            let Some(km) = v.odometer else { continue };
            if v.kind.is_maintenance() && !v.items.is_empty() {
                history
                    .services
                    .push(ServiceRecord::new(v.date, km, v.items.clone()));
            } else {
                history.readings.push(OdometerReading::new(v.date, km));
            }
        }
        Some(history)
    }

    /// The next maintenance at `at` (下次保养时间, 下次保养里程), from the
    /// maintenance schedule (MNT-01): the earliest expected date and the
    /// lowest mileage limit among the items due then. `None` when the card
    /// lacks the vehicle facts the schedule needs, or nothing is due.
    ///
    /// # Errors
    ///
    /// [`MaintenanceError`] when the history is inconsistent (e.g. `at`
    /// before the delivery).
    pub fn next_maintenance(
        &self,
        at: NaiveDate,
        policy: &Policy,
    ) -> Result<Option<NextMaintenanceDue>, MaintenanceError> {
        let Some(history) = self.maintenance_history() else {
            return Ok(None);
        };
        let schedule = history.schedule(at, None, policy.maintenance())?;
        let Some(date) = schedule.next_due_date() else {
            return Ok(None);
        };
        let km = schedule
            .next_due_items()
            .iter()
            .filter_map(|e| e.due.by_km)
            .min();
        Ok(Some(NextMaintenanceDue { date, km }))
    }

    /// The care calendar's view of the customer at `at` (CARE-01 …
    /// CARE-07, CUS-11): preferred contact, birthday, new-car delivery
    /// (for a car bought here), last repair and last visit from the
    /// history, and the next maintenance when the schedule can tell it.
    /// Open safety items come from the work orders, not the file; add
    /// them to the profile.
    pub fn care_profile(&self, at: NaiveDate, policy: &Policy) -> Option<CareProfile> {
        let card = self.card.as_ref()?;
        let (basic, vehicle, bought_here) = match card {
            Card::A(a) => (&a.basic, &a.vehicle, true),
            Card::C(c) => (&c.basic, &c.vehicle, c.service.bought_here),
        };
        let mut profile = CareProfile::new(card.customer().clone());
        profile.vehicle = Some(vehicle.vin.clone());
        profile.preferred = card.contact().preferred.clone();
        profile.birthday = basic.birthday;
        profile.new_car_delivered = if bought_here {
            vehicle.delivered_on
        } else {
            None
        };
        let past = self.visits.iter().filter(|v| v.date <= at);
        profile.last_repair_delivered = past
            .clone()
            .filter(|v| !v.kind.is_maintenance())
            .map(|v| v.date)
            .max();
        profile.last_visit = past.map(|v| v.date).max();
        profile.next_maintenance_due = self
            .next_maintenance(at, policy)
            .ok()
            .flatten()
            .map(|n| n.date);
        Some(profile)
    }
}

fn amend(card: &mut Card, amendment: &Amendment) {
    if let (Card::C(c), Amendment::Service(service)) = (&mut *card, amendment) {
        c.service = service.clone();
        return;
    }
    let (contact, personal, insurance, remarks) = match card {
        Card::A(a) => (
            &mut a.contact,
            &mut a.personal,
            &mut a.insurance,
            &mut a.remarks,
        ),
        Card::C(c) => (
            &mut c.contact,
            &mut c.personal,
            &mut c.insurance,
            &mut c.remarks,
        ),
    };
    match amendment {
        Amendment::Contact(v) => *contact = v.clone(),
        Amendment::Personal(v) => *personal = v.clone(),
        Amendment::Insurance(v) => *insurance = v.clone(),
        Amendment::Remarks(v) => *remarks = v.clone(),
        // Handled above for a C-card; refused by `decide` for an A-card.
        Amendment::Service(_) => {}
    }
}

/// The next maintenance on a C-card (下次保养时间, 下次保养里程).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextMaintenanceDue {
    /// The expected date.
    pub date: NaiveDate,
    /// The mileage limit of the items due then, if they have one.
    pub km: Option<Km>,
}

impl fmt::Display for NextMaintenanceDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.km {
            Some(km) => write!(f, "{} or {km}", self.date),
            None => write!(f, "{}", self.date),
        }
    }
}
