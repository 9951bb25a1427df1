//! Customer files (CUS-01 … CUS-05): opening, the A-to-C transition and
//! its edge cases, counters at their window boundaries, month ends, the
//! next maintenance and the care profile taken from the file.

use std::collections::BTreeSet;

use aftersales::{
    ACard, Accessory, Amendment, BasicInfo, CCard, Card, CardKind, CommunicationStyle,
    ContactChannel, ContactInfo, CounterWindows, Counters, CustomerFile, CustomerFileCommand,
    CustomerFileEvent, CustomerFlagInputs, CustomerPolicy, Gender, IncomeBand, InformationSource,
    InsuranceChoice, InsuranceInfo, Km, MaintenanceItem, Occupation, OrganisationType,
    PersonalInfo, Policy, Powertrain, PreferredContact, PurchaseFactor, PurchaseType, RuleId,
    SaleInfo, TransitionTrigger, VehicleCondition, VehicleInfo, Visit, VisitKind, window_start,
};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 王建国 buys a Corolla on 2 March 2025, with most of table 9 filled in.
fn a_card() -> ACard {
    let mut basic = BasicInfo::new("王建国".parse().unwrap());
    basic.gender = Some(Gender::Male);
    basic.birthday = Some(d(1988, 7, 14));
    basic.file_number = Some("A-2025-0301".parse().unwrap());
    basic.organisation = Some(OrganisationType::Private);
    let contact = ContactInfo {
        mobile: Some("13905640001".parse().unwrap()),
        city: Some("六安市".parse().unwrap()),
        region: Some("金安区".parse().unwrap()),
        preferred: PreferredContact {
            channel: Some(ContactChannel::Messenger),
            times: Vec::new(),
        },
        ..ContactInfo::default()
    };
    let mut vehicle = VehicleInfo::new("LFMA3ACC5R0123456".parse().unwrap());
    vehicle.series = Some("卡罗拉".parse().unwrap());
    vehicle.model = Some("卡罗拉 1.2T".parse().unwrap());
    vehicle.exterior_colour = Some("珍珠白".parse().unwrap());
    vehicle.plate = Some("皖N12345".parse().unwrap());
    vehicle.condition = Some(VehicleCondition::New);
    vehicle.powertrain = Some(Powertrain::Combustion);
    vehicle.delivered_on = Some(d(2025, 3, 2));
    vehicle.delivery_odometer = Some(Km(12));
    let personal = PersonalInfo {
        occupation: Some(Occupation::WhiteCollar),
        income: Some(IncomeBand::From6000),
        hobbies: Some("钓鱼".parse().unwrap()),
        communication_style: Some(CommunicationStyle::Analytical),
        married: Some(true),
        wedding_anniversary: Some(d(2014, 10, 1)),
        ..PersonalInfo::default()
    };
    let sale = SaleInfo {
        contract_no: Some("XS-2025-0088".parse().unwrap()),
        consultant: Some("SC-02".parse().unwrap()),
        information_source: Some(InformationSource::FriendsAndFamily),
        purchase_type: Some(PurchaseType::Replacement),
        accessories: BTreeSet::from([Accessory::WindowFilm, Accessory::Gps]),
        purchase_factors: BTreeSet::from([PurchaseFactor::Brand]),
        ..SaleInfo::default()
    };
    ACard {
        customer: "C-0301".parse().unwrap(),
        basic,
        contact,
        vehicle,
        insurance: InsuranceInfo {
            insured_here: Some(true),
            policy_no: Some("PDAA2025-778".parse().unwrap()),
            insured_on: Some(d(2025, 3, 2)),
        },
        personal,
        sale,
        remarks: Some("喜欢周末上午来店".parse().unwrap()),
    }
}

fn opened(policy: &Policy) -> CustomerFile {
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenSalesFile {
            on: d(2025, 3, 2),
            card: a_card(),
        },
        policy,
    )
    .unwrap();
    file
}

fn visit(date: NaiveDate, kind: VisitKind, order: &str, km: u32) -> Visit {
    Visit {
        order: Some(order.parse().unwrap()),
        odometer: Some(Km(km)),
        ..Visit::new(date, kind)
    }
}

fn record(file: &mut CustomerFile, v: Visit, policy: &Policy) -> Vec<CustomerFileEvent> {
    file.execute(
        CustomerFileCommand::RecordVisit {
            visit: v,
            advisor: Some("SA-05".parse().unwrap()),
        },
        policy,
    )
    .unwrap()
}

