//! The law the engine relies on, as data: every authority (a Code section, a regulation, a
//! revenue procedure or ruling, a notice, a form's instructions, a publication) with its one
//! spelling, and citations to it with their pinpoints.
//!
//! One spelling: `IRC §1031(a)(3)(B)`, `Treas. Reg. §1.1031(k)-1(b)(2)(ii)`, `Rev. Proc.
//! 2008-16`, `Rev. Rul. 2004-86`, `Notice 2026-40`, `Instructions for Form 8824`, `Pub. 544`;
//! for the state rules, `Cal. Rev. & Tax. Code §18662` and `FTB 3840`.
//! The regulation form is the one the reports use (thousands of times, against a hundred of
//! the shorter `Reg. 1.1031(k)-1` that older prose and comments still carry), and it is the
//! form the Treasury itself cites its regulations in (`Treas. Reg. §`).
//!
//! Every authority is a constant of the register (`IRC_1031`, `REG_1_1031_K_1`,
//! `REV_PROC_2008_16`, `FORM_8824`, ...), and the engine writes each authority line of a
//! finding or an explanation step with [`cite!`] from those constants and the pinpoints, at
//! compile time: one spelling, and the compiler (or a search for the constant) finds every
//! place that cites an authority.
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
    /// A section of the California Revenue and Taxation Code: `Cal. Rev. & Tax. Code §18662`.
    CaliforniaCode,
    /// A form of the California Franchise Tax Board: `FTB 3840`.
    FranchiseTaxBoardForm,
}

