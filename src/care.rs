//! The customer-care calendar (CARE-01 … CARE-07, CUS-11, WO-29): which
//! care contact is due for which customer on which day.
//!
//! Start from [`care_calendar`]: give it one [`CareProfile`] per customer
//! and vehicle (what the DMS knows: birthday, deliveries, last visit, next
//! maintenance, declined or deferred safety items, preferred contact), a
//! range of dates and the [`Policy`]; it returns a [`CareCalendar`] of
//! [`CareContact`]s, each with its date, [`CareKind`], channel, rule and
//! facts, sorted by date, customer and kind. [`CareCalendar::render`] prints
//! it as a bilingual table.
//!
//! The numbers live in [`CarePolicy`] (`policy.care()`), with the sales-pitch
//! checker for care messages (CARE-03, [`CarePolicy::check_care_message`])
//! and the owner-meeting checker (CARE-06,
//! [`CarePolicy::check_owner_meeting`]).
//!
//! ```
//! use aftersales::{CareKind, CareProfile, ContactChannel, CustomerId, Policy, RuleId, care_calendar};
//! use chrono::NaiveDate;
//!
//! let policy = Policy::default();
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("no such date");
//!
//! // Maintenance due on 20 March; the customer prefers the phone, so the
//! // notice is a call one week before (CARE-04, CARE-07).
//! let mut profile = CareProfile::new(CustomerId::try_new("C-88021")?);
//! profile.next_maintenance_due = Some(date(2026, 3, 20)?);
//! profile.preferred.channel = Some(ContactChannel::Phone);
//!
//! let calendar = care_calendar([&profile], date(2026, 3, 1)?, date(2026, 3, 31)?, &policy)?;
//! let contact = calendar.contacts().first().ok_or("one contact expected")?;
//! assert_eq!(contact.date, date(2026, 3, 13)?);
//! assert_eq!(contact.kind(), CareKind::MaintenanceNotice);
//! assert_eq!(contact.channel.channel, ContactChannel::Phone);
//! assert_eq!(contact.rule(), RuleId::Care04);
//! assert_eq!(
//!     contact.reason().to_string(),
//!     "next maintenance due 2026-03-20; phone call 7 days before: propose an appointment, \
//!      state the content and duration (CARE-04)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Dates
//!
//! Every date is a local calendar date at the dealer; nothing here reads a
//! clock. A contact is listed on the day it becomes due. The dealer's
//! closed days are not applied: a call due on a closed day stays on that
//! day, and the DMS plans it on the next open one.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::sync::Arc;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::complaint::{ForbiddenPhrase, ForbiddenPhrases};
use crate::contact::{ContactChannel, DealerCalendar, LocalTimeRange, PreferredContact};
use crate::follow_up::{ContactWindow, DeliveryKind, FollowUpPlan, TaskKind};
use crate::ids::{CustomerId, Vin, WorkOrderNo};
use crate::policy::{Policy, PolicyError, invalid};
use crate::rule::{Reason, RuleId};
use crate::text::{left, width};
use crate::time::{SUPPORTED_RANGE, TimeRangeError, local_date};
use crate::units::Minutes;
use crate::work_order::{ItemNo, ItemStatus, WorkOrder};

/// The longest lead or delay, in days, the policy accepts: a letter or a
/// reminder belongs to one occasion, not to the same one a year later.
const MAX_LEAD_DAYS: u32 = 365;

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

words! {
    /// What a care contact is about. The order of the variants is the
    /// order of contacts of one customer on one day.
    CareKind {
        /// CARE-01, FU-02: new-car care 3–4 weeks after delivery.
        NewCarCare => "new-car care", "新车关怀";
        /// CARE-02: follow-up call after a repair.
        RepairFollowUp => "repair follow-up", "维修回访";
        /// CARE-03: birthday care letter.
        BirthdayLetter => "birthday letter", "生日关怀函";
        /// CARE-03: holiday greetings.
        HolidayLetter => "holiday greetings", "节日祝贺函";
        /// CARE-04: periodic maintenance notice.
        MaintenanceNotice => "maintenance notice", "定期保养通知";
        /// CARE-05: seasonal campaign.
        SeasonalCampaign => "seasonal campaign", "季节性关怀活动";
        /// CUS-11: long time no visit.
        LongTimeNoVisit => "long time no visit", "久未回厂联系";
        /// WO-29, WO-13: a declined or deferred safety item resurfaces.
        SafetyItem => "open safety item", "未修安全项目提醒";
    }
}

impl CareKind {
    /// The rule the contact is due under.
    pub const fn rule(self) -> RuleId {
        match self {
            CareKind::NewCarCare => RuleId::Care01,
            CareKind::RepairFollowUp => RuleId::Care02,
            CareKind::BirthdayLetter | CareKind::HolidayLetter => RuleId::Care03,
            CareKind::MaintenanceNotice => RuleId::Care04,
            CareKind::SeasonalCampaign => RuleId::Care05,
            CareKind::LongTimeNoVisit => RuleId::Cus11,
            CareKind::SafetyItem => RuleId::Wo29,
        }
    }

    /// The channel used when the customer named none (CARE-07).
    ///
    /// From the textbook \[003\]: the care and greeting letters
    /// (关怀函、祝贺函) and the maintenance notice letter (通知函) are
    /// letters; the repair follow-up (回访) is a call. The textbook allows a
    /// letter or a call for new-car care; the crate calls, because the
    /// contact also books the first maintenance. Crate defaults, not from
    /// the sources: a call for long time no visit (the customer's
    /// satisfaction is asked first) and for open safety items, an SMS for
    /// seasonal campaigns.
    pub const fn default_channel(self) -> ContactChannel {
        match self {
            CareKind::NewCarCare
            | CareKind::RepairFollowUp
            | CareKind::LongTimeNoVisit
            | CareKind::SafetyItem => ContactChannel::Phone,
            CareKind::BirthdayLetter | CareKind::HolidayLetter | CareKind::MaintenanceNotice => {
                ContactChannel::Letter
            }
            CareKind::SeasonalCampaign => ContactChannel::Sms,
        }
    }

    /// Whether the contact is about the person rather than one vehicle:
    /// birthday and holiday letters and seasonal campaigns. A customer
    /// with several vehicles gets one of these, not one per vehicle.
    pub const fn is_personal(self) -> bool {
        matches!(
            self,
            CareKind::BirthdayLetter | CareKind::HolidayLetter | CareKind::SeasonalCampaign
        )
    }
}

words! {
    /// What the customer answered to a safety-related item (WO-13, WO-29).
    SafetyItemAnswer {
        /// Declined (客户拒绝): not worked; mentioned again later.
        Declined => "declined", "客户拒绝";
        /// Deferred (客户延后): to be done at a later visit.
        Deferred => "deferred", "客户延后";
    }
}

words! {
    /// Where a contact's channel came from (CARE-07).
    ChannelSource {
        /// The customer's preferred contact method (CUS-02).
        Preferred => "the customer's preferred channel", "客户偏好方式";
        /// The kind's default, the customer named none
        /// ([`CareKind::default_channel`]).
        KindDefault => "the default for the kind", "默认方式";
    }
}

words! {
    /// How a maintenance notice goes out (CARE-04).
    NoticeForm {
        /// A written notice 2 weeks before (letter, or the customer's
        /// preferred written channel).
        Written => "written notice", "通知函";
        /// A phone call 1 week before, for customers who prefer the phone.
        Call => "phone call", "电话通知";
    }
}

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/// A declined or deferred safety-related item of a work order, as the care
/// calendar needs it (WO-13, WO-29). Build them with
/// [`OpenSafetyItem::from_order`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenSafetyItem {
    /// The order it was proposed on.
    pub order: WorkOrderNo,
    /// Its number on that order.
    pub item: ItemNo,
    /// What the work is (the item's title).
    pub description: String,
    /// The local date the customer's answer was recorded.
    pub recorded_on: NaiveDate,
    /// Declined or deferred.
    pub answer: SafetyItemAnswer,
}

