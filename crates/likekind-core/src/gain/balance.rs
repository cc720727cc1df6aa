//! The money of an exchange, closing by closing: where every dollar came from and went, what
//! was inferred, and whether the figures given balance.
//!
//! Contract (`docs/exchange-file.md`, "Money balances closing by closing"): a sale closing sends
//! `sale_price − liabilities_relieved − exchange_expenses − other_closing_costs −
//! cash_received` to the exchange funds; a purchase closing costs
//! `price + personal_property + exchange_expenses + other_closing_costs` and is paid by the new loan, the taxpayer's own
//! cash and the exchange funds. The taxpayer's own cash pays other costs first, then exchange
//! expenses, then the price (so only cash that pays the price is "cash paid to the other
//! party"). Exchange expenses paid with proceeds or exchange funds are cash constructively
//! received and then offset on line 15 (Rev. Rul. 72-456; i8824 line 15); other costs paid
//! with exchange money are cash received (common practice; thin primary authority: Treas.
//! Reg. §1.1031(k)-1(g)(7) only keeps the QI safe harbor intact).

use crate::amount::Amount;
use crate::model::ExchangeFile;
use serde::Serialize;

/// One sale (relinquished) closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SaleClosing {
    pub id: crate::id::Id,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub sale_price: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub liabilities_relieved: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchange_expenses: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub other_closing_costs: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub cash_received: Amount,
    /// True when `cash_received` was absent from the file (taken as 0).
    pub cash_received_absent: bool,
    /// Cash the taxpayer had to bring to the sale closing (debt above the net price).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub cash_brought: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub to_exchange_funds: Amount,
}

/// One purchase (replacement) closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseClosing {
    pub id: crate::id::Id,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub price: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub personal_property: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchange_expenses: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub other_closing_costs: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub liabilities_assumed: Amount,
    /// The taxpayer's own cash at this closing (given or inferred).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub cash_paid: Amount,
    pub cash_paid_inferred: bool,
    /// Own cash applied to other closing costs (outside the exchange).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub own_cash_to_other_costs: Amount,
    /// Own cash applied to exchange expenses (an expense the taxpayer paid).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub own_cash_to_expenses: Amount,
    /// Own cash applied to the price: cash paid to the other party.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub own_cash_to_price: Amount,
    /// FMV of other property given up applied to this closing's price.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub other_property_given_applied: Amount,
    /// Part of the new loan that paid other closing costs (outside the exchange, like own
    /// cash), so not consideration given for the property.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub loan_to_other_costs: Amount,
    /// Part of the new loan that paid exchange expenses (an expense the taxpayer paid).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub loan_to_expenses: Amount,
    /// Exchange funds spent on other closing costs: cash received (boot).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub funds_to_other_costs: Amount,
    /// Exchange funds spent on exchange expenses: constructively received, offset on line 15.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub funds_to_expenses: Amount,
    /// All exchange funds this closing used (negative: the closing returned money to them).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub from_exchange_funds: Amount,
}

/// The whole exchange's money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub sales: Vec<SaleClosing>,
    pub purchases: Vec<PurchaseClosing>,
    /// Other property received from the buyer instead of cash (reduces the exchange funds).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub other_property_received: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchange_funds_in: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub exchange_funds_out: Amount,
    /// Funds left after the purchases and returned to the taxpayer (inferred).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub returned_to_taxpayer: Amount,
    /// Unexplained difference when every cash figure was given: positive = funds left over
    /// and unaccounted for, negative = purchases short of money.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub gap: Amount,
    /// True when some cash figure was inferred.
    pub inferred: bool,
}

impl Balance {
    /// Cash received for line 15: cash to the taxpayer, other costs paid with exchange money,
    /// and exchange expenses paid with proceeds or exchange funds (constructively received).
    pub fn cash_received_total(&self) -> Amount {
        let sales: Amount = self
            .sales
            .iter()
            .map(|s| s.cash_received + s.other_closing_costs + s.exchange_expenses)
            .sum();
        let purchases: Amount = self
            .purchases
            .iter()
            .map(|p| p.funds_to_other_costs + p.funds_to_expenses)
            .sum();
        sales + purchases + self.returned_to_taxpayer
    }

    /// Cash actually handed to the taxpayer (not counting costs paid for them).
    pub fn cash_in_hand(&self) -> Amount {
        self.sales.iter().map(|s| s.cash_received).sum::<Amount>() + self.returned_to_taxpayer
    }

    /// Non-exchange costs paid with exchange money (boot by common practice).
    pub fn other_costs_paid_with_exchange_money(&self) -> Amount {
        self.sales
            .iter()
            .map(|s| s.other_closing_costs)
            .sum::<Amount>()
            + self
                .purchases
                .iter()
                .map(|p| p.funds_to_other_costs)
                .sum::<Amount>()
    }

    /// Cash paid to the other party: own cash that paid a price, and cash brought to a sale
    /// closing to pay off debt.
    pub fn cash_paid_to_other_party(&self) -> Amount {
        self.purchases
            .iter()
            .map(|p| p.own_cash_to_price)
            .sum::<Amount>()
            + self.sales.iter().map(|s| s.cash_brought).sum::<Amount>()
    }

    /// Liabilities the taxpayer assumed as consideration for the property (Form 8824 "liabilities
    /// you assumed"): the new loans less the parts that paid closing costs, which, like own
    /// cash spent on costs, are not paid to the other party and must not count twice.
    pub fn liabilities_assumed_as_consideration(&self) -> Amount {
        self.purchases
            .iter()
            .map(|p| p.liabilities_assumed - p.loan_to_other_costs - p.loan_to_expenses)
            .sum()
    }