impl Kind {
    /// The words before the section number.
    pub const fn prefix(self) -> &'static str {
        match self {
            Kind::Code => "IRC §",
            Kind::Regulation => "Treas. Reg. §",
            Kind::RevenueProcedure => "Rev. Proc. ",
            Kind::RevenueRuling => "Rev. Rul. ",
            Kind::Notice => "Notice ",
            Kind::FormInstructions => "Instructions for Form ",
            Kind::Publication => "Pub. ",
            Kind::CaliforniaCode => "Cal. Rev. & Tax. Code §",
            Kind::FranchiseTaxBoardForm => "FTB ",
        }
    }

    /// The words before a list of sections (`IRC §§267(b), 707(b)`).
    pub const fn list_prefix(self) -> &'static str {
        match self {
            Kind::Code => "IRC §§",
            Kind::Regulation => "Treas. Reg. §§",
            Kind::CaliforniaCode => "Cal. Rev. & Tax. Code §§",
            other => other.prefix(),
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
    /// The name of its constant in this module (`IRC_1031`, `REG_1_1031_K_1`), by which the
    /// code cites it (see [`cite!`](crate::law::cite)).
    pub name: &'static str,
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

/// The register: one constant per authority, named after it (`IRC_1031` for `IRC §1031`,
/// `REG_1_1031_K_1` for `Treas. Reg. §1.1031(k)-1`, `REV_PROC_2008_16`, `FORM_8824` for the
/// Instructions for Form 8824, `PUB_544`), and [`AUTHORITIES`], all of them in order.
macro_rules! register {
    ($($name:ident = $kind:ident $section:literal, $title:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Authority = Authority {
                kind: Kind::$kind,
                section: $section,
                title: $title,
                name: stringify!($name),
            };
        )*
        /// Every authority the engine relies on, in the order `docs/LAW.md` lists them.
        pub const AUTHORITIES: &[Authority] = &[$($name),*];
    };
}

register! {
    IRC_1 = Code "1", "Tax rates; maximum capital gain rates (§1(h))";
    IRC_11 = Code "11", "Corporate income tax rate";
    IRC_121 = Code "121", "Exclusion of gain from the sale of a principal residence";
    IRC_165 = Code "165", "Losses";
    IRC_167 = Code "167", "Depreciation";
    IRC_168 = Code "168", "Accelerated cost recovery system (MACRS)";
    IRC_267 = Code "267", "Losses and related taxpayers";
    IRC_441 = Code "441", "Period for computation of taxable income (the taxable year)";
    IRC_453 = Code "453", "Installment method";
    IRC_691 = Code "691", "Recipients of income in respect of decedents";
    IRC_707 = Code "707", "Transactions between partner and partnership";
    IRC_932 = Code "932", "Coordination with the Virgin Islands";
    IRC_935 = Code "935", "Coordination with Guam and the Northern Mariana Islands";
    IRC_1001 = Code "1001", "Amount realized and gain or loss";
    IRC_1012 = Code "1012", "Basis of property: cost";
    IRC_1014 = Code "1014", "Basis of property acquired from a decedent";
    IRC_1016 = Code "1016", "Adjustments to basis";
    IRC_1031 = Code "1031", "Exchange of real property held for productive use or investment";
    IRC_1211 = Code "1211", "Limitation on capital losses";
    IRC_1221 = Code "1221", "Capital asset defined";
    IRC_1222 = Code "1222", "Short-term and long-term capital gains and losses";
    IRC_1231 = Code "1231", "Property used in the trade or business";
    IRC_1245 = Code "1245", "Gain from dispositions of certain depreciable property";
    IRC_1250 = Code "1250", "Gain from dispositions of certain depreciable realty";
    IRC_1400Z_1 = Code "1400Z-1", "Opportunity zones: designation";
    IRC_1400Z_2 = Code "1400Z-2", "Qualified Opportunity Fund investments: deferral and exclusion";
    IRC_1411 = Code "1411", "Net investment income tax";
    IRC_2032 = Code "2032", "Alternate valuation of an estate";
    IRC_6072 = Code "6072", "Time for filing income tax returns";
    IRC_6081 = Code "6081", "Extension of time for filing returns";
    IRC_7503 = Code "7503", "Time for performance when the last day is a weekend or holiday";
    IRC_7508A = Code "7508A", "Postponement of deadlines for federally declared disasters";
    IRC_7701 = Code "7701", "Definitions";
    REG_1_121_1 = Regulation "1.121-1", "Exclusion of gain from the sale of a principal residence";
    REG_1_167_A_2 = Regulation "1.167(a)-2", "Depreciation: tangible property";
    REG_1_165_9 = Regulation "1.165-9", "Sale of residential property";
    REG_1_168_I_6 = Regulation "1.168(i)-6", "Depreciation of MACRS property acquired in a like-kind exchange";
    REG_1_1031_A_3 = Regulation "1.1031(a)-3", "Definition of real property";
    REG_1_1031_B_1 = Regulation "1.1031(b)-1", "Receipt of other property or money";
    REG_1_1031_D_2 = Regulation "1.1031(d)-2", "Treatment of assumption of liabilities";
    REG_1_1031_J_1 = Regulation "1.1031(j)-1", "Exchanges of multiple properties";
    REG_1_1031_K_1 = Regulation "1.1031(k)-1", "Treatment of deferred exchanges";
    REG_1_1245_2 = Regulation "1.1245-2", "Definitions (§1245 recapture)";
    REG_1_1250_3 = Regulation "1.1250-3", "Exceptions and limitations (§1250)";
    REG_1_453_12 = Regulation "1.453-12", "Allocation of unrecaptured §1250 gain in installment sales";
    REG_15A_453_1 = Regulation "15a.453-1", "Installment method reporting for sales of real property (temporary)";
    REG_1_1400Z2_A_1 = Regulation "1.1400Z2(a)-1", "Deferring tax on capital gains by investing in opportunity zones";
    REG_1_1400Z2_C_1 = Regulation "1.1400Z2(c)-1", "Investments held for at least 10 years";
    REG_1_6072_2T = Regulation "1.6072-2T", "Time for filing returns of corporations (temporary)";
    REG_1_6081_2 = Regulation "1.6081-2", "Extension of time for filing partnership returns";
    REG_1_6081_3 = Regulation "1.6081-3", "Automatic extension for corporation income tax returns";
    REG_1_6081_3T = Regulation "1.6081-3T", "Automatic extension for corporation returns (temporary)";
    REG_1_6081_4 = Regulation "1.6081-4", "Automatic extension for individual returns";
    REG_301_7503_1 = Regulation "301.7503-1", "Due date on a Saturday, Sunday or legal holiday";
    REG_301_7508A_1 = Regulation "301.7508A-1", "Postponement of deadlines by reason of a disaster";
    REG_301_7701_4 = Regulation "301.7701-4", "Trusts (classification)";
    REV_PROC_2000_37 = RevenueProcedure "2000-37", "Reverse exchanges: qualified exchange accommodation arrangements";
    REV_PROC_2002_22 = RevenueProcedure "2002-22", "Tenancy-in-common interests: conditions for a ruling";
    REV_PROC_2004_51 = RevenueProcedure "2004-51", "Reverse exchanges: property the taxpayer owned in the prior 180 days";
    REV_PROC_2005_14 = RevenueProcedure "2005-14", "§121 and §1031 together";
    REV_PROC_2007_56 = RevenueProcedure "2007-56", "Time-sensitive acts postponed by a disaster (superseded by Rev. Proc. 2018-58)";
    REV_PROC_2008_16 = RevenueProcedure "2008-16", "Vacation homes and other dwelling units: safe harbor";
    REV_PROC_2018_58 = RevenueProcedure "2018-58", "Time-sensitive acts postponed by a disaster";
    REV_RUL_67_255 = RevenueRuling "67-255", "Exchange of property to be built on the taxpayer's land";
    REV_RUL_72_456 = RevenueRuling "72-456", "Brokerage commissions in an exchange";
    REV_RUL_2002_83 = RevenueRuling "2002-83", "Related-party exchanges through a qualified intermediary";
    REV_RUL_2004_86 = RevenueRuling "2004-86", "Delaware statutory trusts";
    NOTICE_2026_40 = Notice "2026-40", "Opportunity zones after the 2025 act";
    FORM_593 = FormInstructions "593", "California real estate withholding";
    FORM_1041 = FormInstructions "1041", "U.S. income tax return for estates and trusts";
    FORM_4562 = FormInstructions "4562", "Depreciation and amortization";
    FORM_4797 = FormInstructions "4797", "Sales of business property";
    FORM_4868 = FormInstructions "4868", "Automatic extension of time to file individual returns";
    FORM_6252 = FormInstructions "6252", "Installment sale income";
    FORM_7004 = FormInstructions "7004", "Automatic extension of time to file business returns";
    FORM_8824 = FormInstructions "8824", "Like-kind exchanges";
    FORM_8949 = FormInstructions "8949", "Sales and other dispositions of capital assets";
    FORM_8997 = FormInstructions "8997", "Initial and annual statement of QOF investments";
    PUB_523 = Publication "523", "Selling your home";
    PUB_544 = Publication "544", "Sales and other dispositions of assets";
    PUB_946 = Publication "946", "How to depreciate property";
    CAL_RTC_18032 = CaliforniaCode "18032", "California: annual information return for California property exchanged for property outside California (personal income tax)";
    CAL_RTC_18662 = CaliforniaCode "18662", "California: withholding on dispositions of California real property";
    CAL_RTC_24953 = CaliforniaCode "24953", "California: annual information return for California property exchanged for property outside California (corporation tax)";
    FTB_3840 = FranchiseTaxBoardForm "3840", "California like-kind exchanges (information return)";
}

/// An authority line as the engine writes it in a finding or an explanation step, built at
/// compile time from the register's constants, so the compiler finds every place that cites
/// an authority and every citation is spelled as its [`Kind`] spells it. The result is a
/// `&'static str`.
///
/// - `IRC_1031 "(a)(3)(B)"`: an authority and its pinpoint (and any words that belong to it);
/// - `;` and `,` between citations: `"; "` and `", "`;
/// - `[IRC_267 "(b)", IRC_707 "(b)"]`: a list of sections of one kind, `IRC §§267(b), 707(b)`;
/// - a string alone: words that are not a citation in the register (a case, a public law).
///
/// ```
/// use likekind_core::law::cite;
/// const LINE: &str = cite!(IRC_1031 "(a)(3)(B)"; REG_1_1031_K_1 "(b)(2)(ii), (d)(1)");
/// assert_eq!(LINE, "IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii), (d)(1)");
/// assert_eq!(cite!([IRC_267 "(b)", IRC_707 "(b)"] " (10% for 50%)"), "IRC §§267(b), 707(b) (10% for 50%)");
/// assert_eq!(cite!(REV_PROC_2004_51; "DeCleene v. Commissioner"), "Rev. Proc. 2004-51; DeCleene v. Commissioner");
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! __cite {
    (@acc [$($p:expr,)*]) => {{
        const PARTS: &[&str] = &[$($p),*];
        const BYTES: [u8; $crate::law::__len(PARTS)] = $crate::law::__join(PARTS);
        const LINE: &str = $crate::law::__utf8(&BYTES);
        LINE
    }};
    (@acc [$($p:expr,)*] ; $($rest:tt)*) => {
        $crate::law::cite!(@acc [$($p,)* "; ",] $($rest)*)
    };
    (@acc [$($p:expr,)*] , $($rest:tt)*) => {
        $crate::law::cite!(@acc [$($p,)* ", ",] $($rest)*)
    };
    (@acc [$($p:expr,)*] $s:literal $($rest:tt)*) => {
        $crate::law::cite!(@acc [$($p,)* $s,] $($rest)*)
    };
    (@acc [$($p:expr,)*] $a:ident $($rest:tt)*) => {
        $crate::law::cite!(@acc [$($p,)* $crate::law::$a.kind.prefix(), $crate::law::$a.section,] $($rest)*)
    };
    (@acc [$($p:expr,)*] [$a:ident $($l:tt)*] $($rest:tt)*) => {
        $crate::law::cite!(@list $a [$($p,)* $crate::law::$a.kind.list_prefix(), $crate::law::$a.section,] [$($l)*] $($rest)*)
    };
    (@list $k:ident [$($p:expr,)*] [] $($rest:tt)*) => {
        $crate::law::cite!(@acc [$($p,)*] $($rest)*)
    };
    (@list $k:ident [$($p:expr,)*] [$s:literal $($l:tt)*] $($rest:tt)*) => {
        $crate::law::cite!(@list $k [$($p,)* $s,] [$($l)*] $($rest)*)
    };
    (@list $k:ident [$($p:expr,)*] [, $a:ident $($l:tt)*] $($rest:tt)*) => {
        $crate::law::cite!(@list $k [$($p,)* ", ", $crate::law::__same_kind($crate::law::$k, $crate::law::$a),] [$($l)*] $($rest)*)
    };
    ($($t:tt)+) => {
        $crate::law::cite!(@acc [] $($t)+)
    };
}

#[doc(inline)]
pub use crate::__cite as cite;

/// The section of `b` in a list opened by `a`; a list mixes no kinds (a compile error).
#[doc(hidden)]
pub const fn __same_kind(a: Authority, b: Authority) -> &'static str {
    if a.kind as u8 != b.kind as u8 {
        panic!("a list of sections cites authorities of one kind");
    }
    b.section
}