fn refused(file: &CustomerFile, command: CustomerFileCommand) -> (RuleId, String) {
    let err = file.decide(&command, &Policy::default()).unwrap_err();
    (err.rule().unwrap(), err.to_string())
}

#[test]
fn the_first_maintenance_moves_the_file_and_keeps_every_field() {
    let policy = Policy::default();
    let mut file = opened(&policy);
    let at = d(2025, 9, 1);
    insta::assert_snapshot!("before_transition", file.render(at, &policy));

    let mut first = visit(at, VisitKind::FirstMaintenance, "WO-2025-0901", 5_030);
    first.items = vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter];
    let events = record(&mut file, first.clone(), &policy);
    assert_eq!(
        events,
        [
            CustomerFileEvent::VisitRecorded { visit: first },
            CustomerFileEvent::MovedToServiceFile {
                on: at,
                trigger: VisitKind::FirstMaintenance,
                advisor: Some("SA-05".parse().unwrap()),
            },
        ]
    );
    assert_eq!(file.card_kind(), Some(CardKind::C));
    assert_eq!(file.moved_on(), Some(at));
    let Some(Card::C(c)) = file.card() else {
        panic!("not a C-card")
    };
    // Everything the A-card knew is on the C-card.
    let a = a_card();
    assert_eq!(c.customer, a.customer);
    assert_eq!(c.basic, a.basic);
    assert_eq!(c.contact, a.contact);
    assert_eq!(c.vehicle, a.vehicle);
    assert_eq!(c.insurance, a.insurance);
    assert_eq!(c.personal, a.personal);
    assert_eq!(c.sale.as_ref(), Some(&a.sale));
    assert_eq!(c.remarks, a.remarks);
    assert!(c.service.bought_here);
    assert_eq!(
        c.service.advisor.as_ref().map(|s| s.as_str()),
        Some("SA-05")
    );
    assert_eq!(
        c.service.information_source,
        Some(InformationSource::FriendsAndFamily)
    );
    let counters = file.counters(at, &policy);
    assert!(counters.first_maintenance_here);
    assert_eq!(counters.mileage, Some(Km(5_030)));

    insta::assert_snapshot!("after_transition", file.render(d(2025, 9, 2), &policy));

    // A second maintenance moves nothing: the file is already on the C-card.
    let events = record(
        &mut file,
        visit(
            d(2026, 3, 5),
            VisitKind::Maintenance,
            "WO-2026-0305",
            10_100,
        ),
        &policy,
    );
    assert_eq!(events.len(), 1);
}

/// CUS-04, decided: under the default a repair before any maintenance
/// keeps the customer on the A-card; the repair is in the history and
/// counted, and the first maintenance still moves the file. A dealer that
/// moves on any first visit says so in the policy.
#[test]
fn a_repair_first_keeps_the_a_card_unless_the_policy_says_otherwise() {
    let policy = Policy::default();
    let mut file = opened(&policy);
    let repair = visit(d(2025, 5, 10), VisitKind::Repair, "WO-2025-0510", 2_400);
    let events = record(&mut file, repair.clone(), &policy);
    assert_eq!(events.len(), 1, "no move on a repair: {events:?}");
    assert_eq!(file.card_kind(), Some(CardKind::A));
    let counters = file.counters(d(2025, 5, 31), &policy);
    assert_eq!(
        (counters.visits_short, counters.first_visit),
        (1, Some(d(2025, 5, 10)))
    );
    assert!(!counters.first_maintenance_here);

    // A regular maintenance (not the manufacturer's 首保) moves it too.
    record(
        &mut file,
        visit(
            d(2025, 9, 20),
            VisitKind::Maintenance,
            "WO-2025-0920",
            5_900,
        ),
        &policy,
    );
    assert_eq!(file.card_kind(), Some(CardKind::C));
    assert_eq!(file.moved_on(), Some(d(2025, 9, 20)));
    let counters = file.counters(d(2025, 9, 20), &policy);
    assert_eq!(counters.second_visit, Some(d(2025, 9, 20)));
    assert!(
        !counters.first_maintenance_here,
        "a regular service is not 首保"
    );

    // Any first visit moves the file under `first_service_visit`.
    let eager = Policy::default()
        .with_customer(CustomerPolicy {
            transition: TransitionTrigger::FirstServiceVisit,
            ..CustomerPolicy::default()
        })
        .unwrap();
    let mut file = opened(&eager);
    let events = record(&mut file, repair, &eager);
    assert!(matches!(
        events.last(),
        Some(CustomerFileEvent::MovedToServiceFile {
            trigger: VisitKind::Repair,
            ..
        })
    ));
    assert_eq!(file.card_kind(), Some(CardKind::C));
}

