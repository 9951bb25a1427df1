//! Presets: [`Policy::preset`], the default policy with the numbers one
//! source states differently.
//!
//! The rulebook takes each number from the source that states it and names
//! a default where the sources disagree. A preset reproduces one source:
//! it starts from [`Policy::default`] and changes exactly the numbers that
//! source gives differently. Combine a preset with a jurisdiction through
//! [`Policy::with_jurisdiction`], and see what it changed with
//! [`Policy::changes_from_default`].
//!
//! ```
//! use aftersales::{ContactWindow, Policy, Source};
//!
//! let textbook = Policy::preset(Source::Textbook);
//! assert_eq!(textbook.follow_up().after_sales_window, ContactWindow::days(1, 3));
//! let changed: Vec<String> = textbook.changes_from_default().into_iter().map(|c| c.path).collect();
//! assert_eq!(changed, [
//!     "follow_up.after_sales_window.from_days",
//!     "follow_up.after_sales_window.to_days",
//! ]);
//! ```

use std::fmt;

use crate::complaint::ComplaintPolicy;
use crate::follow_up::FollowUpPolicy;
use crate::policy::{Policy, Source};

impl Source {
    /// Every source, in the order of their seed numbers.
    pub const ALL: [Source; 5] = [
        Source::CoreProcess,
        Source::ServiceCourse,
        Source::CrManual,
        Source::Textbook,
        Source::TrainingCourse,
    ];

    /// The rulebook's tag, `[000]` … `[004]`.
    pub const fn tag(self) -> &'static str {
        match self {
            Source::CoreProcess => "[000]",
            Source::ServiceCourse => "[001]",
            Source::CrManual => "[002]",
            Source::Textbook => "[003]",
            Source::TrainingCourse => "[004]",
        }
    }

    /// English description.
    pub const fn label_en(self) -> &'static str {
        match self {
            Source::CoreProcess => "core service-process standard",
            Source::ServiceCourse => "service-reception knowledge summary",
            Source::CrManual => "customer-relations operating manual",
            Source::Textbook => "repair-enterprise management textbook",
            Source::TrainingCourse => "customer-service training course",
        }
    }

    /// Chinese description.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Source::CoreProcess => "服务核心流程标准",
            Source::ServiceCourse => "服务接待知识汇总",
            Source::CrManual => "客户关系部运作制度",
            Source::Textbook => "维修企业客户管理教材",
            Source::TrainingCourse => "汽车客户服务培训课程",
        }
    }
}

impl fmt::Display for Source {
    /// The tag and the English description: `[003] repair-enterprise
    /// management textbook`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.tag(), self.label_en())
    }
}

