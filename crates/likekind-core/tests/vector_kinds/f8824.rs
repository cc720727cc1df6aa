//! `f8824` and `alloc`: Form 8824 Part III arithmetic and basis allocation.

use super::{m, money};
use likekind_core::basis;
use likekind_core::explain::Trace;
use likekind_core::form8824::{self, Form8824Inputs};
use likekind_core::recapture::{self, RecaptureInputs};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub fn f8824(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let fmv_1250 = if i.contains_key("fmv_section1250_property_received") {
        Some(money(i, "fmv_section1250_property_received")?)
    } else {
        None
    };
    let inp = Form8824Inputs {
        other_property_given_fmv: money(i, "OG_FMV")?,
        other_property_given_basis: money(i, "OG_AB")?,
        cash_received: money(i, "cash_recd")?,
        other_property_received_fmv: money(i, "OR_FMV")?,
        liabilities_assumed_by_other_party: money(i, "L_by_other")?,
        liabilities_you_assumed: money(i, "L_by_you")?,
        cash_paid: money(i, "cash_paid")?,
        exchange_expenses: money(i, "EXP")?,
        like_kind_received_fmv: money(i, "LK_FMV_recd")?,
        like_kind_given_basis: money(i, "LK_AB_given")?,
        recapture: RecaptureInputs {
            section1245_depreciation: money(i, "section1245_depreciation_in_relinquished")?,
            section1250_additional: money(
                i,
                "section1250_additional_depreciation_in_relinquished",
            )?,
            straight_line_1250: money(i, "straight_line_depreciation_taken")?,
            fmv_1245_received: money(i, "fmv_section1245_property_received")?,
            fmv_1250_received: fmv_1250,
            by_property: vec![],
        },
    };
    let mut out = BTreeMap::new();
    // A taxpayer with an unrestricted right to the cash has sold, not exchanged
    // (Treas. Reg. §1.1031(k)-1(a), (f), (g)(8) Ex. 1; (j)(3) Ex. 3): all gain is recognized and the
    // replacement takes a cost basis.
    if i.get("constructive_receipt_full_consideration") == Some(&Value::Bool(true)) {
        let s = likekind_core::form8824::sale_instead_of_exchange(
            money(i, "fmv_relinquished")?,
            inp.like_kind_given_basis,
            inp.like_kind_received_fmv,
        );
        out.insert("realized_gain".into(), m(s.realized));
        out.insert("recognized_gain".into(), m(s.recognized));
        out.insert("basis_replacement".into(), m(s.replacement_basis));
        return Ok(out);
    }
    let r = form8824::compute(&inp, &mut Trace::default());
    let l = &r.lines;
    for (k, v) in [
        ("L12", l.line_12),
        ("L13", l.line_13),
        ("L14", l.line_14),
        ("L15", l.line_15),
        ("L16", l.line_16),
        ("L17", l.line_17),
        ("L18", l.line_18),
        ("L19", l.line_19),
        ("L20", l.line_20),
        ("L21", l.line_21),
        ("L22", l.line_22),
        ("L23", l.line_23),
        ("L24", l.line_24),
        ("L25", l.line_25),
    ] {
        out.insert(k.into(), m(v));
    }
    out.insert("realized_gain".into(), m(l.line_19));
    out.insert("recognized_gain".into(), m(l.line_23 + l.line_14));
    out.insert("basis_replacement".into(), m(l.line_25));
    out.insert(
        "basis_other_property_received".into(),
        m(inp.other_property_received_fmv),
    );
    out.insert(
        "total_basis_all_property_received".into(),
        m(l.line_25 + inp.other_property_received_fmv),
    );
    out.insert(
        "net_liabilities_assumed_by_other_party".into(),
        m(r.net_liabilities_assumed_by_other),
    );
    out.insert(
        "mortgage_boot".into(),
        m(r.net_liabilities_assumed_by_other),
    );
    out.insert(
        "net_amount_paid_to_other_party".into(),
        m(r.net_amount_paid_to_other),
    );
    out.insert("exchange_expenses_used_on_L15".into(), m(r.exp_used_on_15));
    out.insert(
        "exchange_expenses_added_on_L18".into(),
        m(r.exp_added_on_18),
    );
    out.insert("form4797_line16".into(), m(l.line_21));
    out.insert("form4797_line5".into(), m(l.line_22));
    out.insert(
        "unrecaptured_1250_gain_in_recognized".into(),
        m(recapture::unrecaptured_1250(
            inp.recapture.straight_line_1250,
            l.line_22,
        )),
    );
    Ok(out)
}

pub fn alloc(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let total = money(i, "total_like_kind_basis_L25")?;
    let fmvs = i
        .get("replacement_fmvs")
        .and_then(Value::as_object)
        .ok_or("replacement_fmvs missing")?;
    let props = fmvs
        .keys()
        .map(|k| Ok((k.as_str().into(), money(fmvs, k)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut out = BTreeMap::new();
    for b in basis::allocate(total, &props) {
        out.insert(format!("allocated_basis.{}", b.id), m(b.basis));
    }
    Ok(out)
}
