//! CUS-12 through the public API: the A-card table (表11) and the C-card
//! table (表12) counted by hand over a few cards, with unknowns and
//! multi-select columns; merging, order independence, serde and the
//! rendered tables.

use std::collections::BTreeSet;

use aftersales::{
    ACard, ACardAnalysis, Accessory, AgeBand, BasicInfo, CCard, CCardAnalysis, Card, CardAnalysis,
    CardTally, CollectionPeriod, CustomerFile, CustomerFileCommand, DealChannel, Gender,
    IncomeBand, InformationSource, InsuranceChoice, LostSaleReason, Occupation, Policy,
    PurchaseFactor, PurchaseType, SaleInfo, VehicleCondition, VehicleInfo, Visit, VisitChannel,
    VisitKind,
};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The reference date of the tables: the end of the first quarter.
fn at() -> NaiveDate {
    d(2026, 3, 31)
}

fn q1() -> CollectionPeriod {
    CollectionPeriod::try_new(d(2026, 1, 1), at()).unwrap()
}

fn text(s: &str) -> aftersales::CardText {
    s.parse().unwrap()
}

/// An A-card with nothing but its keys.
fn bare_a(n: u32) -> ACard {
    ACard {
        customer: format!("C-{n:04}").parse().unwrap(),
        basic: BasicInfo::new("客户".parse().unwrap()),
        contact: Default::default(),
        vehicle: VehicleInfo::new(format!("LSVAA4180E2{n:06}").parse().unwrap()),
        insurance: Default::default(),
        personal: Default::default(),
        sale: Default::default(),
        remarks: None,
    }
}

/// A C-card of a service-only customer with nothing but its keys.
fn bare_c(n: u32) -> CCard {
    CCard::service_only(
        format!("C-{n:04}").parse().unwrap(),
        BasicInfo::new("客户".parse().unwrap()),
        VehicleInfo::new(format!("LSVAA4180E2{n:06}").parse().unwrap()),
    )
}

/// Six A-cards, with the expected counts worked out in the tests below.
fn a_cards() -> Vec<ACard> {
    let mut c1 = bare_a(1);
    c1.basic.gender = Some(Gender::Male);
    c1.basic.birthday = Some(d(1990, 5, 1)); // 35 on 2026-03-31
    c1.personal.income = Some(IncomeBand::From4000To5999);
    c1.personal.occupation = Some(Occupation::WhiteCollar);
    c1.contact.region = Some(text("金安区"));
    c1.sale.information_source = Some(InformationSource::FriendsAndFamily);
    c1.sale.visit_channel = Some(VisitChannel::Mainstream);
    c1.vehicle.model = Some(text("卡罗拉"));

    let mut c2 = bare_a(2);
    c2.basic.gender = Some(Gender::Female);
    c2.basic.birthday = Some(d(2001, 4, 1)); // 24
    c2.personal.income = Some(IncomeBand::From6000);
    c2.personal.occupation = Some(Occupation::BusinessOwner);
    c2.contact.region = Some(text("裕安区"));
    c2.sale.information_source = Some(InformationSource::Media);
    c2.sale.visit_channel = Some(VisitChannel::Print);
    c2.vehicle.model = Some(text("卡罗拉"));

    let mut c3 = bare_a(3);
    c3.basic.gender = Some(Gender::Male);
    c3.basic.birthday = Some(d(1980, 3, 31)); // 46 that very day
    c3.contact.region = Some(text("金安区"));
    c3.sale.information_source = Some(InformationSource::WalkIn);
    c3.vehicle.model = Some(text("皇冠"));

    let mut c4 = bare_a(4);
    c4.personal.income = Some(IncomeBand::Below2000);
    c4.personal.occupation = Some(Occupation::Other);
    c4.sale.visit_channel = Some(VisitChannel::Outdoor);

    let mut c5 = bare_a(5);
    c5.basic.gender = Some(Gender::Male);
    c5.basic.birthday = Some(d(1981, 4, 1)); // 44, 45 tomorrow
    c5.personal.income = Some(IncomeBand::From2000To3999);
    c5.personal.occupation = Some(Occupation::PublicSector);
    c5.contact.region = Some(text("县城"));
    c5.sale.information_source = Some(InformationSource::Other);
    c5.sale.visit_channel = Some(VisitChannel::Other);
    c5.vehicle.model = Some(text("RAV4"));

    let mut c6 = bare_a(6);
    c6.basic.gender = Some(Gender::Female);
    c6.basic.birthday = Some(d(2027, 1, 1)); // after the reference date

    vec![c1, c2, c3, c4, c5, c6]
}

