//! The one entry point every interface calls: an exchange file and a date in, a [`Report`]
//! out. Pure: no I/O and no clock (the caller passes today's date).

mod depreciation_warnings;
mod disposition;
mod groups;
pub mod schedules;

pub use schedules::Options;

use crate::after::states;
use crate::amount::Amount;
use crate::eligibility::qualification::{self, IfQualified, Outcome, Qualification};
use crate::eligibility::section121;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::gain::balance::{self, Balance};
use crate::gain::basis;
use crate::gain::basis::PropertyBasis;
use crate::gain::form8824::part_i;
use crate::gain::form8824::part_i::PartI;
use crate::gain::form8824::{self, Form8824Inputs};
use crate::gain::recapture::{self, RecaptureInputs};
use crate::inputs;
use crate::law::cite;
use crate::model::ExchangeFile;
use crate::money::format_usd;
use crate::report::{Boot, ExchangeSummary, Gain, OtherBasis, Report};
use crate::timing::constructive_receipt::ReleaseDates;
use jiff::civil::Date;

/// Analyses one exchange as of `as_of` (the file's own `as_of` wins when present).
pub fn analyze(f: &ExchangeFile, today: Date) -> Report {
    analyze_with(f, today, Options::default())
}

/// [`analyze`] with [`Options`].
pub fn analyze_with(f: &ExchangeFile, today: Date, opts: Options) -> Report {
    analysis(f, today, opts, true).0
}

/// An analysis for its figures and verdict only: [`analyze`] without the words nobody reads
/// when a whole book is summarised.
///
/// The verdict, every finding (code, severity, authority, field), the gain, boot and Form 8824
/// lines, the deadlines and the status are the same as in [`analyze`]'s report. Left out:
/// the words (no step is recorded; each finding's message, each deadline milestone's
/// description and the multi-asset statement are empty), which are about a quarter of an
/// analysis, and the parts only a whole report shows, which no rule and no finding reads:
/// Form 8824 Part I (empty), the bases of the properties received and of the other property
/// received (none), and the what-if figures of a failed exchange (`if_qualified`, none).
///
/// The (g)(6) dates are kept apart ([`Figures::release_limits`]): the tracker's ledger
/// applies them whoever holds the funds, while the report shows them only under a safe harbor.
pub fn figures(f: &ExchangeFile, today: Date) -> Figures {
    let (report, release_limits) = analysis(f, today, Options::default(), false);
    Figures(report, release_limits)
}

/// Form 8824 Part III and the (j)-1 computation of a multi-asset exchange, with lines 19-25
/// entered from the exchange groups where the instructions say so ([`groups`]; `true` then).
fn form_8824_part_iii(
    f: &ExchangeFile,
    (bal, q): (&Balance, &Qualification),
    inputs: &Form8824Inputs,
    t: &mut Trace,
) -> (
    form8824::Form8824Result,
    Option<crate::gain::multi_asset::MultiAssetResult>,
    bool,
) {
    let r = form8824::compute(inputs, t);
    let multi_asset =
        crate::analyze::schedules::multi_asset_computation(f, (bal, q), inputs, r.lines.line_15, t);
    match groups::group_figures(f, (bal, q), inputs, &r, multi_asset.as_ref()) {
        Some(g) => (
            form8824::part_iii::from_exchange_groups(inputs, &r, g, t),
            multi_asset,
            true,
        ),
        None => (r, multi_asset, false),
    }
}

/// The report of [`figures`]: read it, never write it as a report (its findings have no
/// messages and it has no explanation); it has no `Serialize` of its own for that reason.
#[derive(Debug)]
pub struct Figures(Report, Option<ReleaseDates>);

impl Figures {
    /// The (g)(6) dates as an exchange agreement must limit the taxpayer's rights to the
    /// funds, computed whoever holds them (`None`: no transfer yet). The report's own release
    /// dates are these only when a qualified intermediary, qualified escrow account or
    /// qualified trust held the funds (Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6), (k);
    /// [`crate::eligibility::safe_harbor::qualified_holder`]): what a tracker keeping the
    /// ledger of an exchange account applies reads these.
    pub fn release_limits(&self) -> Option<&ReleaseDates> {
        self.1.as_ref()
    }
}

impl std::ops::Deref for Figures {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.0
    }
}

/// The report, and the (g)(6) dates whoever holds the funds ([`Figures::release_limits`]).
type Analysis = (Report, Option<ReleaseDates>);

fn analysis(f: &ExchangeFile, today: Date, opts: Options, words: bool) -> Analysis {
    let as_of = f.exchange.as_of.unwrap_or(today);
    let (mut t, mut fx) = (Trace::with_words(words), Findings::with_words(words));

    let timeline = crate::timeline::build(f, as_of, &mut t, &mut fx);
    let (deadlines, identification) = (timeline.deadlines, timeline.identification);
    // The verdict the timeline decided (judged here only when there is no transfer date).
    let mut q = timeline
        .qualification
        .unwrap_or_else(|| qualification::judge(f, identification.as_ref(), true));
    explain_verdict(f, &q, &mut t, &mut fx);

    let bal = balance::balance(f);
    explain_balance(f, &bal, &mut t, &mut fx);
    if let Some(d) = &deadlines {
        in_progress_finding(&bal, (d, identification.as_ref()), (&q, as_of), &mut fx);
    }

    let inputs = form_inputs(f, &bal, &q, &mut fx);
    let (mut r, multi_asset, entered) = form_8824_part_iii(f, (&bal, &q), &inputs, &mut t);
    let home_sale = section121::home_sale(f, r.lines.line_15, Amount::ZERO, &mut t, &mut fx);
    let excluded_121 = apply_section121(f, &q, home_sale.as_ref(), &mut r, &mut t);
    let loss_not_deductible = taxable_sale_loss(f, &q, &mut r, &mut t, &mut fx);
    let l = &r.lines;
    let (unrecaptured, shares) = unrecaptured_1250(f, &q, &inputs, &r, &mut t);
    let bases_wanted = words || opts.depreciation_years.is_some();
    let (replacement_basis, other_property_basis) =
        report_only_bases(f, (&mut q, &bal), l.line_25, (bases_wanted, words), &mut t);

    crate::eligibility::screen::screen(f, &mut t, &mut fx);
    crate::eligibility::disqualified::screen(f, &mut t, &mut fx);
    let vacation_home_safe_harbor =
        crate::eligibility::vacation_home::vacation_homes(f, as_of, &mut t, &mut fx);
    boot_findings(&bal, (&r, &q), (&inputs, excluded_121), &mut fx);
    loss_and_recapture_findings(f, (&q, &bal), &r, &inputs, &mut fx);
    let form_8824_part_ii = part_ii_and_verdict(f, &mut q, l.line_24, &mut t, &mut fx);
    let residence_plan = crate::eligibility::move_in::residence_plan(f, &mut t, &mut fx);
    let states = states::states(f, l.line_24, states::Verdict::of(&q), &mut t, &mut fx);

    let c = crate::analyze::schedules::Context {
        bal: &bal,
        inputs: &inputs,
        result: &r,
        deadlines: deadlines.as_ref(),
        replacement_basis: &replacement_basis,
        unrecaptured,
        shares: &shares,
        qualification: &q,
        release: timeline.constructive_receipt.as_ref(),
    };
    let mut special = schedules::run(f, (&c, multi_asset, entered), opts, &mut t, &mut fx);
    disposition::take_into_account(f, &mut special, form_8824_part_ii.as_ref());
    let (gain, boot) = gain_and_boot(GainFacts {
        q: &q,
        r: &r,
        inputs: &inputs,
        unrecaptured,
        line_22_reported_on: special.character.line_22_reported_on.clone(),
        excluded_121,
        loss_not_deductible,
    });
    let part_i = if words {
        part_i(f, &q)
    } else {
        PartI::default()
    };
    // The release dates bind only a qualified holder (Treas. Reg. §1.1031(k)-1(g)(4)(i), (k)).
    let shown = (timeline.constructive_receipt.clone()).filter(|_| timeline.qualified_holder);
    let report = Report {
        report_version: 1,
        exchange: summary_of(f, as_of),
        deadlines,
        identification,
        qualification: q,
        form_8824: r.lines.clone(),
        form_8824_part_i: part_i,
        gain,
        boot,
        replacement_basis,
        other_property_basis,
        money: bal,
        findings: fx.0,
        explanation: t.steps,
        form_8824_part_ii,
        vacation_home_safe_harbor,
        home_sale,
        residence_plan,
        states,
        multi_asset: special.multi_asset,
        character: special.character,
        recognition_years: special.recognition_years,
        depreciation: special.depreciation,
        death: special.death,
        status: timeline.status,
        constructive_receipt: shown,
        reverse: timeline.reverse,
    };
    (report, timeline.constructive_receipt)
}