    pub fn is_balanced(&self) -> bool {
        self.gap.is_zero()
    }
}

/// Balances the exchange's money, inferring absent cash figures as the contract says.
pub fn balance(f: &ExchangeFile) -> Balance {
    let zero = Amount::ZERO;
    let sales: Vec<SaleClosing> = f
        .relinquished
        .iter()
        .map(|r| {
            let cash = r.cash_received.unwrap_or(zero);
            let net = r.net_of_closing();
            SaleClosing {
                id: r.id.clone(),
                sale_price: r.sale_price,
                liabilities_relieved: r.liabilities_relieved,
                exchange_expenses: r.exchange_expenses,
                other_closing_costs: r.other_closing_costs,
                cash_received: cash,
                cash_received_absent: r.cash_received.is_none(),
                cash_brought: (-net).max(zero),
                to_exchange_funds: net.max(zero),
            }
        })
        .collect();
    let other_received: Amount = f.other_property_received.iter().map(|o| o.fmv).sum();
    let og_total: Amount = f.other_property_given.iter().map(|o| o.fmv).sum();
    let sale_funds = sales.iter().map(|s| s.to_exchange_funds).sum::<Amount>() - other_received;

    let mut cash: Vec<Amount> = f
        .replacement
        .iter()
        .map(|r| r.cash_paid.unwrap_or(zero))
        .collect();
    let (mut purchases, mut og_to_buyer) = close_purchases(f, &cash, og_total);
    let mut funds_in = sale_funds + og_to_buyer;
    let mut out: Amount = purchases.iter().map(|p| p.from_exchange_funds).sum();
    let missing_paid = f
        .replacement
        .iter()
        .filter(|r| r.cash_paid.is_none())
        .count();
    let any_absent = missing_paid > 0 || sales.iter().any(|s| s.cash_received_absent);

    // A shortfall is own cash, spread over the purchases that did not state their cash, in
    // file order, each up to what it drew from the funds; the last takes any remainder.
    let shortfall = out - funds_in;
    if shortfall > zero && missing_paid > 0 {
        let mut left = shortfall;
        let unstated = f
            .replacement
            .iter()
            .enumerate()
            .filter(|(_, r)| r.cash_paid.is_none());
        for (k, (i, _)) in unstated.enumerate() {
            let take = if k + 1 == missing_paid {
                left
            } else {
                left.min(purchases[i].from_exchange_funds.max(zero))
            };
            cash[i] += take;
            left -= take;
        }
        (purchases, og_to_buyer) = close_purchases(f, &cash, og_total);
        funds_in = sale_funds + og_to_buyer;
        out = purchases.iter().map(|p| p.from_exchange_funds).sum();
    }
    for (p, r) in purchases.iter_mut().zip(&f.replacement) {
        p.cash_paid_inferred = r.cash_paid.is_none();
    }
    let leftover = funds_in - out;
    let (returned, gap) = if any_absent && leftover > zero {
        (leftover, zero)
    } else {
        (zero, leftover)
    };
    Balance {
        sales,
        purchases,
        other_property_received: other_received,
        exchange_funds_in: funds_in,
        exchange_funds_out: out,
        returned_to_taxpayer: returned,
        gap,
        inferred: any_absent,
    }
}

/// Works out each purchase closing for given own-cash amounts.
///
/// Other property given up pays prices in file order; what no price absorbs is taken as given
/// to the buyer of the relinquished property and paid for into the exchange funds (returned
/// as the second value).
fn close_purchases(
    f: &ExchangeFile,
    cash: &[Amount],
    og_total: Amount,
) -> (Vec<PurchaseClosing>, Amount) {
    let zero = Amount::ZERO;
    let mut og_left = og_total;
    let closings = f
        .replacement
        .iter()
        .zip(cash)
        .map(|(r, &own)| {
            let own_other = own.min(r.other_closing_costs);
            let own_exp = (own - own_other).min(r.exchange_expenses);
            let own_price = own - own_other - own_exp;
            let price_total = r.price + r.personal_property;
            let og = og_left.min((price_total - own_price).max(zero));
            og_left -= og;
            // The new loan funds the price; any excess of the loan pays the remaining costs.
            let price_need = (price_total - own_price - og).max(zero);
            let loan_to_price = r.liabilities_assumed.min(price_need);
            let mut loan_left = r.liabilities_assumed - loan_to_price;
            let other_left = r.other_closing_costs - own_other;
            let loan_to_other = loan_left.min(other_left);
            loan_left -= loan_to_other;
            let exp_left = r.exchange_expenses - own_exp;
            let loan_to_exp = loan_left.min(exp_left);
            loan_left -= loan_to_exp;
            let funds_price = price_need - loan_to_price;
            let funds_other = other_left - loan_to_other;
            let funds_exp = exp_left - loan_to_exp;
            // Own cash beyond the price, or a loan beyond all costs, flows into the funds.
            let over_price = (own_price + og - price_total).max(zero);
            let from_funds = funds_price + funds_other + funds_exp - loan_left - over_price;
            PurchaseClosing {
                id: r.id.clone(),
                price: r.price,
                personal_property: r.personal_property,
                exchange_expenses: r.exchange_expenses,
                other_closing_costs: r.other_closing_costs,
                liabilities_assumed: r.liabilities_assumed,
                cash_paid: own,
                cash_paid_inferred: false,
                own_cash_to_other_costs: own_other,
                own_cash_to_expenses: own_exp,
                own_cash_to_price: own_price,
                other_property_given_applied: og,
                loan_to_other_costs: loan_to_other,
                loan_to_expenses: loan_to_exp,
                funds_to_other_costs: funds_other,
                funds_to_expenses: funds_exp,
                from_exchange_funds: from_funds,
            }
        })
        .collect();
    (closings, og_left)
}
