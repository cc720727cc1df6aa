//! The titles of the codes people meet, one table: every code the engine can emit (a
//! finding's, a reason a property does not qualify, a milestone's key, a strategy's key, a
//! planner or Opportunity Zone step's key, a rule of the plan's inputs) and the API's error
//! codes. `tests/code_titles.rs` reads the engine's source and fails on a code with no title
//! here, so a new code is written with its words.
//!
//! A title is short, in plain English, and says no more than the law does: the finding's
//! message carries the details and the authority.

/// `(code, title)`, grouped by where the code comes from.
const TITLES: &[(&str, &str)] = &[
    // Findings: what qualifies.
    (
        "not_like_kind_foreign",
        "Not like-kind: US and foreign real property",
    ),
    (
        "territory_property_uncertain",
        "Property in a US territory: treatment uncertain",
    ),
    ("dealer_property", "Property held primarily for sale"),
    (
        "not_held_for_investment",
        "Investment or business use of the property",
    ),
    (
        "held_for_investment_uncertain",
        "Held for investment: uncertain",
    ),
    (
        "reverse_outside_safe_harbor",
        "Reverse exchange outside the safe harbor: uncertain",
    ),
    (
        "partnership_interest_excluded",
        "Partnership interest: not real property",
    ),
    ("not_real_property", "Not real property"),
    ("short_holding_period", "Short holding period"),
    (
        "dst_questionnaire_missing",
        "Delaware statutory trust questionnaire missing",
    ),
    (
        "dst_questionnaire_incomplete",
        "Delaware statutory trust questionnaire incomplete",
    ),
    (
        "dst_grantor_trust",
        "Delaware statutory trust: grantor trust",
    ),
    (
        "dst_business_entity",
        "Delaware statutory trust: business entity",
    ),
    (
        "tic_questionnaire_missing",
        "Tenancy-in-common questionnaire missing",
    ),
    ("tic_guidelines_met", "Tenancy-in-common guidelines met"),
    (
        "tic_guidelines_not_met",
        "Tenancy-in-common guidelines not met",
    ),
    (
        "vacation_home_safe_harbor_met",
        "Vacation home: safe harbor met",
    ),
    (
        "vacation_home_safe_harbor_pending",
        "Vacation home: safe harbor still being tested",
    ),
    (
        "vacation_home_safe_harbor_not_available",
        "Vacation home: exchanged before the safe harbor took effect",
    ),
    (
        "home_office_inside_dwelling",
        "Business part inside the home: no allocation needed",
    ),
    (
        "section121_five_year_rule",
        "Section 121 exclusion: the 5-year rule after an exchange",
    ),
    (
        "section121_not_available",
        "Section 121 exclusion not available",
    ),
    (
        "section121_with_1031",
        "Section 121 exclusion with section 1031",
    ),
    ("residence_plan", "Plan to turn the replacement into a home"),
    (
        "residence_plan_early_move_in",
        "Plan to turn the replacement into a home: moving in early",
    ),
    (
        "disqualified_person",
        "Intermediary is a disqualified person",
    ),
    (
        "qualified_intermediary_not_disqualified",
        "Intermediary is not a disqualified person",
    ),
    // Findings: identification and receipt.
    (
        "identification_late",
        "Identified after the identification period",
    ),
    (
        "identification_revocation_ineffective",
        "Revocation of an identification not effective",
    ),
    (
        "incidental_property_separate",
        "Incidental property counted as a separate property",
    ),
    (
        "identification_rescued_by_95_percent",
        "Identification saved by the 95% rule",
    ),
    ("identification_invalid", "Identification not valid"),
    (
        "replacement_late",
        "Replacement received after the exchange period",
    ),
    ("replacement_not_identified", "Replacement not identified"),
    (
        "replacement_not_substantially_same",
        "Replacement may not be substantially the same as identified",
    ),
    (
        "improvements_in_place_exceed_identified",
        "More improvements in place than identified",
    ),
    (
        "improvements_not_in_place",
        "Improvements not in place when received",
    ),
    (
        "incidental_property_over_15_percent",
        "Incidental property over 15%",
    ),
    // Findings: dates.
    (
        "exchange_period_cut_by_return_due_date",
        "Exchange period cut short by the return due date",
    ),
    (
        "return_due_date_on_weekend_or_holiday",
        "Return due date on a weekend or holiday",
    ),
    (
        "deadline_on_weekend_or_holiday",
        "Deadline on a weekend or holiday: it does not move",
    ),
    (
        "disaster_postponement",
        "Disaster postponement of the deadlines",
    ),
    (
        "disaster_postponement_not_available",
        "No disaster postponement",
    ),
    (
        "disaster_postponement_cut_by_return_due_date",
        "Disaster postponement limited by the return due date",
    ),
    (
        "reverse_business_days_undefined",
        "Reverse exchange: business days not defined",
    ),
    (
        "reverse_qeaa_late",
        "Reverse exchange: the QEAA was not signed in time",
    ),
    (
        "reverse_identification_late",
        "Reverse exchange: property not identified in time",
    ),
    (
        "reverse_transfer_late",
        "Reverse exchange: parked property not transferred in time",
    ),
    (
        "reverse_relinquished_late",
        "Reverse exchange: property given up after the 180 days",
    ),
    (
        "reverse_received_before_sale",
        "Reverse exchange: replacement received before the sale",
    ),
    (
        "reverse_prior_ownership",
        "Reverse exchange: property owned in the 180 days before it was parked",
    ),
    // Findings: the money and the gain.
    (
        "realized_loss_not_recognized",
        "Loss not recognized in an exchange",
    ),
    (
        "recapture_without_boot",
        "Depreciation recapture without boot",
    ),
    (
        "section1245_components_outside_exchange",
        "Section 1245 components: personal property is outside the exchange",
    ),
    (
        "other_property_depreciation_missing",
        "Depreciation missing for other property given up",
    ),
    (
        "acrs_section1245_recovery_property",
        "1981-1986 ACRS building: all depreciation may be recaptured (uncertain)",
    ),
    ("multi_asset_exchange", "Multi-asset exchange"),
    (
        "line_22_split_by_property",
        "Recognized gain split among the properties given up (engine's allocation)",
    ),
    (
        "unrecaptured_1250_split_by_property",
        "Unrecaptured §1250 gain counted property by property (engine's allocation)",
    ),
    (
        "multi_asset_j1_differs",
        "Multi-asset exchange: the exchange groups' figures differ",
    ),
    (
        "multi_asset_fmv_unbalanced",
        "Multi-asset exchange: the values do not balance",
    ),
    (
        "partial_exchange",
        "Partial exchange: part of the gain is taxed",
    ),
    ("taxable_sale", "Taxable sale"),
    ("loss_not_deductible", "Loss not deductible"),
    (
        "section1250_property_received_assumed",
        "Section 1250 property received (assumed)",
    ),
    ("exchange_in_progress", "Exchange still in progress"),
    ("own_cash_needed", "Your own cash is needed"),
    ("unbalanced_exchange", "The money does not balance"),
    ("cash_boot", "Cash received (boot)"),
    (
        "non_exchange_costs_boot",
        "Closing costs paid with exchange funds, treated as boot",
    ),
    ("mortgage_boot", "Net debt relief (mortgage boot)"),
    ("other_property_boot", "Other property received (boot)"),
    ("arithmetic_overflow", "Figures too large to compute"),
    // Findings: after the exchange.
    ("step_up_at_death", "Basis step-up at death"),
    ("step_down_at_death", "Basis stepped down at death"),
    (
        "funds_release_date_inferred",
        "Release date of the exchange funds assumed",
    ),
    (
        "exchange_period_ends_with_tax_year",
        "Exchange period ends on the last day of the tax year",
    ),
    (
        "bona_fide_intent_needed",
        "Bona fide intent to exchange: not stated",
    ),
    (
        "qualified_intermediary_assumed",
        "Qualified intermediary assumed",
    ),
    ("installment_reporting", "Installment reporting of the gain"),
    (
        "installment_payment_at_closing",
        "Installment reporting: the price paid out at the sale closing is a payment of that year",
    ),
    (
        "form_6252_debt_reading",
        "Form 6252: the debt relieved read as paid off at the closing",
    ),
    (
        "funds_treated_as_received",
        "Funds counted as received at the end of the exchange period",
    ),
    (
        "depreciation_not_computed",
        "Depreciation schedule not computed",
    ),
    ("land_value_missing", "Land value missing"),
    (
        "depreciation_allowed_differs",
        "Depreciation allowed differs from the computed amount",
    ),
    ("related_party", "Exchange with a related party"),
    (
        "related_party_disposition",
        "Disposition after a related-party exchange",
    ),
    (
        "related_party_exception",
        "Related-party exchange: exception claimed",
    ),
    (
        "related_party_disposed_by_missing",
        "Related-party exchange: who disposed of the property not given",
    ),
    (
        "no_qualified_intermediary",
        "No qualified intermediary held the exchange funds",
    ),
    (
        "funds_released_early",
        "Exchange funds released before the agreement may allow",
    ),
    (
        "california_clawback",
        "California: yearly Form FTB 3840 for out-of-state replacement",
    ),
    (
        "california_withholding",
        "California withholding (Form 593)",
    ),
    (
        "state_clawback_unconfirmed",
        "State clawback of the deferred gain: rules not confirmed",
    ),
    // Findings of the planner and its Opportunity Zone side.
    ("plan_rough_estimate", "A rough estimate, not a return"),
    ("plan_no_gain", "No gain to plan for"),
    (
        "plan_qof_without_gain",
        "An amount planned for a fund with no gain to defer",
    ),
    (
        "plan_realized_gain_as_entered",
        "The exchange realizes a different gain than a sale",
    ),
    (
        "plan_niit_c_corporation",
        "No net investment income tax for a C corporation",
    ),
    (
        "oz_recapture_not_eligible",
        "Ordinary recapture cannot be deferred in a QOF",
    ),
    (
        "oz_window_day_count",
        "QOF investment: how the 180 days are counted",
    ),
    (
        "oz_window_closed",
        "QOF investment: the 180 days from the transfer have ended",
    ),
    (
        "oz_sale_gain_start",
        "QOF investment: the 180 days of the sale's gain began at the transfer",
    ),
    (
        "oz_failed_1031_start_no_authority",
        "QOF investment: no authority for when a failed or partial exchange's 180 days start",
    ),
    (
        "oz_2027_regime",
        "QOF investment from 2027: the amended rules apply",
    ),
    (
        "oz_election_regulation_caveat",
        "QOF deferral election: the regulation's wording not yet updated",
    ),
    (
        "oz_included_2026_12_31",
        "QOF investment before 2027: the gain is included at the end of 2026",
    ),
    (
        "oz_zone_dates",
        "Opportunity zones: when they are designated",
    ),
    (
        "oz_related_party_gain",
        "QOF investment: no deferral of gain from a sale to a related party",
    ),
    // Why a property received does not qualify (the qualification's reasons).
    (
        "partnership_interest",
        "Partnership interest: not real property",
    ),
    ("personal_property", "Personal property, not real property"),
    ("personal_use", "Held for personal use"),
    (
        "identified_late",
        "Identified after the identification period",
    ),
    ("not_identified", "Not identified"),
    ("identification_revoked", "Identification revoked"),
    (
        "over_identified",
        "More property identified than the rules allow",
    ),
    ("received_late", "Received after the exchange period"),
    (
        "no_like_kind_exchange",
        "Bought in a taxable sale: no like-kind exchange",
    ),
    ("foreign", "Not like-kind: US and foreign real property"),
    (
        "taxpayer_owned_replacement",
        "Replacement was the taxpayer's own property",
    ),
    (
        "disqualified_intermediary",
        "Intermediary is a disqualified person",
    ),
    (
        "short_held_depreciation_all_additional",
        "Held one year or less: all depreciation is additional",
    ),
    (
        "proceeds_received",
        "The taxpayer received the money of the sale",
    ),
    (
        "related_party_cash_out",
        "The related party who sold the replacement was paid for it",
    ),
    // Milestones of the timeline.
    (
        "identification_end",
        "End of the identification period (day 45)",
    ),
    ("exchange_end", "End of the exchange period"),
    (
        "file_extension",
        "File the return extension to keep day 180",
    ),
    ("funds_release", "Exchange funds may be released"),
    ("reverse_qeaa", "Reverse exchange: sign the QEAA"),
    (
        "reverse_identification",
        "Reverse exchange: identification deadline",
    ),
    (
        "reverse_transfers",
        "Reverse exchange: complete the transfers within 180 days",
    ),
    ("exchange_period_end", "End of the exchange period"),
    ("ExchangePeriodEnd", "End of the exchange period"),
    ("identification_deadline", "Identification deadline"),
    ("IdentificationDeadline", "Identification deadline"),
    // The planner's strategies (the same words as each strategy's own title).
    ("complete_1031", "Complete the 1031 exchange"),
    (
        "partial_1031_as_entered",
        "Partial 1031 as entered, boot taxed",
    ),
    (
        "partial_1031_boot_to_qof",
        "Partial 1031, boot's gain into a QOF",
    ),
    ("failed_1031_gain_to_qof", "Failed 1031, gain into a QOF"),
    ("sell_pay_tax", "Sell and pay the tax"),
    ("installment_sale", "Installment reporting (failed 1031)"),
    ("dst_fallback", "DST interest as fallback replacement"),
    // The planner's steps.
    ("plan.status", "Where the exchange stands"),
    ("plan.equity", "Net cash from the sale"),
    (
        "plan.complete_1031.after_tax_value",
        "Complete the 1031 exchange: after-tax value",
    ),
    (
        "plan.partial_1031_as_entered.after_tax_value",
        "Partial 1031 as entered, boot taxed: after-tax value",
    ),
    (
        "plan.partial_1031_boot_to_qof.after_tax_value",
        "Partial 1031, boot's gain into a QOF: after-tax value",
    ),
    (
        "plan.failed_1031_gain_to_qof.after_tax_value",
        "Failed 1031, gain into a QOF: after-tax value",
    ),
    (
        "plan.sell_pay_tax.after_tax_value",
        "Sell and pay the tax: after-tax value",
    ),
    (
        "plan.installment_sale.after_tax_value",
        "Installment reporting (failed 1031): after-tax value",
    ),
    (
        "plan.dst_fallback.after_tax_value",
        "DST interest as fallback replacement: after-tax value",
    ),
    // The Opportunity Zone steps.
    ("oz.eligible_gain", "Gain a QOF investment can defer"),
    (
        "oz.inclusion_date",
        "QOF investment: when the deferred gain is included",
    ),
    ("oz.basis_step_up", "QOF investment: basis step-up"),
    ("oz.amount_included", "QOF investment: gain included"),
    (
        "oz.redeferral",
        "QOF investment: deferring the included gain again",
    ),
    (
        "oz.window.sale_date",
        "QOF investment: 180 days from the sale",
    ),
    (
        "oz.window.entity_sale_date",
        "QOF investment: 180 days from the entity's sale",
    ),
    (
        "oz.window.entity_year_end",
        "QOF investment: 180 days from the end of the entity's tax year",
    ),
    (
        "oz.window.entity_return_due_date",
        "QOF investment: 180 days from the entity's return due date",
    ),
    (
        "oz.window.installment_payment",
        "QOF investment: 180 days from an installment payment",
    ),
    (
        "oz.window.installment_year_end",
        "QOF investment: 180 days from the end of the tax year of the payments",
    ),
    (
        "oz.window.exchange_transfer_date",
        "QOF investment: 180 days from the transfer of the property given up",
    ),
    (
        "oz.window.exchange_funds_released",
        "QOF investment: 180 days from the release of the exchange funds",
    ),
    (
        "oz.window.exchange_funds_released_year_end",
        "QOF investment: 180 days from the end of the tax year of the release of the exchange funds",
    ),
    (
        "oz.window.exchange_closing_payment_year_end",
        "QOF investment: 180 days from the end of the tax year of the payments at the closing",
    ),
    // Rules of the plan's inputs.
    (
        "oz_180_day_window",
        "QOF investment date outside the 180 days",
    ),
    (
        "no_double_deferral",
        "The same gain cannot be deferred twice",
    ),
    ("horizon_range", "Planning horizon out of range"),
    ("growth_range", "Growth rate out of range"),
    ("tax_rate", "Tax rate out of range"),
    ("yield_pct", "Yield out of range"),
    ("required", "Required"),
    ("date_order", "Dates out of order"),
    ("non_negative", "Must not be negative"),
    // Codes of the exchange groups and of the API.
    ("real_property_us", "US real property"),
    (
        "real_property_foreign",
        "Real property outside the United States",
    ),
    (
        "received_within_45_days",
        "Property received within the 45 days",
    ),
    ("ninety_five_percent", "95% rule"),
    ("three_property", "Three-property rule"),
    ("two_hundred_percent", "200% rule"),
    (
        "unrecaptured_1250_rate",
        "Unrecaptured section 1250 gain rate",
    ),
    ("corporation_over_50pct", "Corporation more than 50% owned"),
    (
        "partnership_and_partner_over_50pct",
        "Partnership and a partner owning more than 50%",
    ),
    (
        "partnerships_same_owners_over_50pct",
        "Partnerships with the same owners (over 50%)",
    ),
    ("not_found", "Not found"),
    ("validation", "Not valid"),
    ("unauthenticated", "Not logged in"),
    ("forbidden", "Not allowed"),
    ("conflict", "Conflict"),
    ("internal", "Server failure"),
    ("insufficient_funds", "Not enough funds held"),
    ("release_before_allowed", "Funds cannot be released yet"),
    ("approval_required", "A second person's approval is needed"),
    (
        "identification_period_ended",
        "The identification period has ended",
    ),
];

/// The title of `code`, if the table has one.
pub(super) fn title(code: &str) -> Option<&'static str> {
    TITLES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::TITLES;

    /// One title a code, and each title in words: a capital first, no snake_case key.
    #[test]
    fn one_title_a_code_in_words() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, title) in TITLES {
            assert!(seen.insert(*code), "{code} has two titles");
            assert!(!title.contains('_'), "{code}: {title}");
            assert!(
                title.chars().next().is_some_and(|c| !c.is_lowercase()),
                "{code}: {title}"
            );
            assert!(!title.ends_with('.'), "{code}: {title}");
        }
    }
}