#[test]
fn a_service_only_customer_starts_on_the_c_card() {
    let policy = Policy::default();
    let a = a_card();
    let card = CCard::service_only(a.customer.clone(), a.basic.clone(), a.vehicle.clone());
    assert!(!card.service.bought_here);
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 6, 1),
            card: card.clone(),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(file.card_kind(), Some(CardKind::C));
    assert_eq!(file.moved_on(), None);

    // A car bought here starts on the A-card instead.
    let mut bought = card.clone();
    bought.service.bought_here = true;
    let (rule, text) = refused(
        &CustomerFile::new(),
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 6, 1),
            card: bought,
        },
    );
    assert_eq!(rule, RuleId::Cus04);
    assert_eq!(
        text,
        "customer file `LFMA3ACC5R0123456` cannot open a service file: the vehicle was \
         bought here, so its file starts on the A-card (CUS-04)"
    );
    let mut with_sale = card;
    with_sale.sale = Some(SaleInfo::default());
    let (rule, _) = refused(
        &CustomerFile::new(),
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 6, 1),
            card: with_sale,
        },
    );
    assert_eq!(rule, RuleId::Cus04);
}

#[test]
fn refusals_name_their_rule() {
    let policy = Policy::default();
    let none = CustomerFile::new();
    let (rule, text) = refused(
        &none,
        CustomerFileCommand::RecordVisit {
            visit: Visit::new(d(2025, 5, 1), VisitKind::Repair),
            advisor: None,
        },
    );
    assert_eq!(rule, RuleId::Cus01);
    assert!(text.contains("the file is not open"), "{text}");

    let mut file = opened(&policy);
    let (rule, _) = refused(
        &file,
        CustomerFileCommand::OpenSalesFile {
            on: d(2025, 3, 2),
            card: a_card(),
        },
    );
    assert_eq!(rule, RuleId::Cus01, "one vehicle, one file");

    let (rule, text) = refused(
        &file,
        CustomerFileCommand::RecordVisit {
            visit: Visit::new(d(2025, 3, 1), VisitKind::Repair),
            advisor: None,
        },
    );
    assert_eq!(rule, RuleId::Cus05);
    assert!(
        text.contains("before the file was opened on 2025-03-02"),
        "{text}"
    );

    record(
        &mut file,
        visit(d(2025, 5, 10), VisitKind::Repair, "WO-2025-0510", 2_400),
        &policy,
    );
    let (rule, text) = refused(
        &file,
        CustomerFileCommand::RecordVisit {
            visit: visit(d(2025, 5, 11), VisitKind::Repair, "WO-2025-0510", 2_500),
            advisor: None,
        },
    );
    assert_eq!(rule, RuleId::Cus05);
    assert!(
        text.contains("order `WO-2025-0510` is already recorded"),
        "{text}"
    );

    let (rule, text) = refused(
        &file,
        CustomerFileCommand::RecordVisit {
            visit: visit(d(2025, 6, 1), VisitKind::Repair, "WO-2025-0601", 2_399),
            advisor: None,
        },
    );
    assert_eq!(rule, RuleId::Cus05);
    assert!(text.contains("less than 2400 km on 2025-05-10"), "{text}");
    // A late entry may not read more than a later visit either.
    let (rule, _) = refused(
        &file,
        CustomerFileCommand::RecordVisit {
            visit: visit(d(2025, 4, 1), VisitKind::Repair, "WO-2025-0401", 2_401),
            advisor: None,
        },
    );
    assert_eq!(rule, RuleId::Cus05);
    // The same reading on a later day is fine (the car stood still).
    record(
        &mut file,
        visit(d(2025, 6, 1), VisitKind::Repair, "WO-2025-0601", 2_400),
        &policy,
    );

    file.execute(
        CustomerFileCommand::RecordComplaint {
            on: d(2025, 6, 2),
            complaint: "TS-2025-031".parse().unwrap(),
            major: false,
        },
        &policy,
    )
    .unwrap();
    let (rule, _) = refused(
        &file,
        CustomerFileCommand::RecordComplaint {
            on: d(2025, 6, 3),
            complaint: "TS-2025-031".parse().unwrap(),
            major: true,
        },
    );
    assert_eq!(rule, RuleId::Cus03);
    assert!(file.has_complaint(d(2025, 6, 2)));
    assert!(!file.has_complaint(d(2025, 6, 1)));
}

