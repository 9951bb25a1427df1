//! The customer file as the paper card shows it: 表9 for an A-card, 表10
//! for a C-card, with Chinese and English labels and the derived counters.

use std::fmt::{self, Display, Write as _};

use chrono::NaiveDate;

use super::card::{BasicInfo, ContactInfo, InsuranceInfo, PersonalInfo, SaleInfo, VehicleInfo};
use super::file::{Card, CustomerFile};
use super::flags::{CustomerFlagInputs, MemberTier, customer_flags};
use crate::policy::Policy;
use crate::text::{left, width};

/// Label column width in terminal cells; a longer label keeps two spaces
/// before its value.
const LABEL: usize = 36;

struct Sheet {
    out: String,
}

impl Sheet {
    fn heading(&mut self, zh: &str, en: &str) -> fmt::Result {
        writeln!(self.out, "{zh} {en}")
    }

    /// A line for a value that is known; unknown values are left out.
    fn field<T: Display>(&mut self, zh: &str, en: &str, value: Option<T>) -> fmt::Result {
        match value {
            Some(v) => {
                let label = format!("{zh} {en}");
                let to = LABEL.max(width(&label).saturating_add(2));
                writeln!(self.out, "  {}{v}", left(&label, to))
            }
            None => Ok(()),
        }
    }

    fn yes_no(&mut self, zh: &str, en: &str, value: Option<bool>) -> fmt::Result {
        self.field(zh, en, value.map(|b| if b { "是 yes" } else { "否 no" }))
    }
}

fn words<I, T>(items: I) -> Option<String>
where
    I: IntoIterator<Item = T>,
    T: Labelled,
{
    let text: Vec<String> = items.into_iter().map(|w| w.both()).collect();
    (!text.is_empty()).then(|| text.join(", "))
}

/// Chinese and English words, once when they are the same ("GPS").
fn pair(zh: &str, en: &str) -> String {
    if zh == en {
        zh.to_owned()
    } else {
        format!("{zh} {en}")
    }
}

/// A closed-set value shown in both languages.
trait Labelled {
    fn both(&self) -> String;
}

macro_rules! labelled {
    ($($t:ty),+) => {$(
        impl Labelled for $t {
            fn both(&self) -> String {
                pair(self.label_zh(), self.label_en())
            }
        }
        impl Labelled for &$t {
            fn both(&self) -> String {
                pair(self.label_zh(), self.label_en())
            }
        }
    )+};
}

use super::card::{
    Accessory, CommunicationStyle, DealChannel, Gender, IncomeBand, InformationSource,
    InsuranceChoice, LostSaleReason, Occupation, OrganisationType, PurchaseFactor, PurchaseType,
    VehicleCondition, VisitChannel,
};
use crate::contact::ContactChannel;
use crate::maintenance::Powertrain;

labelled!(
    Accessory,
    MemberTier,
    CommunicationStyle,
    DealChannel,
    Gender,
    IncomeBand,
    InformationSource,
    InsuranceChoice,
    LostSaleReason,
    Occupation,
    OrganisationType,
    PurchaseFactor,
    PurchaseType,
    VehicleCondition,
    VisitChannel,
    ContactChannel,
    Powertrain
);

/// A span of months as the paper card names it: 半年, 一年, 三年 for the
/// default windows, whole years up to ten in words, other spans in months.
pub(crate) fn months_zh(months: u32) -> String {
    const YEARS: [&str; 10] = ["一", "两", "三", "四", "五", "六", "七", "八", "九", "十"];
    if months == 6 {
        return "半年".to_owned();
    }
    let years = months / 12;
    match usize::try_from(years)
        .ok()
        .and_then(|y| y.checked_sub(1))
        .and_then(|i| YEARS.get(i))
    {
        Some(y) if months % 12 == 0 => format!("{y}年"),
        _ => format!("{months}个月"),
    }
}