impl OpenSafetyItem {
    /// The safety-related items of `order` (priority safety, WO-25) that the
    /// customer declined or deferred, in item order, with the answer's
    /// local date at the dealer's `calendar` offset.
    ///
    /// ```
    /// use aftersales::{DealerCalendar, OpenSafetyItem, WorkOrder, WorkOrderNo};
    /// let order = WorkOrder::new(WorkOrderNo::try_new("WO-1")?);
    /// assert!(OpenSafetyItem::from_order(&order, &DealerCalendar::default())?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CareError::Time`] naming `item.status.at` when an answer was
    /// recorded at an instant outside the [`SUPPORTED_RANGE`] (an order
    /// loaded from elsewhere): its local date is not read.
    pub fn from_order(
        order: &WorkOrder,
        calendar: &DealerCalendar,
    ) -> Result<Vec<OpenSafetyItem>, CareError> {
        let mut out = Vec::new();
        for item in order.items().iter().filter(|item| item.is_safety()) {
            let (at, answer) = match &item.status {
                ItemStatus::Declined { at } => (*at, SafetyItemAnswer::Declined),
                ItemStatus::Deferred { at } => (*at, SafetyItemAnswer::Deferred),
                _ => continue,
            };
            let at = SUPPORTED_RANGE.check("item.status.at", at)?;
            let recorded_on = local_date(at, calendar.offset()).ok_or_else(|| TimeRangeError {
                field: "item.status.at",
                at: at.naive_utc(),
            })?;
            out.push(OpenSafetyItem {
                order: order.no().clone(),
                item: item.no,
                description: item.title.clone(),
                recorded_on,
                answer,
            });
        }
        Ok(out)
    }
}

words! {
    /// Who makes the follow-up call after a repair (CARE-02, FU-01): one
    /// contact, never two.
    #[derive(Default)]
    RepairCall {
        /// The care calendar lists the CARE-02 call: no follow-up plan
        /// makes it (the default).
        #[default]
        CareCalendar => "care calendar", "关怀日历";
        /// The repair's follow-up plan makes it: its after-sales call
        /// (FU-01) carries the way and time agreed at the repair, and the
        /// care calendar lists no second call.
        FollowUpPlan => "follow-up plan", "回访计划";
    }
}

/// What the care calendar knows of one customer and one vehicle: the
/// fields a DMS fills from its A-card and C-card files (CUS-02, CUS-03).
///
/// A plain record: every field is public and optional except the
/// customer. A customer with two vehicles has two profiles; personal
/// contacts ([`CareKind::is_personal`]) are then sent once.
///
/// In JSON only `customer` is required.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareProfile {
    /// The customer.
    pub customer: CustomerId,
    /// The vehicle, if the profile is about one.
    #[serde(default)]
    pub vehicle: Option<Vin>,
    /// Preferred contact method and times (CUS-02, CARE-07).
    #[serde(default)]
    pub preferred: PreferredContact,
    /// Date of birth (CARE-03).
    #[serde(default)]
    pub birthday: Option<NaiveDate>,
    /// New-car delivery date, for a car bought here (CARE-01, FU-02).
    #[serde(default)]
    pub new_car_delivered: Option<NaiveDate>,
    /// Delivery date of the last repair (CARE-02).
    #[serde(default)]
    pub last_repair_delivered: Option<NaiveDate>,
    /// Who makes the repair follow-up of the last repair (CARE-02): the
    /// care calendar, or the repair's follow-up plan, whose after-sales
    /// call is then the one repair call ([`CareProfile::record_repair_plan`]).
    /// Profiles stored before this field load as
    /// [`RepairCall::CareCalendar`], the calendar as it was.
    #[serde(default)]
    pub last_repair_call: RepairCall,
    /// Date of the last visit (CUS-03, CUS-11).
    #[serde(default)]
    pub last_visit: Option<NaiveDate>,
    /// Next maintenance due date, computed by the caller (CARE-04, MNT-01).
    #[serde(default)]
    pub next_maintenance_due: Option<NaiveDate>,
    /// Declined or deferred safety items not done since (WO-29).
    #[serde(default)]
    pub open_safety_items: Vec<OpenSafetyItem>,
}

impl CareProfile {
    /// A profile with only the customer known.
    pub fn new(customer: CustomerId) -> Self {
        CareProfile {
            customer,
            vehicle: None,
            preferred: PreferredContact::default(),
            birthday: None,
            new_car_delivered: None,
            last_repair_delivered: None,
            last_repair_call: RepairCall::CareCalendar,
            last_visit: None,
            next_maintenance_due: None,
            open_safety_items: Vec::new(),
        }
    }

    /// Records the follow-up plan of a repair (a service delivery): the
    /// last repair is the plan's, delivered on its local date at
    /// `calendar`'s offset, and when the plan has the after-sales call
    /// (FU-01) that call is the repair follow-up (CARE-02), so the care
    /// calendar lists no second one ([`RepairCall::FollowUpPlan`]). A plan
    /// without the call (not sampled, FU-09) leaves the call to the
    /// calendar. A new-car plan, or one for a delivery before the last
    /// repair already known, changes nothing.
    ///
    /// # Errors
    ///
    /// [`CareError::Time`] naming `plan.delivered_at` when it lies outside
    /// the [`SUPPORTED_RANGE`] (a plan loaded from elsewhere); the profile
    /// is then unchanged.
    pub fn record_repair_plan(
        &mut self,
        plan: &FollowUpPlan,
        calendar: &DealerCalendar,
    ) -> Result<(), CareError> {
        let at = SUPPORTED_RANGE.check("plan.delivered_at", plan.delivered_at)?;
        if plan.kind != DeliveryKind::Service {
            return Ok(());
        }
        let delivered = local_date(at, calendar.offset()).ok_or_else(|| TimeRangeError {
            field: "plan.delivered_at",
            at: at.naive_utc(),
        })?;
        if self.last_repair_delivered.is_some_and(|d| d > delivered) {
            return Ok(());
        }
        self.last_repair_delivered = Some(delivered);
        self.last_repair_call = if plan.task(TaskKind::AfterSalesCall).is_some() {
            RepairCall::FollowUpPlan
        } else {
            RepairCall::CareCalendar
        };
        Ok(())
    }

    /// Whether the customer counts as "long time no visit" (久未回厂,
    /// CUS-11) on `at`: the last visit is known and more than
    /// [`CarePolicy::long_time_no_visit_months`] lie between it and `at`
    /// (see [`CarePolicy::long_time_no_visit_from`]). Without a known last
    /// visit the answer is no.
    pub fn is_long_time_no_visit(&self, at: NaiveDate, policy: &CarePolicy) -> bool {
        self.last_visit
            .and_then(|last| policy.long_time_no_visit_from(last))
            .is_some_and(|from| at >= from)
    }
}

// ---------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------

/// A holiday greeted with a letter (CARE-03), on its date of one year.
///
/// Chinese festivals follow the lunar calendar, so a holiday is a date, not
/// a month and day: the Spring Festival of 2026 is a separate entry from
/// that of 2027.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The day of the holiday.
    pub date: NaiveDate,
}

impl Holiday {
    /// A holiday.
    pub fn new(name_en: impl Into<String>, name_zh: impl Into<String>, date: NaiveDate) -> Self {
        Holiday {
            name_en: name_en.into(),
            name_zh: name_zh.into(),
            date,
        }
    }
}

/// A seasonal care campaign (CARE-05): every year on its month and day,
/// customers are reminded of the free checks and given seasonal driving
/// advice. A campaign on 29 February falls on 28 February in common years.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonalCampaign {
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// The free checks and the advice, as the message states them; it must
    /// not contain a sales pitch (CARE-03).
    pub advice: String,
}

/// A list of phrases that make a care message a sales pitch (CARE-03),
/// matched exactly as [`ForbiddenPhrases`](ForbiddenPhrases#matching)
/// matches CMP-14 phrases.
///
/// The textbook \[003\] asks that care and greeting letters "focus on care
/// and never show obvious commercial intent" (内容着重于关怀，切勿出现明显的
/// 商业行为) but lists no words. The default list is the crate's:
/// discount and promotion vocabulary in Chinese and English. "Free"
/// (免费) is not on it: CARE-05 campaigns remind of free checks.
///
/// Serde reads and writes a plain list of [`ForbiddenPhrase`]s; a list that
/// fails validation (blank or repeated phrases) does not deserialize.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ForbiddenPhrase>", into = "Vec<ForbiddenPhrase>")]
pub struct SalesPitchPhrases {
    phrases: ForbiddenPhrases,
}

/// The policy field of the sales-pitch list.
const SALES_PITCH_FIELD: &str = "care.sales_pitch_phrases";

const DEFAULT_SALES_PITCH_ZH: [&str; 10] = [
    "优惠",
    "促销",
    "特价",
    "打折",
    "折扣",
    "限时",
    "抢购",
    "立减",
    "秒杀",
    "买一送一",
];

const DEFAULT_SALES_PITCH_EN: [&str; 8] = [
    "discount",
    "special offer",
    "limited time",
    "buy now",
    "on sale",
    "promotion",
    "best price",
    "% off",
];

impl Default for SalesPitchPhrases {
    /// Ten Chinese and eight English phrases (crate defaults, see the type).
    fn default() -> Self {
        let list = DEFAULT_SALES_PITCH_ZH
            .iter()
            .map(|p| ForbiddenPhrase::chinese(*p))
            .chain(
                DEFAULT_SALES_PITCH_EN
                    .iter()
                    .map(|p| ForbiddenPhrase::english(*p)),
            )
            .collect();
        // The defaults are valid (a unit test checks it), and so is an
        // empty list: the fallbacks only keep this total without a panic.
        let phrases = ForbiddenPhrases::new(list)
            .or_else(|_| ForbiddenPhrases::new(Vec::new()))
            .unwrap_or_default();
        SalesPitchPhrases { phrases }
    }
}