/// Form 8824 Part II, which is part of Form 8824 (no like-kind exchange, no Part II); and
/// when a disposition within the two years takes the deferred gain into account (IRC
/// §1031(f)(1)), the verdict's words say the deferral ended, beside the exchange year's
/// figures that stay as filed.
fn part_ii_and_verdict(
    f: &ExchangeFile,
    q: &mut Qualification,
    line_24: Amount,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<crate::gain::form8824::part_ii::PartII> {
    if !q.form_8824_filed {
        return None;
    }
    let p = crate::gain::form8824::part_ii::part_ii(f, line_24, t, fx)?;
    if let Some(d) = p.disposition.as_ref().filter(|d| !d.recognized.is_zero())
        && let Some(on) = d.recognized_on
    {
        q.summary = format!(
            "{} The deferral has ended: a disposition within the two years after the exchange takes the {} deferred into account on {}, in the tax year of that date, as if the exchange had been a sale (IRC §1031(f)(1)); the exchange year's figures stay as filed.",
            q.summary,
            format_usd(d.recognized),
            crate::words::date(on)
        )
        .into();
    }
    Some(p)
}

/// What only a whole report shows (see [`figures`]): the bases of the properties received
/// (kept whenever the depreciation schedules, which read them, are asked for), the other
/// property's basis and the what-if of a failed exchange.
fn report_only_bases(
    f: &ExchangeFile,
    (q, bal): (&mut Qualification, &Balance),
    line_25: Amount,
    (bases_wanted, report): (bool, bool),
    t: &mut Trace,
) -> (Vec<PropertyBasis>, Vec<OtherBasis>) {
    let replacement_basis = if bases_wanted {
        bases(f, q, line_25, t)
    } else {
        Vec::new()
    };
    if !report {
        return (replacement_basis, Vec::new());
    }
    if !q.all_qualify() && !f.replacement.is_empty() {
        q.if_qualified = Some(if_qualified(f, bal));
    }
    (replacement_basis, other_property_basis(f, q))
}

/// Unrecaptured §1250 gain within line 22: with one property given up, its straight-line
/// depreciation capped by line 22; with several, each one's own on its part of line 22
/// (IRC §1(h)(6)(A) measures it property by property; the split is the engine's allocation);
/// none on a property held a year or less, whose gain is ordinary (§1(h)(6)(A) counts only
/// long-term gain; IRC §§1222, 1231(b)). Returns it with the straight-line depreciation line
/// 22 recognizes whatever the holding period (what no longer stays with the replacement) and
/// the split of line 22 (empty with one property given up, whose line 22 is never split),
/// which the character section reads rather than splitting again.
fn unrecaptured_1250(
    f: &ExchangeFile,
    q: &Qualification,
    inputs: &Form8824Inputs,
    r: &form8824::Form8824Result,
    t: &mut Trace,
) -> (
    recapture::Unrecaptured,
    Vec<crate::gain::character::Line22Share>,
) {
    let line_22 = r.lines.line_22;
    let shares = crate::analyze::schedules::line_22_shares(f, q, line_22, &r.recapture.by_property);
    let several = !shares.is_empty();
    let straight_line = inputs.recapture.straight_line_1250;
    let u = if several {
        recapture::Unrecaptured {
            long_term: shares.iter().map(|s| s.unrecaptured_1250).sum(),
            recognized: shares.iter().map(|s| s.straight_line_recognized).sum(),
        }
    } else {
        let recognized = recapture::unrecaptured_1250(straight_line, line_22);
        let long = crate::analyze::schedules::line_22_holds_unrecaptured_1250(f, q);
        recapture::Unrecaptured {
            long_term: if long { recognized } else { Amount::ZERO },
            recognized,
        }
    };
    if !straight_line.is_zero() {
        crate::step!(
            t,
            "gain.unrecaptured_1250",
            match (several, u.long_term == u.recognized) {
                (false, true) =>
                    "Unrecaptured §1250 gain within line 22: straight-line depreciation on real property, limited to the gain recognized",
                (false, false) if f.relinquished.iter().any(crate::gain::character::is_dealer) =>
                    "Unrecaptured §1250 gain within line 22: none, because the property given up was held for sale to customers, so the whole gain recognized is ordinary income (IRC §§1221(a)(1), 1231(b)(1)(B)), and unrecaptured §1250 gain is a part of long-term capital gain only",
                (false, false) =>
                    "Unrecaptured §1250 gain within line 22: none, because the property given up was held one year or less, so the gain recognized is short-term (ordinary) gain, and unrecaptured §1250 gain is long-term gain only; the straight-line depreciation it recognizes no longer stays with the replacement",
                (true, _) =>
                    "Unrecaptured §1250 gain within line 22: straight-line depreciation on real property, limited to the gain recognized (with several properties given up, each one's own depreciation limited to its part of line 22, split by share of the realized gain; none on a property held one year or less, whose gain is short-term)",
            },
            m(u.long_term),
            if f.relinquished.iter().any(crate::gain::character::is_dealer) {
                cite!(IRC_1 "(h)(1)(E), (h)(6)(A)"; [IRC_1221 "(a)(1)", IRC_1222, IRC_1231 "(b)(1)(B)"]; "Schedule D Unrecaptured Section 1250 Gain Worksheet")
            } else {
                cite!(IRC_1 "(h)(1)(E), (h)(6)(A)"; IRC_1222; "Schedule D Unrecaptured Section 1250 Gain Worksheet")
            },
            inputs!["straight-line depreciation" => m(straight_line), "line 22" => m(line_22)],
        );
    }
    (u, shares)
}

/// The exchange the report is about.
fn summary_of(f: &ExchangeFile, as_of: Date) -> ExchangeSummary {
    ExchangeSummary {
        name: f.exchange.name.clone(),
        kind: f.exchange.kind,
        taxpayer: f.taxpayer.name.clone(),
        entity: f.taxpayer.entity,
        as_of,
    }
}

/// The bases of the other property received: its FMV, the personal property received with a
/// replacement, and the improvements to a like-kind replacement built after it was received
/// (services paid for with the exchange, other property received: their value is their basis).
/// Authority: IRC §1031(d); Treas. Reg. §1.1031(k)-1(e)(4).
fn other_property_basis(f: &ExchangeFile, q: &Qualification) -> Vec<OtherBasis> {
    let mut other_property_basis: Vec<OtherBasis> = f
        .other_property_received
        .iter()
        .map(|o| OtherBasis {
            description: o.description.clone(),
            basis: o.fmv,
        })
        .collect();
    for r in f
        .replacement
        .iter()
        .filter(|r| !r.personal_property.is_zero())
    {
        other_property_basis.push(OtherBasis {
            description: format!("personal property received with {}", r.id),
            basis: r.personal_property,
        });
    }
    let like_kind = |k: usize| q.like_kind_at(k) && !q.is_taxable_sale();
    for (_, r) in f
        .replacement
        .iter()
        .enumerate()
        .filter(|(k, r)| like_kind(*k) && !r.improvements_not_in_place().is_zero())
    {
        other_property_basis.push(OtherBasis {
            description: format!("improvements to {} built after it was received", r.id),
            basis: r.improvements_not_in_place(),
        });
    }
    other_property_basis
}

/// A realized loss not recognized, recapture beyond the boot, a multi-asset exchange, and
/// depreciation the file may put in the wrong place ([`depreciation_warnings`]).
fn loss_and_recapture_findings(
    f: &ExchangeFile,
    (q, bal): (&Qualification, &Balance),
    r: &form8824::Form8824Result,
    inputs: &Form8824Inputs,
    fx: &mut Findings,
) {
    multi_asset_finding(f, (q, bal), inputs, r.lines.line_15, fx);
    depreciation_warnings::findings(f, fx);
    let l = &r.lines;
    if l.line_19 < Amount::ZERO && !q.is_taxable_sale() {
        let personal = personal_use_given_up(f);
        crate::finding!(
            fx,
            "realized_loss_not_recognized",
            Severity::Warning,
            format!(
                "The exchange realizes a loss of {}: a loss is never recognized in a like-kind exchange; it is deferred into the replacement's basis.{}",
                format_usd(-l.line_19),
                if personal {
                    " A taxable sale would not help: a loss on property held for personal use is not deductible."
                } else {
                    " A taxable sale would let the loss be deducted instead."
                }
            ),
            if personal {
                cite!(IRC_1031 "(a), (c)"; IRC_165 "(c)"; FORM_8824 ", line 20")
            } else {
                cite!(IRC_1031 "(a), (c)"; FORM_8824 ", line 20")
            },
        );
    }
    if r.recapture.beyond_boot > Amount::ZERO {
        crate::finding!(
            fx,
            "recapture_without_boot",
            Severity::Warning,
            format!(
                "{} of depreciation recapture is ordinary income even though the boot (line 20) is only {}: the property received lacks enough §1245/§1250 character to carry the recapture over",
                format_usd(r.recapture.line_21),
                format_usd(l.line_20)
            ),
            cite!([IRC_1245 "(b)(4)", IRC_1250 "(d)(4)"]; FORM_8824 ", line 21"),
        );
    }
}

/// A multi-asset exchange: what the Form 8824 instructions ask, worded for the case at hand.
/// When they replace lines 12-18 with a statement (more than one group of like-kind
/// properties, or cash or other property), the report's `multi_asset` section is that
/// statement; otherwise (several properties in one group and nothing else) lines 12-25 are
/// completed as usual. Whether "cash or other property" reaches an exchange with one group
/// only is the engine's reading of the instructions ([U]). Authority: Instructions for Form
/// 8824, "Multi-asset exchanges"; Treas. Reg. §1.1031(j)-1(a)(1).
fn multi_asset_finding(
    f: &ExchangeFile,
    (q, bal): (&Qualification, &Balance),
    inputs: &Form8824Inputs,
    line_15: Amount,
    fx: &mut Findings,
) {
    use crate::analyze::schedules::{MultiAssetCase, multi_asset_case};
    if !q.form_8824_filed {
        return;
    }
    let case = multi_asset_case(f, bal, q, inputs, line_15);
    if case == MultiAssetCase::NotMultiAsset {
        return;
    }
    crate::finding!(
        fx,
        "multi_asset_exchange",
        Severity::Info,
        multi_asset_message(case),
        cite!(FORM_8824 ", Multi-asset exchanges"; REG_1_1031_J_1 "(a)(1)"),
    );
}

/// The words of the `multi_asset_exchange` finding for `case`.
fn multi_asset_message(case: crate::analyze::schedules::MultiAssetCase) -> String {
    use crate::analyze::schedules::MultiAssetCase;
    match case {
        MultiAssetCase::NotMultiAsset => String::new(),
        MultiAssetCase::OneGroupOnly => {
            "More than one property was given up or received, all in one group of like-kind real property and with no cash or other (not like-kind) property: a multi-asset exchange (Reg. 1.1031(j)-1(a)(1)), but not one for which the Form 8824 instructions replace lines 12-18 with a statement (that is for more than one group of like-kind properties, or cash or other property). Complete lines 12-25 as shown; with one group and no money the (j)-1 computation gives the same realized and recognized gain, and the basis of the properties received is split by FMV (Reg. 1.1031(j)-1(c)).".to_string()
        }
        MultiAssetCase::StatementInsteadOfLines { one_group } => format!(
            "{}A multi-asset exchange with {}: the Form 8824 instructions say not to complete lines 12-18 but to attach a statement showing how the realized and recognized gain were figured (Reg. 1.1031(j)-1) and to enter lines 19-25. The report's multi-asset section is that statement; the lines 12-18 shown here are working figures, not lines to file. With one real-property exchange group plus money, the (j)-1 result equals lines 19-25 computed here; where its figures differ, a separate finding says so.{}",
            if one_group { "[U] " } else { "" },
            if one_group {
                "more than one property given up or received and cash or other (not like-kind) property"
            } else {
                "more than one group of like-kind properties, or other (not like-kind) property"
            },
            if one_group {
                " Uncertain: read alone, the instructions' \"cash or other property\" would cover every exchange with boot; the engine reads it within the multi-asset exchange (several properties in one group are one, Reg. 1.1031(j)-1(a)(1)). Lines 19-25 are the same figures either way."
            } else {
                ""
            }
        ),
    }
}

/// What [`gain_and_boot`] reads.
struct GainFacts<'a> {
    q: &'a Qualification,
    r: &'a form8824::Form8824Result,
    inputs: &'a Form8824Inputs,
    unrecaptured: recapture::Unrecaptured,
    line_22_reported_on: crate::explain::Text,
    excluded_121: Amount,
    loss_not_deductible: Amount,
}

