//! The law the engine relies on, as data: every authority (a Code section, a regulation, a
//! revenue procedure or ruling, a notice, a form's instructions, a publication) with its one
//! spelling, and citations to it with their pinpoints.
//!
//! One spelling: `IRC §1031(a)(3)(B)`, `Treas. Reg. §1.1031(k)-1(b)(2)(ii)`, `Rev. Proc.
//! 2008-16`, `Rev. Rul. 2004-86`, `Notice 2026-40`, `Instructions for Form 8824`, `Pub. 544`.
//! The regulation form is the one the reports use (thousands of times, against a hundred of
//! the shorter `Reg. 1.1031(k)-1` that older prose and comments still carry), and it is the
//! form the Treasury itself cites its regulations in (`Treas. Reg. §`).
//!
//! [`cited`] reads every citation out of an authority line as the engine writes it in its
//! explanation steps and findings (`IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii)`),
//! so a test can hold every line the engine prints to [`AUTHORITIES`], and `docs/LAW.md` can
//! index each authority to the code that applies it and the tests and vectors that check it.
//!
//! ```
//! use likekind_core::law::{cited, Kind};
//! let c = cited("IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii)");
//! assert_eq!(c.len(), 2);
//! assert_eq!(c[1].kind, Kind::Regulation);
//! assert_eq!(c[1].section, "1.1031(k)-1");
//! assert_eq!(c[1].pinpoint, "(b)(2)(ii)");
//! assert_eq!(c[1].to_string(), "Treas. Reg. §1.1031(k)-1(b)(2)(ii)");
//! // The older spelling names the same provision.
//! assert_eq!(cited("Reg. 1.1031(k)-1(b)(2)(ii)"), c[1..]);
//! ```

use std::fmt;

/// The kind of an authority, which fixes how it is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A section of the Internal Revenue Code: `IRC §1031`.
    Code,
    /// A Treasury regulation: `Treas. Reg. §1.1031(k)-1`.
    Regulation,
    /// A revenue procedure: `Rev. Proc. 2008-16`.
    RevenueProcedure,
    /// A revenue ruling: `Rev. Rul. 2004-86`.
    RevenueRuling,
    /// An IRS notice: `Notice 2026-40`.
    Notice,
    /// The instructions of an IRS form: `Instructions for Form 8824`.
    FormInstructions,
    /// An IRS publication: `Pub. 544`.
    Publication,
}

impl Kind {
    /// The words before the section number.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Code => "IRC §",
            Kind::Regulation => "Treas. Reg. §",
            Kind::RevenueProcedure => "Rev. Proc. ",
            Kind::RevenueRuling => "Rev. Rul. ",
            Kind::Notice => "Notice ",
            Kind::FormInstructions => "Instructions for Form ",
            Kind::Publication => "Pub. ",
        }
    }
}

/// An authority: a kind and its section (`IRC §1031`, `Treas. Reg. §1.1031(k)-1`), with
/// what it is about in a few words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    pub kind: Kind,
    /// The section as the authority numbers itself: `1031`, `1.1031(k)-1`, `2008-16`, `8824`.
    pub section: &'static str,
    /// What it is about, in a few words.
    pub title: &'static str,
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.kind.prefix(), self.section)
    }
}

/// A citation: an authority and the place in it (`(b)(2)(ii)`; empty for the whole).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Citation {
    pub kind: Kind,
    pub section: String,
    pub pinpoint: String,
}

impl Citation {
    /// The authority cited, if it is one of [`AUTHORITIES`].
    pub fn authority(&self) -> Option<&'static Authority> {
        authority(self.kind, &self.section)
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.kind.prefix(), self.section, self.pinpoint)
    }
}

/// The authority of `kind` numbered `section`, if the engine relies on it.
pub fn authority(kind: Kind, section: &str) -> Option<&'static Authority> {
    AUTHORITIES
        .iter()
        .find(|a| a.kind == kind && a.section == section)
}

const fn a(kind: Kind, section: &'static str, title: &'static str) -> Authority {
    Authority {
        kind,
        section,
        title,
    }
}