/// The two numbers (or names) of a 销售/维修 field, "sale / service", with
/// a dash for the one that is not known; `None` when neither is.
fn numbers<A: Display, B: Display>(sale: Option<A>, service: Option<B>) -> Option<String> {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    match (&sale, &service) {
        (None, None) => None,
        _ => Some(format!(
            "{} / {}",
            dash(sale.map(|v| v.to_string())),
            dash(service.map(|v| v.to_string()))
        )),
    }
}

fn both<T: Labelled>(v: Option<T>) -> Option<String> {
    v.map(|v| v.both())
}

impl Sheet {
    fn basic(&mut self, b: &BasicInfo) -> fmt::Result {
        self.heading("基本信息", "Basic")?;
        self.field("姓名", "Name", Some(&b.name))?;
        self.field("性别", "Gender", both(b.gender))?;
        self.field("生日", "Birthday", b.birthday)?;
        self.field("编号", "File number", b.file_number.as_ref())?;
        self.field("民族", "Ethnicity", b.ethnicity.as_ref())?;
        self.field("身份证号", "ID number", b.id_number.as_ref())?;
        self.field("客户类型", "Organisation", both(b.organisation))
    }

    fn contact(&mut self, c: &ContactInfo) -> fmt::Result {
        self.heading("联系信息", "Contact")?;
        self.field("手机", "Mobile", c.mobile.as_ref())?;
        self.field("固定电话", "Landline", c.landline.as_ref())?;
        self.field("城市", "City", c.city.as_ref())?;
        self.field("区域", "Region", c.region.as_ref())?;
        self.field("家庭住址", "Home address", c.home_address.as_ref())?;
        self.field("邮寄地址", "Postal address", c.mail_address.as_ref())?;
        self.field("电子邮件", "E-mail", c.email.as_ref())?;
        self.field("QQ/MSN", "Messenger", c.messenger.as_ref())?;
        self.field("邮编", "Post code", c.post_code.as_ref())?;
        self.field(
            "希望联系方式",
            "Preferred contact",
            both(c.preferred.channel),
        )?;
        let times: Vec<String> = c.preferred.times.iter().map(ToString::to_string).collect();
        self.field(
            "方便联系时段",
            "Convenient time",
            (!times.is_empty()).then(|| times.join(", ")),
        )
    }

    fn vehicle(&mut self, v: &VehicleInfo) -> fmt::Result {
        self.heading("车辆信息", "Vehicle")?;
        self.field("车系", "Series", v.series.as_ref())?;
        self.field("车型", "Model", v.model.as_ref())?;
        self.field("选装", "Options", v.options.as_ref())?;
        self.field("外观颜色", "Exterior colour", v.exterior_colour.as_ref())?;
        self.field("内饰颜色", "Interior colour", v.interior_colour.as_ref())?;
        self.field("车牌号", "Plate", v.plate.as_ref())?;
        self.field("车架号", "VIN", Some(&v.vin))?;
        self.field("SFX", "SFX", v.sfx.as_ref())?;
        self.field("合格证号", "Certificate no.", v.certificate_no.as_ref())?;
        self.field("新旧车", "New or used", both(v.condition))?;
        self.field("动力", "Powertrain", both(v.powertrain))?;
        self.field("交车日期", "Delivered on", v.delivered_on)?;
        self.field("交车里程", "Odometer at delivery", v.delivery_odometer)
    }

    fn insurance(&mut self, i: &InsuranceInfo) -> fmt::Result {
        self.yes_no("是否我店投保", "Insured here", i.insured_here)?;
        self.field("保单号", "Policy no.", i.policy_no.as_ref())?;
        self.field("投保日", "Insured on", i.insured_on)
    }

