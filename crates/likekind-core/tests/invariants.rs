//! Property tests for the invariants of the Form 8824 arithmetic (IRC §1031(b)-(d);
//! Instructions for Form 8824, lines 12-25): whatever the exchange, the Form 8824
//! identities hold, recognized + deferred = realized, basis is conserved, recognized gain
//! never exceeds the realized gain or the boot plus recapture, and when the money balances
//! line 19 is the sale price less expenses less basis.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::Amount;
use likekind_core::analyze;
use likekind_core::model::ExchangeFile;
use proptest::prelude::*;

fn money(max_dollars: i64) -> impl Strategy<Value = Amount> {
    (0..=max_dollars * 100).prop_map(|c| Amount::new(c, 2))
}

fn relinquished(k: usize) -> impl Strategy<Value = serde_json::Value> {
    (
        money(5_000_000),
        money(3_000_000),
        money(2_000_000),
        money(100_000),
        money(50_000),
        money(500_000),
        0u8..3,
    )
        .prop_map(move |(price, basis, debt, exp, other, dep, cash)| {
            let mut r = serde_json::json!({
                "id": format!("r{k}"), "location": "CA", "use": "investment",
                "acquired": "2010-01-01", "transferred": "2026-03-02",
                "sale_price": price.to_string(), "adjusted_basis": basis.to_string(),
                "depreciation_allowed": dep.to_string(),
                "section1245_depreciation": (dep / Amount::TEN).round_dp(2).to_string(),
                "liabilities_relieved": debt.to_string(), "exchange_expenses": exp.to_string(),
                "other_closing_costs": other.to_string(),
            });
            if cash == 0 {
                r["cash_received"] = "0".into();
            }
            r
        })
}

fn replacement(k: usize, explicit_cash: bool) -> impl Strategy<Value = serde_json::Value> {
    (
        money(5_000_000),
        money(3_000_000),
        money(100_000),
        money(50_000),
        money(100_000),
        money(200_000),
    )
        .prop_map(move |(price, debt, exp, other, pp, cash)| {
            let mut r = serde_json::json!({
                "id": format!("p{k}"), "location": "TX", "received": "2026-04-01",
                "price": price.to_string(), "liabilities_assumed": debt.to_string(),
                "exchange_expenses": exp.to_string(), "other_closing_costs": other.to_string(),
                "personal_property": pp.to_string(),
            });
            if explicit_cash {
                r["cash_paid"] = cash.to_string().into();
            }
            r
        })
}