/// The report's gain (realized, recognized, deferred and their character) and boot.
fn gain_and_boot(g: GainFacts) -> (Gain, Boot) {
    let l = &g.r.lines;
    let (recognized, deferred) = if g.q.is_taxable_sale() && l.line_19 < Amount::ZERO {
        (l.line_19 - g.loss_not_deductible, Amount::ZERO)
    } else {
        (l.line_23, l.line_24)
    };
    // Straight-line depreciation not recognized now stays in the replacement, but never more
    // than the gain actually deferred (IRC §1(h)(6); §1031(d)), and only in a building: in
    // land received it is no unrecaptured §1250 gain, as the character section says
    // (IRC §§1(h)(6)(A), 1250(c)).
    let unrec_deferred = crate::gain::character::unrecaptured_1250_carried(
        g.inputs.recapture.straight_line_1250,
        g.unrecaptured.recognized,
        g.inputs.recapture.fmv_1250_received,
        deferred,
    );
    let gain = Gain {
        realized: l.line_19,
        recognized,
        deferred,
        ordinary_recapture: l.line_21,
        unrecaptured_1250: g.unrecaptured.long_term,
        unrecaptured_1250_deferred: unrec_deferred,
        other_property_given: l.line_14,
        total_recognized: recognized + l.line_14,
        line_22_reported_on: g.line_22_reported_on,
        excluded_121: g.excluded_121,
        loss_not_deductible: g.loss_not_deductible,
    };
    let boot = Boot {
        cash: g.inputs.cash_received,
        net_liabilities: g.r.net_liabilities_assumed_by_other,
        other_property: g.inputs.other_property_received_fmv,
        exchange_expenses_offset: g.r.exp_used_on_15,
        total: l.line_15,
    };
    (gain, boot)
}