    fn personal(&mut self, p: &PersonalInfo) -> fmt::Result {
        self.heading("个人信息", "Personal")?;
        self.field("行业", "Industry", p.industry.as_ref())?;
        self.field("职业", "Occupation", both(p.occupation))?;
        self.field("职务", "Position", p.position.as_ref())?;
        self.field("收入(月)", "Monthly income", both(p.income))?;
        self.field("兴趣爱好", "Hobbies", p.hobbies.as_ref())?;
        self.field("性格特点", "Character", p.character.as_ref())?;
        self.field(
            "交际风格",
            "Communication style",
            both(p.communication_style),
        )?;
        self.field("参加社团", "Associations", p.associations.as_ref())?;
        self.yes_no("婚否", "Married", p.married)?;
        self.field("结婚纪念日", "Wedding anniversary", p.wedding_anniversary)?;
        self.field("宗教信仰", "Religion", p.religion.as_ref())?;
        self.field("学历", "Education", p.education.as_ref())?;
        self.field("毕业院校", "School", p.school.as_ref())?;
        self.field("驾证类别", "Licence class", p.licence_class.as_ref())?;
        self.field("年审日期", "Annual inspection", p.annual_inspection)?;
        self.field("驾龄", "Driving years", p.driving_years)
    }

    fn sale(&mut self, s: &SaleInfo) -> fmt::Result {
        self.heading("销售信息", "Sale")?;
        self.field("销售协议号", "Contract no.", s.contract_no.as_ref())?;
        self.field("发票号", "Invoice no.", s.invoice_no.as_ref())?;
        self.field("销售顾问", "Sales consultant", s.consultant.as_ref())?;
        self.field("信息来源", "Information source", both(s.information_source))?;
        self.field("来店渠道", "Visit channel", both(s.visit_channel))?;
        self.field("首、增、换购", "Purchase type", both(s.purchase_type))?;
        self.field("成交类别", "Deal channel", both(s.deal_channel))?;
        self.field("精品与改装", "Accessories", words(&s.accessories))?;
        self.field("购买因素", "Purchase factors", words(&s.purchase_factors))
    }
}

impl CustomerFile {
    /// The file as its card: 表9 for an A-card, 表10 for a C-card, every
    /// known field with Chinese and English labels (unknown fields are
    /// left out), and, on a C-card, the counters derived at `at` (CUS-05)
    /// and the next maintenance when the schedule can tell it. Empty for a
    /// file not yet opened.
    ///
    /// On a C-card, 是否会员, 会员级别 and 是否VIP come from
    /// [`customer_flags`] with no caller inputs (the vehicles bought are
    /// those the card shows); [`render_with`](Self::render_with) passes
    /// what the DMS knows besides.
    pub fn render(&self, at: NaiveDate, policy: &Policy) -> String {
        self.render_with(at, &CustomerFlagInputs::default(), policy)
    }

    /// [`render`](Self::render) with what the caller knows that the file
    /// does not (vehicles bought in all the customer's files, influence),
    /// for the membership and VIP lines of the C-card (CUS-08).
    pub fn render_with(
        &self,
        at: NaiveDate,
        inputs: &CustomerFlagInputs,
        policy: &Policy,
    ) -> String {
        let mut sheet = Sheet { out: String::new() };
        // Writing to a String cannot fail.
        let _ = self.write_card(&mut sheet, at, inputs, policy);
        sheet.out
    }

