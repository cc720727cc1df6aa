//! Property tests for the invariants of rules.md §11: whatever the exchange, the Form 8824
//! identities hold, recognized + deferred = realized, basis is conserved, recognized gain
//! never exceeds the realized gain or the boot plus recapture, and when the money balances
//! line 19 is the sale price less expenses less basis.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::analyze;
use likekind_core::model::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn money(max_dollars: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_dollars * 100).prop_map(|c| Decimal::new(c, 2))
}

fn relinquished(k: usize) -> impl Strategy<Value = Relinquished> {
    (
        money(5_000_000),
        money(3_000_000),
        money(2_000_000),
        money(100_000),
        money(50_000),
        money(500_000),
        0u8..3,
    )
        .prop_map(
            move |(price, basis, debt, exp, other, dep, cash)| Relinquished {
                id: format!("r{k}"),
                description: String::new(),
                location: "CA".into(),
                use_: Use::Investment,
                acquired: date(2010, 1, 1),
                transferred: date(2026, 3, 2),
                sale_price: price,
                adjusted_basis: basis,
                depreciation_allowed: dep,
                additional_depreciation: Decimal::ZERO,
                section1245_depreciation: dep / Decimal::TEN,
                liabilities_relieved: debt,
                exchange_expenses: exp,
                other_closing_costs: other,
                cash_received: if cash == 0 { Some(Decimal::ZERO) } else { None },
            },
        )
}

fn replacement(k: usize, explicit_cash: bool) -> impl Strategy<Value = Replacement> {
    (
        money(5_000_000),
        money(3_000_000),
        money(100_000),
        money(50_000),
        money(100_000),
        money(200_000),
    )
        .prop_map(move |(price, debt, exp, other, pp, cash)| Replacement {
            id: format!("p{k}"),
            description: String::new(),
            location: "TX".into(),
            use_: Use::Investment,
            received: date(2026, 4, 1),
            price,
            liabilities_assumed: debt,
            cash_paid: if explicit_cash { Some(cash) } else { None },
            exchange_expenses: exp,
            other_closing_costs: other,
            personal_property: pp,
            land_value: None,
            section1245_value: Decimal::ZERO,
        })
}

fn exchange(explicit_cash: bool) -> impl Strategy<Value = ExchangeFile> {
    (
        (1usize..=3).prop_flat_map(|n| (0..n).map(relinquished).collect::<Vec<_>>()),
        (1usize..=4).prop_flat_map(move |n| {
            (0..n)
                .map(|k| replacement(k, explicit_cash))
                .collect::<Vec<_>>()
        }),
        proptest::collection::vec((money(50_000), money(50_000)), 0..2),
        proptest::collection::vec(money(80_000), 0..2),
    )
        .prop_map(|(rel, rep, og, or)| ExchangeFile {
            exchange: ExchangeHeader::default(),
            taxpayer: Taxpayer {
                name: String::new(),
                entity: Entity::Individual,
                tax_year_end: "12-31".into(),
                extension_filed: false,
                state: None,
            },
            relinquished: rel,
            identified: vec![],
            replacement: rep,
            other_property_given: og
                .into_iter()
                .map(|(fmv, ab)| OtherPropertyGiven {
                    description: "og".into(),
                    fmv,
                    adjusted_basis: ab,
                })
                .collect(),
            other_property_received: or
                .into_iter()
                .map(|fmv| OtherPropertyReceived {
                    description: "or".into(),
                    fmv,
                })
                .collect(),
            related_party: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn form_identities_and_gain_invariants(f in prop_oneof![exchange(true), exchange(false)]) {
        let r = analyze(&f, date(2026, 11, 25));
        let l = &r.form_8824;
        let zero = Decimal::ZERO;
        prop_assert_eq!(l.line_14, l.line_12 - l.line_13);
        prop_assert_eq!(l.line_17, l.line_15 + l.line_16);
        prop_assert_eq!(l.line_19, l.line_17 - l.line_18);
        prop_assert_eq!(l.line_20, l.line_15.min(l.line_19).max(zero));
        prop_assert_eq!(l.line_22, (l.line_20 - l.line_21).max(zero));
        prop_assert_eq!(l.line_23, l.line_21 + l.line_22);
        prop_assert_eq!(l.line_24, l.line_19 - l.line_23);
        prop_assert_eq!(l.line_25, l.line_18 + l.line_23 - l.line_15);
        // recognized + deferred = realized
        prop_assert_eq!(r.gain.recognized + r.gain.deferred, r.gain.realized);
        // basis of all property received = FMV received - deferred gain
        let other_basis: Decimal = r.other_property_basis.iter().map(|o| o.basis).sum();
        let fmv_received = l.line_16 + r.boot.other_property;
        prop_assert_eq!(l.line_25 + other_basis, fmv_received - l.line_24);
        // recognized <= max(0, realized) and <= boot + line 21
        prop_assert!(r.gain.recognized <= r.gain.realized.max(zero));
        prop_assert!(r.gain.recognized <= l.line_15 + l.line_21);
        prop_assert!(r.gain.recognized >= zero);
        // the basis shares add up to line 25 exactly
        let shares: Decimal = r.replacement_basis.iter().map(|b| b.basis).sum();
        prop_assert_eq!(shares, l.line_25);
    }

    #[test]
    fn balanced_money_gives_realized_gain(f in exchange(false)) {
        let r = analyze(&f, date(2026, 11, 25));
        prop_assert!(r.money.is_balanced(), "inference must balance: gap {}", r.money.gap);
        let sale: Decimal = f.relinquished.iter().map(|x| x.sale_price).sum();
        let exp: Decimal = f.relinquished.iter().map(|x| x.exchange_expenses).sum::<Decimal>()
            + f.replacement.iter().map(|x| x.exchange_expenses).sum::<Decimal>();
        let basis: Decimal = f.relinquished.iter().map(|x| x.adjusted_basis).sum();
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
        let big = likekind_core::money::MAX_AMOUNT / Decimal::from(10u64.pow(scale));
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