#[test]
fn the_service_block_is_amended_on_a_c_card_only() {
    let policy = Policy::default();
    let mut file = opened(&policy);
    let service = aftersales::ServiceInfo {
        repeat_purchase: true,
        ..aftersales::ServiceInfo::default()
    };
    let amend = |service: aftersales::ServiceInfo| CustomerFileCommand::Amend {
        on: d(2025, 4, 1),
        amendment: Amendment::Service(service),
    };
    assert_eq!(refused(&file, amend(service.clone())).0, RuleId::Cus03);
    record(
        &mut file,
        visit(d(2025, 9, 1), VisitKind::FirstMaintenance, "WO-1", 5_000),
        &policy,
    );
    // Bought here stays yes.
    let (rule, text) = refused(&file, amend(service.clone()));
    assert_eq!(rule, RuleId::Cus04, "{text}");
    let kept = aftersales::ServiceInfo {
        bought_here: true,
        ..service
    };
    file.execute(amend(kept.clone()), &policy).unwrap();
    let Some(Card::C(c)) = file.card() else {
        panic!("not a C-card")
    };
    assert_eq!(c.service, kept);
}

#[test]
fn late_entries_keep_the_history_in_date_order_and_replay_matches() {
    let policy = Policy::default();
    let mut file = opened(&policy);
    let mut events = vec![CustomerFileEvent::SalesFileOpened {
        on: d(2025, 3, 2),
        card: a_card(),
    }];
    for v in [
        visit(d(2025, 6, 1), VisitKind::Repair, "WO-1", 3_000),
        visit(d(2025, 4, 1), VisitKind::Repair, "WO-2", 1_000),
        visit(d(2025, 9, 1), VisitKind::FirstMaintenance, "WO-3", 5_000),
    ] {
        events.extend(record(&mut file, v, &policy));
    }
    events.extend(
        file.execute(
            CustomerFileCommand::Amend {
                on: d(2025, 9, 2),
                amendment: Amendment::Remarks(None),
            },
            &policy,
        )
        .unwrap(),
    );
    let dates: Vec<NaiveDate> = file.visits().iter().map(|v| v.date).collect();
    assert_eq!(dates, [d(2025, 4, 1), d(2025, 6, 1), d(2025, 9, 1)]);
    let json = serde_json::to_string(&events).unwrap();
    let back: Vec<CustomerFileEvent> = serde_json::from_str(&json).unwrap();
    let replayed = CustomerFile::replay(&back);
    assert_eq!(replayed, file);
    assert_eq!(replayed.version(), events.len() as u64);
    let Some(Card::C(c)) = replayed.card() else {
        panic!("not moved")
    };
    assert_eq!(c.remarks, None, "the amendment applied after the move");
}

#[test]
fn counters_at_window_boundaries() {
    let windows = CounterWindows::default();
    let at = d(2026, 3, 31);
    let count = |dates: &[NaiveDate]| {
        let visits: Vec<Visit> = dates
            .iter()
            .map(|x| Visit::new(*x, VisitKind::Repair))
            .collect();
        let c = Counters::from_visits(&visits, at, &windows);
        (
            c.visits_short,
            c.visits_medium,
            c.visits_long,
            c.visits_total,
        )
    };
    // 31 March − 6 months = 30 September: the half year starts 1 October.
    assert_eq!(count(&[d(2025, 9, 30)]), (0, 1, 1, 1));
    assert_eq!(count(&[d(2025, 10, 1)]), (1, 1, 1, 1));
    // One year: from 1 April 2025.
    assert_eq!(count(&[d(2025, 3, 31)]), (0, 0, 1, 1));
    assert_eq!(count(&[d(2025, 4, 1)]), (0, 1, 1, 1));
    // Three years: from 1 April 2023.
    assert_eq!(count(&[d(2023, 3, 31)]), (0, 0, 0, 1));
    assert_eq!(count(&[d(2023, 4, 1)]), (0, 0, 1, 1));
    // The reference day counts; the day after does not.
    assert_eq!(count(&[at]), (1, 1, 1, 1));
    assert_eq!(count(&[d(2026, 4, 1)]), (0, 0, 0, 0));
}