    fn write_card(
        &self,
        s: &mut Sheet,
        at: NaiveDate,
        inputs: &CustomerFlagInputs,
        policy: &Policy,
    ) -> fmt::Result {
        let Some(card) = self.card() else {
            return Ok(());
        };
        match card {
            Card::A(a) => {
                s.heading("A卡客户信息表", "A-card (sales customer)")?;
                s.field("客户编号", "Customer id", Some(&a.customer))?;
                s.field("建档日期", "Opened on", self.opened_on())?;
                s.basic(&a.basic)?;
                s.contact(&a.contact)?;
                s.vehicle(&a.vehicle)?;
                s.insurance(&a.insurance)?;
                s.personal(&a.personal)?;
                s.sale(&a.sale)?;
                s.field("备注", "Remarks", a.remarks.as_ref())?;
            }
            Card::C(c) => {
                s.heading("C卡客户信息表", "C-card (service customer)")?;
                s.field("客户编号", "Customer id", Some(&c.customer))?;
                s.field("建档日期", "Opened on", self.opened_on())?;
                s.field("转入C卡日期", "Moved to the C-card on", self.moved_on())?;
                s.basic(&c.basic)?;
                s.contact(&c.contact)?;
                s.vehicle(&c.vehicle)?;
                s.heading("服务信息", "Service")?;
                s.yes_no("是否在我店购买", "Bought here", Some(c.service.bought_here))?;
                let counters = self.counters(at, policy);
                s.yes_no(
                    "首保是否来我店",
                    "First maintenance here",
                    Some(counters.first_maintenance_here),
                )?;
                s.yes_no("是否有投诉", "Any complaint", Some(self.has_complaint(at)))?;
                let sale = c.sale.as_ref();
                s.field(
                    "销售/维修单号",
                    "Sale / order no.",
                    numbers(
                        sale.and_then(|s| s.contract_no.as_ref()),
                        counters.last_order.as_ref(),
                    ),
                )?;
                s.field(
                    "销售/服务顾问",
                    "Consultant / advisor",
                    numbers(
                        sale.and_then(|s| s.consultant.as_ref()),
                        c.service.advisor.as_ref(),
                    ),
                )?;
                match customer_flags(self, at, inputs, policy) {
                    Ok(flags) => {
                        let tier = flags.member.tier();
                        s.yes_no("是否会员", "Member", Some(tier.is_some()))?;
                        s.field("会员级别", "Membership tier", tier.map(|t| t.both()))?;
                        s.yes_no("是否VIP", "VIP", Some(flags.is_vip()))?;
                    }
                    Err(e) => s.field(
                        "是否会员/会员级别/是否VIP",
                        "Membership and VIP",
                        Some(format_args!("无法判定 cannot be worked out: {e}")),
                    )?,
                }
                s.field(
                    "信息来源",
                    "Information source",
                    both(c.service.information_source),
                )?;
                s.yes_no(
                    "是否转介绍",
                    "Referred someone",
                    Some(c.service.referred_someone),
                )?;
                s.yes_no("是否被转介绍", "Was referred", Some(c.service.was_referred))?;
                s.yes_no(
                    "是否重复购买",
                    "Repeat purchase",
                    Some(c.service.repeat_purchase),
                )?;
                s.field("战败分析", "Lost sale", both(c.service.lost_sale))?;
                s.insurance(&c.insurance)?;
                s.heading(
                    &format!("来店统计（截至{at}）"),
                    &format!("Visits as of {at}"),
                )?;
                s.field("第一次来店日期", "First visit", counters.first_visit)?;
                s.field("第二次来店日期", "Second visit", counters.second_visit)?;
                s.field("最近来店日期", "Last visit", counters.last_visit)?;
                let w = policy.customer().windows;
                for (months, visits) in [
                    (w.short_months, counters.visits_short),
                    (w.medium_months, counters.visits_medium),
                    (w.long_months, counters.visits_long),
                ] {
                    s.field(
                        &format!("{}内来店次数", months_zh(months)),
                        &format!("Visits, last {months} months"),
                        Some(visits),
                    )?;
                }
                s.field("行驶里程", "Mileage", counters.mileage)?;
                if let Ok(Some(next)) = self.next_maintenance(at, policy) {
                    s.field("下次保养时间", "Next maintenance", Some(next.date))?;
                    s.field("下次保养里程", "Next maintenance km", next.km)?;
                }
                if c.personal != PersonalInfo::default() {
                    s.personal(&c.personal)?;
                }
                if let Some(sale) = &c.sale {
                    s.sale(sale)?;
                }
                s.field("备注", "Remarks", c.remarks.as_ref())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::months_zh;

    #[test]
    fn spans_of_months_read_as_the_card_writes_them() {
        assert_eq!(months_zh(6), "半年");
        assert_eq!(months_zh(12), "一年");
        assert_eq!(months_zh(24), "两年");
        assert_eq!(months_zh(36), "三年");
        assert_eq!(months_zh(120), "十年");
        // Not whole years, or past ten years: in months.
        assert_eq!(months_zh(18), "18个月");
        assert_eq!(months_zh(9), "9个月");
        assert_eq!(months_zh(132), "132个月");
        assert_eq!(months_zh(1), "1个月");
    }
}
