//! [`ComplaintPolicy`]: every number of rulebook section 3.

use serde::{Deserialize, Serialize};

use crate::complaint::clock::DeadlineClock;
use crate::complaint::grade::{ComplaintFact, Level, Nature};
use crate::complaint::phrases::ForbiddenPhrases;
use crate::complaint::third_party::ThirdPartyPolicy;
use crate::policy::{AuthorityRole, DayWindow, PolicyError, Source, invalid};
use crate::rule::RuleId;

/// Who handles a level and how fast the first response is due (CMP-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    /// The handling role (处理权限).
    pub handler: AuthorityRole,
    /// The response deadline in hours after receipt (响应时限).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub response_hours: u32,
}

/// The four [`LevelRule`]s. Defaults from CMP-04: front line 24 h,
/// supervisor 48 h, department manager 72 h, senior management 24 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelTable {
    /// L1 minor.
    pub l1: LevelRule,
    /// L2 regular.
    pub l2: LevelRule,
    /// L3 serious.
    pub l3: LevelRule,
    /// L4 crisis.
    pub l4: LevelRule,
}

impl LevelTable {
    /// The rule of `level`.
    pub const fn rule_of(&self, level: Level) -> LevelRule {
        match level {
            Level::L1Minor => self.l1,
            Level::L2Regular => self.l2,
            Level::L3Serious => self.l3,
            Level::L4Crisis => self.l4,
        }
    }
}

impl Default for LevelTable {
    fn default() -> Self {
        let rule = |handler, response_hours| LevelRule {
            handler,
            response_hours,
        };
        LevelTable {
            l1: rule(AuthorityRole::FrontLine, 24),
            l2: rule(AuthorityRole::Supervisor, 48),
            l3: rule(AuthorityRole::Manager, 72),
            l4: rule(AuthorityRole::SeniorManagement, 24),
        }
    }
}

impl LevelTable {
    /// The response hours of `handler` once a complaint is handed to it
    /// (CMP-09): those of the lowest level handled by `handler` or a more
    /// senior role, or of L4 when every level is handled by a more junior
    /// one. With the default table: front line 24 h, supervisor 48 h,
    /// department manager 72 h, senior management 24 h.
    pub fn response_hours_of(&self, handler: AuthorityRole) -> u32 {
        Level::ALL
            .into_iter()
            .map(|level| self.rule_of(level))
            .find(|rule| rule.handler >= handler)
            .unwrap_or(self.l4)
            .response_hours
    }
}

/// CMP-06: hours from receipt to a proposed solution, per level, when a
/// complaint is not solved on the spot.
///
/// The default is each level's response time in \[004\]'s grading table
/// (L1 24 h, L2 48 h, L3 72 h, L4 24 h): \[004\] gives a department
/// manager 72 hours for a serious complaint, so the solution of an L3
/// complaint is not late at 25 hours. The customer-relations manual
/// \[002\] (图5 "24小时内给出解决方案") says 24 hours whatever the level;
/// its preset sets 24 at every level ([`SolutionHours::uniform`]).
///
/// Serde reads either the four numbers (`{"l1": 24, "l2": 48, "l3": 72,
/// "l4": 24}`, missing levels take the default) or one number for every
/// level, the shape a policy stored before the per-level deadline has;
/// it writes the four numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SolutionHours {
    /// L1 minor.
    pub l1: u32,
    /// L2 regular.
    pub l2: u32,
    /// L3 serious.
    pub l3: u32,
    /// L4 crisis.
    pub l4: u32,
}

impl SolutionHours {
    /// The same number of hours at every level.
    pub const fn uniform(hours: u32) -> Self {
        SolutionHours {
            l1: hours,
            l2: hours,
            l3: hours,
            l4: hours,
        }
    }

    /// The hours of `level`.
    pub const fn of(&self, level: Level) -> u32 {
        match level {
            Level::L1Minor => self.l1,
            Level::L2Regular => self.l2,
            Level::L3Serious => self.l3,
            Level::L4Crisis => self.l4,
        }
    }
}

impl Default for SolutionHours {
    fn default() -> Self {
        SolutionHours {
            l1: 24,
            l2: 48,
            l3: 72,
            l4: 24,
        }
    }
}

/// The per-level object, every level optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PerLevelHours {
    #[serde(
        default,
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    l1: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    l2: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    l3: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    l4: Option<u32>,
}