use Kind::{
    Code as C, FormInstructions as F, Notice as N, Publication as P, Regulation as R,
    RevenueProcedure as RP, RevenueRuling as RR,
};

/// Every authority the engine relies on, in the order `docs/LAW.md` lists them.
pub const AUTHORITIES: &[Authority] = &[
    a(C, "1", "Tax rates; maximum capital gain rates (§1(h))"),
    a(C, "11", "Corporate income tax rate"),
    a(
        C,
        "121",
        "Exclusion of gain from the sale of a principal residence",
    ),
    a(C, "165", "Losses"),
    a(C, "167", "Depreciation"),
    a(C, "168", "Accelerated cost recovery system (MACRS)"),
    a(C, "267", "Losses and related taxpayers"),
    a(C, "453", "Installment method"),
    a(C, "707", "Transactions between partner and partnership"),
    a(C, "932", "Coordination with the Virgin Islands"),
    a(
        C,
        "935",
        "Coordination with Guam and the Northern Mariana Islands",
    ),
    a(C, "1001", "Amount realized and gain or loss"),
    a(C, "1012", "Basis of property: cost"),
    a(C, "1014", "Basis of property acquired from a decedent"),
    a(C, "1016", "Adjustments to basis"),
    a(
        C,
        "1031",
        "Exchange of real property held for productive use or investment",
    ),
    a(C, "1211", "Limitation on capital losses"),
    a(
        C,
        "1222",
        "Short-term and long-term capital gains and losses",
    ),
    a(C, "1231", "Property used in the trade or business"),
    a(
        C,
        "1245",
        "Gain from dispositions of certain depreciable property",
    ),
    a(
        C,
        "1250",
        "Gain from dispositions of certain depreciable realty",
    ),
    a(C, "1400Z-1", "Opportunity zones: designation"),
    a(
        C,
        "1400Z-2",
        "Qualified Opportunity Fund investments: deferral and exclusion",
    ),
    a(C, "1411", "Net investment income tax"),
    a(C, "2032", "Alternate valuation of an estate"),
    a(C, "6072", "Time for filing income tax returns"),
    a(C, "6081", "Extension of time for filing returns"),
    a(
        C,
        "7503",
        "Time for performance when the last day is a weekend or holiday",
    ),
    a(
        C,
        "7508A",
        "Postponement of deadlines for federally declared disasters",
    ),
    a(C, "7701", "Definitions"),
    a(
        R,
        "1.121-1",
        "Exclusion of gain from the sale of a principal residence",
    ),
    a(R, "1.167(a)-2", "Depreciation: tangible property"),
    a(
        R,
        "1.168(i)-6",
        "Depreciation of MACRS property acquired in a like-kind exchange",
    ),
    a(R, "1.1031(a)-3", "Definition of real property"),
    a(R, "1.1031(b)-1", "Receipt of other property or money"),
    a(R, "1.1031(d)-2", "Treatment of assumption of liabilities"),
    a(R, "1.1031(j)-1", "Exchanges of multiple properties"),
    a(R, "1.1031(k)-1", "Treatment of deferred exchanges"),
    a(R, "1.1245-2", "Definitions (§1245 recapture)"),
    a(R, "1.1250-3", "Exceptions and limitations (§1250)"),
    a(
        R,
        "1.453-12",
        "Allocation of unrecaptured §1250 gain in installment sales",
    ),
    a(
        R,
        "1.1400Z2(a)-1",
        "Deferring tax on capital gains by investing in opportunity zones",
    ),
    a(R, "1.1400Z2(c)-1", "Investments held for at least 10 years"),
    a(
        R,
        "1.6072-2T",
        "Time for filing returns of corporations (temporary)",
    ),
    a(
        R,
        "1.6081-2",
        "Extension of time for filing partnership returns",
    ),
    a(
        R,
        "1.6081-3",
        "Automatic extension for corporation income tax returns",
    ),
    a(
        R,
        "1.6081-3T",
        "Automatic extension for corporation returns (temporary)",
    ),
    a(R, "1.6081-4", "Automatic extension for individual returns"),
    a(
        R,
        "301.7503-1",
        "Due date on a Saturday, Sunday or legal holiday",
    ),
    a(
        R,
        "301.7508A-1",
        "Postponement of deadlines by reason of a disaster",
    ),
    a(R, "301.7701-4", "Trusts (classification)"),
    a(
        RP,
        "2000-37",
        "Reverse exchanges: qualified exchange accommodation arrangements",
    ),
    a(
        RP,
        "2002-22",
        "Tenancy-in-common interests: conditions for a ruling",
    ),
    a(
        RP,
        "2004-51",
        "Reverse exchanges: property the taxpayer owned in the prior 180 days",
    ),
    a(RP, "2005-14", "§121 and §1031 together"),
    a(
        RP,
        "2008-16",
        "Vacation homes and other dwelling units: safe harbor",
    ),
    a(RP, "2018-58", "Time-sensitive acts postponed by a disaster"),
    a(
        RR,
        "67-255",
        "Exchange of property to be built on the taxpayer's land",
    ),
    a(RR, "72-456", "Brokerage commissions in an exchange"),
    a(
        RR,
        "2002-83",
        "Related-party exchanges through a qualified intermediary",
    ),
    a(RR, "2004-86", "Delaware statutory trusts"),
    a(N, "2026-40", "Opportunity zones after the 2025 act"),
    a(F, "593", "California real estate withholding"),
    a(F, "1041", "U.S. income tax return for estates and trusts"),
    a(F, "4562", "Depreciation and amortization"),
    a(F, "4797", "Sales of business property"),
    a(
        F,
        "4868",
        "Automatic extension of time to file individual returns",
    ),
    a(F, "6252", "Installment sale income"),
    a(
        F,
        "7004",
        "Automatic extension of time to file business returns",
    ),
    a(F, "8824", "Like-kind exchanges"),
    a(F, "8949", "Sales and other dispositions of capital assets"),
    a(F, "8997", "Initial and annual statement of QOF investments"),
    a(P, "544", "Sales and other dispositions of assets"),
    a(P, "946", "How to depreciate property"),
];

