//! Issue 11 ("when the law says no, the figures say no"): law fixes checked through the whole
//! engine (`parse_exchange` + `analyze`).

use likekind_core::findings::Severity;
use likekind_core::{Format, Report, analyze, parse_exchange};

fn report(toml: &str) -> Report {
    match parse_exchange(toml, Format::Toml) {
        Ok(f) => analyze(&f, jiff::civil::date(2026, 11, 25)),
        Err(e) => panic!("rejected: {e}"),
    }
}

fn has_code(r: &Report, code: &str) -> bool {
    r.findings.iter().any(|f| f.code == code)
}

/// A delayed exchange, the identification dated `identified_on`.
fn early_identification(identified_on: &str) -> String {
    format!(
        r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2015-06-01"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "b"
fmv = "1000000"
identified_on = "{identified_on}"
[[replacement]]
id = "b"
location = "TX"
received = "2026-06-15"
price = "1000000"
"#
    )
}

/// Treas. Reg. §1.1031(k)-1(c)(2): identification in the written exchange agreement, before
/// the transfer, is made before the end of the identification period and is valid.
#[test]
fn identification_before_the_transfer_is_timely() {
    for on in ["2026-02-20", "2026-03-01", "2026-03-02"] {
        let r = report(&early_identification(on));
        let id = r.identification.as_ref().map(|i| (i.valid, i.rule));
        assert_eq!(id.map(|(v, _)| v), Some(true), "{on}: {:?}", r.findings);
        assert!(!has_code(&r, "identification_late"), "{on}");
        assert!(!has_code(&r, "replacement_not_identified"), "{on}");
        assert!(!r.has_error(), "{on}: {:?}", r.findings);
        assert_eq!(r.gain.recognized, rust_decimal::Decimal::ZERO, "{on}");
    }
    // The day after the identification period is still late.
    let r = report(&early_identification("2026-04-17"));
    assert!(has_code(&r, "identification_late"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "identification_late" && f.severity == Severity::Error)
    );
}