impl From<PerLevelHours> for SolutionHours {
    fn from(p: PerLevelHours) -> Self {
        let d = SolutionHours::default();
        SolutionHours {
            l1: p.l1.unwrap_or(d.l1),
            l2: p.l2.unwrap_or(d.l2),
            l3: p.l3.unwrap_or(d.l3),
            l4: p.l4.unwrap_or(d.l4),
        }
    }
}

impl<'de> Deserialize<'de> for SolutionHours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::MapAccessDeserializer;
        use serde::de::{self, IntoDeserializer, MapAccess, Visitor};

        struct Hours;
        impl<'de> Visitor<'de> for Hours {
            type Value = SolutionHours;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a count of hours, or one per level (`l1` … `l4`)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SolutionHours, E> {
                crate::policy::count::deserialize(v.into_deserializer()).map(SolutionHours::uniform)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SolutionHours, E> {
                crate::policy::count::deserialize(v.into_deserializer()).map(SolutionHours::uniform)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SolutionHours, A::Error> {
                PerLevelHours::deserialize(MapAccessDeserializer::new(map)).map(Into::into)
            }
        }
        d.deserialize_any(Hours)
    }
}

/// The level each [`ComplaintFact`] reaches (CMP-04); defaults from the
/// source's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[allow(missing_docs)] // one field per fact, documented on `ComplaintFact`
pub struct FactLevels {
    pub service_attitude: Level,
    pub slight_delay: Level,
    pub non_fault_grievance: Level,
    pub service_quality: Level,
    pub technical_fault: Level,
    pub fee_dispute: Level,
    pub recurring_fault: Level,
    pub major_inconvenience: Level,
    pub safety_related: Level,
    pub media_attention: Level,
    pub personal_safety: Level,
    pub legal_risk: Level,
}

impl FactLevels {
    /// The level `fact` reaches.
    pub const fn level_of(&self, fact: ComplaintFact) -> Level {
        match fact {
            ComplaintFact::ServiceAttitude => self.service_attitude,
            ComplaintFact::SlightDelay => self.slight_delay,
            ComplaintFact::NonFaultGrievance => self.non_fault_grievance,
            ComplaintFact::ServiceQuality => self.service_quality,
            ComplaintFact::TechnicalFault => self.technical_fault,
            ComplaintFact::FeeDispute => self.fee_dispute,
            ComplaintFact::RecurringFault => self.recurring_fault,
            ComplaintFact::MajorInconvenience => self.major_inconvenience,
            ComplaintFact::SafetyRelated => self.safety_related,
            ComplaintFact::MediaAttention => self.media_attention,
            ComplaintFact::PersonalSafety => self.personal_safety,
            ComplaintFact::LegalRisk => self.legal_risk,
        }
    }
}

impl FactLevels {
    /// For each level, lowest first, the bit set of the facts that reach
    /// it (bit `n` is fact `n` in declaration order).
    pub(crate) fn masks(&self) -> [u16; 4] {
        let mut masks = [0u16; 4];
        for (bit, fact) in ComplaintFact::ALL.into_iter().enumerate() {
            let level = usize::from(self.level_of(fact).number().saturating_sub(1));
            if let Some(mask) = masks.get_mut(level) {
                *mask |= 1u16
                    .checked_shl(u32::try_from(bit).unwrap_or(u32::MAX))
                    .unwrap_or(0);
            }
        }
        masks
    }
}

impl Default for FactLevels {
    fn default() -> Self {
        use Level::*;
        FactLevels {
            service_attitude: L1Minor,
            slight_delay: L1Minor,
            non_fault_grievance: L1Minor,
            service_quality: L2Regular,
            technical_fault: L2Regular,
            fee_dispute: L2Regular,
            recurring_fault: L3Serious,
            major_inconvenience: L3Serious,
            safety_related: L3Serious,
            media_attention: L4Crisis,
            personal_safety: L4Crisis,
            legal_risk: L4Crisis,
        }
    }
}

