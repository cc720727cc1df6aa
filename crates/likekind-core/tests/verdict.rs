//! Property tests of the qualification verdict: over generated exchanges in which some
//! property fails a requirement (identified late, never identified, received late, foreign,
//! dealer property), every figure follows the one verdict.
//!
//! - recognized gain = min(realized gain, boot) and never below zero, where the boot
//!   includes property that is not of a like kind at its FMV (IRC §1031(b); Treas. Reg.
//!   §1.1031(k)-1(a));
//! - the bases of all property received add up to its FMV less the deferred gain
//!   (IRC §1031(d)), or to its cost in a taxable sale;
//! - recognized + deferred (+ a loss that is not deductible) = realized;
//! - the planner tells the same story: the same status and the same recognized gain.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use jiff::civil::date;
use likekind_core::Amount;
use likekind_core::model::ExchangeFile;
use likekind_core::plan::{self, ExchangeStatus};
use likekind_core::qualification::Outcome;
use likekind_core::{analyze, parse_exchange};
use proptest::prelude::*;

fn money(max_dollars: i64) -> impl Strategy<Value = Amount> {
    (0..=max_dollars).prop_map(|d| Amount::new(d * 100, 2))
}

/// Transfer on 2026-03-02: day 45 is 2026-04-16, day 180 is 2026-08-29.
const TRANSFER: &str = "2026-03-02";

/// How one replacement meets (or fails) the rules.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Qualifies,
    IdentifiedLate,
    NeverIdentified,
    ReceivedLate,
    Foreign,
    Dealer,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        3 => Just(Fate::Qualifies),
        1 => Just(Fate::IdentifiedLate),
        1 => Just(Fate::NeverIdentified),
        1 => Just(Fate::ReceivedLate),
        1 => Just(Fate::Foreign),
        1 => Just(Fate::Dealer),
    ]
}

fn replacement(k: usize) -> impl Strategy<Value = (serde_json::Value, Option<serde_json::Value>)> {
    (money(2_000_000), money(800_000), money(20_000), fate()).prop_map(
        move |(price, debt, exp, fate)| {
            let id = format!("p{k}");
            let received = match fate {
                Fate::ReceivedLate => "2026-09-15",
                _ => "2026-06-01",
            };
            let r = serde_json::json!({
                "id": id, "location": if matches!(fate, Fate::Foreign) { "foreign:MX" } else { "TX" },
                "use": if matches!(fate, Fate::Dealer) { "dealer" } else { "investment" },
                "received": received, "price": price.to_string(),
                "liabilities_assumed": debt.min(price).to_string(),
                "exchange_expenses": exp.to_string(),
            });
            let identified = match fate {
                Fate::NeverIdentified => None,
                Fate::IdentifiedLate => Some("2026-04-20"),
                _ => Some("2026-03-20"),
            }
            .map(|on| serde_json::json!({"id": id, "fmv": price.to_string(), "identified_on": on}));
            (r, identified)
        },
    )
}

