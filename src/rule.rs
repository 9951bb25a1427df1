//! The rule catalog: [`RuleId`], [`RuleInfo`], [`Severity`], and [`Reason`],
//! the unit of every explanation.
//!
//! Every rule the crate enforces has an ID from the rulebook (`WO-10`,
//! `EST-06` …). Errors carry it, decisions list it, and [`catalog`] lists
//! them all with English and Chinese titles, the source documents and a
//! severity, so a DMS can show the catalog and a compliance test can cite it.
//!
//! Each entry also says how the crate upholds the rule ([`EnforcedBy`]: a
//! guard refusing a command, a due check, a calculation, a report, a
//! finding …) and in which modules. [`RuleInfo`] serializes with serde, so
//! the catalog exports as JSON with any serde format;
//! [`catalog_markdown`] renders it as Markdown tables, one per area.
//!
//! ```
//! use aftersales::{EnforcedBy, RuleId, Severity};
//! let rule: RuleId = "WO-10".parse()?;
//! assert_eq!(rule, RuleId::Wo10);
//! assert_eq!(rule.info().severity, Severity::Critical);
//! assert!(rule.info().enforced_by.contains(&EnforcedBy::Guard));
//! assert!(aftersales::catalog().iter().any(|r| r.id == RuleId::Est06));
//! # Ok::<(), aftersales::UnknownRule>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How serious breaking a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Good practice; a miss is worth noting.
    Advisory,
    /// A process step done badly or late.
    Minor,
    /// A process step skipped.
    Major,
    /// The customer's consent, money or safety is at stake.
    Critical,
}

impl Severity {
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Severity::Advisory => "advisory",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }

    /// Chinese label.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Severity::Advisory => "提示",
            Severity::Minor => "轻微",
            Severity::Major => "严重",
            Severity::Critical => "关键",
        }
    }
}

words! {
    /// Which part of the process a rule belongs to (the rulebook's sections).
    #[non_exhaustive]
    RuleArea {
        /// Section 1, the work-order lifecycle (WO).
        WorkOrder => "work-order lifecycle", "工单流程";
        /// Section 2, estimates, authorization and money (EST).
        Estimate => "estimates, authorization and money", "估价、授权与金额";
        /// Section 3, complaints and grievances (CMP).
        Complaint => "complaints and grievances", "投诉与抱怨";
        /// Section 4, follow-up calls (FU).
        FollowUp => "follow-up calls", "回访";
        /// Section 5, satisfaction statistics (SAT).
        Satisfaction => "satisfaction statistics", "满意度统计";
        /// Section 6, customer files (CUS).
        Customer => "customer files", "客户档案";
        /// Section 7, the customer-care calendar (CARE).
        Care => "customer-care calendar", "客户关怀";
        /// Section 8, the maintenance schedule (MNT).
        Maintenance => "maintenance schedule", "保养计划";
        /// Section 10, regulation beyond the seeds (REG).
        Regulation => "regulation", "法规";
    }
}

impl RuleArea {
    /// The prefix of the area's rule IDs, e.g. `"WO"` or `"CARE"`.
    pub const fn prefix(self) -> &'static str {
        match self {
            RuleArea::WorkOrder => "WO",
            RuleArea::Estimate => "EST",
            RuleArea::Complaint => "CMP",
            RuleArea::FollowUp => "FU",
            RuleArea::Satisfaction => "SAT",
            RuleArea::Customer => "CUS",
            RuleArea::Care => "CARE",
            RuleArea::Maintenance => "MNT",
            RuleArea::Regulation => "REG",
        }
    }
}

words! {
    /// How the crate upholds a rule: the kind of code that enforces,
    /// computes or audits it. A rule usually has more than one
    /// ([`RuleInfo::enforced_by`]).
    EnforcedBy {
        /// A command that would break the rule is refused, and the error
        /// names the rule.
        Guard => "guard", "命令拦截";
        /// The command goes through and the gap is written on the work
        /// order as a risk.
        Risk => "recorded risk", "记录风险";
        /// A check of what is due, open or overdue at a given instant.
        DueCheck => "due check", "到期检查";
        /// A value the crate computes from the facts: totals, windows,
        /// grades, counters, flags, schedules.
        Calculation => "calculation", "计算";
        /// A report or statistic over many records.
        Report => "report", "报表统计";
        /// A finding: a process finding from a follow-up, an audit, or a
        /// checker that lists what is wrong with a text or a plan.
        Finding => "finding", "检查发现";
        /// Data types and checklists record it; nothing decides on it.
        Document => "recorded in data", "数据记录";
        /// A policy number that nothing checks yet.
        PolicyOnly => "policy number only", "仅有策略参数";
        /// Known to the catalog; a later issue implements it.
        NotYet => "not yet implemented", "尚未实现";
    }
}

impl EnforcedBy {
    /// What this kind of enforcement means, in one English sentence.
    pub const fn meaning(self) -> &'static str {
        match self {
            EnforcedBy::Guard => {
                "a command that would break the rule is refused with an error naming it; \
                 the audit rechecks work-order logs imported without the guards"
            }
            EnforcedBy::Risk => {
                "the command goes through and the gap is written on the order as a risk"
            }
            EnforcedBy::DueCheck => "what is due, open or overdue at a given instant",
            EnforcedBy::Calculation => {
                "a computed value: totals, windows, grades, counters, flags, schedules"
            }
            EnforcedBy::Report => "a report or statistic over many records",
            EnforcedBy::Finding => {
                "a process finding, an audit, or a checker listing what is wrong"
            }
            EnforcedBy::Document => "data types and checklists record it; nothing decides on it",
            EnforcedBy::PolicyOnly => "a policy number that nothing checks yet",
            EnforcedBy::NotYet => "known to the catalog; a later issue implements it",
        }
    }
}