#[test]
fn month_end_arithmetic() {
    // The window of N months ending on `at` starts the day after `at` − N
    // months, clamped to the month's last day.
    assert_eq!(window_start(d(2026, 3, 31), 6), Some(d(2025, 10, 1)));
    assert_eq!(window_start(d(2026, 3, 30), 6), Some(d(2025, 10, 1)));
    assert_eq!(window_start(d(2026, 3, 29), 6), Some(d(2025, 9, 30)));
    assert_eq!(window_start(d(2024, 8, 31), 6), Some(d(2024, 3, 1))); // 29 Feb 2024 + 1
    assert_eq!(window_start(d(2026, 8, 31), 6), Some(d(2026, 3, 1))); // 28 Feb 2026 + 1
    assert_eq!(window_start(d(2025, 2, 28), 12), Some(d(2024, 2, 29))); // leap day inside
    assert_eq!(window_start(d(2024, 2, 29), 12), Some(d(2023, 3, 1)));
    assert_eq!(window_start(d(2026, 5, 31), 36), Some(d(2023, 6, 1)));
    assert_eq!(window_start(NaiveDate::MIN, 1), None);
}

#[test]
fn next_maintenance_and_care_profile_come_from_the_file() {
    let policy = Policy::default();
    let mut file = opened(&policy);
    let mut first = visit(
        d(2025, 9, 1),
        VisitKind::FirstMaintenance,
        "WO-2025-0901",
        5_030,
    );
    first.items = vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter];
    record(&mut file, first, &policy);
    let at = d(2025, 9, 2);
    let next = file.next_maintenance(at, &policy).unwrap().unwrap();
    // The schedule module says the same from the same history.
    let history = file.maintenance_history().unwrap();
    let schedule = history.schedule(at, None, policy.maintenance()).unwrap();
    assert_eq!(Some(next.date), schedule.next_due_date());
    assert!(next.date > at);

    let profile = file.care_profile(at, &policy).unwrap();
    assert_eq!(profile.customer.as_str(), "C-0301");
    assert_eq!(profile.birthday, Some(d(1988, 7, 14)));
    assert_eq!(profile.new_car_delivered, Some(d(2025, 3, 2)));
    assert_eq!(profile.last_visit, Some(d(2025, 9, 1)));
    assert_eq!(
        profile.last_repair_delivered, None,
        "a maintenance is not a repair"
    );
    assert_eq!(profile.next_maintenance_due, Some(next.date));
    assert_eq!(profile.preferred.channel, Some(ContactChannel::Messenger));

    // Without the vehicle facts there is no schedule, and no error.
    let a = a_card();
    let mut bare = CustomerFile::new();
    bare.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 6, 1),
            card: CCard::service_only(a.customer, a.basic, VehicleInfo::new(a.vehicle.vin.clone())),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(bare.next_maintenance(at, &policy), Ok(None));
    assert_eq!(
        bare.care_profile(at, &policy).unwrap().new_car_delivered,
        None
    );
}

fn visits_strategy() -> impl Strategy<Value = Vec<Visit>> {
    proptest::collection::vec(
        (0i64..2_000, 0usize..5).prop_map(|(days, kind)| {
            Visit::new(
                d(2021, 1, 1) + chrono::TimeDelta::days(days),
                VisitKind::ALL[kind],
            )
        }),
        0..30,
    )
}

fn text(s: &str) -> aftersales::CardText {
    s.parse().unwrap()
}