fn personal_use_given_up(f: &ExchangeFile) -> bool {
    f.relinquished
        .iter()
        .any(|r| r.use_ == crate::model::Use::PersonalResidence || never_rented_vacation_home(r))
}

/// A vacation home whose stated use shows personal use and no day rented at a fair rental:
/// property held for personal use, whose loss IRC §165(c) does not allow (Treas. Reg.
/// §1.165-9(a)), unless it was held to make a profit on its sale, a question of facts.
fn never_rented_vacation_home(r: &crate::model::Relinquished) -> bool {
    crate::eligibility::vacation_home::never_rented(r)
}

/// One explanation step per side (each property's answer in its list) and a finding that
/// states the outcome.
fn explain_verdict(f: &ExchangeFile, q: &Qualification, t: &mut Trace, fx: &mut Findings) {
    const AUTH: &str = cite!(IRC_1031 "(a), (b), (d), (h)"; REG_1_1031_K_1 "(a)");
    let answer = |why: Option<&qualification::Reason>| match why {
        None => crate::explain::Val::from("yes"),
        Some(r) => crate::explain::Val::Text(format!("no: {} ({})", r.text, r.authority).into()),
    };
    let doubtful = |why: Option<&qualification::Reason>,
                    caution: Option<&qualification::Reason>| match (why, caution)
    {
        (None, Some(c)) => crate::explain::Val::Text(
            format!(
                "yes as entered, but doubtful (uncertain): {} ({})",
                c.text, c.authority
            )
            .into(),
        ),
        (why, _) => answer(why),
    };
    crate::step!(
        t,
        "qualification.given",
        "Does each property given up qualify for a like-kind exchange?",
        crate::explain::Val::List(
            q.given
                .iter()
                .map(|g| {
                    crate::explain::Input::new(
                        f.property_words(&g.id),
                        doubtful(g.reason.as_ref(), g.caution.as_ref()),
                    )
                })
                .collect(),
        ),
        AUTH,
        vec![],
    );
    if !q.received.is_empty() {
        crate::step!(
            t,
            "qualification.received",
            "Is each property received like-kind replacement property? (If not, it is other property received, at its fair market value)",
            crate::explain::Val::List(
                q.received
                    .iter()
                    .map(|r| crate::explain::Input::new(
                        f.property_words(&r.id),
                        doubtful(r.reason.as_ref(), r.caution.as_ref())
                    ))
                    .collect(),
            ),
            AUTH,
            vec![],
        );
    }
    crate::step!(
        t,
        "qualification.outcome",
        "Outcome: like-kind exchange, partly a like-kind exchange, or taxable sale",
        q.outcome.words(),
        cite!([IRC_1001, IRC_1031 "(a)-(d)"]; REG_1_1031_K_1 "(a)"),
        vec![],
    );
    match q.outcome {
        Outcome::Exchange => {}
        Outcome::PartialExchange => crate::finding!(
            fx,
            "partial_exchange",
            Severity::Warning,
            q.summary.clone(),
            cite!(IRC_1031 "(b), (d)"; REG_1_1031_K_1 "(a), (b)(1)"),
        ),
        Outcome::TaxableSale => crate::finding!(
            fx,
            "taxable_sale",
            if q.settled {
                Severity::Error
            } else if q.unless.is_some() {
                // Failing as entered on a date still ahead: at risk, not yet lost.
                Severity::Warning
            } else {
                Severity::Info
            },
            format!("{} Report it on {}.", q.summary, q.reported_on),
            cite!([IRC_1001, IRC_1031 "(a)"]; REG_1_1031_K_1 "(a)"; FORM_8824 ", Purpose of Form"),
        ),
    }
}

/// §121 with §1031 (Rev. Proc. 2005-14 §4.03-4.05): when the whole exchange is one home
/// sale, the exclusion X comes off the gain first and boot counts only beyond X; so line 23 =
/// min(max(0, boot - X), realized - X), line 24 = realized - X - line 23, and line 25 = line
/// 18 + line 23 - line 15 + X. Line 19 stays the whole realized gain and X is shown on its
/// own line (the reading of the Form 8824 home worksheet is stated in the step). Returns X.
fn apply_section121(
    f: &ExchangeFile,
    q: &Qualification,
    home: Option<&crate::eligibility::section121::HomeSaleResult>,
    r: &mut form8824::Form8824Result,
    t: &mut Trace,
) -> Amount {
    let Some(h) = home else {
        return Amount::ZERO;
    };
    let (x, rec) = match (&h.whole, &h.split) {
        (Some(w), _) => (w.excluded_121, w.recognized),
        (_, Some(s)) => (s.excluded_121, s.recognized),
        _ => return Amount::ZERO,
    };
    if x.is_zero() || f.relinquished.len() != 1 {
        return Amount::ZERO;
    }
    let l = &mut r.lines;
    let x = x.min(l.line_19.max(Amount::ZERO));
    let rec = if q.is_taxable_sale() {
        (l.line_19 - x).max(Amount::ZERO)
    } else {
        rec.min(l.line_19 - x).max(Amount::ZERO)
    };
    l.line_21 = l.line_21.min(rec);
    l.line_22 = rec - l.line_21;
    l.line_20 = rec;
    l.line_23 = rec;
    l.line_24 = l.line_19 - x - rec;
    l.line_25 = if q.is_taxable_sale() {
        Amount::ZERO
    } else {
        l.line_18 + rec - l.line_15 + x
    };
    if t.records() {
        restate_lines_after_section121(q, &r.lines, x, t);
    }
    let l = &r.lines;
    crate::step!(
        t,
        "form_8824.section121",
        "§121 applied first: the excluded gain comes off the realized gain (line 19 is shown whole, the exclusion on its own line); boot is recognized only beyond the exclusion; the exclusion counts as gain recognized for the basis (line 25 = line 18 + line 23 - line 15 + exclusion)",
        m(x),
        cite!(IRC_121; REV_PROC_2005_14 ", 2005-7 I.R.B. 528, §4.03-4.05"; FORM_8824 ", Property used as home"),
        inputs!["line 19" => m(l.line_19), "line 15" => m(l.line_15), "line 23" => m(l.line_23), "line 24" => m(l.line_24), "line 25" => m(l.line_25)],
    );
    x
}