/// One catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The rule's ID.
    pub id: RuleId,
    /// The area it belongs to.
    pub area: RuleArea,
    /// How serious a breach is.
    pub severity: Severity,
    /// Short English title.
    pub title_en: &'static str,
    /// Short Chinese title.
    pub title_zh: &'static str,
    /// The rulebook's sources, by seed number (`[000]` …) or regulation.
    pub source: &'static str,
    /// How the crate upholds it, in the order of [`EnforcedBy::ALL`];
    /// never empty.
    pub enforced_by: &'static [EnforcedBy],
    /// The crate modules that enforce, compute or audit it (`work_order`,
    /// `complaint` …); empty only for a rule that is not implemented yet.
    pub modules: &'static [&'static str],
    /// What a reader should know about how far the crate goes, if
    /// anything.
    pub note: Option<&'static str>,
}

/// A text that is not a known rule ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id `{0}`")]
pub struct UnknownRule(pub String);

macro_rules! rules {
    (@note) => { None };
    (@note $note:literal) => { Some($note) };
    ($($variant:ident $code:literal $area:ident $sev:ident $en:literal $zh:literal $src:literal
        [$($enforced:ident),+] [$($module:ident),*] $(note $note:literal)?;)*) => {
        /// A rulebook rule ID. `Display` and `FromStr` use the rulebook's
        /// spelling (`WO-10`); serde does too.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum RuleId {
            $(
                #[doc = concat!("`", $code, "`: ", $en, " (", $zh, ").")]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        const CATALOG: &[RuleInfo] = &[
            $(RuleInfo {
                id: RuleId::$variant,
                area: RuleArea::$area,
                severity: Severity::$sev,
                title_en: $en,
                title_zh: $zh,
                source: $src,
                enforced_by: &[$(EnforcedBy::$enforced),+],
                modules: &[$(stringify!($module)),*],
                note: rules!(@note $($note)?),
            },)*
        ];

        impl RuleId {
            /// The rulebook spelling, e.g. `"WO-10"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $code,)*
                }
            }
        }

        impl FromStr for RuleId {
            type Err = UnknownRule;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($code => Ok(RuleId::$variant),)*
                    _ => Err(UnknownRule(s.to_owned())),
                }
            }
        }
    };
}

