//! QA pass 9 on the planner: the character of the gain (short-term and Form 4797 Part II
//! ordinary gain), the installment split of a failed exchange across two tax years, the QOF
//! window each payment's gain pairs with, and a pass-through entity's owners' windows.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::{Date, date};
use likekind_core::Amount;
use likekind_core::amt;
use likekind_core::oz::window::StartRule;
use likekind_core::plan::{Overrides, Plan, Strategy, plan, resolve};
use likekind_core::{Format, analyze, parse_exchange};

const T04: &str = include_str!("qa9/t04-three-given-boot-character.toml");
const T07: &str = include_str!("qa9/t07-straddle-failed-debt-payoff.toml");
const T08: &str = include_str!("qa9/t08-partial-straddle-debt.toml");
const T11: &str = include_str!("qa9/t11-failed-partnership.toml");
const T12: &str = include_str!("qa9/t12-failed-partnership-march.toml");
const T15: &str = include_str!("qa9/t15-failed-short-held-rental.toml");
const T13: &str = include_str!("qa9/t13-qof-amount-over-gain.toml");
const T16: &str = include_str!("qa9/t16-failed-short-held-land.toml");

fn plan_at(text: &str, as_of: Date) -> Plan {
    plan_with(text, as_of, |_| {}).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The plan of `text` with the assumptions `change` makes, or its input errors.
fn plan_with(
    text: &str,
    as_of: Date,
    change: impl Fn(&mut likekind_core::plan::Assumptions),
) -> Result<Plan, likekind_core::InputErrors> {
    let f = parse_exchange(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    let r = analyze(&f, as_of);
    let mut a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
    change(&mut a);
    plan(&f, &r, &a)
}

fn strategy<'p>(p: &'p Plan, name: &str) -> &'p Strategy {
    p.strategies
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

/// D6: a rental held six months is §1231-type property held one year or less: its gain is
/// ordinary, taxed at the ordinary rate (37% + 3.8% NIIT = 40.8%), and neither capital gain
/// nor qualified §1231 gain, so no QOF can defer it (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A);
/// IRC §1231(b)(1)). Of its 100,000, the 5,000 of depreciation is §1250 recapture (all the
/// depreciation of property held one year or less is additional depreciation, IRC
/// §1250(b)(1)) and the other 95,000 is Form 4797 Part II ordinary gain.
#[test]
fn short_held_rental_gain_is_ordinary_and_not_eligible() {
    let p = plan_at(T15, date(2026, 12, 7));
    assert_eq!(strategy(&p, "sell_pay_tax").tax_now, amt!(40800));
    assert_eq!(p.oz.eligible_gain_if_failed, Amount::ZERO);
    assert_eq!(p.oz.ordinary_recapture_not_eligible, amt!(5000));
    assert_eq!(p.oz.short_held_ordinary_not_eligible, amt!(95000));
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert!(!q.eligible && q.qof.is_none(), "{}", q.eligibility);
    assert!(
        q.eligibility.contains("Form 4797 Part II"),
        "{}",
        q.eligibility
    );
    assert_ne!(
        p.recommended.as_ref().map(|r| r.strategy.as_str()),
        Some("failed_1031_gain_to_qof")
    );
}

/// D6: vacant land held six months gives short-term capital gain: taxed at the ordinary rate
/// (it is not net capital gain, IRC §1(h)) yet eligible for a QOF, and taxed as short-term
/// again when included (Treas. Reg. §1.1400Z2(a)-1(c)(1)(i)).
#[test]
fn short_term_capital_gain_is_taxed_at_ordinary_rates_and_eligible() {
    let p = plan_at(T16, date(2026, 12, 7));
    assert_eq!(strategy(&p, "sell_pay_tax").tax_now, amt!(40800));
    assert_eq!(p.oz.eligible_gain_if_failed, amt!(100000));
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert!(q.eligible, "{}", q.eligibility);
    let inc = &q.qof.as_ref().expect("a QOF").inclusion;
    assert_eq!(
        q.tax_when_deferral_ends.round_dp(2),
        (inc.amount_included * amt!(0.408)).round_dp(2)
    );
}

/// D6: the flip held eight months adds ordinary income, which is not eligible: 10,000 if the
/// exchange fails (its 5,000 of depreciation as §1250 recapture, all of it additional
/// depreciation because it was held one year or less, IRC §1250(b)(1), and 5,000 of Form
/// 4797 Part II ordinary gain), and 1,960.78 of the boot's gain as entered (all of it
/// recapture on line 21).
#[test]
fn part_ii_ordinary_gain_is_kept_out_of_eligible_gain() {
    let p = plan_at(T04, date(2026, 12, 7));
    assert_eq!(p.oz.eligible_gain_if_failed, amt!(500000));
    assert_eq!(p.oz.eligible_gain_as_entered, amt!(98039.22));
    assert_eq!(p.oz.ordinary_recapture_not_eligible, amt!(5000));
    assert_eq!(p.oz.short_held_ordinary_not_eligible, amt!(5000));
}

/// D3: the installment path takes the year split from the analysis's recognition years: the
/// $460,000 paid at the closing (debt paid off, expenses) is a payment of 2026 (IRC §453(c)),
/// so 2026 reports 337,600 (80,000 of recapture, 120,000 of unrecaptured §1250 gain, 137,600
/// at 23.8%) and only 302,400 waits for the release on 2027-04-28.
#[test]
fn installment_path_taxes_the_closing_payment_in_the_year_of_sale() {
    let p = plan_at(T07, date(2026, 12, 7));
    let i = strategy(&p, "installment_sale");
    assert!(i.eligible, "{}", i.eligibility);
    assert_eq!(i.tax_now, amt!(99948.80));
    assert_eq!(i.gain_recognized_now, amt!(337600));
    assert_eq!(i.deferred, amt!(302400));
    assert_eq!(i.recognition_date, Some(date(2027, 4, 28)));
    assert!(i.eligibility.contains("$337,600.00"), "{}", i.eligibility);
}

/// D4 and D8: each payment's gain has its own windows and its own Form 8949 (Treas. Reg.
/// §1.1400Z2(a)-1(b)(11)(viii)(B)). The transfer-date window pairs the whole gain with an
/// election out of the installment method and the 2026 Form 8949, never with the 2027 one;
/// the payment at the closing gets a window from 2026-12-31; the release's windows cover only
/// its 302,400 and the 2027 return.
#[test]
fn each_window_pairs_with_the_year_that_reports_its_gain() {
    let p = plan_at(T07, date(2026, 12, 7));
    let rule = |r: StartRule| {
        p.oz.windows
            .iter()
            .find(|w| w.start_rule == r)
            .unwrap_or_else(|| panic!("no {r:?} window"))
    };
    let transfer = rule(StartRule::ExchangeTransferDate);
    assert!(
        transfer.pairs_with.contains("elect out"),
        "{}",
        transfer.pairs_with
    );
    assert!(
        transfer.pairs_with.contains("2026 return"),
        "{}",
        transfer.pairs_with
    );
    let closing = rule(StartRule::ExchangeClosingPaymentYearEnd);
    assert_eq!(
        (closing.start, closing.end),
        (date(2026, 12, 31), date(2027, 6, 28))
    );
    assert!(
        closing.pairs_with.contains("$257,600.00"),
        "{}",
        closing.pairs_with
    );
    for r in [
        StartRule::ExchangeFundsReleased,
        StartRule::ExchangeFundsReleasedYearEnd,
    ] {
        let w = rule(r);
        assert!(w.pairs_with.contains("$302,400.00"), "{}", w.pairs_with);
        assert!(w.pairs_with.contains("2027 Form 8949"), "{}", w.pairs_with);
    }
    let q = strategy(&p, "failed_1031_gain_to_qof");
    let qof = q.qof.as_ref().expect("a QOF");
    assert!(qof.investment_date < date(2027, 4, 28));
    assert_eq!(qof.forms.form_8949.tax_year, 2026, "{}", q.eligibility);
    assert!(q.eligibility.contains("elect out"), "{}", q.eligibility);
    // After the transfer window closes, the payment at the closing's own window: its gain
    // only, on the 2026 return; the release's gain is taxed in 2027.
    let p = plan_at(T07, date(2027, 5, 3));
    let q = strategy(&p, "failed_1031_gain_to_qof");
    let qof = q.qof.as_ref().expect("a QOF");
    assert_eq!(qof.forms.form_8949.tax_year, 2026, "{}", q.eligibility);
    assert!(qof.amount <= amt!(257600), "{}", qof.amount);
    assert!(q.relies_on_no_direct_authority);
}

/// D5: a partnership that does not defer its gain passes it to the partners, whose 180 days
/// begin on the last day of the partnership's tax year or, by their choice, on the due date
/// of its return without extensions (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii)(A), (B)(2)): still
/// open on 2026-12-07, so the QOF path is available, made by the partners.
#[test]
fn a_partnership_s_partners_have_their_own_windows() {
    let p = plan_at(T12, date(2026, 12, 7));
    let find = |r: StartRule| {
        p.oz.windows
            .iter()
            .find(|w| w.start_rule == r)
            .map(|w| (w.start, w.end))
    };
    assert_eq!(
        find(StartRule::EntityYearEnd),
        Some((date(2026, 12, 31), date(2027, 6, 28)))
    );
    assert_eq!(
        find(StartRule::EntityReturnDueDate),
        Some((date(2027, 3, 15), date(2027, 9, 10)))
    );
    let q = strategy(&p, "failed_1031_gain_to_qof");
    assert!(q.eligible, "{}", q.eligibility);
    assert!(q.eligibility.contains("partners"), "{}", q.eligibility);
    assert!(!q.relies_on_no_direct_authority);
    let qof = q.qof.as_ref().expect("a QOF");
    assert!(qof.investment_date >= date(2027, 1, 1));
    let closed = p.findings.iter().find(|f| f.code == "oz_window_closed");
    assert!(
        closed.is_none_or(|f| f.message.contains("owners")),
        "{closed:?}"
    );
    // An individual with the same sale has no such windows.
    let p = plan_at(
        &T12.replace("entity = \"partnership\"", "entity = \"individual\""),
        date(2026, 12, 7),
    );
    assert!(!strategy(&p, "failed_1031_gain_to_qof").eligible);
    // The August variant: the windows run from the same year end.
    let p = plan_at(T11, date(2026, 12, 7));
    assert!(
        p.oz.windows
            .iter()
            .any(|w| w.start_rule == StartRule::EntityYearEnd && w.start == date(2026, 12, 31))
    );
}

/// D13: a planned QOF amount above the eligible gain of a failed exchange is not an input
/// error: the plan invests the eligible gain and says the excess would be a non-qualifying
/// investment (Treas. Reg. §1.1400Z2(a)-1(c)(6)(i)), with no "already deferred by §1031"
/// words for an exchange that defers nothing under §1031.
#[test]
fn a_qof_amount_above_the_gain_is_capped_not_refused() {
    let p = plan_at(
        include_str!("qa9/t13-qof-amount-over-gain.toml"),
        date(2026, 12, 7),
    );
    assert_eq!(p.oz.eligible_gain_if_failed, amt!(350000));
    let q = strategy(&p, "failed_1031_gain_to_qof");
    let qof = q.qof.as_ref().expect("a QOF");
    assert!(qof.amount <= amt!(350000), "{}", qof.amount);
    assert!(
        q.notes
            .iter()
            .any(|n| n.contains("$150,000.00 excess") && n.contains("non-qualifying")),
        "{:?}",
        q.notes
    );
    assert!(
        q.notes
            .iter()
            .all(|n| !n.contains("already deferred by §1031"))
    );
}

/// D12: the boot's $40,000 of cash does not even pay the $67,120 of tax on the boot's gain,
/// yet the boot's gain can still go to a QOF: the gain deferred is "so much of such gain as
/// does not exceed the aggregate amount invested" in the 180 days (IRC §1400Z-2(a)(1)(A)),
/// an amount, from whatever money. The path is available, invests the $240,000 of eligible
/// gain and says it takes $200,000 of the investor's own money beyond the boot's cash.
#[test]
fn the_boot_s_gain_goes_to_a_qof_with_money_of_your_own() {
    let p = plan_at(T08, date(2027, 5, 1));
    let q = strategy(&p, "partial_1031_boot_to_qof");
    assert!(q.eligible, "{}", q.eligibility);
    let qof = q.qof.as_ref().expect("a QOF");
    assert_eq!(qof.amount, amt!(240000));
    assert_eq!(qof.outside_cash, amt!(200000));
    assert_eq!(q.tax_now, Amount::ZERO);
    assert!(
        q.eligibility
            .contains("takes $200,000.00 of your own money beyond the boot's cash ($40,000.00)"),
        "{}",
        q.eligibility
    );
    assert!(
        !q.eligibility.contains("Not available"),
        "{}",
        q.eligibility
    );
    let own = q
        .notes
        .iter()
        .find(|n| n.contains("of your own money"))
        .unwrap_or_else(|| panic!("{:?}", q.notes));
    assert!(own.contains("IRC §1400Z-2(a)(1)(A)"), "{own}");
    assert!(own.contains("not free"), "{own}");
    for words in q.notes.iter().chain([&q.eligibility]) {
        assert!(!words.contains("outside_cash"), "{words}");
    }
    let rough = p
        .findings
        .iter()
        .find(|f| f.code == "plan_rough_estimate")
        .expect("the estimate's finding");
    assert!(
        rough.message.contains("money of your own"),
        "{}",
        rough.message
    );
}

/// D12: the investor's own money is counted as spent, never free. With no growth, the QOF
/// path is worth what the partial exchange as entered is worth plus only the tax it saves:
/// $67,120 now against $60,408 on the inclusion (the tax on 90% of the same gain, after the
/// 10% step-up), $6,712, not the $200,000 brought in.
#[test]
fn money_of_your_own_is_counted_as_spent() {
    let p = plan_with(T08, date(2027, 5, 1), |a| a.growth_pct = Amount::ZERO).expect("plan");
    let q = strategy(&p, "partial_1031_boot_to_qof");
    let entered = strategy(&p, "partial_1031_as_entered");
    let (vq, ve) = (
        q.after_tax_value.expect("a value"),
        entered.after_tax_value.expect("a value"),
    );
    assert_eq!(
        (vq - ve).round_dp(2),
        (entered.tax_now - q.tax_when_deferral_ends).round_dp(2)
    );
    assert_eq!((vq - ve).round_dp(2), amt!(6712));
}

/// D12 on the failed path, the same rule: a sale whose $550,000 of debt leaves $50,000 of net
/// cash, less than the $87,800 of tax, still invests its $350,000 of eligible gain, with
/// $300,000 of the investor's own money, and leaves exactly what the same sale with no debt
/// leaves over paying the tax (the own money costs what the sale's money would have).
#[test]
fn a_failed_sale_with_little_cash_invests_with_money_of_your_own() {
    let plain = T13.split("[plan]").next().unwrap_or_default().to_string();
    let debt = plain.replace(
        "depreciation_allowed = \"90000\"",
        "depreciation_allowed = \"90000\"\nliabilities_relieved = \"550000\"",
    );
    assert_ne!(plain, debt);
    let gain_over_paying = |text: &str| {
        let p = plan_at(text, date(2026, 12, 7));
        let q = strategy(&p, "failed_1031_gain_to_qof");
        assert!(q.eligible, "{}", q.eligibility);
        let pay = strategy(&p, "sell_pay_tax");
        let v = |s: &Strategy| s.after_tax_value.expect("a value");
        (
            v(q) - v(pay),
            q.qof.as_ref().map(|x| (x.amount, x.outside_cash)),
        )
    };
    let (with_debt, qof) = gain_over_paying(&debt);
    assert_eq!(qof, Some((amt!(350000), amt!(300000))));
    let (without, qof) = gain_over_paying(&plain);
    assert_eq!(qof, Some((amt!(350000), Amount::ZERO)));
    assert_eq!(with_debt.round_dp(2), without.round_dp(2));
}

/// D13: the words follow the verdict. A partial exchange whose $400,000 of cash boot takes
/// the whole $350,000 gain defers nothing under §1031: a planned $500,000 is no "double
/// deferral" refused with "already deferred by §1031", but capped at the eligible gain, the
/// $150,000 excess a non-qualifying investment (Treas. Reg. §1.1400Z2(a)-1(c)(6)(i)). Where
/// §1031 does defer gain (t08: $400,000), more than the boot's eligible gain is still refused
/// in the §1031 words.
#[test]
fn the_excess_is_non_qualifying_where_1031_defers_nothing() {
    let all_boot = T13.replace(
        "[plan]",
        "[[identified]]\nid = \"lot\"\ndescription = \"Lot, 9 Oak St, Boise ID\"\nfmv = \"200000\"\nidentified_on = \"2026-08-20\"\n\n[[replacement]]\nid = \"lot\"\ndescription = \"Lot, 9 Oak St, Boise ID\"\nlocation = \"ID\"\nuse = \"investment\"\nreceived = \"2026-09-10\"\nprice = \"200000\"\ncash_paid = \"0\"\n\n[plan]",
    );
    let p = plan_with(&all_boot, date(2026, 12, 7), |_| {}).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(p.status, likekind_core::plan::ExchangeStatus::Partial);
    let q = strategy(&p, "partial_1031_boot_to_qof");
    assert!(q.eligible, "{}", q.eligibility);
    assert!(q.qof.as_ref().is_some_and(|x| x.amount <= amt!(350000)));
    assert!(
        q.notes
            .iter()
            .any(|n| n.contains("$150,000.00 excess") && n.contains("non-qualifying")),
        "{:?}",
        q.notes
    );
    for words in q.notes.iter().chain([&q.eligibility]) {
        assert!(!words.contains("already deferred by §1031"), "{words}");
        assert!(!words.contains("The §1031 part"), "{words}");
    }
    let e = plan_with(T08, date(2027, 5, 1), |a| a.qof_amount = Some(amt!(300000)))
        .expect_err("more than the boot's eligible gain");
    let said = format!("{e:?}");
    assert!(said.contains("no_double_deferral"), "{said}");
    assert!(said.contains("already deferred by §1031"), "{said}");
}