fn exchange() -> impl Strategy<Value = ExchangeFile> {
    (
        money(3_000_000),
        money(2_500_000),
        money(1_000_000),
        money(30_000),
        prop::bool::weighted(0.1),
        prop_oneof![1 => Just(0usize), 6 => 1usize..=3]
            .prop_flat_map(|n| (0..n).map(replacement).collect::<Vec<_>>()),
    )
        .prop_map(|(price, basis, debt, exp, dealer, reps)| {
            let (rep, ids): (Vec<_>, Vec<_>) = reps.into_iter().unzip();
            let v = serde_json::json!({
                "exchange": {"as_of": "2026-12-01"},
                "taxpayer": {"entity": "individual"},
                "relinquished": [{
                    "id": "r0", "location": "CA",
                    "use": if dealer { "dealer" } else { "investment" },
                    "acquired": "2012-01-01", "transferred": TRANSFER,
                    "sale_price": price.to_string(), "adjusted_basis": basis.to_string(),
                    "liabilities_relieved": debt.min(price).to_string(),
                    "exchange_expenses": exp.min(price).to_string(),
                }],
                "identified": ids.into_iter().flatten().collect::<Vec<_>>(),
                "replacement": rep,
            });
            parse_exchange(&v.to_string(), likekind_core::Format::Json)
                .expect("generated file")
                .into_file()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn figures_follow_the_verdict(f in exchange()) {
        let r = analyze(&f, date(2026, 12, 1));
        let q = &r.qualification;
        let l = &r.form_8824;
        let g = &r.gain;

        // Every property received is listed once, in file order, with the verdict's answer.
        prop_assert_eq!(r.replacement_basis.len(), f.replacement.len());
        for (b, v) in r.replacement_basis.iter().zip(&q.received) {
            prop_assert_eq!(&b.id, &v.id);
            prop_assert_eq!(b.like_kind, v.like_kind && !q.is_taxable_sale());
            prop_assert_eq!(b.reason.is_some(), !b.like_kind);
        }

        // recognized + deferred (+ a loss not deductible) = realized.
        prop_assert_eq!(g.recognized + g.deferred + g.loss_not_deductible, g.realized);

        let fmv_received: Amount = f.replacement.iter().map(|p| p.price).sum();
        let failed_fmv: Amount = f
            .replacement
            .iter()
            .zip(&q.received)
            .filter(|(_, v)| !v.like_kind)
            .map(|(p, _)| p.price)
            .sum();
        let bases: Amount = r.replacement_basis.iter().map(|b| b.basis).sum();
        match q.outcome {
            Outcome::TaxableSale => {
                prop_assert!(!q.form_8824_filed);
                prop_assert!(r.findings.iter().any(|x| x.code == "taxable_sale"));
                prop_assert_eq!(g.deferred, Amount::ZERO);
                if g.realized >= Amount::ZERO {
                    prop_assert_eq!(g.recognized, g.realized);
                }
                // Every property bought takes its cost as basis.
                let costs: Amount =
                    f.replacement.iter().map(|p| p.price + p.exchange_expenses).sum();
                prop_assert_eq!(bases, costs);
                prop_assert!(r.replacement_basis.iter().all(|b| !b.like_kind));
            }
            Outcome::Exchange | Outcome::PartialExchange => {
                prop_assert!(q.form_8824_filed);
                // Boot includes the failed property at its FMV (before expenses offset it).
                prop_assert!(l.line_15 + r.boot.exchange_expenses_offset >= failed_fmv);
                // Lines 19-25 from the (j)-1 statement recognize what the exchange groups do.
                let line_20 = match r.multi_asset.as_ref().filter(|m| m.enters_lines_19_to_25) {
                    Some(m) => m.computation.groups.iter().map(|g| g.gain_recognized).sum(),
                    None => l.line_15.min(l.line_19).max(Amount::ZERO),
                };
                prop_assert_eq!(g.recognized, line_20 + (l.line_21 - l.line_20).max(Amount::ZERO));
                prop_assert!(g.recognized >= Amount::ZERO);
                // Bases of everything received = its FMV - the deferred gain.
                prop_assert_eq!(bases, fmv_received - g.deferred);
                prop_assert_eq!(l.line_16, fmv_received - failed_fmv);
                if q.outcome == Outcome::PartialExchange {
                    prop_assert!(r.findings.iter().any(|x| x.code == "partial_exchange"));
                    prop_assert!(q.if_qualified.is_some());
                }
            }
        }

        // The planner reads the same verdict and the same recognized gain.
        let a = plan::resolve(None, &plan::Overrides::default()).expect("default assumptions");
        if let Ok(p) = plan::plan(&f, &r, &a) {
            if q.is_taxable_sale() && q.settled && !f.replacement.is_empty() {
                prop_assert_eq!(p.status, ExchangeStatus::Failed);
                let sell = p.strategies.iter().find(|s| s.name == "sell_pay_tax").expect("sell");
                if g.realized >= Amount::ZERO {
                    prop_assert_eq!(sell.gain_recognized_now, g.recognized);
                }
            }
            if p.status == ExchangeStatus::Complete {
                prop_assert_eq!(q.outcome, Outcome::Exchange);
                prop_assert_eq!(g.recognized, Amount::ZERO);
            }
            if let Some(s) = p.strategies.iter().find(|s| s.name == "partial_1031_as_entered" && s.eligible) {
                prop_assert_eq!(s.gain_recognized_now, g.recognized);
            }
        }
    }
}