/// The steps of lines 20 to 25 once the §121 exclusion is taken first (Rev. Proc. 2005-14
/// §4.03-4.05): the exchange's own steps, computed before it, would contradict the lines.
fn restate_lines_after_section121(
    q: &Qualification,
    l: &form8824::Form8824Lines,
    x: Amount,
    t: &mut Trace,
) {
    const AUTH: &str = cite!(IRC_121; REV_PROC_2005_14 ", 2005-7 I.R.B. 528, §4.03-4.05"; FORM_8824 ", Property used as home");
    t.restate(
        "form_8824.line_20",
        "Line 20 after the §121 exclusion: boot is recognized only beyond the excluded gain, and never more than the gain left after it",
        m(l.line_20),
        AUTH,
        inputs!["line 15" => m(l.line_15), "line 19" => m(l.line_19), "§121 exclusion" => m(x)],
    );
    t.restate(
        "form_8824.line_21",
        "Line 21: ordinary income under the recapture rules, not more than the gain recognized after the exclusion",
        m(l.line_21),
        cite!(FORM_8824 ", line 21"; IRC_1245 "(b)(4)"; IRC_1250 "(d)(4)"),
        inputs!["line 20" => m(l.line_20)],
    );
    t.restate(
        "form_8824.line_22",
        "Line 22: line 20 - line 21",
        m(l.line_22),
        cite!(FORM_8824 ", line 22"),
        inputs!["line 20" => m(l.line_20), "line 21" => m(l.line_21)],
    );
    t.restate(
        "form_8824.line_23",
        "Line 23: recognized gain = line 21 + line 22",
        m(l.line_23),
        cite!(FORM_8824 ", line 23"),
        inputs!["line 21" => m(l.line_21), "line 22" => m(l.line_22)],
    );
    t.restate(
        "form_8824.line_24",
        "Line 24: deferred gain = line 19 - the §121 exclusion - line 23",
        m(l.line_24),
        AUTH,
        inputs!["line 19" => m(l.line_19), "§121 exclusion" => m(x), "line 23" => m(l.line_23)],
    );
    if q.is_taxable_sale() {
        t.restate(
            "form_8824.line_25",
            "Line 25: no basis carries over: what was bought takes its cost as basis",
            m(l.line_25),
            cite!(IRC_1012),
            vec![],
        );
    } else {
        t.restate(
            "form_8824.line_25",
            "Line 25: basis of like-kind property received = line 18 + line 23 - line 15 + the §121 exclusion (the exclusion counts as gain recognized for the basis)",
            m(l.line_25),
            AUTH,
            inputs!["line 18" => m(l.line_18), "line 23" => m(l.line_23), "line 15" => m(l.line_15), "§121 exclusion" => m(x)],
        );
    }
}

/// A taxable sale that realizes a loss: the loss is recognized on the sale (IRC §165(a)),
/// except on property held for personal use (IRC §165(c)); nothing is deferred and there is
/// no like-kind basis, so lines 20-25 are zero. Returns the loss that is not deductible (a
/// negative amount, or zero).
fn taxable_sale_loss(
    f: &ExchangeFile,
    q: &Qualification,
    r: &mut form8824::Form8824Result,
    t: &mut Trace,
    fx: &mut Findings,
) -> Amount {
    let l = &mut r.lines;
    if !q.is_taxable_sale() || l.line_19 >= Amount::ZERO {
        return Amount::ZERO;
    }
    l.line_20 = Amount::ZERO;
    l.line_21 = Amount::ZERO;
    l.line_22 = Amount::ZERO;
    l.line_23 = Amount::ZERO;
    l.line_24 = Amount::ZERO;
    l.line_25 = Amount::ZERO;
    restate_lines_of_a_sale_at_a_loss(t);
    let personal = personal_use_given_up(f);
    let lost = if personal { l.line_19 } else { Amount::ZERO };
    crate::step!(
        t,
        "gain.sale_loss",
        if personal {
            "Loss on the sale of property held for personal use: not deductible, and nothing is deferred"
        } else {
            "Loss on the taxable sale: recognized (subject to the usual limits on capital losses)"
        },
        m(l.line_19),
        if personal {
            cite!(IRC_165 "(c)")
        } else {
            cite!([IRC_165 "(a)", IRC_1001, IRC_1211, IRC_1231])
        },
        vec![],
    );
    if personal {
        crate::finding!(
            fx,
            "loss_not_deductible",
            Severity::Warning,
            format!(
                "The sale realizes a loss of {} on property held for personal use: it is not deductible, and since there is no like-kind exchange it is not deferred either.{}",
                format_usd(-l.line_19),
                if f.relinquished.iter().any(never_rented_vacation_home) {
                    " A vacation home used personally and never rented at a fair rental is taken as held for personal use; if it was held to make a profit on its sale, the loss may be deductible, a question of facts [U]."
                } else {
                    ""
                }
            ),
            cite!(IRC_165 "(c)"; REG_1_165_9 "(a)"),
        );
    }
    lost
}

/// The steps of lines 20, 24 and 25 when a transfer taxed as a sale realizes a loss: the
/// exchange's steps (a loss never recognized, a loss deferred, a carried-over basis) would
/// contradict the figures printed beside them. Form 8824 is not filed; the loss is the
/// sale's (IRC §§165, 1001), nothing is deferred and the property bought takes its cost as
/// basis (IRC §1012).
fn restate_lines_of_a_sale_at_a_loss(t: &mut Trace) {
    t.restate(
        "form_8824.line_20",
        "Line 20: no gain to recognize: the transfer is taxed as a sale (Form 8824 is not filed), and the loss of line 19 is the loss on the sale itself (see the loss on the sale), not a figure of this form",
        m(Amount::ZERO),
        cite!([IRC_165 "(a)", IRC_1001]; FORM_8824 ", line 20"),
        vec![],
    );
    t.restate(
        "form_8824.line_24",
        "Line 24: nothing is deferred: there is no like-kind exchange, so the loss is not deferred either",
        m(Amount::ZERO),
        cite!(IRC_1001 "(c)"; FORM_8824 ", line 24"),
        vec![],
    );
    t.restate(
        "form_8824.line_25",
        "Line 25: no basis carries over: what was bought takes its cost as basis",
        m(Amount::ZERO),
        cite!(IRC_1012),
        vec![],
    );
}