prop_compose! {
    pub(crate) fn a_card_strategy()(
        gender in proptest::option::of(0usize..2),
        birthday in proptest::option::of(0i64..20_000),
        file_number in proptest::option::of("[A-Z0-9-]{1,12}"),
        organisation in proptest::option::of(0usize..3),
        city in proptest::option::of("[a-z]{1,10}"),
        channel in proptest::option::of(0usize..5),
        model in proptest::option::of("[a-z0-9 ]{0,10}[a-z]"),
        occupation in proptest::option::of(0usize..4),
        income in proptest::option::of(0usize..4),
        style in proptest::option::of(0usize..4),
        married in proptest::option::of(any::<bool>()),
        accessories in proptest::collection::btree_set(0usize..4, 0..4),
        purchase in proptest::option::of(0usize..4),
        insured in proptest::option::of(0usize..2),
        remarks in proptest::option::of("[a-z]{1,20}"),
    ) -> ACard {
        let mut card = a_card();
        card.basic.gender = gender.map(|i| Gender::ALL[i]);
        card.basic.birthday = birthday.map(|n| d(1950, 1, 1) + chrono::TimeDelta::days(n));
        card.basic.file_number = file_number.map(|s| text(&s));
        card.basic.organisation = organisation.map(|i| OrganisationType::ALL[i]);
        card.contact.city = city.map(|s| text(&s));
        card.contact.preferred.channel = channel.map(|i| ContactChannel::ALL[i]);
        card.vehicle.model = model.map(|s| text(&s));
        card.personal.occupation = occupation.map(|i| Occupation::ALL[i]);
        card.personal.income = income.map(|i| IncomeBand::ALL[i]);
        card.personal.communication_style = style.map(|i| CommunicationStyle::ALL[i]);
        card.personal.married = married;
        card.sale.accessories = accessories.into_iter().map(|i| Accessory::ALL[i]).collect();
        card.sale.purchase_type = purchase.map(|i| PurchaseType::ALL[i]);
        card.insurance.insured_here = insured.map(|i| InsuranceChoice::ALL[i] == InsuranceChoice::WithDealer);
        card.remarks = remarks.map(|s| text(&s));
        card
    }
}

proptest! {
    #[test]
    fn counters_grow_with_the_window(visits in visits_strategy(), at_days in 0i64..2_200) {
        let at = d(2021, 1, 1) + chrono::TimeDelta::days(at_days);
        let c = Counters::from_visits(&visits, at, &CounterWindows::default());
        prop_assert!(c.visits_short <= c.visits_medium);
        prop_assert!(c.visits_medium <= c.visits_long);
        prop_assert!(c.visits_long <= c.visits_total);
        prop_assert!(c.first_visit <= c.second_visit || c.second_visit.is_none());
        prop_assert!(c.last_visit.is_none_or(|l| l <= at));
        let up_to_at = visits.iter().filter(|v| v.date <= at).count() as u32;
        prop_assert_eq!(c.visits_total, up_to_at);
        // The order of the history does not matter.
        let mut reversed = visits.clone();
        reversed.reverse();
        prop_assert_eq!(Counters::from_visits(&reversed, at, &CounterWindows::default()), c);
    }

    #[test]
    fn the_transition_never_loses_a_field(card in a_card_strategy()) {
        let advisor = Some("SA-01".parse().unwrap());
        let c = CCard::from_a_card(card.clone(), advisor);
        prop_assert_eq!(&c.customer, &card.customer);
        prop_assert_eq!(&c.basic, &card.basic);
        prop_assert_eq!(&c.contact, &card.contact);
        prop_assert_eq!(&c.vehicle, &card.vehicle);
        prop_assert_eq!(&c.insurance, &card.insurance);
        prop_assert_eq!(&c.personal, &card.personal);
        prop_assert_eq!(c.sale.as_ref(), Some(&card.sale));
        prop_assert_eq!(&c.remarks, &card.remarks);
        prop_assert!(c.service.bought_here);
        // And through the file: the event log round trips and replays to
        // the same card.
        let policy = Policy::default();
        let mut file = CustomerFile::new();
        let mut log = file.execute(
            CustomerFileCommand::OpenSalesFile { on: d(2025, 3, 2), card: card.clone() },
            &policy,
        ).unwrap();
        log.extend(file.execute(
            CustomerFileCommand::RecordVisit {
                visit: Visit::new(d(2025, 9, 1), VisitKind::FirstMaintenance),
                advisor: Some("SA-01".parse().unwrap()),
            },
            &policy,
        ).unwrap());
        prop_assert_eq!(file.card(), Some(&Card::C(c)));
        let json = serde_json::to_string(&log).unwrap();
        let back: Vec<CustomerFileEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(CustomerFile::replay(&back), file);
    }

    #[test]
    fn both_cards_round_trip_through_json(card in a_card_strategy()) {
        let json = serde_json::to_string(&card).unwrap();
        prop_assert_eq!(serde_json::from_str::<ACard>(&json).unwrap(), card.clone());
        let c = CCard::from_a_card(card, None);
        let json = serde_json::to_string(&c).unwrap();
        prop_assert_eq!(serde_json::from_str::<CCard>(&json).unwrap(), c);
    }
}

