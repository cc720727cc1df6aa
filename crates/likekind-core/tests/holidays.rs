//! The federal holiday calendar against a fixture table of observed dates for 2020–2035,
//! written from the OPM holiday lists (5 U.S.C. §6103; a Saturday holiday is observed on
//! Friday, a Sunday holiday on Monday), not computed by the engine. Inauguration Day (DC area
//! only) is not in the nationwide list.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic on broken fixtures

use jiff::civil::{Date, date};
use likekind_core::holidays::{
    dc_legal_holiday, dc_only_holiday, federal_holidays, is_business_day, roll_7503,
};

const OPM: &[(i16, &[&str])] = &[
    (
        2020,
        &[
            "01-01", "01-20", "02-17", "05-25", "07-03", "09-07", "10-12", "11-11", "11-26",
            "12-25",
        ],
    ),
    (
        2021,
        &[
            "01-01", "01-18", "02-15", "05-31", "06-18", "07-05", "09-06", "10-11", "11-11",
            "11-25", "12-24", "12-31",
        ],
    ),
    (
        2022,
        &[
            "01-17", "02-21", "05-30", "06-20", "07-04", "09-05", "10-10", "11-11", "11-24",
            "12-26",
        ],
    ),
    (
        2023,
        &[
            "01-02", "01-16", "02-20", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10",
            "11-23", "12-25",
        ],
    ),
    (
        2024,
        &[
            "01-01", "01-15", "02-19", "05-27", "06-19", "07-04", "09-02", "10-14", "11-11",
            "11-28", "12-25",
        ],
    ),
    (
        2025,
        &[
            "01-01", "01-20", "02-17", "05-26", "06-19", "07-04", "09-01", "10-13", "11-11",
            "11-27", "12-25",
        ],
    ),
    (
        2026,
        &[
            "01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "09-07", "10-12", "11-11",
            "11-26", "12-25",
        ],
    ),
    (
        2027,
        &[
            "01-01", "01-18", "02-15", "05-31", "06-18", "07-05", "09-06", "10-11", "11-11",
            "11-25", "12-24", "12-31",
        ],
    ),
    (
        2028,
        &[
            "01-17", "02-21", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10", "11-23",
            "12-25",
        ],
    ),
    (
        2029,
        &[
            "01-01", "01-15", "02-19", "05-28", "06-19", "07-04", "09-03", "10-08", "11-12",
            "11-22", "12-25",
        ],
    ),
    (
        2030,
        &[
            "01-01", "01-21", "02-18", "05-27", "06-19", "07-04", "09-02", "10-14", "11-11",
            "11-28", "12-25",
        ],
    ),
    (
        2031,
        &[
            "01-01", "01-20", "02-17", "05-26", "06-19", "07-04", "09-01", "10-13", "11-11",
            "11-27", "12-25",
        ],
    ),
    (
        2032,
        &[
            "01-01", "01-19", "02-16", "05-31", "06-18", "07-05", "09-06", "10-11", "11-11",
            "11-25", "12-24", "12-31",
        ],
    ),
    (
        2033,
        &[
            "01-17", "02-21", "05-30", "06-20", "07-04", "09-05", "10-10", "11-11", "11-24",
            "12-26",
        ],
    ),
    (
        2034,
        &[
            "01-02", "01-16", "02-20", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10",
            "11-23", "12-25",
        ],
    ),
    (
        2035,
        &[
            "01-01", "01-15", "02-19", "05-28", "06-19", "07-04", "09-03", "10-08", "11-12",
            "11-22", "12-25",
        ],
    ),
];

/// DC Emancipation Day as observed (April 16; Saturday → Friday, Sunday → Monday) and the
/// resulting individual filing date under IRC §7503 for the return due April 15.
const DC: &[(i16, &str, &str)] = &[
    (2020, "04-16", "04-15"),
    (2021, "04-16", "04-15"),
    (2022, "04-15", "04-18"),
    (2023, "04-17", "04-18"),
    (2024, "04-16", "04-15"),
    (2025, "04-16", "04-15"),
    (2026, "04-16", "04-15"),
    (2027, "04-16", "04-15"),
    (2028, "04-17", "04-18"),
    (2029, "04-16", "04-17"),
    (2030, "04-16", "04-15"),
    (2031, "04-16", "04-15"),
    (2032, "04-16", "04-15"),
    (2033, "04-15", "04-18"),
    (2034, "04-17", "04-18"),
    (2035, "04-16", "04-17"),
];

fn d(y: i16, md: &str) -> Date {
    let (m, dd) = md.split_once('-').expect("MM-DD");
    date(y, m.parse().expect("month"), dd.parse().expect("day"))
}

#[test]
fn federal_holidays_match_the_opm_table_2020_2035() {
    for (y, want) in OPM {
        let got: Vec<Date> = federal_holidays(*y).into_iter().map(|h| h.date).collect();
        let want: Vec<Date> = want.iter().map(|md| d(*y, md)).collect();
        assert_eq!(got, want, "federal holidays observed in {y}");
        for h in &want {
            assert!(!is_business_day(*h), "{h} is a holiday");
        }
    }
}

#[test]
fn emancipation_day_and_tax_day_2020_2035() {
    for (y, emancipation, tax_day) in DC {
        let e = d(*y, emancipation);
        assert_eq!(
            dc_only_holiday(e),
            Some("District of Columbia Emancipation Day"),
            "{y}"
        );
        assert!(dc_legal_holiday(e).is_some());
        assert_eq!(roll_7503(date(*y, 4, 15)), d(*y, tax_day), "tax day {y}");
    }
}

#[test]
fn inauguration_day_is_a_dc_legal_holiday() {
    assert_eq!(dc_only_holiday(date(2021, 1, 20)), Some("Inauguration Day"));
    assert!(
        is_business_day(date(2021, 1, 20)),
        "not a nationwide holiday"
    );
    assert_eq!(roll_7503(date(2021, 1, 20)), date(2021, 1, 21));
}