impl TryFrom<Vec<ForbiddenPhrase>> for SalesPitchPhrases {
    type Error = PolicyError;
    fn try_from(list: Vec<ForbiddenPhrase>) -> Result<Self, Self::Error> {
        SalesPitchPhrases::new(list)
    }
}

impl From<SalesPitchPhrases> for Vec<ForbiddenPhrase> {
    fn from(p: SalesPitchPhrases) -> Self {
        p.phrases.into()
    }
}

impl SalesPitchPhrases {
    /// A validated list; an empty list forbids nothing.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] (CARE-03, field `care.sales_pitch_phrases`) when a
    /// phrase is blank, has no letter or digit, has a blank `instead`, or
    /// repeats an earlier one after normalization.
    pub fn new(list: Vec<ForbiddenPhrase>) -> Result<Self, PolicyError> {
        ForbiddenPhrases::new(list)
            .map(|phrases| SalesPitchPhrases { phrases })
            .map_err(|e| invalid(SALES_PITCH_FIELD, RuleId::Care03, e.reason))
    }

    /// The phrases, in list order.
    pub fn as_slice(&self) -> &[ForbiddenPhrase] {
        self.phrases.as_slice()
    }

    /// Every sales-pitch phrase in `text`, ordered by position then list
    /// order.
    pub fn check(&self, text: &str) -> Vec<SalesPitchHit> {
        self.phrases
            .check(text)
            .into_iter()
            .map(|hit| SalesPitchHit {
                phrase: hit.phrase,
                index: hit.index,
                start: hit.start,
                end: hit.end,
                rule: RuleId::Care03,
            })
            .collect()
    }
}

/// One sales-pitch phrase found in a care message (CARE-03).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SalesPitchHit {
    /// The phrase that matched.
    pub phrase: ForbiddenPhrase,
    /// Its position in the list.
    pub index: usize,
    /// Byte offset in the checked text where the match starts.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
    /// Always [`RuleId::Care03`].
    pub rule: RuleId,
}

impl SalesPitchHit {
    /// The matched span of `text`, the text that was checked; `None` if
    /// `text` is another text whose char boundaries do not fit.
    pub fn matched<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }
}

/// An owner meeting (车主交流会) as planned or held (CARE-06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerMeeting {
    /// Invited or attending owners.
    pub participants: u32,
    /// Planned or actual length.
    pub duration: Minutes,
}

/// What is wrong with an [`OwnerMeeting`] (CARE-06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "issue")]
pub enum OwnerMeetingIssue {
    /// Fewer participants than the policy's minimum.
    TooFewParticipants {
        /// Participants of the meeting.
        participants: u32,
        /// The minimum.
        min: u32,
    },
    /// More participants than the policy's maximum.
    TooManyParticipants {
        /// Participants of the meeting.
        participants: u32,
        /// The maximum.
        max: u32,
    },
    /// Longer than the policy allows.
    TooLong {
        /// The meeting's length.
        duration: Minutes,
        /// The longest allowed.
        max: Minutes,
    },
}

impl OwnerMeetingIssue {
    /// The issue as a reason under CARE-06.
    pub fn reason(&self) -> Reason {
        Reason::new(RuleId::Care06, self.to_string())
    }
}

impl fmt::Display for OwnerMeetingIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnerMeetingIssue::TooFewParticipants { participants, min } => write!(
                f,
                "owner meeting with `{participants}` participants has fewer than {min}"
            ),
            OwnerMeetingIssue::TooManyParticipants { participants, max } => write!(
                f,
                "owner meeting with `{participants}` participants has more than {max}"
            ),
            OwnerMeetingIssue::TooLong { duration, max } => {
                write!(f, "owner meeting of `{duration}` is longer than {max}")
            }
        }
    }
}

/// Section 7: the customer-care calendar, with CUS-11 and the care side of
/// WO-29.
///
/// Defaults from the rulebook: repair follow-up within 3 days (CARE-02),
/// maintenance letter 14 days or call 7 days before the due date (CARE-04),
/// owner meetings of 10–15 participants for at most 2 hours (CARE-06), long
/// time no visit after 12 months (CUS-11). Crate defaults, not from the
/// sources: the letter leads, the example holidays and campaigns, the
/// sales-pitch phrases, the safety-item reminder delay and the range bound;
/// each field says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CarePolicy {
    /// CARE-02: the follow-up call is due from the day after the repair's
    /// delivery until this many days after it (3).
    pub repair_follow_up_days: u32,
    /// CARE-03: the birthday letter goes out this many days before the
    /// birthday (crate default 7, so that it arrives in time; the source
    /// gives no lead).
    pub birthday_letter_lead_days: u32,
    /// CARE-03: the holidays greeted by letter. The default lists New
    /// Year's Day, the Spring Festival, the Mid-Autumn Festival and
    /// National Day of 2026 and 2027 as examples; the dealer keeps the list
    /// current.
    pub holidays: Vec<Holiday>,
    /// CARE-03: holiday letters go out this many days before the holiday
    /// (crate default 7).
    pub holiday_letter_lead_days: u32,
    /// CARE-03: phrases a care message must not contain (crate defaults,
    /// see [`SalesPitchPhrases`]).
    pub sales_pitch_phrases: SalesPitchPhrases,
    /// CARE-04: a written maintenance notice goes out this many days before
    /// the due date (14).
    pub maintenance_letter_days: u32,
    /// CARE-04: for customers who prefer the phone, the call is this many
    /// days before the due date (7).
    pub maintenance_call_days: u32,
    /// CARE-05: seasonal campaigns. The defaults are examples: the
    /// textbook's air-conditioning check before summer (15 May) and a
    /// winter check (15 November).
    pub seasonal_campaigns: Vec<SeasonalCampaign>,
    /// CARE-06: the fewest participants of an owner meeting (10).
    pub owner_meeting_min_participants: u32,
    /// CARE-06: the most participants of an owner meeting (15).
    pub owner_meeting_max_participants: u32,
    /// CARE-06: the longest an owner meeting may last (120 min).
    pub owner_meeting_max_duration: Minutes,
    /// CUS-11: a customer with no visit for more than this many months is
    /// "long time no visit" (12).
    pub long_time_no_visit_months: u32,
    /// WO-29: a declined or deferred safety item comes back as a care
    /// contact this many days after the answer (crate default 14; the
    /// sources say only that it resurfaces).
    pub safety_item_reminder_days: u32,
    /// The longest range, in days with both ends counted, that one
    /// [`care_calendar`] call covers (crate default 366): a bound on the
    /// work, not a rule of the sources. Validated under CARE-01, the first
    /// rule of the calendar.
    pub max_range_days: u32,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Default for CarePolicy {
    fn default() -> Self {
        let holidays = [2026, 2027]
            .into_iter()
            .flat_map(|y| {
                let (spring, mid_autumn) = if y == 2026 {
                    (date(2026, 2, 17), date(2026, 9, 25))
                } else {
                    (date(2027, 2, 6), date(2027, 9, 15))
                };
                [
                    Holiday::new("New Year's Day", "元旦", date(y, 1, 1)),
                    Holiday::new("Spring Festival", "春节", spring),
                    Holiday::new("Mid-Autumn Festival", "中秋节", mid_autumn),
                    Holiday::new("National Day", "国庆节", date(y, 10, 1)),
                ]
            })
            .collect();
        CarePolicy {
            repair_follow_up_days: 3,
            birthday_letter_lead_days: 7,
            holidays,
            holiday_letter_lead_days: 7,
            sales_pitch_phrases: SalesPitchPhrases::default(),
            maintenance_letter_days: 14,
            maintenance_call_days: 7,
            seasonal_campaigns: vec![
                SeasonalCampaign {
                    name_en: "air-conditioning check before summer".into(),
                    name_zh: "夏季空调检查".into(),
                    month: 5,
                    day: 15,
                    advice: "夏季来临前免费检查、清洗空调系统；高温天气注意冷却液和轮胎气压。\
                             Free air-conditioning check and cleaning before summer; \
                             in hot weather watch the coolant and tyre pressure."
                        .into(),
                },
                SeasonalCampaign {
                    name_en: "winter check".into(),
                    name_zh: "冬季检查".into(),
                    month: 11,
                    day: 15,
                    advice: "入冬前免费检查蓄电池、防冻液、轮胎和灯光；雨雪天气减速慢行。\
                             Free check of battery, antifreeze, tyres and lights before \
                             winter; slow down on snow and ice."
                        .into(),
                },
            ],
            owner_meeting_min_participants: 10,
            owner_meeting_max_participants: 15,
            owner_meeting_max_duration: Minutes(120),
            long_time_no_visit_months: 12,
            safety_item_reminder_days: 14,
            max_range_days: 366,
        }
    }
}