/// The basis of every property received, in file order: like-kind property shares line 25
/// by relative FMV; other property received takes its FMV (IRC §1031(d)), and in a taxable
/// sale its cost (price plus its own closing's acquisition costs, IRC §1012).
fn bases(
    f: &ExchangeFile,
    q: &Qualification,
    line_25: Amount,
    t: &mut Trace,
) -> Vec<PropertyBasis> {
    let lk: Vec<(crate::id::Id, Amount)> = f
        .replacement
        .iter()
        .enumerate()
        .filter(|(k, _)| q.like_kind_at(*k) && !q.is_taxable_sale())
        .map(|(_, r)| (r.id.clone(), r.like_kind_price()))
        .collect();
    let mut shares = basis::allocate(line_25, &lk).into_iter();
    let mut out = Vec::with_capacity(f.replacement.len());
    for (k, r) in f.replacement.iter().enumerate() {
        if q.like_kind_at(k) && !q.is_taxable_sale() {
            if let Some(b) = shares.next() {
                crate::step!(
                    t,
                    format!("replacement_basis.{}", b.id),
                    format!(
                        "Basis of {}: line 25 allocated by relative FMV",
                        f.property_words(&b.id)
                    ),
                    m(b.basis),
                    cite!(IRC_1031 "(d)"; REG_1_1031_J_1 "(c)"; FORM_8824 ", lines 25a-c"),
                    inputs!["line 25" => m(line_25), "FMV" => m(b.fmv)],
                );
                out.push(b);
            }
            continue;
        }
        let reason = q.received.get(k).and_then(|v| v.reason.as_ref());
        // The step's words are written only when the steps are kept.
        let taxable = q.is_taxable_sale();
        let (basis, auth) = if taxable {
            (
                r.price + r.exchange_expenses,
                cite!([IRC_1012, IRC_1031 "(d)"]; REG_1_1031_K_1 "(a)"),
            )
        } else {
            (r.price, cite!(IRC_1031 "(d)"; REG_1_1031_K_1 "(a)"))
        };
        crate::step!(
            t,
            format!("replacement_basis.{}", r.id),
            if taxable {
                format!(
                    "Basis of {}: its cost (price + its closing's acquisition costs), since there is no like-kind exchange",
                    f.property_words(&r.id)
                )
            } else {
                format!(
                    "Basis of {}: its fair market value, as other property received",
                    f.property_words(&r.id)
                )
            },
            m(basis),
            auth,
            inputs!["FMV" => m(r.price), "acquisition costs" => m(r.exchange_expenses)],
        );
        out.push(PropertyBasis {
            id: r.id.clone(),
            basis,
            fmv: r.price,
            like_kind: false,
            reason: Some(reason.map_or_else(
                || "there is no like-kind exchange".to_string(),
                |x| x.text.clone(),
            )),
        });
    }
    out
}

/// The figures had every property qualified: an alternative for planning only.
fn if_qualified(f: &ExchangeFile, bal: &Balance) -> IfQualified {
    let all = qualification::Qualification {
        outcome: Outcome::Exchange,
        settled: true,
        form_8824_filed: true,
        reported_on: "".into(),
        summary: "".into(),
        exchange_reason: None,
        unless: None,
        given: f
            .relinquished
            .iter()
            .map(|r| qualification::Given {
                id: r.id.clone(),
                eligible: true,
                reason: None,
                caution: None,
            })
            .collect(),
        received: f
            .replacement
            .iter()
            .map(|r| qualification::Received {
                id: r.id.clone(),
                like_kind: true,
                reason: None,
                caution: None,
            })
            .collect(),
        if_qualified: None,
    };
    // The figures only: the steps and findings of this what-if are thrown away, so no words.
    let mut scratch = Trace::with_words(false);
    let inputs = form_inputs(f, bal, &all, &mut Findings::with_words(false));
    let r = form8824::compute(&inputs, &mut scratch);
    let replacement_basis = bases(f, &all, r.lines.line_25, &mut scratch);
    IfQualified {
        label: "If every property had qualified (for planning only: not the figures to file)"
            .to_string(),
        realized: r.lines.line_19,
        recognized: r.lines.line_23,
        deferred: r.lines.line_24,
        form_8824: r.lines,
        replacement_basis,
    }
}

/// The sum of some amounts (each call inlined: no iterator behind a pointer).
fn total(it: impl Iterator<Item = Amount>) -> Amount {
    it.sum()
}

/// Maps the file's closings onto the form's aggregate figures, following the verdict:
/// like-kind property received is line 16; property received that is not of a like kind is
/// other property received at its FMV (line 15); property given up that is not eligible is
/// treated as sold (lines 12-14). In a taxable sale everything received is other property,
/// and only the selling expenses reduce the amount realized (the purchases' closing costs are
/// part of the cost of what was bought). Improvements identified but not in place when a
/// like-kind replacement was received are not like-kind property: their value is taken out
/// of line 16 and counted as other property received on line 15 (construction after receipt
/// is services paid for with the exchange).
/// Authority: IRC §1031(b), (d); Treas. Reg. §1.1031(k)-1(a), (e)(4), (e)(5) Example;
/// Instructions for Form 8824, lines 12-18.
fn form_inputs(
    f: &ExchangeFile,
    bal: &Balance,
    q: &Qualification,
    fx: &mut Findings,
) -> Form8824Inputs {
    let sale = q.is_taxable_sale();
    let words = fx.words();
    // Given up and counted as like-kind property given (in a sale: everything sold).
    let given_lk = |k: usize| sale || q.eligible_at(k);
    let received_lk = |k: usize| !sale && q.like_kind_at(k);
    let given = || f.relinquished.iter().enumerate();
    let lk_given = || given().filter(|(k, _)| given_lk(*k)).map(|(_, r)| r);
    let not_given = || given().filter(|(k, _)| !given_lk(*k)).map(|(_, r)| r);
    let lk_received = || {
        f.replacement
            .iter()
            .enumerate()
            .filter(|(k, _)| received_lk(*k))
            .map(|(_, r)| r)
    };
    let other_received = || {
        f.replacement
            .iter()
            .enumerate()
            .filter(|(k, _)| !received_lk(*k))
            .map(|(_, r)| r)
    };
    // Additional depreciation: above straight line, or all of it on property held one year or
    // less (IRC §1250(b)(1)); the rest is straight line.
    let straight_line = total(lk_given().map(crate::gain::character::straight_line_of));
    let additional = total(lk_given().map(crate::gain::character::additional_depreciation_of));
    let fmv_1245 = total(lk_received().map(|r| r.section1245_value));
    let land_known = lk_received().all(|r| r.land_value.is_some());
    let fmv_1250 = if land_known {
        Some(total(lk_received().map(|r| {
            (r.like_kind_price() - r.land_value.unwrap_or_default() - r.section1245_value)
                .max(Amount::ZERO)
        })))
    } else {
        None
    };
    if !additional.is_zero() && !land_known {
        crate::finding!(
            fx,
            "section1250_property_received_assumed",
            Severity::Info,
            "A replacement has no land value given, so all of its price other than its §1245 components is taken as §1250 property (building) for the §1250(d)(4) limit; give the land value to compute recapture exactly",
            cite!(IRC_1250 "(d)(4)"),
        );
    }
    let exp = total(f.relinquished.iter().map(|r| r.exchange_expenses))
        + if sale {
            Amount::ZERO
        } else {
            total(f.replacement.iter().map(|r| r.exchange_expenses))
        };
    Form8824Inputs {
        other_property_given_fmv: total(f.other_property_given.iter().map(|o| o.fmv))
            + total(not_given().map(|r| r.sale_price)),
        other_property_given_basis: total(f.other_property_given.iter().map(|o| o.adjusted_basis))
            + total(not_given().map(|r| r.adjusted_basis)),
        cash_received: bal.cash_received_total(),
        other_property_received_fmv: total(f.other_property_received.iter().map(|o| o.fmv))
            + total(f.replacement.iter().map(|r| r.personal_property))
            + total(other_received().map(|r| r.price))
            + total(lk_received().map(|r| r.improvements_not_in_place())),
        liabilities_assumed_by_other_party: total(
            f.relinquished.iter().map(|r| r.liabilities_relieved),
        ),
        liabilities_you_assumed: bal.liabilities_assumed_as_consideration(),
        cash_paid: bal.cash_paid_to_other_party(),
        exchange_expenses: exp,
        like_kind_received_fmv: total(lk_received().map(|r| r.like_kind_price())),
        like_kind_given_basis: total(lk_given().map(|r| r.adjusted_basis)),
        recapture: RecaptureInputs {
            section1245_depreciation: total(lk_given().map(|r| r.section1245_depreciation)),
            section1250_additional: additional,
            straight_line_1250: straight_line,
            fmv_1245_received: fmv_1245,
            fmv_1250_received: fmv_1250,
            by_property: lk_given().map(|r| by_property(f, r, words)).collect(),
        },
    }
}