/// Four C-cards, with the expected counts worked out in the tests below.
fn c_cards() -> Vec<CCard> {
    // Bought here, moved over from its A-card.
    let mut a = bare_a(11);
    a.contact.region = Some(text("金安区"));
    a.vehicle.model = Some(text("卡罗拉"));
    a.vehicle.condition = Some(VehicleCondition::New);
    a.insurance.insured_here = Some(true);
    a.sale.deal_channel = Some(DealChannel::Showroom);
    a.sale.purchase_type = Some(PurchaseType::First);
    a.sale.accessories = BTreeSet::from([Accessory::WindowFilm, Accessory::Gps]);
    a.sale.purchase_factors = BTreeSet::from([PurchaseFactor::Price, PurchaseFactor::Brand]);
    let c1 = CCard::from_a_card(a, None);

    // Bought elsewhere: the lost sale is on the card.
    let mut c2 = bare_c(12);
    c2.insurance.insured_here = Some(false);
    c2.contact.region = Some(text("裕安区"));
    c2.service.lost_sale = Some(LostSaleReason::Price);
    c2.vehicle.condition = Some(VehicleCondition::Used);
    c2.vehicle.model = Some(text("皇冠"));

    // Nothing known.
    let c3 = bare_c(13);

    // Bought here, no accessories.
    let mut c4 = bare_c(14);
    c4.service.bought_here = true;
    c4.insurance.insured_here = Some(true);
    c4.contact.region = Some(text("金安区"));
    c4.vehicle.condition = Some(VehicleCondition::New);
    c4.vehicle.model = Some(text("RAV4"));
    c4.sale = Some(SaleInfo {
        deal_channel: Some(DealChannel::Referral),
        purchase_type: Some(PurchaseType::Replacement),
        purchase_factors: BTreeSet::from([PurchaseFactor::Service, PurchaseFactor::Other]),
        ..SaleInfo::default()
    });

    vec![c1, c2, c3, c4]
}

fn counts<K: Ord + Clone>(t: &CardTally<K>, order: &[K]) -> Vec<u64> {
    order
        .iter()
        .map(|k| t.count(k))
        .chain([t.unknown])
        .collect()
}

fn names(t: &CardTally<aftersales::CardText>) -> Vec<(String, u64)> {
    t.counts
        .iter()
        .map(|(k, n)| (k.to_string(), *n))
        .chain([("?".to_owned(), t.unknown)])
        .collect()
}

fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

// --- 表11 -------------------------------------------------------------------

#[test]
fn a_card_table_counted_by_hand() {
    let t = ACardAnalysis::from_cards(&a_cards(), at());
    assert_eq!(t.cards, 6);
    assert_eq!(t.period, None);
    // Each list: the values in declaration order, then "not recorded".
    assert_eq!(counts(&t.gender, Gender::ALL), [3, 2, 1]);
    assert_eq!(counts(&t.income, IncomeBand::ALL), [1, 1, 1, 1, 2]);
    assert_eq!(counts(&t.age, AgeBand::ALL), [1, 1, 1, 1, 2]);
    assert_eq!(counts(&t.occupation, Occupation::ALL), [1, 1, 1, 1, 2]);
    assert_eq!(
        counts(&t.information_source, InformationSource::ALL),
        [1, 1, 1, 1, 2]
    );
    assert_eq!(counts(&t.visit_channel, VisitChannel::ALL), [1, 1, 1, 1, 2]);
    assert_eq!(
        names(&t.region),
        pairs(&[("县城", 1), ("裕安区", 1), ("金安区", 2), ("?", 2)])
    );
    assert_eq!(
        names(&t.model),
        pairs(&[("RAV4", 1), ("卡罗拉", 2), ("皇冠", 1), ("?", 2)])
    );
    // Who is where in the age bands.
    assert_eq!(t.age.count(&AgeBand::UpTo25), 1); // card 2, 24
    assert_eq!(t.age.count(&AgeBand::From26To35), 1); // card 1, 35
    assert_eq!(t.age.count(&AgeBand::From36To45), 1); // card 5, 44
    assert_eq!(t.age.count(&AgeBand::Over45), 1); // card 3, 46 today
}