impl CarePolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the field when: the repair follow-up period,
    /// the maintenance call lead, the long-time-no-visit threshold, the
    /// owner-meeting minimum or duration, or the range bound is zero; a
    /// lead or delay exceeds 365 days; the maintenance letter goes out after
    /// the call would; the owner-meeting maximum is below the minimum; a
    /// holiday or campaign has a blank name or advice, a campaign's month
    /// and day are no date, or either list repeats an entry; a campaign's
    /// advice contains a sales pitch; the sales-pitch list is invalid.
    pub fn validate(&self) -> Result<(), PolicyError> {
        at_least_one(
            self.repair_follow_up_days,
            "care.repair_follow_up_days",
            RuleId::Care02,
            "day",
        )?;
        at_most_a_year(
            self.repair_follow_up_days,
            "care.repair_follow_up_days",
            RuleId::Care02,
        )?;
        at_most_a_year(
            self.birthday_letter_lead_days,
            "care.birthday_letter_lead_days",
            RuleId::Care03,
        )?;
        at_most_a_year(
            self.holiday_letter_lead_days,
            "care.holiday_letter_lead_days",
            RuleId::Care03,
        )?;
        self.validate_holidays()?;
        self.sales_pitch_phrases
            .phrases
            .validate()
            .map_err(|e| invalid(SALES_PITCH_FIELD, RuleId::Care03, e.reason))?;
        at_least_one(
            self.maintenance_call_days,
            "care.maintenance_call_days",
            RuleId::Care04,
            "day",
        )?;
        at_most_a_year(
            self.maintenance_letter_days,
            "care.maintenance_letter_days",
            RuleId::Care04,
        )?;
        if self.maintenance_letter_days < self.maintenance_call_days {
            return Err(invalid(
                "care.maintenance_letter_days",
                RuleId::Care04,
                format!(
                    "is {}, fewer than the call's {} days: a letter goes out no later than a call",
                    self.maintenance_letter_days, self.maintenance_call_days
                ),
            ));
        }
        self.validate_campaigns()?;
        at_least_one(
            self.owner_meeting_min_participants,
            "care.owner_meeting_min_participants",
            RuleId::Care06,
            "participant",
        )?;
        if self.owner_meeting_max_participants < self.owner_meeting_min_participants {
            return Err(invalid(
                "care.owner_meeting_max_participants",
                RuleId::Care06,
                format!(
                    "is {}, below the minimum of {}",
                    self.owner_meeting_max_participants, self.owner_meeting_min_participants
                ),
            ));
        }
        at_least_one(
            self.owner_meeting_max_duration.0,
            "care.owner_meeting_max_duration",
            RuleId::Care06,
            "minute",
        )?;
        at_least_one(
            self.long_time_no_visit_months,
            "care.long_time_no_visit_months",
            RuleId::Cus11,
            "month",
        )?;
        at_most_a_year(
            self.safety_item_reminder_days,
            "care.safety_item_reminder_days",
            RuleId::Wo29,
        )?;
        at_least_one(
            self.max_range_days,
            "care.max_range_days",
            RuleId::Care01,
            "day",
        )?;
        Ok(())
    }

    fn validate_holidays(&self) -> Result<(), PolicyError> {
        const FIELD: &str = "care.holidays";
        for (i, h) in self.holidays.iter().enumerate() {
            if h.name_en.trim().is_empty() || h.name_zh.trim().is_empty() {
                return Err(invalid(
                    FIELD,
                    RuleId::Care03,
                    format!("has a blank name at index {i}"),
                ));
            }
            if let Some(reason) = [&h.name_en, &h.name_zh]
                .into_iter()
                .find_map(|t| crate::text::bounded(t))
            {
                return Err(invalid(
                    FIELD,
                    RuleId::Care03,
                    format!("index {i}: a name {reason}"),
                ));
            }
            if self
                .holidays
                .iter()
                .take(i)
                .any(|e| e.name_en == h.name_en && e.date == h.date)
            {
                return Err(invalid(
                    FIELD,
                    RuleId::Care03,
                    format!("lists `{}` on {} twice", h.name_en, h.date),
                ));
            }
        }
        Ok(())
    }

    fn validate_campaigns(&self) -> Result<(), PolicyError> {
        const FIELD: &str = "care.seasonal_campaigns";
        for (i, c) in self.seasonal_campaigns.iter().enumerate() {
            if c.name_en.trim().is_empty() || c.name_zh.trim().is_empty() {
                return Err(invalid(
                    FIELD,
                    RuleId::Care05,
                    format!("has a blank name at index {i}"),
                ));
            }
            if c.advice.trim().is_empty() {
                return Err(invalid(
                    FIELD,
                    RuleId::Care05,
                    format!("has blank advice for `{}`", c.name_en),
                ));
            }
            if let Some(reason) = [&c.name_en, &c.name_zh, &c.advice]
                .into_iter()
                .find_map(|t| crate::text::bounded(t))
            {
                return Err(invalid(
                    FIELD,
                    RuleId::Care05,
                    format!("index {i}: a name or the advice {reason}"),
                ));
            }
            // 2000 is a leap year: 29 February is allowed.
            if NaiveDate::from_ymd_opt(2000, c.month, c.day).is_none() {
                return Err(invalid(
                    FIELD,
                    RuleId::Care05,
                    format!(
                        "has month `{}` and day `{}` for `{}`, which is no date",
                        c.month, c.day, c.name_en
                    ),
                ));
            }
            if self
                .seasonal_campaigns
                .iter()
                .take(i)
                .any(|e| e.name_en == c.name_en)
            {
                return Err(invalid(
                    FIELD,
                    RuleId::Care05,
                    format!("lists `{}` twice", c.name_en),
                ));
            }
            if let Some(hit) = self.sales_pitch_phrases.check(&c.advice).first() {
                return Err(invalid(
                    FIELD,
                    RuleId::Care03,
                    format!(
                        "has advice for `{}` with the sales pitch `{}`",
                        c.name_en,
                        hit.matched(&c.advice).unwrap_or(&hit.phrase.text)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The first date on which a customer whose last visit was on
    /// `last_visit` is "long time no visit" (CUS-11): the day after
    /// `last_visit` plus [`long_time_no_visit_months`](Self::long_time_no_visit_months)
    /// calendar months. Adding months keeps the day of the month, or takes
    /// the month's last day when it has no such day: with 12 months, a
    /// visit on 31 March 2025 gives 1 April 2026, one on 29 February 2024
    /// gives 1 March 2025. `None` only past chrono's last date.
    ///
    /// ```
    /// use aftersales::CarePolicy;
    /// use chrono::NaiveDate;
    /// let policy = CarePolicy::default();
    /// let last = NaiveDate::from_ymd_opt(2025, 3, 31).ok_or("date")?;
    /// assert_eq!(policy.long_time_no_visit_from(last), NaiveDate::from_ymd_opt(2026, 4, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn long_time_no_visit_from(&self, last_visit: NaiveDate) -> Option<NaiveDate> {
        last_visit
            .checked_add_months(Months::new(self.long_time_no_visit_months))
            .and_then(|d| d.succ_opt())
    }

    /// Every sales-pitch phrase in a care message (CARE-03); empty when the
    /// message is clean.
    ///
    /// ```
    /// use aftersales::{CarePolicy, RuleId};
    /// let policy = CarePolicy::default();
    /// let letter = "祝您生日快乐！本月保养限时八折优惠。";
    /// let hits = policy.check_care_message(letter);
    /// let found: Vec<_> = hits.iter().filter_map(|h| h.matched(letter)).collect();
    /// assert_eq!(found, ["限时", "优惠"]);
    /// assert!(hits.iter().all(|h| h.rule == RuleId::Care03));
    /// assert!(policy.check_care_message("祝您生日快乐，行车平安！").is_empty());
    /// ```
    pub fn check_care_message(&self, text: &str) -> Vec<SalesPitchHit> {
        self.sales_pitch_phrases.check(text)
    }

    /// What is wrong with an owner meeting (CARE-06); empty when it fits.
    ///
    /// ```
    /// use aftersales::{CarePolicy, Minutes, OwnerMeeting, OwnerMeetingIssue};
    /// let policy = CarePolicy::default();
    /// assert!(policy.check_owner_meeting(&OwnerMeeting { participants: 12, duration: Minutes(90) }).is_empty());
    /// let issues = policy.check_owner_meeting(&OwnerMeeting { participants: 20, duration: Minutes(150) });
    /// assert_eq!(issues.len(), 2);
    /// assert_eq!(issues[0].to_string(), "owner meeting with `20` participants has more than 15");
    /// ```
    pub fn check_owner_meeting(&self, meeting: &OwnerMeeting) -> Vec<OwnerMeetingIssue> {
        let mut issues = Vec::new();
        if meeting.participants < self.owner_meeting_min_participants {
            issues.push(OwnerMeetingIssue::TooFewParticipants {
                participants: meeting.participants,
                min: self.owner_meeting_min_participants,
            });
        }
        if meeting.participants > self.owner_meeting_max_participants {
            issues.push(OwnerMeetingIssue::TooManyParticipants {
                participants: meeting.participants,
                max: self.owner_meeting_max_participants,
            });
        }
        if meeting.duration > self.owner_meeting_max_duration {
            issues.push(OwnerMeetingIssue::TooLong {
                duration: meeting.duration,
                max: self.owner_meeting_max_duration,
            });
        }
        issues
    }
}

fn at_least_one(
    value: u32,
    field: &'static str,
    rule: RuleId,
    unit: &str,
) -> Result<(), PolicyError> {
    if value == 0 {
        return Err(invalid(
            field,
            rule,
            format!("is 0, must be at least 1 {unit}"),
        ));
    }
    Ok(())
}

fn at_most_a_year(value: u32, field: &'static str, rule: RuleId) -> Result<(), PolicyError> {
    if value > MAX_LEAD_DAYS {
        return Err(invalid(
            field,
            rule,
            format!("is {value}, at most {MAX_LEAD_DAYS} days"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Serde for an [`Arc`] as its content, so that one holiday or campaign is
/// shared by every contact it produces instead of copied into each.
mod shared {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<T: Serialize, S: Serializer>(
        value: &Arc<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        T::serialize(value, serializer)
    }

    pub(super) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Arc<T>, D::Error> {
        T::deserialize(deserializer).map(Arc::new)
    }
}

/// The facts that made a care contact due, one variant per [`CareKind`].
/// Kept as data; the words are made on demand by [`CareContact::reason`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CareFacts {
    /// CARE-01, FU-02.
    NewCarCare {
        /// New-car delivery date.
        delivered: NaiveDate,
        /// The new-car care window (`follow_up.new_car_care_window`); the
        /// contact is dated on its first day.
        window: ContactWindow,
    },
    /// CARE-02.
    RepairFollowUp {
        /// The repair's delivery date.
        delivered: NaiveDate,
        /// The last day of the follow-up period.
        call_by: NaiveDate,
    },
    /// CARE-03.
    BirthdayLetter {
        /// Date of birth.
        born: NaiveDate,
        /// The birthday greeted (28 February in a common year for a
        /// 29 February birthday).
        birthday: NaiveDate,
        /// Days the letter goes out before it.
        lead_days: u32,
    },
    /// CARE-03.
    HolidayLetter {
        /// The holiday.
        #[serde(with = "shared")]
        holiday: Arc<Holiday>,
        /// Days the letter goes out before it.
        lead_days: u32,
    },
    /// CARE-04.
    MaintenanceNotice {
        /// The maintenance due date.
        due: NaiveDate,
        /// Written notice or call.
        form: NoticeForm,
        /// Days before the due date.
        days_before: u32,
    },
    /// CARE-05.
    SeasonalCampaign {
        /// The campaign.
        #[serde(with = "shared")]
        campaign: Arc<SeasonalCampaign>,
    },
    /// CUS-11.
    LongTimeNoVisit {
        /// The last visit.
        last_visit: NaiveDate,
        /// The threshold in months.
        months: u32,
    },
    /// WO-29, WO-13.
    SafetyItem {
        /// The item.
        item: OpenSafetyItem,
        /// Days after the answer the reminder is due.
        after_days: u32,
    },
}

impl CareFacts {
    /// The kind of contact these facts make due.
    pub const fn kind(&self) -> CareKind {
        match self {
            CareFacts::NewCarCare { .. } => CareKind::NewCarCare,
            CareFacts::RepairFollowUp { .. } => CareKind::RepairFollowUp,
            CareFacts::BirthdayLetter { .. } => CareKind::BirthdayLetter,
            CareFacts::HolidayLetter { .. } => CareKind::HolidayLetter,
            CareFacts::MaintenanceNotice { .. } => CareKind::MaintenanceNotice,
            CareFacts::SeasonalCampaign { .. } => CareKind::SeasonalCampaign,
            CareFacts::LongTimeNoVisit { .. } => CareKind::LongTimeNoVisit,
            CareFacts::SafetyItem { .. } => CareKind::SafetyItem,
        }
    }

    /// What tells two contacts of one kind, customer and day apart: the
    /// holiday or campaign, or the order and item.
    fn tiebreak(&self) -> (&str, &str, u16) {
        match self {
            CareFacts::HolidayLetter { holiday, .. } => (&holiday.name_en, &holiday.name_zh, 0),
            CareFacts::SeasonalCampaign { campaign } => (&campaign.name_en, &campaign.name_zh, 0),
            CareFacts::SafetyItem { item, .. } => {
                (item.order.as_str(), item.description.as_str(), item.item.0)
            }
            _ => ("", "", 0),
        }
    }

    /// The remaining facts, so that the calendar order does not depend on
    /// the order of the profiles: two profiles of one customer may, for
    /// instance, disagree on the year of birth.
    fn detail(&self) -> (NaiveDate, u32, Option<SafetyItemAnswer>) {
        match self {
            CareFacts::NewCarCare { delivered, .. } => (*delivered, 0, None),
            CareFacts::RepairFollowUp { delivered, .. } => (*delivered, 0, None),
            CareFacts::BirthdayLetter {
                born, lead_days, ..
            } => (*born, *lead_days, None),
            CareFacts::HolidayLetter { holiday, lead_days } => (holiday.date, *lead_days, None),
            CareFacts::MaintenanceNotice {
                due, days_before, ..
            } => (*due, *days_before, None),
            CareFacts::SeasonalCampaign { .. } => (NaiveDate::MIN, 0, None),
            CareFacts::LongTimeNoVisit { last_visit, months } => (*last_visit, *months, None),
            CareFacts::SafetyItem { item, after_days } => {
                (item.recorded_on, *after_days, Some(item.answer))
            }
        }
    }
}

impl fmt::Display for CareFacts {
    /// The facts in words (English), as in the contact's reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CareFacts::NewCarCare { delivered, window } => write!(
                f,
                "new car delivered {delivered}; care contact in {window} after delivery (FU-02): \
                 ask about its use, give the service location and hours, remind of the first maintenance"
            ),
            CareFacts::RepairFollowUp { delivered, call_by } => write!(
                f,
                "repair delivered {delivered}; follow-up by {call_by}, with feedback on the customer's remarks"
            ),
            CareFacts::BirthdayLetter {
                born,
                birthday,
                lead_days,
            } => {
                write!(
                    f,
                    "born {born}; birthday greetings {lead_days} days before {birthday}"
                )?;
                if born.month() == 2 && born.day() == 29 && birthday.day() == 28 {
                    f.write_str(" (29 February falls on 28 February in a common year)")?;
                }
                Ok(())
            }
            CareFacts::HolidayLetter { holiday, lead_days } => write!(
                f,
                "{} ({}) on {}; greetings {lead_days} days before",
                holiday.name_en, holiday.name_zh, holiday.date
            ),
            CareFacts::MaintenanceNotice {
                due,
                form,
                days_before,
            } => write!(
                f,
                "next maintenance due {due}; {form} {days_before} days before: \
                 propose an appointment, state the content and duration"
            ),
            CareFacts::SeasonalCampaign { campaign } => write!(
                f,
                "{} ({}) on {:02}-{:02}: {}",
                campaign.name_en, campaign.name_zh, campaign.month, campaign.day, campaign.advice
            ),
            CareFacts::LongTimeNoVisit { last_visit, months } => write!(
                f,
                "last visit {last_visit}, no visit for more than {months} months: \
                 check the last service and whether the customer was satisfied, then invite"
            ),
            CareFacts::SafetyItem { item, after_days } => write!(
                f,
                "safety item {} `{}` of order `{}` {} on {}; reminder {after_days} days later",
                item.item.0, item.description, item.order, item.answer, item.recorded_on
            ),
        }
    }
}

/// One care contact due on one day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareContact {
    /// The day it is due.
    pub date: NaiveDate,
    /// The customer.
    pub customer: CustomerId,
    /// The vehicle, for contacts about one; `None` for personal contacts
    /// ([`CareKind::is_personal`]) and profiles without a vehicle.
    pub vehicle: Option<Vin>,
    /// How to reach the customer (CARE-07).
    pub channel: ChannelChoice,
    /// Why it is due.
    pub facts: CareFacts,
}

/// The channel of a contact and where it came from (CARE-07).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelChoice {
    /// The channel.
    pub channel: ContactChannel,
    /// The customer's preference or the kind's default.
    pub source: ChannelSource,
    /// For calls: the customer's convenient times (CUS-02); empty when
    /// none were named or the contact is not a call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<LocalTimeRange>,
}

impl CareContact {
    /// What the contact is about.
    pub const fn kind(&self) -> CareKind {
        self.facts.kind()
    }

    /// The rule it is due under.
    pub const fn rule(&self) -> RuleId {
        self.kind().rule()
    }

    /// Why it is due: the rule and the facts in words.
    pub fn reason(&self) -> Reason {
        Reason::new(self.rule(), self.facts.to_string())
    }

    /// Why it is due and why through this channel: [`CareContact::reason`],
    /// then the CARE-07 reason for the channel.
    pub fn reasons(&self) -> Vec<Reason> {
        let c = &self.channel;
        let mut fact = match c.source {
            ChannelSource::Preferred => format!("the customer prefers {}", c.channel),
            ChannelSource::KindDefault => format!(
                "no preferred channel: {} is the default for a {}",
                c.channel,
                self.kind()
            ),
        };
        if !c.times.is_empty() {
            fact.push_str(", called at ");
            for (i, t) in c.times.iter().enumerate() {
                if i > 0 {
                    fact.push_str(" or ");
                }
                let _ = write!(fact, "{t}");
            }
        }
        vec![self.reason(), Reason::new(RuleId::Care07, fact)]
    }

    /// Whether `a` and `b` are the same personal occasion of one customer:
    /// one letter, whatever the number of vehicles.
    fn same_personal_occasion(a: &CareContact, b: &CareContact) -> bool {
        a.kind().is_personal()
            && a.date == b.date
            && a.customer == b.customer
            && a.kind() == b.kind()
            && a.facts.tiebreak() == b.facts.tiebreak()
    }
}

/// The calendar order: date, customer, kind, then what tells contacts of
/// one kind apart, vehicle, channel, and the remaining facts.
fn calendar_order(a: &CareContact, b: &CareContact) -> Ordering {
    a.date
        .cmp(&b.date)
        .then_with(|| a.customer.cmp(&b.customer))
        .then_with(|| a.kind().cmp(&b.kind()))
        .then_with(|| a.facts.tiebreak().cmp(&b.facts.tiebreak()))
        .then_with(|| a.vehicle.cmp(&b.vehicle))
        .then_with(|| a.channel.channel.cmp(&b.channel.channel))
        .then_with(|| a.channel.source.cmp(&b.channel.source))
        .then_with(|| a.channel.times.cmp(&b.channel.times))
        .then_with(|| a.facts.detail().cmp(&b.facts.detail()))
}

/// A range that cannot be a care calendar's, or a stored calendar that
/// does not fit its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CareError {
    /// The range ends before it starts.
    #[error("care calendar range `{from}` to `{to}` ends before it starts")]
    Reversed {
        /// First day asked.
        from: NaiveDate,
        /// Last day asked.
        to: NaiveDate,
    },
    /// The range is longer than `care.max_range_days`.
    #[error(
        "care calendar range `{from}` to `{to}` covers {days} days, more than the {max} of `care.max_range_days`"
    )]
    TooLong {
        /// First day asked.
        from: NaiveDate,
        /// Last day asked.
        to: NaiveDate,
        /// Days in the range, both ends counted.
        days: i64,
        /// The policy's bound.
        max: u32,
    },
    /// A time or date outside the [`SUPPORTED_RANGE`], naming its field.
    #[error(transparent)]
    Time(#[from] TimeRangeError),
    /// A stored calendar (deserialized) holds a contact outside its range.
    #[error("care contact on `{date}` lies outside the calendar range `{from}` to `{to}`")]
    OutsideRange {
        /// The contact's date.
        date: NaiveDate,
        /// First day of the calendar.
        from: NaiveDate,
        /// Last day of the calendar.
        to: NaiveDate,
    },
}

/// The care contacts due in a range of days, sorted by date, customer and
/// kind. Built by [`care_calendar`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarRepr")]
pub struct CareCalendar {
    from: NaiveDate,
    to: NaiveDate,
    contacts: Vec<CareContact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarRepr {
    from: NaiveDate,
    to: NaiveDate,
    contacts: Vec<CareContact>,
}

impl TryFrom<CalendarRepr> for CareCalendar {
    type Error = CareError;
    fn try_from(r: CalendarRepr) -> Result<Self, Self::Error> {
        if r.from > r.to {
            return Err(CareError::Reversed {
                from: r.from,
                to: r.to,
            });
        }
        if let Some(c) = r.contacts.iter().find(|c| c.date < r.from || c.date > r.to) {
            return Err(CareError::OutsideRange {
                date: c.date,
                from: r.from,
                to: r.to,
            });
        }
        let mut contacts = r.contacts;
        contacts.sort_by(calendar_order);
        Ok(CareCalendar {
            from: r.from,
            to: r.to,
            contacts,
        })
    }
}

impl CareCalendar {
    /// The first day of the range.
    pub fn first_day(&self) -> NaiveDate {
        self.from
    }

    /// The last day of the range.
    pub fn last_day(&self) -> NaiveDate {
        self.to
    }

    /// Every contact, in calendar order.
    pub fn contacts(&self) -> &[CareContact] {
        &self.contacts
    }

    /// The contacts, in calendar order.
    pub fn into_contacts(self) -> Vec<CareContact> {
        self.contacts
    }

    /// The contacts due on `date`.
    pub fn on(&self, date: NaiveDate) -> &[CareContact] {
        let start = self.contacts.partition_point(|c| c.date < date);
        let end = self.contacts.partition_point(|c| c.date <= date);
        self.contacts.get(start..end).unwrap_or_default()
    }

    /// How many contacts there are.
    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    /// Whether no contact is due.
    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    /// The calendar as a plain-text table with Chinese and English
    /// headings: one line per contact (date, customer, vehicle, kind,
    /// channel, rule, facts), then the count per kind, zeros included. A
    /// channel chosen by the customer's preference is marked `(CARE-07)`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_table(&mut out);
        out
    }

    fn write_table(&self, out: &mut String) -> fmt::Result {
        let header = [
            "日期 Date",
            "客户 Customer",
            "车辆 Vehicle",
            "类型 Kind",
            "方式 Channel",
            "规则 Rule",
            "说明 Facts",
        ];
        let rows: Vec<[String; 7]> = self
            .contacts
            .iter()
            .map(|c| {
                let kind = c.kind();
                let ch = &c.channel;
                let mut channel = format!("{} {}", ch.channel.label_zh(), ch.channel.label_en());
                if ch.source == ChannelSource::Preferred {
                    channel.push_str(" (CARE-07)");
                }
                [
                    c.date.to_string(),
                    c.customer.to_string(),
                    c.vehicle
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), ToString::to_string),
                    format!("{} {}", kind.label_zh(), kind.label_en()),
                    channel,
                    c.rule().to_string(),
                    c.facts.to_string(),
                ]
            })
            .collect();
        let mut widths = header.map(width);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let line = |out: &mut String, cells: [&str; 7]| -> fmt::Result {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                text.push_str(&left(cell, w));
            }
            writeln!(out, "{}", text.trim_end())
        };
        writeln!(
            out,
            "客户关怀日历 Care calendar {} – {}: {} contacts",
            self.from,
            self.to,
            self.contacts.len()
        )?;
        line(out, header)?;
        for row in &rows {
            line(out, row.each_ref().map(String::as_str))?;
        }
        writeln!(out, "按类型 By kind")?;
        let label_width = CareKind::ALL
            .iter()
            .map(|k| width(k.label_zh()).saturating_add(width(k.label_en())))
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        for kind in CareKind::ALL {
            let n = self.contacts.iter().filter(|c| c.kind() == *kind).count();
            let label = format!("{} {}", kind.label_zh(), kind.label_en());
            writeln!(out, "{}  {n:>6}", left(&label, label_width))?;
        }
        Ok(())
    }
}