/// One property given up in the exchange, for line 21: its depreciation and its own realized
/// gain, which caps its recapture (IRC §§1245(a)(1), 1250(a)(1)(A)), measured as the split of
/// line 22 measures it ([`crate::gain::character::realized_gain_of`]). Its additional
/// depreciation is all its §1250 depreciation when it was held one year or less (IRC
/// §1250(b)(1); [`crate::gain::character::additional_depreciation_of`]). Its name is words
/// for the explanation, written only when the `words` are kept.
fn by_property(
    f: &ExchangeFile,
    r: &crate::model::Relinquished,
    words: bool,
) -> recapture::PropertyRecapture {
    use crate::gain::character;
    recapture::PropertyRecapture {
        name: if words {
            f.property_words(&r.id)
        } else {
            String::new()
        },
        section1245_depreciation: r.section1245_depreciation,
        section1250_additional: character::additional_depreciation_of(r),
        realized_gain: character::realized_gain_of(r),
        held_one_year_or_less: !character::held_long(r),
    }
}

/// While the exchange period is open, money not yet spent is still held by the intermediary:
/// the report's figures show the result if it were returned at the end of the period, and
/// says so, instead of presenting a pending exchange as finished.
/// Authority: IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(g)(6).
///
/// Not on a taxable sale that is settled, or failing on a date still ahead (its own finding
/// says what would save it): the whole gain is already recognized, and no receipt can defer
/// any of it once nothing validly identified is left to receive at the end of the
/// identification period (IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(c)(1); QA12 D5).
/// When every property identified in force has been received, nothing identified is left
/// to acquire: the finding says the money comes back, without advice to buy more.
fn in_progress_finding(
    b: &Balance,
    (d, id): (
        &crate::timing::deadlines::Deadlines,
        Option<&crate::identification::Identification>,
    ),
    (q, as_of): (&Qualification, Date),
    fx: &mut Findings,
) {
    if as_of > d.exchange_end
        || b.returned_to_taxpayer <= Amount::ZERO
        || (q.is_taxable_sale() && (q.settled || q.unless.is_some()))
    {
        return;
    }
    let nothing_left = id.is_some_and(qualification::nothing_left_to_receive);
    crate::finding!(
        fx,
        "exchange_in_progress",
        Severity::Info,
        format!(
            "The exchange period is still open (it ends on {}). {} of exchange funds is not yet spent on replacement property: the figures shown treat it as returned to you at the end of the exchange, which would make it taxable boot. {}",
            d.exchange_end,
            format_usd(b.returned_to_taxpayer),
            if nothing_left {
                "Every property identified by the end of the identification period has been received and no other property can be identified now, so no further purchase can defer more (IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(c)(1)).".to_string()
            } else {
                format!(
                    "Acquire identified replacement property by {} to defer more.",
                    d.exchange_end
                )
            }
        ),
        if nothing_left {
            cite!(IRC_1031 "(a)(3)"; REG_1_1031_K_1 "(b)(2), (c)(1), (g)(6)")
        } else {
            cite!(IRC_1031 "(a)(3)(B)"; REG_1_1031_K_1 "(b)(2), (g)(6)")
        },
    );
}

/// Explains the money flow and reports what was inferred or does not balance. Each closing
/// is named by its property's description, its id only when it has none
/// ([`crate::words::property`]).
fn explain_balance(f: &ExchangeFile, b: &Balance, t: &mut Trace, fx: &mut Findings) {
    const MONEY: &str = cite!(REG_1_1031_K_1 "(g)(6)"; FORM_8824 ", lines 15 and 18");
    for s in &b.sales {
        crate::step!(
            t,
            format!("money.sale.{}", s.id),
            format!(
                "Sale of {}: price - debt paid off - exchange expenses - other costs - cash to you = to the exchange funds",
                f.property_words(&s.id)
            ),
            m(s.to_exchange_funds),
            MONEY,
            inputs!["sale price" => m(s.sale_price), "liabilities relieved" => m(s.liabilities_relieved), "exchange expenses" => m(s.exchange_expenses), "other closing costs" => m(s.other_closing_costs), "cash received" => m(s.cash_received), "cash you brought" => m(s.cash_brought)],
        );
    }
    for p in &b.purchases {
        crate::step!(
            t,
            format!("money.purchase.{}", p.id),
            format!(
                "Purchase of {}: price + personal property + exchange expenses + other costs, paid by the new loan, your own cash{} (first to other costs, then expenses, then price) and the exchange funds",
                f.property_words(&p.id),
                if p.cash_paid_inferred {
                    " (inferred)"
                } else {
                    ""
                }
            ),
            m(p.from_exchange_funds),
            MONEY,
            inputs!["price" => m(p.price), "personal property" => m(p.personal_property), "exchange expenses" => m(p.exchange_expenses), "other closing costs" => m(p.other_closing_costs), "loan" => m(p.liabilities_assumed), "own cash" => m(p.cash_paid), "own cash to price" => m(p.own_cash_to_price)],
        );
    }
    if b.returned_to_taxpayer > Amount::ZERO {
        crate::step!(
            t,
            "money.returned_to_taxpayer",
            "Exchange funds left after the purchases, returned to you at the end of the exchange (inferred: the cash received and cash paid at the closings were not all given)",
            m(b.returned_to_taxpayer),
            MONEY,
            inputs!["funds in" => m(b.exchange_funds_in), "funds out" => m(b.exchange_funds_out)],
        );
    }
    explain_inferred_and_gap(f, b, t, fx);
}

