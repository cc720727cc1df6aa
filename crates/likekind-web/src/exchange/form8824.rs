//! Form 8824 on the exchange page: Part I, Part II and the lines of Part III, each line of
//! Part III open to the engine's steps.

use super::widgets::explained;
use crate::fmt;
use jiff::civil::Date;
use likekind_core::Report;
use maud::{Markup, html};

/// Form 8824 Part I (lines 1 to 7), from the engine's report.
pub(super) fn part_i(r: &Report) -> Markup {
    let p = &r.form_8824_part_i;
    let day = |d: Option<Date>| d.map_or_else(|| "Not yet".to_string(), fmt::date);
    let none = |s: &str| {
        if s.is_empty() {
            "None".to_string()
        } else {
            s.to_string()
        }
    };
    let rows: [(&str, &str, String); 7] = [
        (
            "1",
            "Description of like-kind property given up",
            none(&p.line_1),
        ),
        (
            "2",
            "Description of like-kind property received",
            none(&p.line_2),
        ),
        (
            "3",
            "Date like-kind property given up was originally acquired",
            day(p.line_3),
        ),
        (
            "4",
            "Date you actually transferred your property to the other party",
            day(p.line_4),
        ),
        (
            "5",
            "Date like-kind property you received was identified by written notice to another party",
            day(p.line_5),
        ),
        (
            "6",
            "Date you actually received the like-kind property from the other party",
            day(p.line_6),
        ),
        (
            "7",
            "Was the exchange made with a related party, either directly or indirectly?",
            if p.line_7_related_party {
                "Yes (see Part II)".to_string()
            } else {
                "No".to_string()
            },
        ),
    ];
    html! {
        h3 #p1-h { "Part I: information on the like-kind exchange" }
        table.lines aria-labelledby="p1-h" {
            thead { tr { th scope="col" { "Line" } th scope="col" { "Caption" } th scope="col" { "Entry" } } }
            tbody { @for (n, caption, v) in &rows { tr { td { (n) } th scope="row" { (caption) } td { (v) } } } }
        }
    }
}

/// Form 8824 Part II (lines 8 to 11) when the exchange was made with a related party.
pub(super) fn part_ii(r: &Report) -> Markup {
    let Some(p) = &r.form_8824_part_ii else {
        return html! {
            h3 #p2-h { "Part II: related party exchange information" }
            p { "Not filled in: the exchange was not made with a related party (line 7 is No)." }
        };
    };
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not stated",
    };
    html! {
        h3 #p2-h { "Part II: related party exchange information" }
        table.lines aria-labelledby="p2-h" {
            thead { tr { th scope="col" { "Line" } th scope="col" { "Caption" } th scope="col" { "Entry" } } }
            tbody {
                tr { td { "8" } th scope="row" { "Name of related party" } td { (p.line_8.name) } }
                tr { td { "8" } th scope="row" { "Relationship to you" } td { (p.line_8.relationship) } }
                @if let Some(a) = &p.line_8.address { tr { td { "8" } th scope="row" { "Address" } td { (a) } } }
            }
        }
        // The window in the engine's words (its findings say it so), with the §1031(g) rule.
        p #two-year { "The related party must keep the property until " strong { (fmt::date(p.two_year_end)) } " (" (fmt::words(&p.window_words())) "). " (likekind_core::related_party::SUSPENSION) }
        @if !p.years.is_empty() {
            table.lines aria-label="Part II, lines 9 to 11, by tax year" {
                thead { tr { th scope="col" { "Tax year ending" } th scope="col" { "Line 9: the related party disposed of the property" } th scope="col" { "Line 10: you disposed of the property" } th scope="col" { "Line 11: exception" } th.num scope="col" { "Gain recognized" } } }
                tbody { @for y in &p.years { tr {
                    th scope="row" { (fmt::date(y.tax_year_end)) }
                    td { (yes_no(y.line_9)) } td { (yes_no(y.line_10)) }
                    td { (y.line_11.map_or("None", exception_words)) }
                    td.num { (fmt::usd(y.recognized)) }
                } } }
            }
        }
    }
}

fn exception_words(e: likekind_core::model::RelatedPartyException) -> &'static str {
    use likekind_core::model::RelatedPartyException as X;
    match e {
        X::Death => "After the death of you or the related party",
        X::InvoluntaryConversion => "An involuntary conversion",
        X::NoTaxAvoidance => "No tax avoidance purpose",
    }
}

const LINES: [(&str, &str); 14] = [
    ("12", "Fair market value of other property given up"),
    ("13", "Adjusted basis of other property given up"),
    ("14", "Gain or (loss) on other property given up"),
    (
        "15",
        "Cash and other property received, plus net liabilities assumed by the other party, less exchange expenses",
    ),
    ("16", "Fair market value of like-kind property received"),
    ("17", "Add lines 15 and 16"),
    (
        "18",
        "Adjusted basis of like-kind property given up, net amounts paid, and exchange expenses not used on line 15",
    ),
    ("19", "Realized gain or (loss)"),
    (
        "20",
        "Smaller of line 15 or line 19, but not less than zero",
    ),
    ("21", "Ordinary income under recapture rules"),
    ("22", "Line 20 less line 21"),
    ("23", "Recognized gain"),
    ("24", "Deferred gain or (loss)"),
    ("25", "Basis of like-kind property received"),
];

fn line_value(r: &Report, n: &str) -> likekind_core::Amount {
    let l = &r.form_8824;
    match n {
        "12" => l.line_12,
        "13" => l.line_13,
        "14" => l.line_14,
        "15" => l.line_15,
        "16" => l.line_16,
        "17" => l.line_17,
        "18" => l.line_18,
        "19" => l.line_19,
        "20" => l.line_20,
        "21" => l.line_21,
        "22" => l.line_22,
        "23" => l.line_23,
        "24" => l.line_24,
        _ => l.line_25,
    }
}

/// Form 8824 Part III (lines 12 to 25), each line open to how it was computed and under what
/// authority.
pub fn part_iii(r: &Report) -> Markup {
    html! {
        h3 #p3-h { "Part III: realized gain or (loss), recognized gain, and basis of like-kind property received" }
        p { "Open a line to see how it was computed and under what authority." }
        div.figures.form {
            @for (n, label) in LINES {
                (explained(r, &format!("form_8824.line_{n}"), &format!("Line {n}. {label}"), &fmt::usd(line_value(r, n))))
            }
        }
    }
}