/// Every citation in `text`, in order: the authority lines of the reports and the comments
/// of the code, in either spelling of a regulation (`Treas. Reg. §1.1031(k)-1(b)`,
/// `Reg. 1.1031(k)-1(b)`). A list of sections (`IRC §§267(b), 707(b)`) gives one citation
/// each; a pinpoint after a comma (`IRC §1250(a), (d)(4)`) stays with the first.
pub fn cited(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some((kind, skip, list)) = prefix_at(text, i) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        i += skip;
        while let Some((section, n)) = section_at(kind, &text[i..]) {
            i += n;
            let (pin, m) = pinpoint_at(&text[i..]);
            i += m;
            out.push(Citation {
                kind,
                section,
                pinpoint: pin,
            });
            // `§§267(b), 707(b)`: the next section of the list
            let r = &text[i..];
            if list && r.starts_with(", ") && r[2..].starts_with(|c: char| c.is_ascii_digit()) {
                i += 2;
                continue;
            }
            break;
        }
    }
    out
}

/// The prefix at byte `i` of `text`: its kind, its length and whether it opens a list (`§§`).
fn prefix_at(text: &str, i: usize) -> Option<(Kind, usize, bool)> {
    let rest = &text[i..];
    let word_start = i == 0 || !text[..i].ends_with(|c: char| c.is_alphanumeric());
    if !word_start {
        return None;
    }
    const PREFIXES: &[(&str, Kind, bool)] = &[
        ("IRC §§", Kind::Code, true),
        ("IRC §", Kind::Code, false),
        ("Treas. Reg. §§", Kind::Regulation, true),
        ("Treas. Reg. §", Kind::Regulation, false),
        ("Treas. Regs. §§", Kind::Regulation, true),
        ("Reg. §§", Kind::Regulation, true),
        ("Reg. §", Kind::Regulation, false),
        ("Reg. ", Kind::Regulation, false),
        ("Rev. Proc. ", Kind::RevenueProcedure, false),
        ("Rev. Rul. ", Kind::RevenueRuling, false),
        ("Notice ", Kind::Notice, false),
        ("Instructions for Form ", Kind::FormInstructions, false),
        ("Form ", Kind::FormInstructions, false),
        ("Pub. ", Kind::Publication, false),
        ("IRS Publication ", Kind::Publication, false),
        ("Publication ", Kind::Publication, false),
        ("Pub ", Kind::Publication, false),
    ];
    PREFIXES
        .iter()
        .find(|(p, _, _)| rest.starts_with(p))
        .map(|&(p, k, list)| (k, p.len(), list))
}

