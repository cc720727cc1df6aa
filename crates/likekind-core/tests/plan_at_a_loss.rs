//! A plan for an exchange that realizes a loss: the exchange defers the loss (IRC
//! §1031(a)(1): "no gain or loss"), and a Qualified Opportunity Fund defers only gain (IRC
//! §1400Z-2(a)(1)). An amount planned for a fund is said to have nothing to defer (it was
//! silently left out); the failed path says the sale has no gain instead of blaming ordinary
//! income; and no fund window is discussed when there is no gain to count its days from.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::plan::{Overrides, Plan, plan, resolve};
use likekind_core::{Format, analyze, parse_exchange};

/// The CLI's verdict file of the same case (its reports are recorded there too), without
/// its `[plan]` table for the control.
const WITH_FUND: &str =
    include_str!("../../likekind-cli/tests/verdict_files/loss-with-a-fund-planned.toml");

fn without_plan() -> &'static str {
    &WITH_FUND[..WITH_FUND.find("[plan]").expect("the plan table")]
}

fn plan_of(text: &str) -> Plan {
    let f = parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, date(2026, 11, 25));
    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    plan(&f, &r, &a).unwrap_or_else(|e| panic!("{e:?}"))
}

fn codes(p: &Plan) -> Vec<&str> {
    p.findings.iter().map(|f| f.code.as_ref()).collect()
}

#[test]
fn a_fund_planned_for_a_loss_is_said_to_have_nothing_to_defer() {
    let p = plan_of(WITH_FUND);
    let w = p
        .findings
        .iter()
        .find(|f| f.code == "plan_qof_without_gain")
        .expect("the warning");
    assert_eq!(w.severity, likekind_core::findings::Severity::Warning);
    assert!(
        w.message.contains("You planned $100,000.00"),
        "{}",
        w.message
    );
    assert!(w.authority.contains("1400Z-2(a)(1)"), "{}", w.authority);
    for code in ["oz_window_closed", "oz_failed_1031_start_no_authority"] {
        assert!(!codes(&p).contains(&code), "{code}: {:?}", codes(&p));
    }
    let failed = p
        .strategies
        .iter()
        .find(|s| s.name == "failed_1031_gain_to_qof")
        .unwrap();
    assert!(!failed.eligible);
    assert!(
        failed.eligibility.contains("the sale realizes no gain")
            && !failed.eligibility.contains("ordinary income"),
        "{}",
        failed.eligibility
    );
    let complete = p
        .strategies
        .iter()
        .find(|s| s.name == "complete_1031")
        .unwrap();
    assert!(
        complete.eligibility.contains("defers the loss"),
        "{}",
        complete.eligibility
    );
    assert!(
        p.status_reason.contains("defers the loss"),
        "{}",
        p.status_reason
    );
}

/// The control: with no amount planned there is nothing to warn of.
#[test]
fn no_warning_without_a_planned_amount() {
    let p = plan_of(without_plan());
    assert!(
        !codes(&p).contains(&"plan_qof_without_gain"),
        "{:?}",
        codes(&p)
    );
    assert!(codes(&p).contains(&"plan_no_gain"));
}
