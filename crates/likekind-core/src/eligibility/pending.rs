//! A failure decided on dates still ahead: what would still save the exchange, and by when.
//!
//! As entered, an exchange can fail on a date that has not come yet: a closing scheduled
//! after the end of the exchange period while that end is still ahead (IRC §1031(a)(3)(B);
//! Treas. Reg. §1.1031(k)-1(b)(2)(ii)); a period cut short by the return's due date that an
//! extension filed by that due date would lengthen (IRC §1031(a)(3)(B)(ii): "the due date
//! (determined with regard to extension)"); an over-identification the 95% rule can still
//! cure by receipts up to the end of the exchange period (Treas. Reg.
//! §1.1031(k)-1(c)(4)(ii)(B)), or that a written revocation before the end of the
//! identification period can still undo ((c)(6)). Such a failure is not settled: the report
//! says the exchange "will fail unless" the condition is met by the deciding deadline. Once
//! that deadline has passed, the verdict is settled as it always was.

use crate::eligibility::qualification::{Qualification, Unless};
use crate::identification::{IdRule, Identification, Standing};
use crate::model::{ExchangeFile, ExchangeType};
use crate::money::format_usd as usd;
use crate::timing::deadlines::{Deadlines, extension_clause};
use jiff::civil::Date;

const OVER_ID: &str = "Treas. Reg. §1.1031(k)-1(c)(4)(ii)(B), (c)(6)";
const LATE: &str = "IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii), (d)(1)";

/// What would still keep the taxable sale `q` (as entered, not settled) from failing, or
/// `None` when it is settled, not a taxable sale, failed for a reason no date cures, or
/// simply waiting for identified property to be received (its summary says so already).
pub fn unless(
    f: &ExchangeFile,
    d: &Deadlines,
    id: &Identification,
    q: &Qualification,
    as_of: Date,
) -> Option<Unless> {
    if q.settled
        || !q.is_taxable_sale()
        || q.exchange_reason.is_some()
        || f.exchange.kind == ExchangeType::Reverse
        || as_of > d.exchange_end
        || !q.given.iter().any(|g| g.eligible)
    {
        return None;
    }
    let mut clauses: Vec<String> = Vec::new();
    let mut authorities: Vec<&'static str> = Vec::new();
    if over_identified(id) {
        if id.period_open {
            clauses.push(format!(
                "identifications are revoked in writing by {} so that no more than three properties, or properties worth no more than 200% of the {} given up, stay identified",
                d.identification_end,
                usd(id.relinquished_fmv)
            ));
        }
        clauses.push(format!(
            "identified property worth at least {} (95% of the {} identified; received so far: {}) is received by {}",
            usd(id.threshold_95),
            usd(id.aggregate_identified_fmv),
            usd(id.identified_fmv_received),
            d.exchange_end
        ));
        authorities.push(OVER_ID);
    }
    for p in id
        .properties
        .iter()
        .filter(|p| p.standing == Standing::ReceivedLate && p.scheduled)
    {
        let Some(on) = p.received_on else { continue };
        // The property as people know it (its description), not the file's id.
        let mut c = format!(
            "{} closes by {} instead of {}",
            f.property_words(&p.id),
            d.exchange_end,
            on
        );
        if let Some(ext) = extension_clause(d, f.taxpayer.entity, as_of, on) {
            c.push_str(&format!(", or {ext}"));
        }
        clauses.push(c);
        authorities.push(LATE);
    }
    if clauses.is_empty() {
        return None;
    }
    authorities.dedup();
    Some(Unless {
        text: clauses.join("; or ").into(),
        by: d.exchange_end,
        authority: authorities.join("; ").into(),
    })
}

/// More properties identified than the three-property and 200% rules allow, and the 95%
/// rule not (yet) met (Treas. Reg. §1.1031(k)-1(c)(4)).
fn over_identified(id: &Identification) -> bool {
    !id.three_property_rule
        && !id.two_hundred_percent_rule
        && !id.valid
        && !id.remaining.is_empty()
        && id.rule != IdRule::ReceivedWithin45Days
}