rules! {
    Wo01 "WO-01" WorkOrder Critical "reception records customer, vehicle and each request; contact phone required to authorize" "接车记录客户、车辆信息及每项需求；无联系电话不可授权" "[000] 接车标准步骤; [001] 2" [Guard, Risk, Finding] [work_order, satisfaction];
    Wo02 "WO-02" WorkOrder Major "walk-around inspection with the customer, findings on the order" "客户在场环车检查，结果记录在工单上" "[000]; [001]" [Guard, Finding] [work_order, satisfaction];
    Wo03 "WO-03" WorkOrder Minor "protective covers fitted at reception" "接车时铺设三件套" "[000]" [Guard, Risk] [work_order] note "`WorkOrderPolicy::protective_covers` chooses between refusing the reception and recording a risk";
    Wo04 "WO-04" WorkOrder Advisory "documents checked at reception; a missing one is a recorded risk" "接车检查随车物品与证件，缺失记录为风险" "[000]" [Risk] [work_order] note "the documents are those [000] lists: 收音机密码, 车轮防盗螺栓, 维修记录, 驾照, 随车文件; the rulebook's service record book is [000]'s 维修记录 (service records), and the driving licence is 驾照, not the vehicle registration 行驶证";
    Wo05 "WO-05" WorkOrder Major "road test with the customer before the estimate for faults that show while driving" "行驶中出现的故障须在估价前与客户路试" "[000]; [001] 2.(3)" [Guard] [work_order];
    Wo06 "WO-06" WorkOrder Major "customer signs the diagnosis sheet" "客户在问诊表上签字确认" "[001] 2.(4)" [Guard] [work_order];
    Wo07 "WO-07" WorkOrder Minor "appointment customers served first by the appointed advisor" "预约客户优先，由预约的服务顾问接待" "[000]; [001] 2.(1)" [Guard] [work_order] note "the guard checks that the appointed advisor receives the vehicle; serving appointment customers first is left to the DMS";
    Wo08 "WO-08" WorkOrder Major "bay and parts availability confirmed before the estimate" "估价前确认工位和备件库存" "[001] 3.(1); [000]" [Guard] [work_order];
    Wo09 "WO-09" WorkOrder Major "estimate gives cost and promised delivery time" "估价须同时给出费用和交车时间" "[000]; [001] 3.(2)" [Guard] [work_order];
    Wo10 "WO-10" WorkOrder Critical "customer authorizes the order by signature with all terms; no dispatch before" "客户签字授权委托书（含全部条款），授权前不得派工" "[000]; [001] 3.(3); [004]" [Guard, Finding] [work_order, satisfaction];
    Wo11 "WO-11" WorkOrder Critical "only authorized items are worked; add-ons authorized before work" "只做已授权项目；增项须先授权后施工" "[000]; [001] 4.(4); [004]" [Guard] [work_order];
    Wo12 "WO-12" WorkOrder Minor "add-ons found together are presented together" "同一次检查发现的增项一次性与客户沟通" "[001]" [Guard, Finding] [work_order, audit] note "a batch names its inspection (who found the items and when); a second batch from an inspection an earlier batch presented is refused, and is a finding in an imported log; a batch stored without its inspection counts as one of its own";
    Wo13 "WO-13" WorkOrder Major "declined items recorded, never worked, mentioned at delivery" "客户拒绝的项目须记录、不施工、交车时说明" "[000]; [004]" [Guard, Risk] [work_order];
    Wo14 "WO-14" WorkOrder Major "every operation signed off; QC only when all authorized items are done" "每项作业由技师签字完成；全部完成后方可质检" "[000]" [Guard] [work_order];
    Wo15 "WO-15" WorkOrder Minor "progress checked three times" "作业进度跟踪三个时间段" "[001]" [Guard, DueCheck, Finding] [work_order, audit];
    Wo16 "WO-16" WorkOrder Major "customer told of a delay before the promised time" "不能按时交车须提前告知客户新时间" "[000]; [004]" [Guard, Risk, DueCheck, Finding] [work_order, satisfaction, audit];
    Wo17 "WO-17" WorkOrder Major "technician self-check, then QC final check; a failure is counted rework" "技师自检后质检员总检；不合格返工并计数" "[000]; [001] 5.(1)" [Guard, Calculation] [work_order] note "[000] has five steps, the rulebook four: 检查维修工单, 车辆试车, 确认车辆修理完全, 检查工单的填写 and 转交下一环节 (hand on); a passing check records all five and is refused without them, the road test may be not needed unless a fault shows while driving; a failing check records the steps it reached";
    Wo18 "WO-18" WorkOrder Major "problems found but not corrected written on the order" "发现但未纠正的问题写在工单上" "[000]" [Guard, Risk] [work_order];
    Wo19 "WO-19" WorkOrder Major "pre-delivery preparation complete" "交车前准备（清洁、停放、旧件、结算单、服务顾问终检）" "[000]; [001] 5" [Guard] [work_order];
    Wo20 "WO-20" WorkOrder Critical "invoice reconciles with the order; agreed price equals invoice" "发票与工单核对，双方认可价格与发票一致" "[000]" [Guard] [work_order];
    Wo21 "WO-21" WorkOrder Major "delivery explains work, invoice, extras, open problems, old parts, next service, follow-up" "交车说明：作业、费用、增项、未修问题、旧件、下次保养、回访" "[000]; [001] 6; [004]" [Guard, Finding] [work_order, satisfaction];
    Wo22 "WO-22" WorkOrder Minor "payment by the agreed method unless the customer changes it" "按约定方式付款，客户变更除外" "[001]" [Guard] [work_order];
    Wo23 "WO-23" WorkOrder Minor "delivered order due for follow-up; closed when follow-up ends" "交车后回访，回访结束后结案" "[000]; [001] 7" [Guard, DueCheck] [work_order];
    Wo24 "WO-24" WorkOrder Major "rework of the same fault linked to the original order and counted" "返修关联原工单并计数" "[001] 7.(6); [003]" [Calculation, Finding, Document] [work_order, audit];
    Wo25 "WO-25" WorkOrder Advisory "priority: safety over function over comfort" "优先级：安全 > 功能 > 舒适" "[004]" [Calculation] [work_order] note "`WorkOrder::priority` gives the queue order; nothing refuses an order served out of turn";
    Wo26 "WO-26" WorkOrder Advisory "problem categories" "问题分类：机械、电气、内饰舒适、软件智能" "[004]" [Document] [work_order];
    Wo27 "WO-27" WorkOrder Minor "courtesy car handed over with enough fuel, clean and ready to use" "替换车燃油充足、整洁、准备好投入使用" "[000]" [Guard] [work_order] note "[000] asks for enough fuel (燃油充足); a full tank (加满油), as the rulebook's fuelled may be read, is not required";
    Wo28 "WO-28" WorkOrder Critical "cancellation rules by stage" "取消规则：派工前免费；派工后结清并复原；交车后不可取消" "domain expectation" [Guard] [work_order];
    Wo29 "WO-29" WorkOrder Major "per-item authorization status; declined and deferred excluded; all answered before delivery" "逐项授权状态；拒绝和延后项目不计费；交车前全部答复" "[000][004]; repair-shop practice" [Guard, Calculation] [work_order, care];
    Wo30 "WO-30" WorkOrder Major "parts availability per item; a late part moves the promise" "逐项备件状态；缺件顺延交车时间" "[001] 3.(1); repair-shop practice" [Guard, Risk, DueCheck] [work_order];
    Est01 "EST-01" Estimate Critical "exact decimal money, rounded half up at line level" "金额精确到分，行级四舍五入" "domain; invoices" [Guard, Calculation] [money, work_order, complaint];
    Est02 "EST-02" Estimate Major "estimate lines: labour, parts, materials, sublet; discounts; tax" "估价明细：工时、配件、材料、外包；折扣；税" "[000]; [004]" [Guard, Calculation] [work_order];
    Est03 "EST-03" Estimate Minor "part origin stated; aftermarket on a warranty vehicle flagged" "注明配件来源；保修期内车辆用副厂件须提示" "[004]" [Risk, Calculation, Document] [work_order, policy, regulation] note "an aftermarket part on a vehicle under warranty is recorded as a risk; each part line's warranty months by origin (`PartWarrantyMonths`) run from the delivery date to the same day of the last month, are stated at delivery and on the settlement list, and a comeback of the fault inside a fitted part's warranty says so";
    Est04 "EST-04" Estimate Major "repair options presented with price ranges; the customer chooses" "多种维修方案附价格区间，由客户选择" "[003]; [004]" [Guard, Document] [work_order];
    Est05 "EST-05" Estimate Critical "authorized amount = authorized items; add-ons within the price limit" "授权金额为授权项目之和；增项不超过限价" "[000]" [Guard, Calculation] [work_order];
    Est06 "EST-06" Estimate Critical "settlement within the authorized amount plus tolerance" "结算不得超过授权金额（含容差）" "[000]; [004]" [Guard, Calculation] [work_order, policy];
    Est07 "EST-07" Estimate Critical "every authorization recorded: who, when, how, items, amount" "每次授权记录授权人、时间、方式、项目、金额" "[004]" [Guard, Document] [work_order];
    Est08 "EST-08" Estimate Major "discounts and compensation within the grantor's authority" "折扣与补偿不得超出授予人权限" "[004]; [001]" [Guard, Calculation] [work_order, complaint, policy];
    Est09 "EST-09" Estimate Minor "labour from standard hours; promise from hours and availability" "按标准工时估算；交车时间依工时与工位" "[000]" [Guard] [work_order];
    Cmp01 "CMP-01" Complaint Major "every concern classified; ask back when information is missing; acknowledge receipt" "客户关注分类；信息不全时回询；确认收到" "[000]" [Guard, Calculation] [complaint];
    Cmp02 "CMP-02" Complaint Minor "a complaint has a nature: general, serious (at least L3), PR crisis (L4), malicious" "投诉性质：一般、严重（至少三级）、公关危机（四级）、恶意" "[001][004]" [Calculation, Document] [complaint] note "[001] names 严重投诉或公关危机 as one nature; [004] grades possible media attention L4, so a PR crisis floors at L4 and a serious complaint at L3; a stored `serious_or_crisis` loads as serious";
    Cmp03 "CMP-03" Complaint Minor "a complaint has one or more demands" "客户投诉诉求" "[001]" [Guard, Document] [complaint] note "a receipt without a demand is refused under CMP-17";
    Cmp04 "CMP-04" Complaint Major "four-level grading with handler and response deadline" "投诉四级分级：处理权限与响应时限" "[004]" [DueCheck, Calculation, Finding] [complaint, audit];
    Cmp05 "CMP-05" Complaint Major "judged justified or not; forwarded within 30 minutes, result within 48 hours" "判断投诉是否成立；30分钟内转交，48小时内反馈结果" "[002]" [Guard, DueCheck, Finding] [complaint, audit];
    Cmp06 "CMP-06" Complaint Major "a solution proposed within the level's hours when not solved on the spot" "未能当场解决的，按投诉等级时限给出解决方案" "[002][004]" [Guard, DueCheck, Finding] [complaint, audit] note "the rulebook's 24 hours at every level is [002]'s figure, kept by its preset; the default gives each level [004]'s response time (L1 24 h, L2 48 h, L3 72 h, L4 24 h); [000]'s 24-hour reply answers a follow-up problem";
    Cmp07 "CMP-07" Complaint Major "from a follow-up call, a grievance goes on the grievance contact form (form 5), a complaint on the urgent complaint contact form (form 6)" "回访中的抱怨录入抱怨客户联系处理表（表5），投诉填写紧急投诉应对联络表（表6）" "[002]" [Calculation] [complaint, follow_up];
    Cmp08 "CMP-08" Complaint Critical "closed loop: no closing without confirmed satisfaction or a management decision" "投诉闭环：未确认满意或无管理层决定不得关闭" "[004]" [Guard] [complaint];
    Cmp09 "CMP-09" Complaint Major "a missed deadline, excess remedy or rejected solution hands the complaint to the next handler; repeats start a level higher" "超时、超权限或客户拒绝方案时移交上一级处理人；重复投诉升一级" "[002][004]" [Guard, DueCheck, Calculation, Finding] [complaint, audit] note "the rulebook says the complaint goes to the next level; [004] keeps L4 for media attention, personal safety and legal risk, so an escalation moves the handler (front line, supervisor, department manager, senior management) and starts its response clock, and the level changes only through grading facts";
    Cmp10 "CMP-10" Complaint Minor "second follow-up 7-15 days after resolution" "处理后7至15天二次回访" "[002][004]" [Guard, DueCheck, Finding] [complaint, follow_up, audit] note "where a major repair's FU-03 second call falls due for the same customer and order, `FollowUpPlan::link_complaint` makes them one call that counts for both";
    Cmp11 "CMP-11" Complaint Minor "the customer's emotional state is recorded" "记录客户情绪" "[000]" [Document] [complaint] note "triage asks the customer back when the emotion is missing, under CMP-01";
    Cmp12 "CMP-12" Complaint Major "important customers are handled by a department manager in person" "重要客户由部门经理亲自负责" "[003]" [Calculation] [complaint, customer, follow_up] note "[003] says 部门主管或经理 (department supervisor or manager): the follow-up caller `follow_up.important_customer_caller` may be a supervisor; default the department manager";
    Cmp13 "CMP-13" Complaint Advisory "third-party involvement when judgement is disputed, talks stall or a legal dispute looms" "专业第三方介入时机" "[004]" [Calculation] [complaint];
    Cmp14 "CMP-14" Complaint Minor "forbidden phrases: the call script's must-not-say lines and the ten sentences of grievance handling" "禁用语：回访话术“不可以说”与处理抱怨十句禁言" "[002]" [Finding] [complaint] note "`ForbiddenPhrases::check` finds the phrases in a text the caller passes and each hit names its list; no command runs it";
    Cmp15 "CMP-15" Complaint Advisory "monthly complaint statistics: levels at receipt and at close, escalations apart" "投诉月度统计：受理与结案等级分计，升级另计" "[002][004]" [Report] [complaint];
    Cmp16 "CMP-16" Complaint Major "deadlines in calendar or business hours, paused while waiting on the customer" "时限按自然时或营业时计，等待客户时暂停" "beyond the seeds" [DueCheck, Calculation] [complaint];
    Cmp17 "CMP-17" Complaint Major "receipt records ID, remedy and channel; safety assessed first" "受理记录编号、诉求与渠道；安全问题优先评估" "beyond the seeds (ISO 10002)" [Guard, Calculation] [complaint];
    Fu01 "FU-01" FollowUp Major "after-sales follow-up window after delivery" "交车后回访时间窗" "[000][002][003][004]" [Guard, DueCheck, Calculation, Finding] [follow_up, work_order, audit] note "after a repair this call is also CARE-02's repair call, one contact; each preset's window is its source's own";
    Fu02 "FU-02" FollowUp Minor "sales follow-up 7-10 days and new-car care 3-4 weeks after a new-car delivery" "新车交付后7至10天销售回访，3至4周新车关怀" "[002]; [003]" [Guard, Calculation] [follow_up];
    Fu03 "FU-03" FollowUp Minor "second follow-up 7-15 days after a major repair or a handled complaint" "大修及投诉处理后7至15天二次回访" "[004]; [002]" [Guard, Calculation] [follow_up] note "one call with the complaint's CMP-10 second follow-up where both windows overlap (`FollowUpPlan::link_complaint`)";
    Fu04 "FU-04" FollowUp Major "who calls: the advisor in person, or the manager or advisor for dissatisfied customers" "服务顾问亲自回访的客户；不满意客户由服务经理或服务顾问回访" "[001]; [000]" [Calculation] [follow_up] note "the plan names the caller; a call recorded by someone else is not refused; an important customer's caller (CUS-09) outranks these";
    Fu05 "FU-05" FollowUp Minor "calling hours; the customer's preferred time overrides" "回访与预约电话时段；以客户方便时间为准" "[001]; [004]" [Calculation] [follow_up] note "calling hours are guidance (call slots, the day's queue), not a guard; the [004] preset ends the afternoon at 17:00, before the evening rush it names (避开早晚高峰)";
    Fu06 "FU-06" FollowUp Minor "attempt outcomes and their records" "回访结果及相应记录（未成功回访、客户信息错误）" "[002]" [Guard, Document] [follow_up];
    Fu07 "FU-07" FollowUp Minor "SMS asking a 1-10 score after 4 unsuccessful attempts, never to invalid numbers" "4次以上未成功回访改为短信回访（1至10分），无效号码除外" "[002]" [Guard, DueCheck] [follow_up, satisfaction] note "any reply is kept as the customer wrote it (表13 records the reply content) and a score is read only where the reply holds one; the SMS record keeps 表13's reason type and send status; the template of [002] is policy text (`FollowUpPolicy::sms_template`)";
    Fu08 "FU-08" FollowUp Major "routing of a successful call: archive, the grievance contact form (form 5), the urgent complaint contact form (form 6)" "回访后处理：存档、抱怨客户联系处理表（表5）、紧急投诉应对联络表（表6）" "[002]" [Calculation] [follow_up];
    Fu09 "FU-09" FollowUp Advisory "follow-up ratio per dealer" "确定回访比例" "[001]" [Calculation] [follow_up];
    Fu10 "FU-10" FollowUp Minor "customer data reach CR within 2-3 days of a service delivery, 2-5 days of a new-car delivery" "客户资料于维修交车后2至3天、新车交付后2至5天内交客服" "[002]" [Calculation] [follow_up] note "the plan gives the hand-over its window; nothing checks that it was met";
    Fu11 "FU-11" FollowUp Advisory "after-sales and sales questionnaires Q1-Q11" "售后与销售回访问卷Q1至Q11" "[002]" [Guard, Finding, Document] [follow_up, satisfaction] note "the sales form has no overall question and [002] does not say which score table 7 bands: `SatisfactionPolicy::sales_score` takes the mean of Q1, Q2, Q7 rounded half up (default), the lowest, or one named question";
    Fu12 "FU-12" FollowUp Major "a no on a process question is a finding against the advisor" "流程问题答“否”即记为服务顾问的流程缺失，总体评分再高亦然" "[002]; [000]" [Finding] [follow_up, satisfaction, audit];
    Sat01 "SAT-01" Satisfaction Minor "score bands: fully satisfied, basically satisfied, dissatisfied" "满意度分档：完全满意、基本满意、不满意" "[002]" [Calculation] [satisfaction, follow_up];
    Sat02 "SAT-02" Satisfaction Advisory "success and unsuccessful call rates per advisor, team and sales consultant" "服务顾问、维修班组、销售顾问回访成功率与未成功率" "[002]" [Report] [satisfaction] note "表7 of [002] has no 其他 (other) column and neither table a 无人接听 (no answer) column, though both count no answer in 回访未成功数: the sheet prints the paper form's columns first, in its order, then these, the score sources and the NPS, marked as additions";
    Sat03 "SAT-03" Satisfaction Advisory "band rates over successful calls; a zero denominator shows n/a" "满意率以回访成功数为分母；分母为零显示“不适用 / n/a”" "[002]" [Report] [satisfaction];
    Sat04 "SAT-04" Satisfaction Advisory "totals row over all advisors and teams of the period" "合计行" "[002]" [Report] [satisfaction];
    Sat05 "SAT-05" Satisfaction Advisory "five-level survey scale" "五级满意度量表" "[003]" [Report] [satisfaction] note "labels as [003] lists them: 完全不满意, 不满意, 尚可, 满意, 完全满意";
    Sat06 "SAT-06" Satisfaction Advisory "expectations and the zone of tolerance" "客户期望与容忍区间" "[001]" [Calculation] [satisfaction];
    Sat07 "SAT-07" Satisfaction Advisory "net promoter score" "净推荐值" "beyond the seeds" [Report] [satisfaction];
    Sat08 "SAT-08" Satisfaction Advisory "hygiene factors and satisfiers" "保健因子与满意因子" "[003]" [Report] [satisfaction];
    Sat09 "SAT-09" Satisfaction Minor "advisor workload: more than 12 vehicles received a day puts satisfaction at risk" "服务顾问日接车超过12台影响满意度" "[003]" [Calculation, Report, Finding] [satisfaction, audit];
    Sat10 "SAT-10" Satisfaction Advisory "composite service index on 1,000 points" "千分制综合服务指数" "beyond the seeds" [Calculation] [satisfaction];
    Cus01 "CUS-01" Customer Minor "one vehicle, one file, filed by month" "一车一档，按月归档" "[002]" [Guard, Document] [customer] note "one file per vehicle, keyed by the VIN; filing by month is left to the DMS";
    Cus02 "CUS-02" Customer Advisory "the A-card's blocks: basic, contact, vehicle, personal" "A卡客户信息：基本、联系、车辆、个人信息" "[002]" [Document] [customer];
    Cus03 "CUS-03" Customer Advisory "the C-card's blocks and its service block" "C卡客户信息及服务信息" "[002]" [Guard, Document] [customer];
    Cus04 "CUS-04" Customer Minor "an A-card customer moves to the C-card after the first maintenance here; nothing is lost" "A卡客户来店首次保养后转入C卡，信息完整保留" "[002]" [Guard, Calculation] [customer];
    Cus05 "CUS-05" Customer Minor "C-card counters are derived from the visit history, never set by hand" "C卡来店次数等由来店记录推算，不手工填写" "[002]" [Guard, Calculation] [customer];
    Cus06 "CUS-06" Customer Minor "weekly audit of 10 sales and 10 service files" "每周检核销售、服务客户档案各10份" "[002]" [Calculation, Finding] [customer];
    Cus07 "CUS-07" Customer Advisory "segmentation by attributes and recency, frequency, monetary value" "客户细分：外部属性、内部属性与消费行为" "[003]" [Calculation] [customer];
    Cus08 "CUS-08" Customer Advisory "membership tiers with upgrade rules; VIP by spend, vehicles or influence" "会员等级与升级规则；VIP客户识别" "[004]" [Calculation] [customer];
    Cus09 "CUS-09" Customer Major "important customers: repeated reworks, a loss caused by the dealer, a major complaint, influence" "重要客户：多次返修、因我方造成损失、重大投诉、有影响力" "[003]" [Calculation] [customer, work_order, follow_up] note "the follow-up plan routes an important customer's calls to `follow_up.important_customer_caller` in person (部门主管或经理亲自回访, [003])";
    Cus10 "CUS-10" Customer Advisory "communication style may be recorded" "可记录客户交际风格" "[001]" [Document] [customer];
    Cus11 "CUS-11" Customer Minor "long time no visit: contact the customer after the threshold" "久未回厂客户联系" "[003]" [Calculation] [customer, care];
    Cus12 "CUS-12" Customer Advisory "A-card and C-card analysis tables" "A卡、C卡分析表" "[002]" [Report] [customer];
    Care01 "CARE-01" Care Minor "new-car care 3-4 weeks after delivery" "新车关怀：交车后3至4周" "[003]" [Calculation, Finding] [care, follow_up, satisfaction];
    Care02 "CARE-02" Care Minor "repair follow-up agreed at repair time, called within 3 days" "维修回访：维修时约定方式与时间，3天内回访" "[003]" [Calculation] [care, follow_up] note "one contact with FU-01: a repair whose follow-up plan has the after-sales call gets no second call from the care calendar; that call carries the agreed way and time, in the FU-01 window (days 1-3 under the [003] preset)";
    Care03 "CARE-03" Care Advisory "birthday and holiday letters without a sales pitch" "生日关怀函、节日祝贺函，不含推销" "[003]" [Calculation, Finding] [care];
    Care04 "CARE-04" Care Minor "maintenance notice: letter 2 weeks or call 1 week before due" "定期保养通知：提前2周寄函或提前1周电话" "[003]" [Calculation] [care, maintenance];
    Care05 "CARE-05" Care Advisory "seasonal campaigns" "季节性关怀活动" "[003]" [Calculation] [care];
    Care06 "CARE-06" Care Advisory "owner meetings: 10-15 participants, at most 2 hours" "车主交流会：10至15人，不超过2小时" "[003]" [Finding] [care] note "`CarePolicy::check_owner_meeting` checks a planned or held meeting; the calendar does not schedule meetings";
    Care07 "CARE-07" Care Minor "care contacts use the customer's preferred channel and time" "关怀联系采用客户偏好的方式与时间" "[002]" [Calculation] [care, follow_up];
    Mnt01 "MNT-01" Maintenance Minor "next maintenance at the first of mileage or time" "下次保养：里程与时间先到为准" "[004]; [002]" [Calculation] [maintenance];
    Mnt02 "MNT-02" Maintenance Advisory "default maintenance intervals" "默认保养周期" "[004]" [Calculation] [maintenance];
    Mnt03 "MNT-03" Maintenance Advisory "maintenance work types" "维护保养作业类型：清洁、检查、紧固、调整、润滑、补给" "[001]" [Document] [maintenance];
    Mnt04 "MNT-04" Maintenance Advisory "electric-vehicle care: battery 20-80%, reduction-gear oil, charging equipment" "新能源汽车保养要点" "[004]" [Calculation] [maintenance];
    Mnt05 "MNT-05" Maintenance Minor "first maintenance interval is brand policy" "首保周期按品牌政策" "[002]; [003]" [Calculation, Finding] [maintenance, satisfaction];
    Mnt06 "MNT-06" Maintenance Minor "reminder urgency by days and km remaining" "保养提醒紧急程度" "beyond the seeds" [Calculation] [maintenance];
    Reg01 "REG-01" Regulation Major "repair quality guarantee period by vehicle kind and repair category" "机动车维修质量保证期" "机动车维修管理规定 Art. 37, 39" [Calculation] [regulation] note "`guarantee_period` gives the period by vehicle kind and repair category, first limit reached wins; `GuaranteePolicy` refuses periods below the statute";
    Reg02 "REG-02" Regulation Major "a repair failing inside its guarantee: free rework; twice failed: another repairer at the shop's cost" "质量保证期内返修；同一故障两次修理仍不合格的另行安排维修" "机动车维修管理规定; 道路运输条例 Art. 44" [Calculation] [regulation] note "`comeback_in_history` decides free rework or another repairer at the shop cost, with the 3-day proof deadline, and links the visit to the earlier order (WO-24)";
    Reg03 "REG-03" Regulation Critical "completion certificate before delivery after level-2 maintenance, assembly or whole-vehicle repair" "二级维护、总成修理、整车修理竣工出厂合格证" "道路运输条例 Arts. 44, 72" [Guard] [work_order, regulation] note "an order classified in a scope that needs it (二级维护, assembly or whole-vehicle repair by default) is not delivered until the inspector's completion certificate is recorded; `RepairRecordsPolicy` cannot drop a statutory scope";
    Reg04 "REG-04" Regulation Major "settlement list: labour and materials, part origin, consent for used parts, old parts returned" "结算清单：工时与材料分列、配件来源、旧件返还" "JT/T 1133-2017" [Guard, Calculation, Document] [work_order, regulation] note "`SettlementList` separates labour and materials with each part's origin, shows consent for used or reconditioned parts as recorded or missing and what happened to the replaced parts; parts consent must be written";
    Reg05 "REG-05" Regulation Major "added or changed work needs the customer's prior consent; unconsented work is not chargeable" "增加或变更维修项目须经客户事先同意" "宁波市机动车维修业管理条例 Arts. 14, 16" [Guard, Calculation] [work_order, regulation] note "`ConsentToOverrun` records fresh consent; without it the settlement list marks the overrun beyond the allowance not chargeable";
    Reg06 "REG-06" Regulation Major "estimate overrun tolerance by jurisdiction" "各地维修估价超额容忍度" "Cal. B&P 9884.9; Fla. Stat. 559.905; 815 ILCS 306; BGB 649" [Guard, Calculation, Document] [policy, work_order, regulation] note "`Policy::with_jurisdiction` sets a jurisdiction's currency, overrun allowance, written-estimate threshold, consent-record contents and notice threshold, and validation refuses a policy more lenient than its law; `Policy::overrun_consent` decides whether fresh consent is needed; the settlement guard applies the allowance under EST-06 unless a recorded overrun consent covers the total";
    Reg07 "REG-07" Regulation Major "三包 validity and repair-warranty periods" "三包有效期与包修期" "SAMR Order 43, Arts. 18, 19" [Calculation] [regulation] note "`entitlements` gives free repair inside the repair warranty (包修期) and the 三包 validity, first limit reached wins";
    Reg08 "REG-08" Regulation Critical "三包 triggers: replacement, refund, loaner" "三包更换、退货与备用车条件" "SAMR Order 43, Arts. 20-24" [Calculation] [regulation] note "`entitlements` gives assembly replacement, replacement or refund and the loaner from day 6, each with the repairs and counts that earned it; an earned entitlement is never lost";
    Reg09 "REG-09" Regulation Major "三包 repair-day counting and the usage deduction" "三包修理时间计算与使用补偿" "SAMR Order 43, Arts. 24, 27, 40" [Calculation] [regulation] note "`repair_days` counts each 24 hours or part as a day after excluded intervals; `usage_deduction` is exact";
    Reg10 "REG-10" Regulation Major "三包 request deadlines and record retention" "三包申请答复期限与记录保存" "SAMR Order 43, Arts. 17, 28" [DueCheck, Calculation] [regulation] note "`request_deadlines` gives the 10 and 20 working-day deadlines; `retain_until` the 6-year record retention";
    Reg11 "REG-11" Regulation Major "regulator complaint clocks: 7 and 45 working days" "市场监管投诉受理与调解期限" "市场监督管理投诉举报处理暂行办法 Arts. 14-21" [DueCheck] [regulation] note "`regulator_clocks` gives the 7-working-day acceptance and 45-working-day mediation clocks on a `WorkingDayCalendar`";
}

