//! One customer's file over two years (CUS-01 … CUS-11): 王建国 buys a
//! Corolla and is filed on an A-card; his first maintenance moves him to
//! the C-card; he comes back twice with the same brake noise, and the two
//! reworks make him an important customer for a department manager
//! (CUS-09, CMP-12); then he stops coming, and a year after his last visit
//! he is on the long-time-no-visit list and in the care calendar (CUS-11).
//!
//! Run with `cargo run --example customer_journey`.

use std::error::Error;

use aftersales::{
    ACard, BasicInfo, CardKind, ContactChannel, ContactInfo, CustomerFile, CustomerFileCommand,
    CustomerFileEvent, CustomerFlagInputs, Gender, Km, MaintenanceItem, Money, Policy, Powertrain,
    PreferredContact, SaleInfo, VehicleInfo, Visit, VisitKind, care_calendar, customer_flags,
    customer_segment,
};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, Box<dyn Error>> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

fn visit(
    date: NaiveDate,
    kind: VisitKind,
    order: &str,
    km: u32,
    paid: &str,
) -> Result<Visit, Box<dyn Error>> {
    Ok(Visit {
        order: Some(order.parse()?),
        odometer: Some(Km(km)),
        amount: Some(paid.parse::<Money>()?),
        ..Visit::new(date, kind)
    })
}

fn show(events: &[CustomerFileEvent]) {
    for event in events {
        match event {
            CustomerFileEvent::SalesFileOpened { on, .. } => {
                println!("  {on}: A卡建档 sales file opened on the A-card");
            }
            CustomerFileEvent::VisitRecorded { visit } => println!(
                "  {}: {} {} recorded{}",
                visit.date,
                visit.kind.label_zh(),
                visit.kind,
                if visit.comeback {
                    " (返修 comeback)"
                } else {
                    ""
                }
            ),
            CustomerFileEvent::MovedToServiceFile { on, trigger, .. } => {
                println!("  {on}: 转入C卡 moved to the C-card after the {trigger} (CUS-04)")
            }
            other => println!("  {other:?}"),
        }
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let policy = Policy::default();
    let inputs = CustomerFlagInputs::default();

    // 2 March 2025: the sale.
    let mut vehicle = VehicleInfo::new("LFMA3ACC5R0123456".parse()?);
    vehicle.model = Some("卡罗拉 1.2T".parse()?);
    vehicle.plate = Some("皖N12345".parse()?);
    vehicle.powertrain = Some(Powertrain::Combustion);
    vehicle.delivered_on = Some(day(2025, 3, 2)?);
    vehicle.delivery_odometer = Some(Km(12));
    let mut basic = BasicInfo::new("王建国".parse()?);
    basic.gender = Some(Gender::Male);
    basic.birthday = Some(day(1988, 7, 14)?);
    let card = ACard {
        customer: "C-0301".parse()?,
        basic,
        contact: ContactInfo {
            mobile: Some("13905640001".parse()?),
            preferred: PreferredContact {
                channel: Some(ContactChannel::Phone),
                times: Vec::new(),
            },
            ..ContactInfo::default()
        },
        vehicle,
        insurance: Default::default(),
        personal: Default::default(),
        sale: SaleInfo {
            consultant: Some("SC-02".parse()?),
            ..SaleInfo::default()
        },
        remarks: None,
    };
    let mut file = CustomerFile::new();
    println!("王建国 and his Corolla:");
    show(&file.execute(
        CustomerFileCommand::OpenSalesFile {
            on: day(2025, 3, 2)?,
            card,
        },
        &policy,
    )?);

    // 1 September 2025: the first maintenance moves him to the C-card.
    let mut first = visit(
        day(2025, 9, 1)?,
        VisitKind::FirstMaintenance,
        "WO-2025-0901",
        5_030,
        "0 CNY",
    )?;
    first.items = vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter];
    let advisor = Some("SA-05".parse()?);
    show(&file.execute(
        CustomerFileCommand::RecordVisit {
            visit: first,
            advisor: advisor.clone(),
        },
        &policy,
    )?);
    assert_eq!(file.card_kind(), Some(CardKind::C));

    // The brakes squeal: a repair, then the same noise twice more.
    let returns = [
        (day(2025, 10, 8)?, false, "WO-2025-1008", 6_100, "1280 CNY"),
        (day(2025, 10, 29)?, true, "WO-2025-1029", 6_650, "0 CNY"),
        (day(2025, 11, 20)?, true, "WO-2025-1120", 7_240, "0 CNY"),
    ];
    for (date, comeback, order, km, paid) in returns {
        let mut v = visit(date, VisitKind::Repair, order, km, paid)?;
        v.comeback = comeback;
        show(&file.execute(
            CustomerFileCommand::RecordVisit {
                visit: v,
                advisor: advisor.clone(),
            },
            &policy,
        )?);
    }

    let after = day(2025, 11, 21)?;
    let flags = customer_flags(&file, after, &inputs, &policy)?;
    println!("\nOn {after}:");
    let counters = file.counters(after, &policy);
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    println!(
        "  visits: {} in 6 months, {} in 12, {} in 36; first {}, second {}, last {}",
        counters.visits_short,
        counters.visits_medium,
        counters.visits_long,
        date(counters.first_visit),
        date(counters.second_visit),
        date(counters.last_visit)
    );
    match flags.handling_rule() {
        Some(rule) => {
            println!("  重要客户 important customer, handled by a department manager ({rule}):")
        }
        None => println!("  not an important customer"),
    }
    for reason in &flags.important {
        println!("    {reason}");
    }

    // He does not come back. A year after the last visit:
    let later = day(2026, 11, 21)?;
    let flags = customer_flags(&file, later, &inputs, &policy)?;
    let segment = customer_segment(&file, later, &policy)?;
    println!("\nOn {later}:");
    match &flags.long_time_no_visit {
        Some(watch) => println!(
            "  久未回厂 long time no visit: last visit {} ({}, {} months ago, threshold {} months); \
             check the last service and whether he was satisfied, then call (CUS-11)",
            watch.last_visit,
            watch.last_visit_kind,
            watch.months_since_last_visit,
            watch.threshold_months
        ),
        None => println!("  still a regular customer"),
    }
    println!(
        "  RFM {} → {} {}",
        segment.score.code(),
        segment.segment.label_zh(),
        segment.segment
    );

    // The care calendar sees the same file.
    let profile = file.care_profile(later, &policy).ok_or("file not open")?;
    let calendar = care_calendar([&profile], later, day(2026, 11, 30)?, &policy)?;
    println!("\n{}", calendar.render());
    Ok(())
}