impl fmt::Display for CareCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

// ---------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------

fn plus_days(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(u64::from(n)))
}

fn minus_days(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_sub_days(Days::new(u64::from(n)))
}

/// `month`-`day` in `year`; 29 February falls on 28 February in a common
/// year.
fn anniversary(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        if month == 2 && day == 29 {
            NaiveDate::from_ymd_opt(year, 2, 28)
        } else {
            None
        }
    })
}

/// The first day of a window after an event on a date: the window's first
/// day for a day window; for an hour window, its opening hour rounded up to
/// whole days.
fn window_first_day(window: ContactWindow) -> u32 {
    match window {
        ContactWindow::Days { from_days, .. } => from_days,
        ContactWindow::Hours { from_hours, .. } => from_hours.div_ceil(24),
    }
}

/// What every profile shares in one run.
struct Run<'p> {
    from: NaiveDate,
    to: NaiveDate,
    care: &'p CarePolicy,
    new_car_window: ContactWindow,
    /// Holiday letters dated in the range.
    holidays: Vec<(NaiveDate, Arc<Holiday>)>,
    /// Campaigns dated in the range.
    campaigns: Vec<(NaiveDate, Arc<SeasonalCampaign>)>,
}

impl Run<'_> {
    fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The years whose occasions can fall in the range once moved earlier
    /// by a lead of at most a year.
    fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.from.year()..=self.to.year().saturating_add(1)
    }

    fn push(
        &self,
        out: &mut Vec<CareContact>,
        profile: &CareProfile,
        date: Option<NaiveDate>,
        facts: CareFacts,
    ) {
        // A date that does not exist lies past chrono's range, so outside
        // any range asked for: nothing is dropped.
        let Some(date) = date.filter(|d| self.contains(*d)) else {
            return;
        };
        let kind = facts.kind();
        let (channel, source) = match profile.preferred.channel {
            Some(c) => (c, ChannelSource::Preferred),
            None => (kind.default_channel(), ChannelSource::KindDefault),
        };
        let times = if channel.is_call() {
            profile.preferred.times.clone()
        } else {
            Vec::new()
        };
        out.push(CareContact {
            date,
            customer: profile.customer.clone(),
            vehicle: if kind.is_personal() {
                None
            } else {
                profile.vehicle.clone()
            },
            channel: ChannelChoice {
                channel,
                source,
                times,
            },
            facts,
        });
    }

    fn profile(&self, out: &mut Vec<CareContact>, p: &CareProfile) {
        let care = self.care;
        if let Some(delivered) = p.new_car_delivered {
            let date = plus_days(delivered, window_first_day(self.new_car_window));
            let facts = CareFacts::NewCarCare {
                delivered,
                window: self.new_car_window,
            };
            self.push(out, p, date, facts);
        }
        if let (Some(delivered), RepairCall::CareCalendar) =
            (p.last_repair_delivered, p.last_repair_call)
        {
            if let Some(call_by) = plus_days(delivered, care.repair_follow_up_days) {
                let facts = CareFacts::RepairFollowUp { delivered, call_by };
                self.push(out, p, delivered.succ_opt(), facts);
            }
        }
        if let Some(born) = p.birthday {
            let lead_days = care.birthday_letter_lead_days;
            for year in self.years().filter(|y| *y > born.year()) {
                if let Some(birthday) = anniversary(year, born.month(), born.day()) {
                    let facts = CareFacts::BirthdayLetter {
                        born,
                        birthday,
                        lead_days,
                    };
                    self.push(out, p, minus_days(birthday, lead_days), facts);
                }
            }
        }
        for (date, holiday) in &self.holidays {
            let facts = CareFacts::HolidayLetter {
                holiday: Arc::clone(holiday),
                lead_days: care.holiday_letter_lead_days,
            };
            self.push(out, p, Some(*date), facts);
        }
        if let Some(due) = p.next_maintenance_due {
            let (form, days_before) = if p.preferred.channel == Some(ContactChannel::Phone) {
                (NoticeForm::Call, care.maintenance_call_days)
            } else {
                (NoticeForm::Written, care.maintenance_letter_days)
            };
            let facts = CareFacts::MaintenanceNotice {
                due,
                form,
                days_before,
            };
            self.push(out, p, minus_days(due, days_before), facts);
        }
        for (date, campaign) in &self.campaigns {
            let facts = CareFacts::SeasonalCampaign {
                campaign: Arc::clone(campaign),
            };
            self.push(out, p, Some(*date), facts);
        }
        if let Some(last_visit) = p.last_visit {
            let facts = CareFacts::LongTimeNoVisit {
                last_visit,
                months: care.long_time_no_visit_months,
            };
            self.push(out, p, care.long_time_no_visit_from(last_visit), facts);
        }
        for item in &p.open_safety_items {
            let after_days = care.safety_item_reminder_days;
            let date = plus_days(item.recorded_on, after_days);
            if date.is_some_and(|d| self.contains(d)) {
                let facts = CareFacts::SafetyItem {
                    item: item.clone(),
                    after_days,
                };
                self.push(out, p, date, facts);
            }
        }
    }
}