impl RuleId {
    /// This rule's catalog entry.
    pub fn info(self) -> &'static RuleInfo {
        // The catalog lists the variants in declaration order.
        CATALOG
            .iter()
            .find(|r| r.id == self)
            .unwrap_or(&UNKNOWN_RULE)
    }
}

// Never returned for a real variant; keeps `info` total without a panic.
const UNKNOWN_RULE: RuleInfo = RuleInfo {
    id: RuleId::Wo01,
    area: RuleArea::WorkOrder,
    severity: Severity::Advisory,
    title_en: "unknown",
    title_zh: "未知",
    source: "",
    enforced_by: &[EnforcedBy::NotYet],
    modules: &[],
    note: None,
};

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule the crate knows, in rulebook order.
pub fn catalog() -> &'static [RuleInfo] {
    CATALOG
}

/// The catalog as Markdown: a legend of the [`EnforcedBy`] kinds with how
/// many rules use each, then one table per [`RuleArea`] (ID, severity,
/// English and Chinese title, source, enforced by, modules), each followed
/// by the notes of its rules. The text depends on nothing but the catalog,
/// so the same crate version always renders the same bytes.
///
/// ```
/// let md = aftersales::catalog_markdown();
/// assert!(md.starts_with("# Rule catalog"));
/// assert!(md.contains("\n| WO-10 | critical 关键 |"));
/// let rows = md.lines().filter(|l| l.starts_with("| CMP-")).count();
/// assert_eq!(rows, 17);
/// ```
pub fn catalog_markdown() -> String {
    let mut out = String::new();
    out.push_str("# Rule catalog · 规则目录\n\n");
    out.push_str(
        "Every rule the `aftersales` crate knows, with its severity, sources, and how and \
         where the crate upholds it. Rendered by `aftersales::catalog_markdown()`; the same \
         data is `aftersales::catalog()`, which serializes to JSON.\n\n",
    );
    out.push_str("## How a rule is upheld · 规则的落实方式\n\n");
    out.push_str("| enforced by | 中文 | meaning | rules |\n|---|---|---|---|\n");
    for kind in EnforcedBy::ALL {
        let rules = CATALOG
            .iter()
            .filter(|r| r.enforced_by.contains(kind))
            .count();
        out.push_str(&format!(
            "| {} | {} | {} | {rules} |\n",
            kind.label_en(),
            kind.label_zh(),
            kind.meaning()
        ));
    }
    for area in RuleArea::ALL {
        let rules: Vec<&RuleInfo> = CATALOG.iter().filter(|r| r.area == *area).collect();
        out.push_str(&format!(
            "\n## {} ({}) · {}\n\n",
            capitalized(area.label_en()),
            area.prefix(),
            area.label_zh()
        ));
        out.push_str(
            "| ID | severity | English | 中文 | source | enforced by | module |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for r in &rules {
            let enforced: Vec<&str> = r.enforced_by.iter().map(|e| e.label_en()).collect();
            let modules: Vec<String> = r.modules.iter().map(|m| format!("`{m}`")).collect();
            out.push_str(&format!(
                "| {} | {} {} | {} | {} | {} | {} | {} |\n",
                r.id,
                r.severity.label_en(),
                r.severity.label_zh(),
                cell(r.title_en),
                cell(r.title_zh),
                cell(r.source),
                enforced.join(", "),
                if modules.is_empty() {
                    "—".to_owned()
                } else {
                    modules.join(", ")
                },
            ));
        }
        let notes: Vec<(RuleId, &str)> = rules
            .iter()
            .filter_map(|r| r.note.map(|n| (r.id, n)))
            .collect();
        if !notes.is_empty() {
            out.push_str("\nNotes:\n\n");
            for (id, note) in notes {
                out.push_str(&format!("- **{id}**: {}.\n", cell(note)));
            }
        }
    }
    out
}

