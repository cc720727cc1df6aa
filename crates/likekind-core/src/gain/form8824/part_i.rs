//! Form 8824 Part I, information on the like-kind exchange (lines 1–7): what was given up
//! and received, and the dates of the exchange (Instructions for Form 8824, lines 1–7).

use crate::eligibility::qualification::Qualification;
use crate::model::ExchangeFile;
use jiff::civil::Date;
use serde::Serialize;

/// Form 8824 Part I (lines 1–7), from the file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PartI {
    pub line_1: String,
    pub line_2: String,
    pub line_3: Option<Date>,
    pub line_4: Option<Date>,
    pub line_5: Option<Date>,
    pub line_6: Option<Date>,
    pub line_7_related_party: bool,
}

/// Form 8824 Part I from the file and the verdict: lines 2, 5 and 6 describe the like-kind
/// property received (Instructions for Form 8824, lines 1-6).
pub fn part_i(f: &ExchangeFile, q: &Qualification) -> PartI {
    let lk = || {
        f.replacement
            .iter()
            .enumerate()
            .filter(|(k, _)| q.like_kind_at(*k))
            .map(|(_, r)| r)
    };
    PartI {
        line_1: join(
            f.relinquished
                .iter()
                .map(|r| describe(&r.id, &r.description)),
        ),
        line_2: join(lk().map(|r| describe(&r.id, &r.description))),
        line_3: f.relinquished.iter().map(|r| r.acquired).min(),
        line_4: f.first_transfer(),
        line_5: f
            .identified
            .iter()
            .filter(|i| i.revoked_on.is_none() && lk().any(|r| r.id == i.id))
            .map(|i| i.identified_on)
            .max(),
        line_6: lk().map(|r| r.received).max(),
        line_7_related_party: f.related_party.is_some(),
    }
}

/// A property's description, or its name when it has none (a name the program made up,
/// `property-3`, as "Property 3": [`crate::words::name`]).
fn describe<'a>(id: &'a str, d: &'a str) -> std::borrow::Cow<'a, str> {
    if !d.is_empty() {
        std::borrow::Cow::Borrowed(d)
    } else if crate::words::name(id) == id {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(crate::words::name(id))
    }
}

/// The descriptions separated by "; ", written into one string of the right size.
fn join<'a>(it: impl Iterator<Item = std::borrow::Cow<'a, str>> + Clone) -> String {
    let len = it.clone().map(|d| d.len() + 2).sum::<usize>();
    let mut s = String::with_capacity(len.saturating_sub(2));
    for (k, d) in it.enumerate() {
        if k > 0 {
            s.push_str("; ");
        }
        s.push_str(&d);
    }
    s
}
