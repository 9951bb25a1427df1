//! The A-card (sales customer, 表9) and the C-card (service customer,
//! 表10) of \[002\], block by block (CUS-01 … CUS-03), and the closed sets
//! the analysis tables 表11 and 表12 count by (CUS-12).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::contact::PreferredContact;
use crate::ids::{CustomerId, PersonName, PhoneNumber, Plate, StaffId, Vin};
use crate::maintenance::Powertrain;
use crate::units::Km;

/// Free text on a card: trimmed, never empty, at most
/// [`CardText::MAX_CHARS`] characters. A field with nothing in it is
/// `None`, not an empty string.
///
/// ```
/// use aftersales::CardText;
///
/// let city: CardText = "  六安市 ".parse()?;
/// assert_eq!(city.as_str(), "六安市");
/// assert!(" ".parse::<CardText>().is_err());
/// # Ok::<(), aftersales::CardError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardText(String);

impl CardText {
    /// The longest text a field holds, in characters.
    pub const MAX_CHARS: usize = 500;

    /// Trims and checks `text`.
    ///
    /// # Errors
    ///
    /// [`CardError::EmptyText`] for nothing but whitespace;
    /// [`CardError::TextTooLong`] above [`CardText::MAX_CHARS`].
    pub fn try_new(text: impl AsRef<str>) -> Result<CardText, CardError> {
        let t = text.as_ref().trim();
        if t.is_empty() {
            return Err(CardError::EmptyText);
        }
        let chars = t.chars().count();
        if chars > CardText::MAX_CHARS {
            return Err(CardError::TextTooLong { chars });
        }
        Ok(CardText(t.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CardText {
    type Err = CardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardText::try_new(s)
    }
}

impl TryFrom<String> for CardText {
    type Error = CardError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CardText::try_new(s)
    }
}

impl From<CardText> for String {
    fn from(t: CardText) -> String {
        t.0
    }
}

impl fmt::Display for CardText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a card or a field of it is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// A text field with nothing but whitespace; leave it out instead.
    #[error("card text is empty; leave the field out instead (CUS-02)")]
    EmptyText,
    /// A text field that is too long.
    #[error("card text has {chars} characters, more than 500 (CUS-02)")]
    TextTooLong {
        /// Its length.
        chars: usize,
    },
}

words! {
    /// Gender (性别), as 表11 counts it.
    Gender {
        /// Male (男).
        Male => "male", "男";
        /// Female (女).
        Female => "female", "女";
    }
}

words! {
    /// Who the customer is (CUS-07, external attributes): a private person,
    /// a company or a government body.
    OrganisationType {
        /// A private person (个人).
        Private => "private", "个人";
        /// A company (公司).
        Company => "company", "公司";
        /// A government body or public institution (政府机关).
        Government => "government", "政府机关";
    }
}

words! {
    /// Monthly income band of 表11 (收入(月), CNY).
    IncomeBand {
        /// Up to 1,999 (1999以下).
        Below2000 => "below 2,000", "1999以下";
        /// 2,000–3,999 (2000-3999).
        From2000To3999 => "2,000-3,999", "2000-3999";
        /// 4,000–5,999 (4000-5999).
        From4000To5999 => "4,000-5,999", "4000-5999";
        /// 6,000 and more (6000以上).
        From6000 => "6,000 and more", "6000以上";
    }
}

words! {
    /// Age band of 表11 (年龄), from the birthday at a date.
    AgeBand {
        /// 25 and under (25以下).
        UpTo25 => "25 and under", "25以下";
        /// 26–35 (26-35).
        From26To35 => "26-35", "26-35";
        /// 36–45 (36-45).
        From36To45 => "36-45", "36-45";
        /// Over 45 (45以上).
        Over45 => "over 45", "45以上";
    }
}

impl AgeBand {
    /// The band of someone born on `birthday`, on `at`; `None` when `at` is
    /// before the birthday.
    ///
    /// ```
    /// use aftersales::AgeBand;
    /// use chrono::NaiveDate;
    ///
    /// let born = NaiveDate::from_ymd_opt(2000, 12, 1).unwrap();
    /// let day_before = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    /// assert_eq!(AgeBand::of(born, day_before), Some(AgeBand::UpTo25)); // still 25
    /// let birthday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    /// assert_eq!(AgeBand::of(born, birthday), Some(AgeBand::From26To35));
    /// ```
    pub fn of(birthday: NaiveDate, at: NaiveDate) -> Option<AgeBand> {
        let age = at.years_since(birthday)?;
        Some(match age {
            0..=25 => AgeBand::UpTo25,
            26..=35 => AgeBand::From26To35,
            36..=45 => AgeBand::From36To45,
            _ => AgeBand::Over45,
        })
    }
}

words! {
    /// Occupation group of 表11 (职业).
    Occupation {
        /// Government or public institution (政府事业).
        PublicSector => "public sector", "政府事业";
        /// White-collar employee (白领职员).
        WhiteCollar => "white-collar employee", "白领职员";
        /// Self-employed or business owner (个体老板).
        BusinessOwner => "self-employed or business owner", "个体老板";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// Where the customer heard of the dealer (表11 信息来源).
    InformationSource {
        /// Friends and relatives (亲友).
        FriendsAndFamily => "friends and family", "亲友";
        /// The media (媒体).
        Media => "media", "媒体";
        /// Walked in (来店).
        WalkIn => "walk-in", "来店";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// The advertising channel that brought the customer in (表11 来店渠道).
    VisitChannel {
        /// Mainstream media: television, radio, websites (主流).
        Mainstream => "mainstream media", "主流";
        /// Print (平面).
        Print => "print", "平面";
        /// Outdoor advertising (户外).
        Outdoor => "outdoor", "户外";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// First, additional or replacement purchase (表12 首、增、换购).
    PurchaseType {
        /// The customer's first car (首购).
        First => "first purchase", "首购";
        /// A car in addition to one they keep (增购).
        Additional => "additional purchase", "增购";
        /// A car replacing one they had (换购).
        Replacement => "replacement purchase", "换购";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// How the sale was closed (表12 成交类别).
    DealChannel {
        /// In the showroom (展厅成交).
        Showroom => "showroom", "展厅成交";
        /// Through a referral (转介绍).
        Referral => "referral", "转介绍";
        /// At an exhibition off site (外展成交).
        OffSiteShow => "off-site show", "外展成交";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// Accessories and conversions bought with the car (表12 精品与改装).
    Accessory {
        /// Window film (车膜).
        WindowFilm => "window film", "车膜";
        /// Navigation (GPS).
        Gps => "GPS", "GPS";
        /// Underbody rust-proofing (底盘防锈).
        UnderbodyRustproofing => "underbody rust-proofing", "底盘防锈";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// Why the customer bought (表12 购买因素).
    PurchaseFactor {
        /// Price (价格).
        Price => "price", "价格";
        /// The brand (品牌).
        Brand => "brand", "品牌";
        /// Service (服务).
        Service => "service", "服务";
        /// Anything else (其他).
        Other => "other", "其他";
    }
}

words! {
    /// Why a sale was lost to another dealer (表12 战败分析): kept on the
    /// C-card of a service customer who bought elsewhere.
    LostSaleReason {
        /// Price (价格).
        Price => "price", "价格";
        /// Service (服务).
        Service => "service", "服务";
        /// The product (产品).
        Product => "product", "产品";
    }
}

words! {
    /// New or used vehicle (表12 新旧车).
    VehicleCondition {
        /// Bought new (新车).
        New => "new", "新车";
        /// Bought used (二手车).
        Used => "used", "二手车";
    }
}

words! {
    /// Where the vehicle is insured, as the C-card analysis table (表12
    /// 保险) counts it; the cards themselves hold a yes/no
    /// ([`InsuranceInfo::insured_here`]).
    InsuranceChoice {
        /// Insured through this dealer (自选).
        WithDealer => "with the dealer", "自选";
        /// Insured elsewhere (外保).
        Elsewhere => "elsewhere", "外保";
    }
}

impl InsuranceChoice {
    /// The analysis column of a card's 是否我店投保: yes is 自选, no is
    /// 外保, unknown is neither.
    pub fn of(insured_here: Option<bool>) -> Option<InsuranceChoice> {
        insured_here.map(|here| {
            if here {
                InsuranceChoice::WithDealer
            } else {
                InsuranceChoice::Elsewhere
            }
        })
    }
}

words! {
    /// The customer's communication style (CUS-10, 交际风格), to adapt how
    /// the advisor talks with them. The four styles and their colours are
    /// those of \[001\]: 分析型(蓝色), 权威型(红色), 合作型(绿色),
    /// 表现型(黄色).
    ///
    /// Files stored before the styles took \[001\]'s names still load:
    /// `driver` reads as [`Authoritative`](Self::Authoritative) and
    /// `amiable` as [`Cooperative`](Self::Cooperative).
    CommunicationStyle {
        /// Analytical, "blue": facts, detail, time to decide (分析型).
        Analytical => "analytical (blue)", "分析型（蓝）";
        /// Authoritative, "red": results, brevity, control (权威型).
        #[serde(alias = "driver")]
        Authoritative => "authoritative (red)", "权威型（红）";
        /// Cooperative, "green": relationship, reassurance (合作型).
        #[serde(alias = "amiable")]
        Cooperative => "cooperative (green)", "合作型（绿）";
        /// Expressive, "yellow": enthusiasm, recognition (表现型).
        Expressive => "expressive (yellow)", "表现型（黄）";
    }
}

/// 基本信息: the basic block of both cards.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicInfo {
    /// The customer's name (姓名).
    pub name: PersonName,
    /// Gender (性别).
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Date of birth (生日).
    #[serde(default)]
    pub birthday: Option<NaiveDate>,
    /// The file number on the paper card (编号).
    #[serde(default)]
    pub file_number: Option<CardText>,
    /// Ethnicity (民族).
    #[serde(default)]
    pub ethnicity: Option<CardText>,
    /// Identity document number (身份证号).
    #[serde(default)]
    pub id_number: Option<CardText>,
    /// Private person, company or government (CUS-07).
    #[serde(default)]
    pub organisation: Option<OrganisationType>,
}

impl BasicInfo {
    /// A block with only the name.
    pub fn new(name: PersonName) -> Self {
        BasicInfo {
            name,
            gender: None,
            birthday: None,
            file_number: None,
            ethnicity: None,
            id_number: None,
            organisation: None,
        }
    }
}

/// 联系信息: the contact block of both cards, with the preferred contact
/// method and the convenient contact time (CUS-02).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContactInfo {
    /// Mobile phone (手机).
    pub mobile: Option<PhoneNumber>,
    /// Landline (固定电话).
    pub landline: Option<PhoneNumber>,
    /// City (城市).
    pub city: Option<CardText>,
    /// Region or district the customer lives in (居住区域, 表11 购车区域), as
    /// the dealer names its regions.
    pub region: Option<CardText>,
    /// Home address (家庭住址).
    pub home_address: Option<CardText>,
    /// Postal address (邮寄地址).
    pub mail_address: Option<CardText>,
    /// E-mail (电子邮件).
    pub email: Option<CardText>,
    /// Messenger account (QQ/MSN, today WeChat).
    pub messenger: Option<CardText>,
    /// Post code (邮编).
    pub post_code: Option<CardText>,
    /// Preferred contact method and convenient contact time (希望联系方式,
    /// 方便联系时段).
    pub preferred: PreferredContact,
}

/// 车辆信息: the vehicle block of both cards. The VIN is required: one
/// vehicle, one file (CUS-01).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleInfo {
    /// VIN (车架号).
    pub vin: Vin,
    /// Series (车系).
    #[serde(default)]
    pub series: Option<CardText>,
    /// Model (车型), as 表11 and 表12 count it.
    #[serde(default)]
    pub model: Option<CardText>,
    /// Options (选装).
    #[serde(default)]
    pub options: Option<CardText>,
    /// Exterior colour (外观颜色).
    #[serde(default)]
    pub exterior_colour: Option<CardText>,
    /// Interior colour (内饰颜色).
    #[serde(default)]
    pub interior_colour: Option<CardText>,
    /// Plate (车牌号).
    #[serde(default)]
    pub plate: Option<Plate>,
    /// The manufacturer's SFX code.
    #[serde(default)]
    pub sfx: Option<CardText>,
    /// Certificate of conformity number (合格证号).
    #[serde(default)]
    pub certificate_no: Option<CardText>,
    /// New or used (表12).
    #[serde(default)]
    pub condition: Option<VehicleCondition>,
    /// What drives it, for the maintenance schedule (MNT-04).
    #[serde(default)]
    pub powertrain: Option<Powertrain>,
    /// The day the customer took the vehicle over, new or used.
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
    /// The odometer at that day.
    #[serde(default)]
    pub delivery_odometer: Option<Km>,
}

impl VehicleInfo {
    /// A block with only the VIN.
    pub fn new(vin: Vin) -> Self {
        VehicleInfo {
            vin,
            series: None,
            model: None,
            options: None,
            exterior_colour: None,
            interior_colour: None,
            plate: None,
            sfx: None,
            certificate_no: None,
            condition: None,
            powertrain: None,
            delivered_on: None,
            delivery_odometer: None,
        }
    }
}

/// Insurance: on the A-card's vehicle block and the C-card's service block
/// (是否我店投保, 保单号, 投保日).
///
/// 是否我店投保 is a yes/no field on both cards. The words 自选 (with the
/// dealer) and 外保 (elsewhere) are the columns of the C-card analysis
/// table (表12), which [`InsuranceChoice::of`] derives from this field.
///
/// Files stored when the field held those words (`"choice": "with_dealer"`
/// or `"elsewhere"`) still load, as `insured_here` yes or no.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "InsuranceInfoStored")]
pub struct InsuranceInfo {
    /// Insured with this dealer (是否我店投保); `None` when unknown.
    pub insured_here: Option<bool>,
    /// Policy number (保单号).
    pub policy_no: Option<CardText>,
    /// Insurance date (投保日).
    pub insured_on: Option<NaiveDate>,
}

/// [`InsuranceInfo`] as stored, today's field or the earlier `choice`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct InsuranceInfoStored {
    insured_here: Option<bool>,
    choice: Option<InsuranceChoice>,
    policy_no: Option<CardText>,
    insured_on: Option<NaiveDate>,
}

impl TryFrom<InsuranceInfoStored> for InsuranceInfo {
    type Error = String;

    fn try_from(s: InsuranceInfoStored) -> Result<Self, Self::Error> {
        let insured_here = match (s.insured_here, s.choice) {
            (Some(here), Some(choice)) if here != (choice == InsuranceChoice::WithDealer) => {
                return Err(format!(
                    "insurance: `insured_here` is {here} but the earlier field `choice` says {choice}; keep one"
                ));
            }
            (Some(here), _) => Some(here),
            (None, choice) => choice.map(|c| c == InsuranceChoice::WithDealer),
        };
        Ok(InsuranceInfo {
            insured_here,
            policy_no: s.policy_no,
            insured_on: s.insured_on,
        })
    }
}

/// 个人信息: the personal block of the A-card, kept on the C-card after
/// the transition (CUS-04).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonalInfo {
    /// Industry (行业).
    pub industry: Option<CardText>,
    /// Occupation group (职业), as 表11 counts it.
    pub occupation: Option<Occupation>,
    /// Position (职务).
    pub position: Option<CardText>,
    /// Monthly income band (表11 收入).
    pub income: Option<IncomeBand>,
    /// Hobbies (兴趣爱好).
    pub hobbies: Option<CardText>,
    /// Character (性格特点).
    pub character: Option<CardText>,
    /// Communication style (CUS-10).
    pub communication_style: Option<CommunicationStyle>,
    /// Associations and clubs (参加社团).
    pub associations: Option<CardText>,
    /// Married (婚否).
    pub married: Option<bool>,
    /// Wedding anniversary (结婚纪念日).
    pub wedding_anniversary: Option<NaiveDate>,
    /// Religion (宗教信仰).
    pub religion: Option<CardText>,
    /// Education (学历).
    pub education: Option<CardText>,
    /// School (毕业院校).
    pub school: Option<CardText>,
    /// Driving licence class (驾证类别).
    pub licence_class: Option<CardText>,
    /// Annual inspection date (年审日期).
    pub annual_inspection: Option<NaiveDate>,
    /// Years of driving (驾龄).
    pub driving_years: Option<u8>,
}

/// The sale: what the A-card records of the purchase, and the sales
/// analysis of 表11 and 表12. Kept on the C-card after the transition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SaleInfo {
    /// The sales contract number (销售协议号 / 销售单号).
    pub contract_no: Option<CardText>,
    /// The invoice number (发票号).
    pub invoice_no: Option<CardText>,
    /// The sales consultant (销售顾问).
    pub consultant: Option<StaffId>,
    /// Where the customer heard of the dealer (表11).
    pub information_source: Option<InformationSource>,
    /// The channel that brought them in (表11).
    pub visit_channel: Option<VisitChannel>,
    /// First, additional or replacement purchase (表12).
    pub purchase_type: Option<PurchaseType>,
    /// How the sale was closed (表12).
    pub deal_channel: Option<DealChannel>,
    /// Accessories bought with the car (表12).
    pub accessories: BTreeSet<Accessory>,
    /// Why they bought (表12).
    pub purchase_factors: BTreeSet<PurchaseFactor>,
}

/// The A-card (A卡, 表9): a customer who bought the vehicle here and has
/// not yet had a maintenance here (CUS-02).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ACard {
    /// The DMS's customer id.
    pub customer: CustomerId,
    /// 基本信息.
    pub basic: BasicInfo,
    /// 联系信息.
    #[serde(default)]
    pub contact: ContactInfo,
    /// 车辆信息.
    pub vehicle: VehicleInfo,
    /// Insurance (in the vehicle block of 表9).
    #[serde(default)]
    pub insurance: InsuranceInfo,
    /// 个人信息.
    #[serde(default)]
    pub personal: PersonalInfo,
    /// The sale.
    #[serde(default)]
    pub sale: SaleInfo,
    /// Remarks (备注).
    #[serde(default)]
    pub remarks: Option<CardText>,
}