/// The lowest level a complaint of each [`Nature`] is handled at (CMP-02).
///
/// \[001\] names the natures without grading them; \[004\] grades possible
/// media attention L4. The default gives a serious complaint at least L3,
/// the level CMP-04 calls "serious", a public-relations crisis at least L4,
/// and leaves the other natures to their facts. A policy stored before the
/// split with a `serious_or_crisis` floor loads it as the `serious` floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NatureFloors {
    /// Floor for a general complaint.
    pub general: Option<Level>,
    /// Floor for a serious complaint (L3).
    #[serde(alias = "serious_or_crisis")]
    pub serious: Option<Level>,
    /// Floor for a public-relations crisis (L4).
    pub pr_crisis: Option<Level>,
    /// Floor for a malicious complaint.
    pub malicious: Option<Level>,
}

impl NatureFloors {
    /// The floor of `nature`.
    pub const fn floor_of(&self, nature: Nature) -> Option<Level> {
        match nature {
            Nature::General => self.general,
            Nature::Serious => self.serious,
            Nature::PrCrisis => self.pr_crisis,
            Nature::Malicious => self.malicious,
        }
    }
}

impl Default for NatureFloors {
    fn default() -> Self {
        NatureFloors {
            general: None,
            serious: Some(Level::L3Serious),
            pr_crisis: Some(Level::L4Crisis),
            malicious: None,
        }
    }
}

/// Whether complaint deadlines stop while the dealer waits on the customer
/// (CMP-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitingOnCustomer {
    /// The clock keeps running (the default).
    #[default]
    ClockRuns,
    /// The clock stops from "waiting on the customer" to the customer's
    /// reply.
    ClockPauses,
}

/// Section 3 parameters: complaints and grievances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ComplaintPolicy {
    /// CMP-04: handler and response hours per level.
    pub levels: LevelTable,
    /// CMP-04: the level each fact reaches.
    pub fact_levels: FactLevels,
    /// CMP-02: the lowest level per nature.
    pub nature_floors: NatureFloors,
    /// CMP-09: how many levels higher a repeat complaint starts (1).
    pub repeat_raise: u8,
    /// CMP-12: the lowest handler of an important customer's complaint
    /// (department manager).
    pub important_customer_handler: AuthorityRole,
    /// CMP-05: minutes from the justified verdict to forwarding the form to
    /// the department head (30).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub forward_minutes: u32,
    /// CMP-05: hours from forwarding to the department's result reaching
    /// customer relations (48).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub department_result_hours: u32,
    /// CMP-06: hours from receipt to a proposed solution when the complaint
    /// is not solved on the spot, per level (24 / 48 / 72 / 24).
    pub solution_hours: SolutionHours,
    /// CMP-10: the second follow-up window, days after resolution (7–15).
    pub second_follow_up: DayWindow,
    /// CMP-08: the lowest role that may close a complaint unresolved
    /// (department manager).
    pub close_unresolved_role: AuthorityRole,
    /// CMP-16: calendar or business hours.
    pub clock: DeadlineClock,
    /// CMP-16: whether waiting on the customer stops the clock.
    pub waiting_on_customer: WaitingOnCustomer,
    /// CMP-13: when a third party is proposed.
    pub third_party: ThirdPartyPolicy,
    /// CMP-14: the phrases a call script or note must not contain.
    pub forbidden_phrases: ForbiddenPhrases,
}

impl Default for ComplaintPolicy {
    fn default() -> Self {
        ComplaintPolicy {
            levels: LevelTable::default(),
            fact_levels: FactLevels::default(),
            nature_floors: NatureFloors::default(),
            repeat_raise: 1,
            important_customer_handler: AuthorityRole::Manager,
            forward_minutes: 30,
            department_result_hours: 48,
            solution_hours: SolutionHours::default(),
            second_follow_up: DayWindow {
                from_days: 7,
                to_days: 15,
            },
            close_unresolved_role: AuthorityRole::Manager,
            clock: DeadlineClock::Calendar,
            waiting_on_customer: WaitingOnCustomer::ClockRuns,
            third_party: ThirdPartyPolicy::default(),
            forbidden_phrases: ForbiddenPhrases::default(),
        }
    }
}

impl ComplaintPolicy {
    /// This section with the numbers `source` states for complaints: the
    /// customer-relations manual \[002\] gives a proposed solution within
    /// 24 hours at every level (CMP-06, 图5 "24小时内给出解决方案"); every
    /// other source keeps the default, \[004\]'s response time per level.
    pub fn with_source_preset(mut self, source: Source) -> ComplaintPolicy {
        if source == Source::CrManual {
            self.solution_hours = SolutionHours::uniform(24);
        }
        self
    }

