//! Warnings about depreciation that the exchange file may put in the wrong place:
//!
//! * §1245 components of a building given up (cost segregation): since 2018 only real
//!   property is exchanged, so components that are tangible personal property are other
//!   property given up (IRC §1031(a)(1) as amended by P.L. 115-97; Treas. Reg.
//!   §1.1031(a)-3).
//! * Depreciated personal property among the other property given up: its gain up to its
//!   depreciation is ordinary income (IRC §1245(a)(1); Form 4797 Part III).
//! * A nonresidential building placed in service 1981-1986 under ACRS's accelerated
//!   percentages: it may be "section 1245 recovery property", all of whose depreciation is
//!   recaptured (P.L. 97-34 §204; uncertain, [U]).
//! * A building given up after one year or less: all of its depreciation is additional
//!   depreciation (IRC §1250(b)(1)), whatever the file enters as additional depreciation.

use crate::amount::Amount;
use crate::findings::{Findings, Severity};
use crate::gain::multi_asset::AssetClass;
use crate::law::cite;
use crate::model::{ExchangeFile, OtherPropertyGiven, Relinquished, Use};
use crate::money::format_usd;
use jiff::civil::{Date, date};

/// Every warning of this module.
pub(crate) fn findings(f: &ExchangeFile, fx: &mut Findings) {
    for (k, r) in f.relinquished.iter().enumerate() {
        personal_property_components(f, k, r, fx);
        acrs_recovery_property(f, k, r, fx);
        short_held_additional_depreciation(f, k, r, fx);
    }
    for (k, o) in f.other_property_given.iter().enumerate() {
        equipment_without_depreciation(k, o, fx);
    }
}

/// A building given up after one year or less whose file gives less additional depreciation
/// than all of its depreciation: for property held one year or less the additional
/// depreciation is all the depreciation adjustments (IRC §1250(b)(1)), so the report uses that
/// and says so, instead of the figure entered.
fn short_held_additional_depreciation(
    f: &ExchangeFile,
    k: usize,
    r: &Relinquished,
    fx: &mut Findings,
) {
    let all = crate::gain::character::additional_depreciation_of(r);
    if crate::gain::character::held_long(r) || all <= r.additional_depreciation {
        return;
    }
    crate::finding_at!(
        fx,
        "short_held_depreciation_all_additional",
        Severity::Info,
        format!("relinquished[{k}].additional_depreciation"),
        format!(
            "{} was held one year or less, so all of its depreciation on the building ({}) is additional depreciation, recaptured as ordinary income up to the gain recognized, not only the {} entered as additional depreciation; the report uses {}.",
            f.property_words(&r.id),
            format_usd(all),
            format_usd(r.additional_depreciation),
            format_usd(all)
        ),
        cite!(IRC_1250 "(b)(1)"),
    );
}

/// When the building was placed in service: the date given, else the date acquired.
fn placed_in_service(r: &Relinquished) -> Date {
    r.placed_in_service.unwrap_or(r.acquired)
}

/// Placed in service in the ACRS years, 1981 through 1986 (ACRS applied to recovery property
/// placed in service after 1980, P.L. 97-34 §201; MACRS from 1987, P.L. 99-514 §201).
fn in_acrs_years(r: &Relinquished) -> bool {
    (date(1981, 1, 1)..=date(1986, 12, 31)).contains(&placed_in_service(r))
}

/// §1245 depreciation on a property given up after 2017 (cost segregation): the components
/// that are tangible personal property are not real property, so they are not part of the
/// like-kind exchange; they are other property given up, at their FMV and basis, taxed in full
/// with their §1245 recapture. Authority: IRC §1031(a)(1) (as amended by P.L. 115-97);
/// Treas. Reg. §1.1031(a)-3; IRC §1245(a)(1); Instructions for Form 8824, lines 12-14.
fn personal_property_components(f: &ExchangeFile, k: usize, r: &Relinquished, fx: &mut Findings) {
    if r.section1245_depreciation <= Amount::ZERO || r.transferred < date(2018, 1, 1) {
        return;
    }
    let acrs = if in_acrs_years(r) {
        " If instead this depreciation is on a building placed in service from 1981 through 1986 that was section 1245 recovery property, the building is real property all the same and stays in the exchange."
    } else {
        ""
    };
    crate::finding_at!(
        fx,
        "section1245_components_outside_exchange",
        Severity::Warning,
        format!("relinquished[{k}].section1245_depreciation"),
        format!(
            "{} has {} of depreciation on components treated as section 1245 property (cost segregation). Since 2018 a like-kind exchange covers only real property: components that are tangible personal property (such as carpeting, furniture, removable fixtures or equipment) are not part of the exchange. List each of them in the exchange file as other property given up, with its fair market value, its adjusted basis and the depreciation taken on it, and leave them out of this property's sale price and basis: their gain is taxed in full, and up to that depreciation it is ordinary income. Components that are real property under the regulation's definition (structural components and other inherently permanent structures) stay in the exchange with the building.{acrs}",
            f.property_words(&r.id),
            format_usd(r.section1245_depreciation)
        ),
        cite!(IRC_1031 "(a)(1)"; "P.L. 115-97"; REG_1_1031_A_3; IRC_1245 "(a)(1)"; FORM_8824 ", lines 12-14"),
    );
}