/// What the C-card's service block records by hand (表10). The counters of
/// the block (visits, first, second and last visit, mileage, next
/// maintenance, member level, VIP) are derived from the visit history and
/// never stored (CUS-05); see [`CustomerFile::counters`].
///
/// [`CustomerFile::counters`]: super::CustomerFile::counters
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceInfo {
    /// Whether the vehicle was bought here (是否在我店购买).
    pub bought_here: bool,
    /// The service advisor who looks after the customer (服务顾问).
    pub advisor: Option<StaffId>,
    /// Where the customer heard of the dealer (信息来源).
    pub information_source: Option<InformationSource>,
    /// Whether the customer referred someone (是否转介绍).
    pub referred_someone: bool,
    /// Whether the customer was referred (是否被转介绍).
    pub was_referred: bool,
    /// Whether the customer bought here again (是否重复购买).
    pub repeat_purchase: bool,
    /// Why the sale went elsewhere, for a customer who did not buy here
    /// (表12 战败分析).
    pub lost_sale: Option<LostSaleReason>,
}

/// The C-card (C卡, 表10): a service customer (CUS-03).
///
/// A customer who bought here arrives from an [`ACard`] with
/// [`CCard::from_a_card`], which keeps every field the A-card had; a
/// service-only customer starts here with `bought_here` = no (CUS-04).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CCard {
    /// The DMS's customer id.
    pub customer: CustomerId,
    /// 基本信息.
    pub basic: BasicInfo,
    /// 联系信息.
    #[serde(default)]
    pub contact: ContactInfo,
    /// 车辆信息.
    pub vehicle: VehicleInfo,
    /// Insurance (是否我店投保, 保单号, 投保日).
    #[serde(default)]
    pub insurance: InsuranceInfo,
    /// The personal block: the A-card's, kept; empty for a service-only
    /// customer until the dealer learns more.
    #[serde(default)]
    pub personal: PersonalInfo,
    /// The sale, when the vehicle was bought here.
    #[serde(default)]
    pub sale: Option<SaleInfo>,
    /// The service block.
    #[serde(default)]
    pub service: ServiceInfo,
    /// Remarks (备注).
    #[serde(default)]
    pub remarks: Option<CardText>,
}

impl CCard {
    /// A service-only customer's card: bought elsewhere (CUS-04).
    pub fn service_only(customer: CustomerId, basic: BasicInfo, vehicle: VehicleInfo) -> Self {
        CCard {
            customer,
            basic,
            contact: ContactInfo::default(),
            vehicle,
            insurance: InsuranceInfo::default(),
            personal: PersonalInfo::default(),
            sale: None,
            service: ServiceInfo::default(),
            remarks: None,
        }
    }

    /// The C-card of a customer who bought here, from their A-card
    /// (CUS-04): every block is moved over as it was, the sale is kept,
    /// `bought_here` is yes and the information source carries over.
    /// `advisor` is the service advisor from now on.
    pub fn from_a_card(card: ACard, advisor: Option<StaffId>) -> Self {
        let ACard {
            customer,
            basic,
            contact,
            vehicle,
            insurance,
            personal,
            sale,
            remarks,
        } = card;
        let service = ServiceInfo {
            bought_here: true,
            advisor,
            information_source: sale.information_source,
            ..ServiceInfo::default()
        };
        CCard {
            customer,
            basic,
            contact,
            vehicle,
            insurance,
            personal,
            sale: Some(sale),
            service,
            remarks,
        }
    }
}