    /// Checks the section's consistency.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the field: a zero response time or deadline,
    /// a higher level handled by a lower role, a repeat raise above 3, an
    /// inverted second follow-up window, inconsistent business hours, a
    /// zero third-party threshold, a blank or repeated forbidden phrase.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let fields = [
            "complaint.levels.l1",
            "complaint.levels.l2",
            "complaint.levels.l3",
            "complaint.levels.l4",
        ];
        let mut previous: Option<LevelRule> = None;
        for (level, field) in Level::ALL.into_iter().zip(fields) {
            let rule = self.levels.rule_of(level);
            if rule.response_hours == 0 {
                return Err(invalid(
                    field,
                    RuleId::Cmp04,
                    "has a response time of 0 hours; a deadline must give time to respond",
                ));
            }
            if let Some(lower) = previous {
                if rule.handler < lower.handler {
                    return Err(invalid(
                        field,
                        RuleId::Cmp04,
                        format!(
                            "is handled by {}, below the lower level's {}",
                            rule.handler, lower.handler
                        ),
                    ));
                }
            }
            previous = Some(rule);
        }
        if self.repeat_raise > 3 {
            return Err(invalid(
                "complaint.repeat_raise",
                RuleId::Cmp09,
                format!("is {}; there are only four levels", self.repeat_raise),
            ));
        }
        let s = self.solution_hours;
        for (field, rule, value) in [
            (
                "complaint.forward_minutes",
                RuleId::Cmp05,
                self.forward_minutes,
            ),
            (
                "complaint.department_result_hours",
                RuleId::Cmp05,
                self.department_result_hours,
            ),
            ("complaint.solution_hours.l1", RuleId::Cmp06, s.l1),
            ("complaint.solution_hours.l2", RuleId::Cmp06, s.l2),
            ("complaint.solution_hours.l3", RuleId::Cmp06, s.l3),
            ("complaint.solution_hours.l4", RuleId::Cmp06, s.l4),
        ] {
            if value == 0 {
                return Err(invalid(field, rule, "is 0; a deadline must give time"));
            }
        }
        let w = self.second_follow_up;
        if w.from_days > w.to_days {
            return Err(invalid(
                "complaint.second_follow_up",
                RuleId::Cmp10,
                format!(
                    "starts on day {} after it ends on day {}",
                    w.from_days, w.to_days
                ),
            ));
        }
        self.clock.validate()?;
        self.third_party.validate()?;
        self.forbidden_phrases.validate()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::Policy;

    fn field_of(p: ComplaintPolicy) -> (&'static str, RuleId) {
        let e = p.validate().unwrap_err();
        (e.field, e.rule)
    }

    #[test]
    fn the_default_follows_cmp04() {
        let p = ComplaintPolicy::default();
        p.validate().unwrap();
        let hours: Vec<u32> = Level::ALL
            .iter()
            .map(|l| p.levels.rule_of(*l).response_hours)
            .collect();
        assert_eq!(hours, [24, 48, 72, 24]);
        assert_eq!(p.levels.l3.handler, AuthorityRole::Manager);
        assert_eq!(
            p.fact_levels.level_of(ComplaintFact::FeeDispute),
            Level::L2Regular
        );
        assert_eq!((p.forward_minutes, p.department_result_hours), (30, 48));
        let solution: Vec<u32> = Level::ALL.map(|l| p.solution_hours.of(l)).into();
        assert_eq!(
            solution,
            [24, 48, 72, 24],
            "CMP-06 follows [004]'s response times"
        );
        let handler_hours: Vec<u32> = [
            AuthorityRole::FrontLine,
            AuthorityRole::Supervisor,
            AuthorityRole::Manager,
            AuthorityRole::SeniorManagement,
        ]
        .map(|r| p.levels.response_hours_of(r))
        .into();
        assert_eq!(handler_hours, [24, 48, 72, 24]);
    }

    #[test]
    fn inconsistent_values_are_refused_with_field_and_rule() {
        let mut p = ComplaintPolicy::default();
        p.levels.l2.response_hours = 0;
        assert_eq!(field_of(p), ("complaint.levels.l2", RuleId::Cmp04));

        let mut p = ComplaintPolicy::default();
        p.levels.l3.handler = AuthorityRole::FrontLine;
        assert_eq!(field_of(p), ("complaint.levels.l3", RuleId::Cmp04));

        let mut p = ComplaintPolicy::default();
        p.repeat_raise = 4;
        assert_eq!(field_of(p), ("complaint.repeat_raise", RuleId::Cmp09));

        let mut p = ComplaintPolicy::default();
        p.forward_minutes = 0;
        assert_eq!(field_of(p), ("complaint.forward_minutes", RuleId::Cmp05));

        for (level, field) in [
            (Level::L1Minor, "complaint.solution_hours.l1"),
            (Level::L2Regular, "complaint.solution_hours.l2"),
            (Level::L3Serious, "complaint.solution_hours.l3"),
            (Level::L4Crisis, "complaint.solution_hours.l4"),
        ] {
            let mut p = ComplaintPolicy::default();
            match level {
                Level::L1Minor => p.solution_hours.l1 = 0,
                Level::L2Regular => p.solution_hours.l2 = 0,
                Level::L3Serious => p.solution_hours.l3 = 0,
                Level::L4Crisis => p.solution_hours.l4 = 0,
            }
            assert_eq!(p.solution_hours.of(level), 0);
            assert_eq!(field_of(p), (field, RuleId::Cmp06));
            let mut p = ComplaintPolicy::default();
            p.solution_hours = SolutionHours::uniform(1);
            p.validate().unwrap();
        }

        let mut p = ComplaintPolicy::default();
        p.second_follow_up = DayWindow {
            from_days: 16,
            to_days: 15,
        };
        assert_eq!(field_of(p), ("complaint.second_follow_up", RuleId::Cmp10));
    }

    #[test]
    fn json_sections_load_with_defaults_and_refuse_unknown_fields() {
        let p: Policy = serde_json::from_str(
            r#"{ "complaint": { "forward_minutes": 15, "fact_levels": { "fee_dispute": "L3" } } }"#,
        )
        .unwrap();
        assert_eq!(p.complaint().forward_minutes, 15);
        assert_eq!(p.complaint().fact_levels.fee_dispute, Level::L3Serious);
        assert_eq!(p.complaint().fact_levels.slight_delay, Level::L1Minor);
        let err = serde_json::from_str::<Policy>(r#"{ "complaint": { "forward_minute": 15 } }"#)
            .unwrap_err();
        assert!(
            err.to_string().contains("unknown field `forward_minute`"),
            "{err}"
        );
        let err = serde_json::from_str::<Policy>(r#"{ "complaint": { "solution_hours": 0 } }"#)
            .unwrap_err();
        assert!(
            err.to_string().contains("complaint.solution_hours.l1"),
            "{err}"
        );
    }

    #[test]
    fn solution_hours_load_as_one_number_or_per_level() {
        // A policy stored before the per-level deadline: one number.
        let p: Policy =
            serde_json::from_str(r#"{ "complaint": { "solution_hours": 24 } }"#).unwrap();
        assert_eq!(p.complaint().solution_hours, SolutionHours::uniform(24));
        let p: Policy =
            serde_json::from_str(r#"{ "complaint": { "solution_hours": { "l3": 48 } } }"#).unwrap();
        assert_eq!(
            p.complaint().solution_hours,
            SolutionHours {
                l3: 48,
                ..SolutionHours::default()
            }
        );
        let json = serde_json::to_value(SolutionHours::default()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "l1": 24, "l2": 48, "l3": 72, "l4": 24 })
        );
        for (bad, says) in [
            (
                r#"{ "complaint": { "solution_hours": -1 } }"#,
                "`-1` is not a count of hours",
            ),
            (
                r#"{ "complaint": { "solution_hours": { "l3": -1 } } }"#,
                "`-1` is not a count of hours",
            ),
            (
                r#"{ "complaint": { "solution_hours": 4294967296 } }"#,
                "`4294967296` is not a count of hours",
            ),
            (
                r#"{ "complaint": { "solution_hours": { "l5": 1 } } }"#,
                "unknown field `l5`",
            ),
            (
                r#"{ "complaint": { "solution_hours": "24h" } }"#,
                "expected a count of hours, or one per level",
            ),
        ] {
            let err = serde_json::from_str::<Policy>(bad).unwrap_err();
            assert!(err.to_string().contains(says), "{bad}: {err}");
        }
        let p: Policy =
            serde_json::from_str(r#"{ "complaint": { "solution_hours": 4294967295 } }"#).unwrap();
        assert_eq!(p.complaint().solution_hours.l4, u32::MAX);
    }
}