/// The section number at the start of `s` and its length in bytes.
fn section_at(kind: Kind, s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut n = 0;
    let digits_or = |n: &mut usize, extra: &[u8]| {
        while *n < b.len() && (b[*n].is_ascii_alphanumeric() || extra.contains(&b[*n])) {
            *n += 1;
        }
    };
    match kind {
        Kind::Regulation => {
            // 1.1031(k)-1, 1.168(i)-6, 1.6072-2T, 301.7508A-1, 1.1400Z2(a)-1
            digits_or(&mut n, b".");
            if b.get(n) == Some(&b'(')
                && let Some(close) = s[n..].find(')')
                && s[n + close..].starts_with(")-")
            {
                n += close + 1;
            }
            if b.get(n) == Some(&b'-') && b.get(n + 1).is_some_and(u8::is_ascii_digit) {
                n += 1;
                digits_or(&mut n, b"");
            }
        }
        Kind::Code => {
            // 1031, 1400Z-2, 7508A
            digits_or(&mut n, b"");
            if b.get(n) == Some(&b'-') && b.get(n + 1).is_some_and(u8::is_ascii_digit) {
                n += 1;
                digits_or(&mut n, b"");
            }
        }
        Kind::RevenueProcedure | Kind::RevenueRuling | Kind::Notice => {
            // 2008-16
            digits_or(&mut n, b"");
            if b.get(n) == Some(&b'-') {
                n += 1;
                digits_or(&mut n, b"");
            }
        }
        Kind::FormInstructions | Kind::Publication => digits_or(&mut n, b""),
    }
    Some((s[..n].to_string(), n))
}

/// The pinpoint at the start of `s` (`(b)(2)(ii)`) and its length in bytes.
fn pinpoint_at(s: &str) -> (String, usize) {
    let mut n = 0;
    while s[n..].starts_with('(') {
        match s[n..].find(')') {
            Some(close)
                if close > 1
                    && s[n + 1..n + close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric()) =>
            {
                n += close + 1;
            }
            _ => break,
        }
    }
    (s[..n].to_string(), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_and_pinpoints() {
        let c = cited("Treas. Reg. §1.1031(k)-1(k)(3); IRC §§267(b), 707(b) (10% for 50%)");
        let s: Vec<String> = c.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            [
                "Treas. Reg. §1.1031(k)-1(k)(3)",
                "IRC §267(b)",
                "IRC §707(b)"
            ]
        );
        let c = cited("IRC §1250(a), (d)(4); Instructions for Form 8824, line 21");
        assert_eq!(c[0].pinpoint, "(a)");
        assert_eq!(c[1].kind, Kind::FormInstructions);
        assert_eq!(c[1].section, "8824");
        let c = cited("Treas. Reg. §1.6072-2T(a)(2); Rev. Proc. 2008-16, 2008-10 I.R.B. 547");
        assert_eq!(c[0].section, "1.6072-2T");
        assert_eq!(c[1].section, "2008-16");
        assert_eq!(cited("IRC §1400Z-2(b)(1)")[0].section, "1400Z-2");
        assert!(cited("no citation here, Form of words").is_empty());
    }

    #[test]
    fn every_authority_is_listed_once() {
        for (k, x) in AUTHORITIES.iter().enumerate() {
            assert!(
                !AUTHORITIES[..k]
                    .iter()
                    .any(|y| y.kind == x.kind && y.section == x.section),
                "{x} twice"
            );
            let parsed = cited(&x.to_string());
            assert_eq!(parsed.len(), 1, "{x}");
            assert_eq!(parsed[0].authority(), Some(x), "{x}");
        }
    }
}
