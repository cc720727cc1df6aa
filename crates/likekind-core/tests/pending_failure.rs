//! QA12 D3: a failure decided on dates still ahead is not settled. Before the deciding
//! deadline (day 180 for a closing scheduled after it, the due date by which an extension
//! moves a due-date cut, IRC §1031(a)(3)(B)(ii); the end of the exchange period for an
//! over-identification the 95% rule can still cure, Treas. Reg. §1.1031(k)-1(c)(4)(ii)(B)),
//! the report says the exchange "will fail unless" and the plan keeps "Complete the 1031
//! exchange" available on that condition; after the deadline the failure is settled as
//! before.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::plan::{ExchangeStatus, Overrides, Plan, plan, resolve};
use likekind_core::report::Report;
use likekind_core::timing::status::State;
use likekind_core::{Format, analyze, parse_exchange};

const S02: &str = include_str!("qa12/s02_over_id.toml");
const S03: &str = include_str!("qa12/s03_received_late.toml");
const S04: &str = include_str!("qa12/s04_due_date_cut.toml");

fn both(text: &str, as_of: Date) -> (Report, Plan) {
    let f = parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, as_of);
    let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    let p = plan(&f, &r, &a).unwrap_or_else(|e| panic!("{e:?}"));
    (r, p)
}

fn complete_1031(p: &Plan) -> &likekind_core::plan::Strategy {
    p.strategies
        .iter()
        .find(|s| s.name == "complete_1031")
        .expect("complete_1031")
}

fn finding<'r>(r: &'r Report, code: &str) -> Option<&'r likekind_core::findings::Finding> {
    r.findings.iter().find(|f| f.code == code)
}

#[test]
fn a_closing_scheduled_after_day_180_will_fail_unless_moved_while_day_180_is_ahead() {
    let (r, p) = both(S03, date(2026, 7, 1));
    let q = &r.qualification;
    assert!(!q.settled, "{q:?}");
    let u = q.unless.as_ref().expect("the condition");
    assert_eq!(u.by, date(2026, 8, 29));
    // Named as people know it (its description), not by the file's id ("elm").
    assert!(
        u.text
            .contains("Elm Plaza, 400 Elm St, Austin TX closes by 2026-08-29"),
        "{}",
        u.text
    );
    assert!(u.authority.contains("§1031(a)(3)(B)"), "{}", u.authority);
    assert!(q.summary.contains("will fail unless"), "{}", q.summary);
    assert!(!q.summary.contains("was received"), "{}", q.summary);
    // The finding speaks of a closing to come, at warning, not a receipt that happened.
    let late = finding(&r, "replacement_late").expect("replacement_late");
    assert!(
        late.message.contains("is scheduled to be received"),
        "{}",
        late.message
    );
    assert!(
        late.message.contains("will fail unless"),
        "{}",
        late.message
    );
    assert_eq!(late.severity, likekind_core::findings::Severity::Warning);
    // Day 180 is still a deadline to count down to, not one that "no longer applies".
    let st = r.status.as_ref().expect("status");
    let end = st
        .items
        .iter()
        .find(|i| i.milestone.key == "exchange_end")
        .expect("exchange_end");
    assert_eq!(end.state, State::Upcoming);
    // No "funds not yet spent, acquire more" advice on a sale that fails as entered.
    assert!(finding(&r, "exchange_in_progress").is_none());
    // The plan keeps the exchange available, on the condition.
    assert_eq!(p.status, ExchangeStatus::InProgress, "{}", p.status_reason);
    assert!(
        p.status_reason.contains("will fail unless"),
        "{}",
        p.status_reason
    );
    let c = complete_1031(&p);
    assert!(c.eligible, "{}", c.eligibility);
    assert!(
        c.eligibility.contains("will fail unless"),
        "{}",
        c.eligibility
    );

    // After day 180 the failure is settled, as before.
    let (r, p) = both(S03, date(2026, 9, 2));
    assert!(r.qualification.settled);
    assert!(r.qualification.unless.is_none());
    let late = finding(&r, "replacement_late").expect("replacement_late");
    assert!(
        late.message.contains("was received on 2026-09-01"),
        "{}",
        late.message
    );
    assert_eq!(p.status, ExchangeStatus::Failed);
    assert!(!complete_1031(&p).eligible);
}

#[test]
fn a_due_date_cut_an_extension_would_lift_is_not_a_settled_failure() {
    let (r, p) = both(S04, date(2026, 11, 25));
    let q = &r.qualification;
    assert!(!q.settled);
    let u = q.unless.as_ref().expect("the condition");
    assert!(u.text.contains("Form 4868"), "{}", u.text);
    assert!(u.text.contains("2027-04-15"), "{}", u.text);
    assert!(u.text.contains("2027-05-15"), "{}", u.text);
    assert!(u.text.contains("§1031(a)(3)(B)(ii)"), "{}", u.text);
    assert_eq!(p.status, ExchangeStatus::InProgress, "{}", p.status_reason);
    let c = complete_1031(&p);
    assert!(c.eligible, "{}", c.eligibility);
    assert!(c.eligibility.contains("Form 4868"), "{}", c.eligibility);
    assert_ne!(
        p.recommended.as_ref().map(|x| x.strategy.as_str()),
        Some("failed_gain_to_qof"),
        "{:?}",
        p.recommended
    );
}

#[test]
fn an_over_identification_the_95_percent_rule_can_still_cure_is_not_failed_in_the_plan() {
    let (r, p) = both(S02, date(2026, 6, 20));
    let q = &r.qualification;
    assert!(!q.settled);
    let u = q.unless.as_ref().expect("the condition");
    assert!(u.text.contains("$3,420,000.00"), "{}", u.text);
    assert!(u.authority.contains("(c)(4)(ii)(B)"), "{}", u.authority);
    assert!(q.summary.contains("not yet met"), "{}", q.summary);
    assert_eq!(p.status, ExchangeStatus::InProgress, "{}", p.status_reason);
    assert!(complete_1031(&p).eligible);

    // After the exchange period the identification has failed for good.
    let (r, p) = both(S02, date(2026, 9, 1));
    assert!(r.qualification.settled);
    assert_eq!(p.status, ExchangeStatus::Failed);
    assert!(!complete_1031(&p).eligible);
}