/// The cash the engine inferred so the money balances, and money that does not balance.
fn explain_inferred_and_gap(f: &ExchangeFile, b: &Balance, t: &mut Trace, fx: &mut Findings) {
    let inferred_cash: Amount = b
        .purchases
        .iter()
        .filter(|p| p.cash_paid_inferred)
        .map(|p| p.cash_paid)
        .sum();
    if inferred_cash > Amount::ZERO {
        crate::finding!(
            fx,
            "own_cash_needed",
            Severity::Info,
            format!(
                "The exchange funds and the new loans do not cover the purchases: you must add {} of your own cash (inferred, since the cash you paid was not given). Cash you pay to the seller offsets debt relief on line 15.",
                format_usd(inferred_cash)
            ),
            cite!(FORM_8824 ", line 15"; REG_1_1031_D_2),
        );
    }
    if b.inferred && t.records() {
        let inferred: Vec<crate::explain::Input> = b
            .purchases
            .iter()
            .filter(|p| p.cash_paid_inferred)
            .map(|p| {
                crate::explain::Input::new(
                    format!("your own cash paid for {}", f.property_words(&p.id)),
                    m(p.cash_paid),
                )
            })
            .collect();
        crate::step!(
            t,
            "money.inferred",
            "Cash figures absent from the file were inferred so that the money balances",
            if inferred.is_empty() {
                crate::explain::Val::from("cash returned at the end")
            } else {
                crate::explain::Val::List(inferred)
            },
            cite!(REG_1_1031_K_1 "(g)(6)"; FORM_8824 ", lines 15 and 18"),
            vec![],
        );
    }
    if !b.is_balanced() {
        crate::finding!(
            fx,
            "unbalanced_exchange",
            Severity::Error,
            if b.gap > Amount::ZERO {
                format!(
                    "The money does not balance: {} of exchange funds is neither spent on a purchase nor returned to you. Check the cash received and the cash paid at each closing; the report computes with the figures given.",
                    format_usd(b.gap)
                )
            } else {
                format!(
                    "The money does not balance: the purchases need {} more than the exchange funds and the cash you say you paid. Check the cash you paid, the loans and the prices; the report computes with the figures given.",
                    format_usd(-b.gap)
                )
            },
            cite!(FORM_8824 ", lines 15-19 (the figures must agree with the closing statements)"),
        );
    }
}

/// Cash received in an exchange whose gain is partly excluded as a home sale: the exclusion
/// applies first, and boot is taxed only to the extent it exceeds the gain excluded under
/// §121 (Rev. Proc. 2005-14, §4; the figures already say so on lines 20-23).
fn cash_boot_after_home_sale_exclusion(
    cash: Amount,
    excluded: Amount,
    recognized: Amount,
    fx: &mut Findings,
) {
    crate::finding!(
        fx,
        "cash_boot",
        Severity::Warning,
        format!(
            "{} of cash reaches you. The home-sale exclusion applies first: cash boot is taxed only to the extent it exceeds the gain excluded under §121 ({}), so {} of gain is recognized here{}.",
            format_usd(cash),
            format_usd(excluded),
            format_usd(recognized),
            if recognized.is_zero() {
                " (none of the cash is taxed)"
            } else {
                ""
            }
        ),
        cite!(IRC_1031 "(b)"; IRC_121; REV_PROC_2005_14 ", §4 (primary text of §4 unverified; secondary summaries consistent)"),
    );
}

/// Cash, closing costs, net debt relief and other property received as boot (IRC §1031(b),
/// (d)). Boot is what an exchange receives besides like-kind property: a transfer taxed as a
/// sale has none to speak of (everything received is its price).
fn boot_findings(
    b: &Balance,
    (r, q): (&form8824::Form8824Result, &Qualification),
    (i, excluded_121): (&Form8824Inputs, Amount),
    fx: &mut Findings,
) {
    if q.is_taxable_sale() {
        return;
    }
    let cash = b.cash_in_hand();
    if cash > Amount::ZERO && excluded_121 > Amount::ZERO {
        cash_boot_after_home_sale_exclusion(cash, excluded_121, r.lines.line_20, fx);
    } else if cash > Amount::ZERO {
        crate::finding!(
            fx,
            "cash_boot",
            Severity::Warning,
            format!(
                "{} of cash reaches you: cash boot is taxable up to the realized gain (after exchange expenses offset it on line 15). {}",
                format_usd(cash),
                if r.lines.line_19 > Amount::ZERO {
                    "Adding your own cash at a purchase or taking more debt does not cure cash already received."
                } else {
                    "This exchange realizes no gain, so none of it is taxed; the loss is not recognized either, and it stays in the basis of the property received (IRC §1031(c), (d))."
                }
            ),
            if r.lines.line_19 > Amount::ZERO {
                cite!(IRC_1031 "(b)"; REG_1_1031_B_1 "(a), §1.1031(d)-2 Example 2")
            } else {
                cite!(IRC_1031 "(b), (c), (d)"; REG_1_1031_B_1 "(a)")
            },
        );
    }
    let costs = b.other_costs_paid_with_exchange_money();
    if costs > Amount::ZERO {
        crate::finding!(
            fx,
            "non_exchange_costs_boot",
            Severity::Warning,
            format!(
                "{} of closing costs that are not exchange expenses (prorations, loan fees, deposits...) were paid with exchange money and are treated as cash received. This is common practice with thin primary authority: Reg. 1.1031(k)-1(g)(7) keeps the QI safe harbor intact but does not say whether such items are boot. Bring your own cash to closing for them to avoid the question.",
                format_usd(costs)
            ),
            cite!(REG_1_1031_K_1 "(g)(7)(i)-(ii) (safe harbor only)"; "practitioner consensus [S]"),
        );
    }
    if r.net_liabilities_assumed_by_other > Amount::ZERO {
        crate::finding!(
            fx,
            "mortgage_boot",
            Severity::Warning,
            format!(
                "Your debt relieved exceeds the debt you took on plus the cash you paid by {}: net debt relief is boot (mortgage boot). Taking on more debt or adding cash at the purchase would offset it.",
                format_usd(r.net_liabilities_assumed_by_other)
            ),
            cite!(IRC_1031 "(d)"; REG_1_1031_D_2; FORM_8824 ", line 15"),
        );
    }
    if i.other_property_received_fmv > Amount::ZERO {
        crate::finding!(
            fx,
            "other_property_boot",
            Severity::Warning,
            format!(
                "{} of what was received is not like-kind real property (for example personal property, a note, or improvements built after the property was received): it is boot at its FMV and takes an FMV basis.",
                format_usd(i.other_property_received_fmv)
            ),
            cite!(IRC_1031 "(b), (d)"; REG_1_1031_K_1 "(g)(8) Example 6"),
        );
    }
}