#[test]
fn cards_reject_unknown_fields_and_empty_text() {
    let json = serde_json::to_value(a_card()).unwrap();
    let mut extra = json.clone();
    extra["basic"]["nickname"] = "小王".into();
    assert!(serde_json::from_value::<ACard>(extra).is_err());
    let mut empty = json;
    empty["contact"]["city"] = "  ".into();
    let err = serde_json::from_value::<ACard>(empty).unwrap_err();
    assert!(err.to_string().contains("card text is empty"), "{err}");
}

// ---------------------------------------------------------------------------
// Issue 14: the cards' words as the sources write them
// ---------------------------------------------------------------------------

#[test]
fn communication_styles_carry_the_names_of_001() {
    let zh: Vec<&str> = CommunicationStyle::ALL
        .iter()
        .map(|s| s.label_zh())
        .collect();
    assert_eq!(
        zh,
        [
            "分析型（蓝）",
            "权威型（红）",
            "合作型（绿）",
            "表现型（黄）"
        ]
    );
    assert_eq!(
        CommunicationStyle::Authoritative.label_en(),
        "authoritative (red)"
    );
    assert_eq!(
        CommunicationStyle::Cooperative.label_en(),
        "cooperative (green)"
    );
    // Files stored under the earlier names still load, and are written
    // back under the new ones.
    let old: CommunicationStyle = serde_json::from_str(r#""driver""#).unwrap();
    assert_eq!(old, CommunicationStyle::Authoritative);
    let old: CommunicationStyle = serde_json::from_str(r#""amiable""#).unwrap();
    assert_eq!(old, CommunicationStyle::Cooperative);
    assert_eq!(
        serde_json::to_string(&CommunicationStyle::Authoritative).unwrap(),
        r#""authoritative""#
    );
}

#[test]
fn insured_here_is_a_yes_no_and_earlier_files_still_load() {
    let yes: InsuranceInfo = serde_json::from_str(r#"{ "choice": "with_dealer" }"#).unwrap();
    assert_eq!(yes.insured_here, Some(true));
    let no: InsuranceInfo =
        serde_json::from_str(r#"{ "choice": "elsewhere", "policy_no": "P-1" }"#).unwrap();
    assert_eq!(no.insured_here, Some(false));
    assert_eq!(no.policy_no, Some(text("P-1")));
    let unknown: InsuranceInfo = serde_json::from_str("{}").unwrap();
    assert_eq!(unknown.insured_here, None);
    // Today's field, written and read back.
    let json = serde_json::to_string(&yes).unwrap();
    assert!(
        json.contains(r#""insured_here":true"#) && !json.contains("choice"),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<InsuranceInfo>(&json).unwrap(), yes);
    // Both fields, agreeing, load; disagreeing, are refused by name.
    let both: InsuranceInfo =
        serde_json::from_str(r#"{ "insured_here": false, "choice": "elsewhere" }"#).unwrap();
    assert_eq!(both.insured_here, Some(false));
    let err =
        serde_json::from_str::<InsuranceInfo>(r#"{ "insured_here": true, "choice": "elsewhere" }"#)
            .unwrap_err();
    assert!(err.to_string().contains("insured_here"), "{err}");
    assert!(serde_json::from_str::<InsuranceInfo>(r#"{ "insurer": "x" }"#).is_err());
    // 自选 and 外保 are the analysis table's words for yes and no.
    assert_eq!(
        InsuranceChoice::of(Some(true)),
        Some(InsuranceChoice::WithDealer)
    );
    assert_eq!(
        InsuranceChoice::of(Some(false)),
        Some(InsuranceChoice::Elsewhere)
    );
    assert_eq!(InsuranceChoice::of(None), None);
    assert_eq!(InsuranceChoice::WithDealer.label_zh(), "自选");
    assert_eq!(InsuranceChoice::Elsewhere.label_zh(), "外保");
}

/// The C-card of the transition story, rendered with `policy` and
/// `inputs`, a day after the first maintenance.
fn c_card_sheet(policy: &Policy, inputs: &CustomerFlagInputs) -> String {
    let mut file = opened(policy);
    record(
        &mut file,
        visit(d(2025, 9, 1), VisitKind::Maintenance, "WO-2025-0901", 5030),
        policy,
    );
    assert_eq!(file.card_kind(), Some(CardKind::C));
    file.render_with(d(2025, 9, 2), inputs, policy)
}

fn line<'a>(sheet: &'a str, label: &str) -> &'a str {
    sheet
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no line {label} in\n{sheet}"))
}

#[test]
fn the_c_card_counts_visits_in_half_a_year_one_year_and_three_years() {
    let policy = Policy::default();
    let sheet = c_card_sheet(&policy, &CustomerFlagInputs::default());
    for label in ["半年内来店次数", "一年内来店次数", "三年内来店次数"] {
        assert!(line(&sheet, label).ends_with(" 1"), "{sheet}");
    }
    assert!(!sheet.contains("个月内来店次数"), "{sheet}");

    // Other windows are named as they are: whole years in words, the rest
    // in months.
    let policy: Policy = serde_json::from_str(
        r#"{ "customer": { "windows": { "short_months": 9, "medium_months": 24, "long_months": 60 } } }"#,
    )
    .unwrap();
    let sheet = c_card_sheet(&policy, &CustomerFlagInputs::default());
    for label in ["9个月内来店次数", "两年内来店次数", "五年内来店次数"] {
        line(&sheet, label);
    }
    assert!(!sheet.contains("半年内"), "{sheet}");
}

#[test]
fn the_c_card_shows_membership_vip_and_both_kinds_of_number() {
    let policy = Policy::default();
    let plain = c_card_sheet(&policy, &CustomerFlagInputs::default());
    assert!(line(&plain, "是否会员").ends_with("是 yes"), "{plain}");
    assert!(line(&plain, "会员级别").contains("普通会员"), "{plain}");
    assert!(line(&plain, "是否VIP").ends_with("否 no"), "{plain}");
    // The sale contract and the last repair order, the sales consultant
    // and the service advisor: 销售/维修单号 and 销售/服务顾问.
    assert!(
        line(&plain, "销售/维修单号").ends_with("XS-2025-0088 / WO-2025-0901"),
        "{plain}"
    );
    assert!(
        line(&plain, "销售/服务顾问").ends_with("SC-02 / SA-05"),
        "{plain}"
    );

    // What the DMS knows besides the file makes the customer a VIP.
    let influential = CustomerFlagInputs {
        influential: true,
        ..Default::default()
    };
    let vip = c_card_sheet(&policy, &influential);
    assert!(line(&vip, "是否VIP").ends_with("是 yes"), "{vip}");
}

#[test]
fn a_c_card_with_no_sale_and_no_order_shows_a_dash_for_the_missing_number() {
    let policy = Policy::default();
    let mut file = CustomerFile::new();
    let mut card = CCard::service_only(
        "C-0999".parse().unwrap(),
        BasicInfo::new("李女士".parse().unwrap()),
        VehicleInfo::new("LSVAA4180E2999999".parse().unwrap()),
    );
    let mut bare = CustomerFile::new();
    bare.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 5, 1),
            card: card.clone(),
        },
        &policy,
    )
    .unwrap();
    // Neither number nor name is known: the lines are left out, as any
    // unknown field is.
    let sheet = bare.render(d(2025, 5, 2), &policy);
    assert!(
        !sheet.contains("销售/维修单号") && !sheet.contains("销售/服务顾问"),
        "{sheet}"
    );
    card.service.advisor = Some("SA-07".parse().unwrap());
    file.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 5, 1),
            card,
        },
        &policy,
    )
    .unwrap();
    file.execute(
        CustomerFileCommand::RecordVisit {
            visit: visit(d(2025, 5, 1), VisitKind::Repair, "WO-2025-0501", 30_000),
            advisor: None,
        },
        &policy,
    )
    .unwrap();
    let sheet = file.render(d(2025, 5, 2), &policy);
    assert!(
        line(&sheet, "销售/维修单号").ends_with("— / WO-2025-0501"),
        "{sheet}"
    );
    assert!(
        line(&sheet, "销售/服务顾问").ends_with("— / SA-07"),
        "{sheet}"
    );
}