/// Builds exchange files through the contract's JSON form, so new optional fields never
/// break the generator.
fn exchange(explicit_cash: bool) -> impl Strategy<Value = ExchangeFile> {
    (
        (1usize..=3).prop_flat_map(|n| (0..n).map(relinquished).collect::<Vec<_>>()),
        (1usize..=4).prop_flat_map(move |n| (0..n).map(|k| replacement(k, explicit_cash)).collect::<Vec<_>>()),
        proptest::collection::vec((money(50_000), money(50_000)), 0..2),
        proptest::collection::vec(money(80_000), 0..2),
    )
        .prop_map(|(rel, rep, og, or)| {
            let v = serde_json::json!({
                "taxpayer": {"entity": "individual"},
                "relinquished": rel,
                "replacement": rep,
                "other_property_given": og.into_iter().map(|(fmv, ab)| serde_json::json!({
                    "description": "og", "fmv": fmv.to_string(), "adjusted_basis": ab.to_string()})).collect::<Vec<_>>(),
                "other_property_received": or.into_iter().map(|fmv| serde_json::json!({
                    "description": "or", "fmv": fmv.to_string()})).collect::<Vec<_>>(),
            });
            likekind_core::parse_exchange(&v.to_string(), likekind_core::Format::Json).expect("generated file is valid").into_file()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn form_identities_and_gain_invariants(f in prop_oneof![exchange(true), exchange(false)]) {
        let r = analyze(&f, date(2026, 11, 25));
        let l = &r.form_8824;
        let zero = Amount::ZERO;
        prop_assert_eq!(l.line_14, l.line_12 - l.line_13);
        prop_assert_eq!(l.line_17, l.line_15 + l.line_16);
        prop_assert_eq!(l.line_19, l.line_17 - l.line_18);
        // A multi-asset exchange whose lines 19-25 come from the (j)-1 statement (Instructions
        // for Form 8824, Multi-asset exchanges) recognizes what its exchange groups do.
        let entered = r.multi_asset.as_ref().is_some_and(|m| m.enters_lines_19_to_25);
        if entered {
            let groups = r.multi_asset.as_ref().map(|m| {
                m.computation.groups.iter().map(|g| (g.gain_recognized, g.basis_received))
                    .fold((zero, zero), |a, b| (a.0 + b.0, a.1 + b.1))
            });
            prop_assert_eq!(Some((l.line_20, l.line_25)), groups);
        } else {
            prop_assert_eq!(l.line_20, l.line_15.min(l.line_19).max(zero));
            prop_assert_eq!(l.line_25, l.line_18 + l.line_23 - l.line_15);
        }
        prop_assert_eq!(l.line_22, (l.line_20 - l.line_21).max(zero));
        prop_assert_eq!(l.line_23, l.line_21 + l.line_22);
        prop_assert_eq!(l.line_24, l.line_19 - l.line_23);
        // recognized + deferred = realized
        prop_assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
        // basis of all property received = FMV received - deferred gain
        let other_basis: Amount = r.other_property_basis.iter().map(|o| o.basis).sum();
        let fmv_received = l.line_16 + r.boot.other_property;
        prop_assert_eq!(l.line_25 + other_basis, fmv_received - l.line_24);
        // recognized <= max(0, realized) and <= boot + line 21
        prop_assert!(r.gain.recognized <= r.gain.realized.max(zero));
        prop_assert!(entered || r.gain.recognized <= l.line_15 + l.line_21);
        prop_assert!(r.gain.recognized >= zero);
        // the basis shares add up to line 25 exactly
        let shares: Amount = r.replacement_basis.iter().map(|b| b.basis).sum();
        prop_assert_eq!(shares, l.line_25);
    }

    #[test]
    fn balanced_money_gives_realized_gain(f in exchange(false)) {
        let r = analyze(&f, date(2026, 11, 25));
        prop_assert!(r.money.is_balanced(), "inference must balance: gap {}", r.money.gap);
        let sale: Amount = f.relinquished.iter().map(|x| x.sale_price).sum();
        let exp: Amount = f.relinquished.iter().map(|x| x.exchange_expenses).sum::<Amount>()
            + f.replacement.iter().map(|x| x.exchange_expenses).sum::<Amount>();
        let basis: Amount = f.relinquished.iter().map(|x| x.adjusted_basis).sum();
        prop_assert_eq!(r.form_8824.line_19, sale - exp - basis);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever bytes arrive, parsing returns a value or errors with a path: never a panic.
    #[test]
    fn parsing_never_panics(text in ".{0,400}") {
        let _ = likekind_core::parse_exchange(&text, likekind_core::Format::Toml);
        let _ = likekind_core::parse_exchange(&text, likekind_core::Format::Json);
    }

    /// The largest amounts the parser accepts never overflow the arithmetic.
    #[test]
    fn extreme_amounts_never_panic(scale in 0u32..4, n in 1usize..4) {
        let big = likekind_core::money::MAX_AMOUNT / Amount::from(10u64.pow(scale));
        let mut text = String::from("[taxpayer]\nentity = \"individual\"\n");
        for k in 0..n {
            text.push_str(&format!("[[relinquished]]\nid = \"r{k}\"\nlocation = \"NY\"\nacquired = \"2000-01-01\"\ntransferred = \"2026-01-02\"\nsale_price = \"{big}\"\nadjusted_basis = \"{big}\"\nliabilities_relieved = \"{big}\"\nexchange_expenses = \"{big}\"\n"));
            text.push_str(&format!("[[replacement]]\nid = \"p{k}\"\nlocation = \"NY\"\nreceived = \"2026-02-02\"\nprice = \"{big}\"\nliabilities_assumed = \"{big}\"\npersonal_property = \"{big}\"\n"));
        }
        let f = likekind_core::parse_exchange(&text, likekind_core::Format::Toml).expect("valid");
        let r = analyze(&f, date(2026, 11, 25));
        prop_assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
    }
}