impl Policy {
    /// The default policy with the numbers `source` states differently.
    ///
    /// The rulebook marks one rule where the sources give different numbers
    /// for the same parameter: the after-sales follow-up window, FU-01.
    /// The seeds add a second: the CMP-06 solution deadline, 24 hours at
    /// every level in \[002\], each level's response time in \[004\] (the
    /// default). Every other number either comes from a single source or is
    /// the same in every source that states it (the second follow-up of
    /// 7–15 days in \[002\] and \[004\], FU-03 and CMP-10), so each preset
    /// keeps it.
    /// FU-02 is not a disagreement: \[002\]'s sales follow-up after 7–10
    /// days and \[003\]'s new-car care after 3–4 weeks are two contacts,
    /// and the default plans both. The presets therefore differ from the
    /// default in the FU-01 window ([`ContactWindow::after_sales_preset`]
    /// reads the sources), in the CMP-06 solution hours (\[002\] keeps 24
    /// hours at every level) and, for \[004\], in the follow-up calling
    /// hours of FU-05 ([`FollowUpPolicy::follow_up_hours_preset`]).
    ///
    /// The repair call of CARE-02 (\[003\]: within 3 days, at the way and
    /// time agreed at the repair) and the FU-01 after-sales call are one
    /// contact; its window is the preset's FU-01 window: days 3–7 by
    /// default and under \[001\] and \[002\], days 1–7 under \[000\],
    /// days 1–3 under \[003\] (where FU-01 and CARE-02 agree), hours 24–48
    /// under \[004\] (see [`plan_follow_up`](crate::plan_follow_up)).
    ///
    /// # \[000\] core process ([`Source::CoreProcess`])
    ///
    /// - FU-01 `follow_up.after_sales_window`: days 3–7 → days 1–7, i.e.
    ///   `from_days` 3 → 1 (`to_days` stays 7). \[000\], the core-process
    ///   standard for follow-up: "服务之后一周内打电话" (call within one week
    ///   of the service); "within" starts the day after delivery.
    ///
    /// Nothing else: \[000\]'s other number, "24小时内回复客户" (reply to
    /// the customer within 24 hours, under 跟踪), is a reply to a problem
    /// raised in the follow-up call, not a solution to a graded complaint;
    /// the preset keeps the default solution hours per level.
    ///
    /// # \[001\] service course ([`Source::ServiceCourse`])
    ///
    /// No change: \[001\] names no follow-up window; its numbers (the
    /// progress checks of WO-15, the calling hours of FU-05) are defaults
    /// already.
    ///
    /// # \[002\] customer-relations manual ([`Source::CrManual`])
    ///
    /// - CMP-06 `complaint.solution_hours`: 24 hours at every level, i.e.
    ///   `l2` 48 → 24 and `l3` 72 → 24 (`l1` and `l4` stay 24). \[002\]
    ///   图5: "24小时内给出解决方案" (a solution within 24 hours), whatever
    ///   the level; the default follows \[004\]'s response time per level.
    ///
    /// Nothing else: the default FU-01 window, days 3–7, is \[002\]'s
    /// "售后客户回访时间为3-7天"; so are its other numbers (FU-02, FU-07,
    /// FU-10, CMP-05, CUS-05, CUS-06, and SAT-01 as the rulebook resolves
    /// its overlapping bands).
    ///
    /// # \[003\] textbook ([`Source::Textbook`])
    ///
    /// - FU-01 `follow_up.after_sales_window`: days 3–7 → days 1–3, i.e.
    ///   `from_days` 3 → 1 and `to_days` 7 → 3. \[003\], repair follow-up
    ///   (维修回访): "维修后3日内进行回访" (call within 3 days after the
    ///   repair), the rule the care calendar already uses (CARE-02,
    ///   `care.repair_follow_up_days` 3).
    ///
    /// # \[004\] training course ([`Source::TrainingCourse`])
    ///
    /// - FU-01 `follow_up.after_sales_window`: days 3–7 → hours 24–48, i.e.
    ///   `from_days` 3 and `to_days` 7 are replaced by `from_hours` 24 and
    ///   `to_hours` 48. \[004\], follow-up window (回访时间窗口设定):
    ///   "服务完成后24-48小时内进行首次回访" (first call 24–48 hours after
    ///   the service).
    /// - FU-05 `follow_up.follow_up_hours`: the afternoon hours 16:00–18:30
    ///   → 16:00–17:00, i.e. `follow_up_hours[1].end` 18:30 → 17:00. The
    ///   same section: "回访时间应考虑客户便利性，避开早晚高峰和用餐时间"
    ///   (avoid the morning and evening rush hours and meal times); the
    ///   evening rush begins at 17:00. The morning hours, 9:00–11:00, lie
    ///   after the morning rush and before lunch, so they stay.
    ///
    /// ```
    /// use aftersales::{ContactWindow, Policy, Source};
    ///
    /// for source in Source::ALL {
    ///     Policy::preset(source).validate()?;
    /// }
    /// assert_eq!(Policy::preset(Source::ServiceCourse), Policy::default());
    /// assert_eq!(
    ///     Policy::preset(Source::TrainingCourse).follow_up().after_sales_window,
    ///     ContactWindow::hours(24, 48),
    /// );
    /// # Ok::<(), aftersales::PolicyError>(())
    /// ```
    ///
    /// [`ContactWindow::after_sales_preset`]: crate::ContactWindow::after_sales_preset
    /// [`FollowUpPolicy::follow_up_hours_preset`]: crate::FollowUpPolicy::follow_up_hours_preset
    pub fn preset(source: Source) -> Policy {
        let follow_up = FollowUpPolicy::preset(source);
        let complaint = ComplaintPolicy::default().with_source_preset(source);
        // Every preset window is a valid window (a test checks each), so
        // the fallback is never taken; it keeps this function total.
        Policy::default()
            .with_follow_up(follow_up)
            .and_then(|p| p.with_complaint(complaint))
            .unwrap_or_default()
    }
}