#[doc(hidden)]
pub const fn __len(parts: &[&str]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < parts.len() {
        n += parts[i].len();
        i += 1;
    }
    n
}

#[doc(hidden)]
pub const fn __join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut k = 0;
    let mut i = 0;
    while i < parts.len() {
        let b = parts[i].as_bytes();
        let mut j = 0;
        while j < b.len() {
            out[k] = b[j];
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

#[doc(hidden)]
pub const fn __utf8(b: &'static [u8]) -> &'static str {
    match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(_) => panic!("a citation is text"),
    }
}

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
        ("Cal. Rev. & Tax. Code §§", Kind::CaliforniaCode, true),
        ("Cal. Rev. & Tax. Code §", Kind::CaliforniaCode, false),
        ("FTB ", Kind::FranchiseTaxBoardForm, false),
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
        Kind::FormInstructions
        | Kind::Publication
        | Kind::CaliforniaCode
        | Kind::FranchiseTaxBoardForm => digits_or(&mut n, b""),
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
        let c =
            cited("Cal. Rev. & Tax. Code §§18032, 24953 (AB 92, 2014); FTB 3840 instructions [S]");
        let s: Vec<String> = c.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            [
                "Cal. Rev. & Tax. Code §18032",
                "Cal. Rev. & Tax. Code §24953",
                "FTB 3840"
            ]
        );
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