/// A table cell: a `|` would end the cell early.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `"work-order lifecycle"` → `"Work-order lifecycle"`.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One reason behind a decision: the rule that applied and the fact that
/// made it apply, in words.
///
/// Decisions that are more than yes/no (a due check, a settlement limit, a
/// promised time) carry a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reason {
    /// The rule.
    pub rule: RuleId,
    /// The fact, e.g. ``authorized amount `1280.00 CNY` with tolerance 0%``.
    pub fact: String,
}

impl Reason {
    /// A reason.
    pub fn new(rule: RuleId, fact: impl Into<String>) -> Self {
        Reason {
            rule,
            fact: fact.into(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.fact, self.rule)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips_and_is_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for info in catalog() {
            assert_eq!(info.id.as_str().parse::<RuleId>().unwrap(), info.id);
            assert_eq!(info.id.info(), info);
            assert!(seen.insert(info.id.as_str()));
            assert!(!info.title_en.is_empty() && !info.title_zh.is_empty());
        }
        assert_eq!(catalog().len(), 30 + 9 + 17 + 12 + 10 + 12 + 7 + 6 + 11);
    }

    #[test]
    fn enforcement_is_well_formed() {
        const MODULES: [&str; 11] = [
            "audit",
            "regulation",
            "work_order",
            "complaint",
            "follow_up",
            "satisfaction",
            "customer",
            "care",
            "maintenance",
            "policy",
            "money",
        ];
        for info in catalog() {
            let id = info.id;
            assert!(!info.enforced_by.is_empty(), "{id}: no enforcement");
            // In `EnforcedBy::ALL` order, each kind once.
            assert!(
                info.enforced_by.windows(2).all(|w| w[0] < w[1]),
                "{id}: enforcement out of order or repeated"
            );
            let not_yet = info.enforced_by.contains(&EnforcedBy::NotYet);
            assert!(
                !not_yet || info.enforced_by.len() == 1,
                "{id}: NotYet with another kind"
            );
            assert_eq!(info.modules.is_empty(), not_yet, "{id}: modules");
            for m in info.modules {
                assert!(MODULES.contains(m), "{id}: unknown module `{m}`");
            }
            assert!(
                info.modules
                    .iter()
                    .enumerate()
                    .all(|(i, m)| !info.modules[..i].contains(m)),
                "{id}: a module twice"
            );
            if let Some(note) = info.note {
                assert!(
                    !note.is_empty() && !note.ends_with('.'),
                    "{id}: note `{note}`"
                );
            }
        }
    }

    #[test]
    fn areas_follow_the_id_prefix() {
        for info in catalog() {
            let prefix = info.id.as_str().split('-').next().unwrap();
            assert_eq!(prefix, info.area.prefix(), "{}", info.id);
        }
    }

    #[test]
    fn serde_uses_rulebook_spelling() {
        assert_eq!(serde_json::to_string(&RuleId::Est06).unwrap(), "\"EST-06\"");
        assert!("WO-99".parse::<RuleId>().is_err());
    }
}