/// A nonresidential building placed in service 1981-1986 with depreciation above straight
/// line (accelerated ACRS): P.L. 97-34 §204 made such a building "section 1245 recovery
/// property" (IRC §1245(a)(5) as then in effect) and took it out of §1250 (§1250(d)(11) as
/// then in effect), so all its depreciation, not only the additional depreciation, is
/// recaptured, up to its gain and within §1245(b)(4). The definition as it still applies to
/// such buildings was not read from the statute's text: uncertain, [U].
fn acrs_recovery_property(f: &ExchangeFile, k: usize, r: &Relinquished, fx: &mut Findings) {
    let residential = matches!(
        r.property_class,
        Some(crate::after::macrs::RealPropertyClass::Residential)
    ) || matches!(r.use_, Use::PersonalResidence | Use::VacationHome);
    if residential
        || !in_acrs_years(r)
        || r.additional_depreciation <= Amount::ZERO
        || r.depreciation_allowed <= r.additional_depreciation
    {
        return;
    }
    crate::finding_at!(
        fx,
        "acrs_section1245_recovery_property",
        Severity::Warning,
        format!("relinquished[{k}].additional_depreciation"),
        format!(
            "[U] {} was placed in service in {}, under ACRS, and its depreciation was faster than straight line. A nonresidential building depreciated with ACRS's accelerated percentages was \"section 1245 recovery property\" under the law of 1981: then all its depreciation ({}), not only the {} above straight line, is ordinary income when it is given up, up to its own gain and within the §1245 limit for like-kind exchanges. The figures shown recapture only the depreciation above straight line. If the building is not residential rental property and no straight-line recovery was elected for it, give all its depreciation as section 1245 depreciation instead of additional depreciation. Uncertain: the engine has not read the definition of section 1245 recovery property from the statute's text; have a tax adviser confirm.",
            f.property_words(&r.id),
            placed_in_service(r).year(),
            format_usd(r.depreciation_allowed),
            format_usd(r.additional_depreciation)
        ),
        cite!(IRC_1245 "(a)(5) as in effect for property placed in service before 1987, (b)(4)"; IRC_1250 "(d)(11) as then in effect"; "P.L. 97-34 (1981), section 204"),
    );
}

/// Other property given up at a gain, with no depreciation given, that may be depreciable
/// personal property such as business equipment (not Class II or Class IV property): its
/// gain up to its depreciation is ordinary income, figured in Form 4797 Part III. Authority:
/// IRC §1245(a)(1); Instructions for Form 8824, line 14; Instructions for Form 4797, Part III.
fn equipment_without_depreciation(k: usize, o: &OtherPropertyGiven, fx: &mut Findings) {
    let class = o.asset_class.unwrap_or_default();
    if o.depreciation_allowed.is_some() || class != AssetClass::III || o.fmv <= o.adjusted_basis {
        return;
    }
    let name = if o.description.trim().is_empty() {
        "Other property given up".to_string()
    } else {
        o.description.clone()
    };
    crate::finding_at!(
        fx,
        "other_property_depreciation_missing",
        Severity::Warning,
        format!("other_property_given[{k}].depreciation_allowed"),
        format!(
            "{name} is given up at a gain of {} and no depreciation is given for it. If it is depreciable personal property, such as business equipment, its gain up to the depreciation taken on it is ordinary income (figured in Form 4797 Part III), not capital or §1231 gain: give the depreciation allowed with this other property given up.",
            format_usd(o.fmv - o.adjusted_basis)
        ),
        cite!(IRC_1245 "(a)(1)"; FORM_8824 ", line 14"; FORM_4797 ", Part III"),
    );
}