#[test]
fn ages_move_with_the_reference_date() {
    let cards = a_cards();
    // A day later card 5 turns 45 (still 36-45); a year earlier card 3 is
    // 45 and card 1 is 34.
    let next_day = ACardAnalysis::from_cards(&cards, d(2026, 4, 1));
    assert_eq!(counts(&next_day.age, AgeBand::ALL), [1, 1, 1, 1, 2]);
    let year_before = ACardAnalysis::from_cards(&cards, d(2025, 3, 31));
    // card 2: 23; card 1: 34; card 5: 43; card 3: 45.
    assert_eq!(counts(&year_before.age, AgeBand::ALL), [1, 1, 2, 0, 2]);
}

// --- 表12 -------------------------------------------------------------------

#[test]
fn c_card_table_counted_by_hand() {
    let t = CCardAnalysis::from_cards(&c_cards());
    assert_eq!(t.cards, 4);
    assert_eq!(counts(&t.insurance, InsuranceChoice::ALL), [2, 1, 1]);
    assert_eq!(counts(&t.deal_channel, DealChannel::ALL), [1, 1, 0, 0, 2]);
    assert_eq!(counts(&t.purchase_type, PurchaseType::ALL), [1, 0, 1, 0, 2]);
    assert_eq!(
        names(&t.region),
        pairs(&[("裕安区", 1), ("金安区", 2), ("?", 1)])
    );
    assert_eq!(counts(&t.lost_sale, LostSaleReason::ALL), [1, 0, 0, 3]);
    assert_eq!(counts(&t.condition, VehicleCondition::ALL), [2, 1, 1]);
    assert_eq!(
        names(&t.model),
        pairs(&[("RAV4", 1), ("卡罗拉", 1), ("皇冠", 1), ("?", 1)])
    );
    // Multi-select: card 1 has two accessories; cards 2 to 4 none.
    assert_eq!(counts(&t.accessories, Accessory::ALL), [1, 1, 0, 0, 3]);
    assert_eq!(t.accessories.total(), 5);
    // Cards 1 and 4 have two factors each; cards 2 and 3 none.
    assert_eq!(
        counts(&t.purchase_factors, PurchaseFactor::ALL),
        [1, 1, 1, 1, 2]
    );
    assert_eq!(t.purchase_factors.total(), 6);
}

#[test]
fn single_valued_columns_sum_to_the_cards() {
    let a = ACardAnalysis::from_cards(&a_cards(), at());
    for total in [
        a.gender.total(),
        a.income.total(),
        a.age.total(),
        a.region.total(),
        a.occupation.total(),
        a.information_source.total(),
        a.visit_channel.total(),
        a.model.total(),
    ] {
        assert_eq!(total, a.cards);
    }
    let c = CCardAnalysis::from_cards(&c_cards());
    for total in [
        c.insurance.total(),
        c.deal_channel.total(),
        c.purchase_type.total(),
        c.region.total(),
        c.lost_sale.total(),
        c.condition.total(),
        c.model.total(),
    ] {
        assert_eq!(total, c.cards);
    }
    // Multi-select columns cover every card at least once.
    assert!(c.accessories.total() >= c.cards);
    assert!(c.purchase_factors.total() >= c.cards);
}

#[test]
fn tallies_count_sets_and_merge() {
    let mut t = CardTally::new();
    t.add_set(&BTreeSet::from([Accessory::Gps, Accessory::Other]));
    t.add_set(&BTreeSet::new());
    t.add_each([Accessory::Gps]);
    assert_eq!(t.count(&Accessory::Gps), 2);
    assert_eq!(t.count(&Accessory::Other), 1);
    assert_eq!(t.unknown, 1);
    let mut u = CardTally::new();
    u.add(Some(Accessory::WindowFilm));
    u.add(None);
    t.merge(&u);
    assert_eq!(t.count(&Accessory::WindowFilm), 1);
    assert_eq!(t.unknown, 2);
    assert_eq!(t.total(), 6);
    // Absent values are not stored, so equal counts are equal tallies.
    assert!(!t.counts.contains_key(&Accessory::UnderbodyRustproofing));
}

// --- merging ----------------------------------------------------------------

#[test]
fn merged_tables_equal_one_pass_at_every_split() {
    let a = a_cards();
    let whole = ACardAnalysis::from_cards(&a, at());
    for i in 0..=a.len() {
        let mut left = ACardAnalysis::from_cards(&a[..i], at());
        left.merge(&ACardAnalysis::from_cards(&a[i..], at()));
        assert_eq!(left, whole, "split at {i}");
    }
    let c = c_cards();
    let whole = CCardAnalysis::from_cards(&c);
    for i in 0..=c.len() {
        let mut left = CCardAnalysis::from_cards(&c[..i]);
        left.merge(&CCardAnalysis::from_cards(&c[i..]));
        assert_eq!(left, whole, "split at {i}");
    }
}