/// A day of the [`SUPPORTED_RANGE`]: its first instant (UTC) lies in it.
fn check_day(field: &'static str, day: NaiveDate) -> Result<NaiveDate, TimeRangeError> {
    let first = day
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .fixed_offset();
    SUPPORTED_RANGE.check(field, first).map(|_| day)
}

/// Every care contact due on a day from `from` to `to`, both included, for
/// `profiles` under `policy`.
///
/// | kind | due on | rule |
/// |---|---|---|
/// | new-car care | the first day of `follow_up.new_car_care_window` after the new-car delivery (day 21) | CARE-01, FU-02 |
/// | repair follow-up | the day after the repair's delivery; to be made by `care.repair_follow_up_days` (3) after it; none when the repair's follow-up plan makes the call ([`RepairCall::FollowUpPlan`]) | CARE-02 |
/// | birthday letter | `care.birthday_letter_lead_days` before each birthday (29 February: 28 February in common years) | CARE-03 |
/// | holiday letter | `care.holiday_letter_lead_days` before each of `care.holidays` | CARE-03 |
/// | maintenance notice | `care.maintenance_letter_days` (14) before the due date, or `care.maintenance_call_days` (7) when the customer prefers the phone | CARE-04 |
/// | seasonal campaign | each campaign's month and day | CARE-05 |
/// | long time no visit | the day the threshold is crossed ([`CarePolicy::long_time_no_visit_from`]) | CUS-11 |
/// | open safety item | `care.safety_item_reminder_days` after the customer declined or deferred it | WO-29 |
///
/// One repair call, not two (CARE-02, FU-01): when the repair's follow-up
/// plan has its after-sales call ([`CareProfile::record_repair_plan`]),
/// that call is the repair follow-up, made at the way and time agreed at
/// the repair and in the FU-01 window of the policy (days 3–7 by default;
/// see [`plan_follow_up`](crate::plan_follow_up) for each preset), and the
/// calendar lists none.
///
/// Each contact goes through the customer's preferred channel when set,
/// else the kind's [`default`](CareKind::default_channel) (CARE-07).
/// Personal contacts ([`CareKind::is_personal`]) carry no vehicle, and a
/// customer with several profiles gets each of them once (the first in
/// calendar order is kept). Contacts are sorted by date, customer and kind,
/// then holiday, campaign or item, vehicle, channel and the remaining
/// facts, so the result does not depend on the order of `profiles`.
///
/// The facts are kept as data ([`CareFacts`]) and put into words only when
/// asked ([`CareContact::reason`], [`CareCalendar::render`]), so a nightly
/// run over a whole customer base stays cheap.
///
/// # Errors
///
/// [`CareError::Time`] naming `from` or `to` when that day lies outside
/// the [`SUPPORTED_RANGE`] (years 1900 to 9999);
/// [`CareError::Reversed`] when `from` is after `to`;
/// [`CareError::TooLong`] when the range covers more days than
/// `care.max_range_days`.
pub fn care_calendar<'a>(
    profiles: impl IntoIterator<Item = &'a CareProfile>,
    from: NaiveDate,
    to: NaiveDate,
    policy: &Policy,
) -> Result<CareCalendar, CareError> {
    check_day("from", from)?;
    check_day("to", to)?;
    let care = policy.care();
    if from > to {
        return Err(CareError::Reversed { from, to });
    }
    let days = to.signed_duration_since(from).num_days().saturating_add(1);
    if days > i64::from(care.max_range_days) {
        return Err(CareError::TooLong {
            from,
            to,
            days,
            max: care.max_range_days,
        });
    }
    let mut run = Run {
        from,
        to,
        care,
        new_car_window: policy.follow_up().new_car_care_window,
        holidays: Vec::new(),
        campaigns: Vec::new(),
    };
    run.holidays = care
        .holidays
        .iter()
        .filter_map(|h| {
            minus_days(h.date, care.holiday_letter_lead_days)
                .filter(|d| run.contains(*d))
                .map(|d| (d, Arc::new(h.clone())))
        })
        .collect();
    run.campaigns = care
        .seasonal_campaigns
        .iter()
        .flat_map(|c| {
            let shared = Arc::new(c.clone());
            run.years()
                .filter_map(|y| anniversary(y, c.month, c.day))
                .filter(|d| run.contains(*d))
                .map(move |d| (d, Arc::clone(&shared)))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut contacts = Vec::new();
    for profile in profiles {
        run.profile(&mut contacts, profile);
    }
    contacts.sort_by(calendar_order);
    // `dedup_by` passes the later element first and keeps the earlier.
    contacts.dedup_by(|later, earlier| CareContact::same_personal_occasion(earlier, later));
    Ok(CareCalendar { from, to, contacts })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn profile(id: &str) -> CareProfile {
        CareProfile::new(CustomerId::try_new(id).unwrap())
    }

    fn quiet() -> Policy {
        let care = CarePolicy {
            holidays: vec![],
            seasonal_campaigns: vec![],
            ..CarePolicy::default()
        };
        Policy::default().with_care(care).unwrap()
    }

    #[test]
    fn default_is_valid_and_its_advice_is_no_sales_pitch() {
        let p = CarePolicy::default();
        p.validate().unwrap();
        assert_eq!(p.sales_pitch_phrases.as_slice().len(), 18);
        for c in &p.seasonal_campaigns {
            assert!(p.check_care_message(&c.advice).is_empty(), "{}", c.name_en);
        }
    }

    #[test]
    fn anniversaries_move_29_february() {
        assert_eq!(anniversary(2027, 2, 29), Some(d(2027, 2, 28)));
        assert_eq!(anniversary(2028, 2, 29), Some(d(2028, 2, 29)));
        assert_eq!(anniversary(2027, 4, 31), None);
    }

    #[test]
    fn hour_windows_round_up_to_days() {
        assert_eq!(window_first_day(ContactWindow::days(21, 28)), 21);
        assert_eq!(window_first_day(ContactWindow::hours(24, 48)), 1);
        assert_eq!(window_first_day(ContactWindow::hours(25, 48)), 2);
        assert_eq!(window_first_day(ContactWindow::hours(0, 48)), 0);
    }

    #[test]
    fn validation_names_the_field() {
        let cases: Vec<(CarePolicy, &str)> = vec![
            (
                CarePolicy {
                    repair_follow_up_days: 0,
                    ..CarePolicy::default()
                },
                "care.repair_follow_up_days",
            ),
            (
                CarePolicy {
                    maintenance_letter_days: 5,
                    ..CarePolicy::default()
                },
                "care.maintenance_letter_days",
            ),
            (
                CarePolicy {
                    maintenance_call_days: 0,
                    ..CarePolicy::default()
                },
                "care.maintenance_call_days",
            ),
            (
                CarePolicy {
                    birthday_letter_lead_days: 366,
                    ..CarePolicy::default()
                },
                "care.birthday_letter_lead_days",
            ),
            (
                CarePolicy {
                    owner_meeting_max_participants: 9,
                    ..CarePolicy::default()
                },
                "care.owner_meeting_max_participants",
            ),
            (
                CarePolicy {
                    long_time_no_visit_months: 0,
                    ..CarePolicy::default()
                },
                "care.long_time_no_visit_months",
            ),
            (
                CarePolicy {
                    max_range_days: 0,
                    ..CarePolicy::default()
                },
                "care.max_range_days",
            ),
        ];
        for (policy, field) in cases {
            assert_eq!(policy.validate().unwrap_err().field, field);
        }
        let mut p = CarePolicy::default();
        p.seasonal_campaigns[0].day = 31;
        p.seasonal_campaigns[0].month = 4;
        let err = p.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid policy: `care.seasonal_campaigns` has month `4` and day `31` for \
             `air-conditioning check before summer`, which is no date (CARE-05)"
        );
        let mut p = CarePolicy::default();
        p.seasonal_campaigns[1].advice = "冬季保养限时特价".into();
        let err = p.validate().unwrap_err();
        assert_eq!(err.rule, RuleId::Care03);
        assert!(err.reason.contains("`限时`"), "{err}");
        let mut p = CarePolicy::default();
        let first = p.holidays[0].clone();
        p.holidays.push(first);
        assert!(p.validate().unwrap_err().reason.contains("twice"));
    }

    #[test]
    fn sales_pitch_list_errors_are_care_errors() {
        let err = SalesPitchPhrases::new(vec![ForbiddenPhrase::chinese(" ")]).unwrap_err();
        assert_eq!(err.field, "care.sales_pitch_phrases");
        assert_eq!(err.rule, RuleId::Care03);
        let err = serde_json::from_str::<CarePolicy>(
            r#"{"sales_pitch_phrases":[{"text":"sale","language":"english"},{"text":"SALE!","language":"english"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("CARE-03"), "{err}");
    }

    #[test]
    fn one_letter_per_person_one_contact_per_vehicle() {
        let policy = Policy::default();
        let mut a = profile("C-1");
        a.vehicle = Some(Vin::try_new("LFV3A28W8L3123456").unwrap());
        a.birthday = Some(d(1980, 9, 30));
        a.last_repair_delivered = Some(d(2026, 9, 22));
        let mut b = a.clone();
        b.vehicle = Some(Vin::try_new("LFV3A28W8L3654321").unwrap());
        let cal = care_calendar([&a, &b], d(2026, 9, 1), d(2026, 9, 30), &policy).unwrap();
        let kinds: Vec<(CareKind, Option<&str>)> = cal
            .contacts()
            .iter()
            .map(|c| (c.kind(), c.vehicle.as_ref().map(Vin::as_str)))
            .collect();
        assert_eq!(
            kinds,
            [
                (CareKind::HolidayLetter, None),
                (CareKind::RepairFollowUp, Some("LFV3A28W8L3123456")),
                (CareKind::RepairFollowUp, Some("LFV3A28W8L3654321")),
                (CareKind::BirthdayLetter, None),
                (CareKind::HolidayLetter, None),
            ]
        );
    }

    #[test]
    fn duplicates_of_a_personal_occasion_keep_the_same_one_in_any_order() {
        let mut a = profile("C-1");
        a.birthday = Some(d(1980, 9, 30));
        a.preferred.channel = Some(ContactChannel::Email);
        let mut b = profile("C-1");
        b.birthday = Some(d(1981, 9, 30));
        b.preferred.channel = Some(ContactChannel::Email);
        let range = (d(2026, 9, 20), d(2026, 9, 25));
        let ab = care_calendar([&a, &b], range.0, range.1, &quiet()).unwrap();
        let ba = care_calendar([&b, &a], range.0, range.1, &quiet()).unwrap();
        assert_eq!(ab, ba);
        assert_eq!(ab.len(), 1);
        assert!(matches!(
            ab.contacts()[0].facts,
            CareFacts::BirthdayLetter { born, .. } if born == d(1980, 9, 30)
        ));
    }

    #[test]
    fn reasons_name_the_channel() {
        let mut p = profile("C-1");
        p.last_repair_delivered = Some(d(2026, 3, 9));
        let cal = care_calendar([&p], d(2026, 3, 1), d(2026, 3, 31), &quiet()).unwrap();
        let reasons = cal.contacts()[0].reasons();
        assert_eq!(
            reasons[0].to_string(),
            "repair delivered 2026-03-09; follow-up by 2026-03-12, with feedback on the \
             customer's remarks (CARE-02)"
        );
        assert_eq!(
            reasons[1].to_string(),
            "no preferred channel: phone call is the default for a repair follow-up (CARE-07)"
        );
        p.preferred.channel = Some(ContactChannel::Phone);
        p.preferred.times = vec![LocalTimeRange::hm((19, 0), (20, 30))];
        let cal = care_calendar([&p], d(2026, 3, 1), d(2026, 3, 31), &quiet()).unwrap();
        assert_eq!(
            cal.contacts()[0].reasons()[1].to_string(),
            "the customer prefers phone call, called at 19:00–20:30 (CARE-07)"
        );
    }

    #[test]
    fn calendar_on_a_day() {
        let mut a = profile("C-1");
        a.last_repair_delivered = Some(d(2026, 3, 9));
        let mut b = profile("C-2");
        b.last_repair_delivered = Some(d(2026, 3, 9));
        b.next_maintenance_due = Some(d(2026, 3, 24));
        let cal = care_calendar([&b, &a], d(2026, 3, 1), d(2026, 3, 31), &quiet()).unwrap();
        assert_eq!(cal.len(), 3);
        assert_eq!(cal.on(d(2026, 3, 10)).len(), 3);
        assert_eq!(cal.on(d(2026, 3, 10))[0].customer.as_str(), "C-1");
        assert!(cal.on(d(2026, 3, 11)).is_empty());
    }

    #[test]
    fn stored_calendars_are_checked() {
        let mut p = profile("C-1");
        p.last_repair_delivered = Some(d(2026, 3, 9));
        let cal = care_calendar([&p], d(2026, 3, 1), d(2026, 3, 31), &quiet()).unwrap();
        let json = serde_json::to_string(&cal).unwrap();
        assert_eq!(serde_json::from_str::<CareCalendar>(&json).unwrap(), cal);
        let moved = json.replace("\"to\":\"2026-03-31\"", "\"to\":\"2026-03-05\"");
        let err = serde_json::from_str::<CareCalendar>(&moved).unwrap_err();
        assert!(
            err.to_string().contains("outside the calendar range"),
            "{err}"
        );
    }
}