#[test]
fn merging_widens_the_period() {
    let jan = CollectionPeriod::try_new(d(2026, 1, 1), d(2026, 1, 31)).unwrap();
    let mar = CollectionPeriod::try_new(d(2026, 3, 1), d(2026, 3, 31)).unwrap();
    let mut t = ACardAnalysis::new(Some(jan));
    t.merge(&ACardAnalysis::new(Some(mar)));
    assert_eq!(t.period, Some(q1()));
    let mut u = CCardAnalysis::new(None);
    u.merge(&CCardAnalysis::new(Some(jan)));
    assert_eq!(u.period, Some(jan));
    assert!(q1().contains(d(2026, 2, 15)));
    assert!(!jan.contains(d(2026, 2, 1)));
    let err = CollectionPeriod::try_new(d(2026, 3, 31), d(2026, 1, 1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the data-collection period ends on 2026-01-01, before it starts on 2026-03-31 (CUS-12)"
    );
}

// --- files and cards --------------------------------------------------------

#[test]
fn files_go_to_the_table_of_their_card() {
    let policy = Policy::default();
    let cards = a_cards();
    let open = |card: &ACard| {
        let mut f = CustomerFile::new();
        f.execute(
            CustomerFileCommand::OpenSalesFile {
                on: d(2026, 1, 10),
                card: card.clone(),
            },
            &policy,
        )
        .unwrap();
        f
    };
    let on_a = open(&cards[0]);
    let mut moved = open(&cards[1]);
    moved
        .execute(
            CustomerFileCommand::RecordVisit {
                visit: Visit::new(d(2026, 3, 1), VisitKind::FirstMaintenance),
                advisor: None,
            },
            &policy,
        )
        .unwrap();
    let files = [on_a, moved, CustomerFile::new()];
    let t = CardAnalysis::from_files(&files, at());
    assert_eq!((t.a.cards, t.c.cards, t.unopened), (1, 1, 1));
    assert_eq!(t.a, ACardAnalysis::from_cards(&cards[..1], at()));
    // The moved file's C-card keeps what its A-card knew.
    assert_eq!(t.c.region.count(&text("裕安区")), 1);
    assert_eq!(t.c.model.count(&text("卡罗拉")), 1);

    let mut by_card = CardAnalysis::new(None);
    by_card.add_card(&Card::A(cards[0].clone()), at());
    by_card.add_card(files[1].card().unwrap(), at());
    by_card.unopened = 1;
    assert_eq!(by_card, t);

    let mut twice = t.clone();
    twice.merge(&t);
    assert_eq!((twice.a.cards, twice.c.cards, twice.unopened), (2, 2, 2));
    assert!(t.render().contains("未建卡档案 Files not yet opened: 1"));
}

// --- serde ------------------------------------------------------------------

#[test]
fn tables_round_trip_through_json() {
    let mut a = ACardAnalysis::new(Some(q1()));
    for card in a_cards() {
        a.add(&card, at());
    }
    let json = serde_json::to_string(&a).unwrap();
    assert!(
        json.contains(r#""period":{"from":"2026-01-01","to":"2026-03-31"}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""gender":{"counts":{"male":3,"female":2},"unknown":1}"#),
        "{json}"
    );
    assert!(json.contains(r#""金安区":2"#), "{json}");
    assert_eq!(serde_json::from_str::<ACardAnalysis>(&json).unwrap(), a);

    let c = CCardAnalysis::from_cards(&c_cards());
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<CCardAnalysis>(&json).unwrap(), c);

    let both = CardAnalysis { a, c, unopened: 2 };
    let json = serde_json::to_string(&both).unwrap();
    assert_eq!(serde_json::from_str::<CardAnalysis>(&json).unwrap(), both);

    let reversed = r#"{ "from": "2026-03-31", "to": "2026-01-01" }"#;
    let err = serde_json::from_str::<CollectionPeriod>(reversed).unwrap_err();
    assert!(err.to_string().contains("CUS-12"), "{err}");
}

// --- the table --------------------------------------------------------------

#[test]
fn analysis_tables() {
    let mut t = CardAnalysis::new(Some(q1()));
    for card in a_cards() {
        t.add_card(&Card::A(card), at());
    }
    for card in c_cards() {
        t.add_card(&Card::C(card), at());
    }
    insta::assert_snapshot!("analysis_tables", t.render());
}

// --- properties -------------------------------------------------------------

fn pick<T: Clone + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = Option<T>> {
    prop::option::of(prop::sample::select(all))
}

const REGIONS: &[&str] = &["金安区", "裕安区", "县城"];
const MODELS: &[&str] = &["卡罗拉", "皇冠", "RAV4", "普拉多"];

fn name(all: &'static [&'static str]) -> impl Strategy<Value = Option<aftersales::CardText>> {
    pick(all).prop_map(|o| o.map(text))
}

fn a_card() -> impl Strategy<Value = ACard> {
    (
        pick(Gender::ALL),
        pick(IncomeBand::ALL),
        prop::option::of(0i64..36_500),
        name(REGIONS),
        pick(Occupation::ALL),
        pick(InformationSource::ALL),
        pick(VisitChannel::ALL),
        name(MODELS),
    )
        .prop_map(|(g, i, age_days, r, o, s, ch, m)| {
            let mut c = bare_a(1);
            c.basic.gender = g;
            c.personal.income = i;
            c.basic.birthday = age_days.map(|n| at() - chrono::Days::new(n as u64));
            c.contact.region = r;
            c.personal.occupation = o;
            c.sale.information_source = s;
            c.sale.visit_channel = ch;
            c.vehicle.model = m;
            c
        })
}

fn c_card() -> impl Strategy<Value = CCard> {
    let sale = prop::option::of((
        pick(DealChannel::ALL),
        pick(PurchaseType::ALL),
        prop::collection::btree_set(prop::sample::select(Accessory::ALL), 0..4),
        prop::collection::btree_set(prop::sample::select(PurchaseFactor::ALL), 0..4),
    ));
    (
        pick(InsuranceChoice::ALL),
        name(REGIONS),
        pick(LostSaleReason::ALL),
        pick(VehicleCondition::ALL),
        name(MODELS),
        sale,
    )
        .prop_map(|(ins, r, lost, cond, m, sale)| {
            let mut c = bare_c(2);
            c.insurance.insured_here = ins.map(|i| i == InsuranceChoice::WithDealer);
            c.contact.region = r;
            c.service.lost_sale = lost;
            c.vehicle.condition = cond;
            c.vehicle.model = m;
            c.sale = sale.map(|(dc, pt, acc, pf)| SaleInfo {
                deal_channel: dc,
                purchase_type: pt,
                accessories: acc,
                purchase_factors: pf,
                ..SaleInfo::default()
            });
            c
        })
}

proptest! {
    #![proptest_config(crate::support::cases(128))]

    #[test]
    fn a_tables_do_not_depend_on_the_card_order(
        (cards, shuffled) in prop::collection::vec(a_card(), 0..20)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        split in 0usize..20,
    ) {
        let whole = ACardAnalysis::from_cards(&cards, at());
        prop_assert_eq!(&ACardAnalysis::from_cards(&shuffled, at()), &whole);
        let i = split.min(cards.len());
        let mut merged = ACardAnalysis::from_cards(&shuffled[..i], at());
        merged.merge(&ACardAnalysis::from_cards(&shuffled[i..], at()));
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(whole.cards, cards.len() as u64);
        prop_assert_eq!(whole.age.total(), whole.cards);
        prop_assert_eq!(whole.region.total(), whole.cards);
    }

    #[test]
    fn c_tables_do_not_depend_on_the_card_order(
        (cards, shuffled) in prop::collection::vec(c_card(), 0..20)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        split in 0usize..20,
    ) {
        let whole = CCardAnalysis::from_cards(&cards);
        prop_assert_eq!(&CCardAnalysis::from_cards(&shuffled), &whole);
        let i = split.min(cards.len());
        let mut merged = CCardAnalysis::from_cards(&shuffled[..i]);
        merged.merge(&CCardAnalysis::from_cards(&shuffled[i..]));
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(whole.deal_channel.total(), whole.cards);
        prop_assert!(whole.accessories.total() >= whole.cards);
        let selected: u64 = cards
            .iter()
            .map(|c| c.sale.as_ref().map_or(0, |s| s.accessories.len() as u64))
            .sum();
        prop_assert_eq!(whole.accessories.total() - whole.accessories.unknown, selected);
    }
}
