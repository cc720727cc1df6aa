//! Puts the dated parts of an analysis together: deadlines, identification, the reverse
//! arrangement, the (g)(6) release dates and the status on the report date.
//!
//! The release dates are the limits of the (g)(3)-(4) safe harbors: they are shown (the
//! `funds_release` milestone, the report's release dates) only when a qualified intermediary,
//! qualified escrow account or qualified trust held the funds
//! ([`crate::eligibility::safe_harbor::no_qualified_holder`]). A disqualified person is no
//! qualified intermediary (Treas. Reg. §1.1031(k)-1(g)(4)(iii)(A), (k)) and holds the money
//! as the taxpayer's agent; without a qualified holder the (g)(4)(i) rule that the
//! intermediary is not the taxpayer's agent does not apply, and there is no date before which
//! the taxpayer could not have the money (Treas. Reg. §1.1031(k)-1(g)(6)).

use crate::explain::Trace;
use crate::findings::Findings;
use crate::identification::{self, Identification, Standing};
use crate::law::cite;
use crate::model::{ExchangeFile, ExchangeType};
use crate::timing::constructive_receipt::{self, ReleaseDates, ReleaseFacts};
use crate::timing::deadlines::{self, Deadlines, ExchangeEndRule};
use crate::timing::reverse::{self, ReverseOutcome};
use crate::timing::status::{self, Milestone, Status};
use jiff::civil::Date;

/// The dated parts of the report.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub deadlines: Option<Deadlines>,
    pub identification: Option<Identification>,
    pub reverse: Option<ReverseOutcome>,
    /// The (g)(6) dates, computed whoever holds the funds: the limits an exchange agreement
    /// must set (the tracker's ledger applies them). They bind only a qualified holder: the
    /// report shows them, and the status has the `funds_release` milestone, only when
    /// `qualified_holder` (Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6), (k)).
    pub constructive_receipt: Option<ReleaseDates>,
    /// A qualified intermediary, qualified escrow account or qualified trust held the funds
    /// ([`crate::eligibility::safe_harbor::qualified_holder`]); false without a transfer.
    pub qualified_holder: bool,
    pub status: Option<Status>,
    /// The one qualification verdict (absent without a transfer to count from).
    pub qualification: Option<crate::eligibility::qualification::Qualification>,
}

/// Computes the timeline of an exchange file as of `as_of`.
pub fn build(f: &ExchangeFile, as_of: Date, t: &mut Trace, fx: &mut Findings) -> Timeline {
    let Some(d) = deadlines::compute(f, Some(as_of), t, fx) else {
        return Timeline::default();
    };
    let id = identification::judge(f, &d, as_of, t, fx);
    let all_received = id
        .properties
        .iter()
        .filter(|p| p.in_force)
        .all(|p| p.standing == Standing::Qualifies);
    let rev = if f.exchange.kind == ExchangeType::Reverse {
        reverse::analyze(f, as_of, t, fx)
    } else {
        None
    };
    // Decided once, here: every figure, milestone and stored summary reads this verdict.
    let open = as_of <= d.exchange_end && !reverse_over(rev.as_ref(), &id, as_of);
    let mut q = crate::eligibility::qualification::judge(f, Some(&id), open);
    let unless = crate::eligibility::pending::unless(f, &d, &id, &q, as_of);
    q.set_unless(f, unless);
    if rev
        .as_ref()
        .is_some_and(ReverseOutcome::outside_safe_harbor)
    {
        q.caution_outside_safe_harbor(f);
    }
    // A weekend deadline is advice only while it is still ahead and can still matter: not
    // once it has passed, nor once the exchange is settled as failed (QA12 D8).
    let failed = q.settled && q.is_taxable_sale();
    // Failed while the due date is still ahead: failed for another reason than the cut.
    if failed && as_of <= d.return_due_date_original {
        deadlines::cut_finding_of_failed(f, &d, fx);
    }
    deadlines::weekend_findings(
        &d,
        id.valid || failed || as_of > d.identification_end,
        (id.valid && all_received) || failed || as_of > d.exchange_end,
        fx,
    );
    let no_holder = crate::eligibility::safe_harbor::no_qualified_holder(f, &q);
    let release = release_of(f, (&d, &id), no_holder, t);
    crate::eligibility::safe_harbor::findings(f, &release, q.is_taxable_sale(), fx);
    // The milestones' descriptions are words, written only when the steps are kept.
    let words = t.records();
    let mut ms = milestones_of(&d, Some(&id), words);
    // The exchange period is met only by like-kind property received in time.
    for m in ms.iter_mut().filter(|m| m.key == "exchange_end") {
        m.done = Some(q.received.iter().any(|r| r.like_kind) && !q.is_taxable_sale());
    }
    if let Some(r) = &rev {
        forward_dates_in_reverse(f, &d, &mut ms, words);
        ms.extend(reverse_milestones(r));
    }
    if no_holder.is_none() {
        ms.push(release_milestone(&release, words));
    }
    let settled = match (q.settled, q.is_taxable_sale()) {
        (false, _) => status::Settled::Open,
        (true, true) => status::Settled::Failed,
        (true, false) => status::Settled::Exchanged,
    };
    let st = status::status(ms, as_of, settled);
    Timeline {
        deadlines: Some(d),
        identification: Some(id),
        reverse: rev,
        constructive_receipt: Some(release),
        qualified_holder: no_holder.is_none(),
        status: Some(st),
        qualification: Some(q),
    }
}

/// The earliest day the exchange funds may go to the taxpayer, a milestone only when a
/// qualified holder keeps them under the (g)(3) or (g)(4) safe harbor: before it the
/// taxpayer's access would be constructive receipt (Treas. Reg. §1.1031(k)-1(g)(4)(i),
/// (g)(6)). A disqualified person holding them is the taxpayer's agent ((k)), and with no
/// qualified holder at all there is no release to wait for: [`build`] then leaves it out.
fn release_milestone(release: &ReleaseDates, words: bool) -> Milestone {
    Milestone {
        key: "funds_release".into(),
        title: "Exchange funds may be released".into(),
        date: release.earliest.earliest,
        description: if words {
            format!(
                "Earliest date the qualified intermediary may release exchange funds to the taxpayer ({}); earlier access would be constructive receipt",
                release.earliest.rule.words()
            )
        } else {
            String::new()
        },
        authority: release.earliest.authority.into(),
        done: None,
        deadline: false,
    }
}

/// The step that says why the report has no release dates: no qualified intermediary,
/// qualified escrow account or qualified trust held the funds (`why`), so the (g)(6) limits,
/// which are those of the (g)(3)-(4) safe harbors, do not apply (Treas. Reg.
/// §1.1031(k)-1(g)(4)(i), (g)(6), (k)).
fn no_release_step(why: &'static str, t: &mut Trace) {
    crate::step!(
        t,
        "constructive_receipt.no_qualified_holder",
        format!(
            "Release of the exchange funds: {why}; the (g)(6) limits on when the funds may go to the taxpayer belong to the safe harbor of a qualified intermediary, qualified escrow account or qualified trust, so none applies"
        ),
        "no release date",
        crate::eligibility::safe_harbor::HOLDER_AUTHORITY,
        Vec::new(),
    );
}

/// A reverse exchange that nothing received from now on could change: the Rev. Proc.
/// 2000-37 §4.02(5) period for the transfers (180 days from the qualified indicia, postponed
/// where a disaster does) is over, and so is the identification period of the sale, with
/// every property identified in force received (IRC §1031(a)(3)(A); Treas. Reg.
/// §1.1031(k)-1(c)(1), (d)(1)). Its verdict is then settled, even while the sale's exchange
/// period still runs.
fn reverse_over(rev: Option<&ReverseOutcome>, id: &Identification, as_of: Date) -> bool {
    rev.is_some_and(|r| {
        as_of > r.transfers_by() && crate::eligibility::qualification::nothing_left_to_receive(id)
    })
}

/// The (g)(6) dates, and the step that explains them; with no qualified holder (`no_holder`:
/// why), the step that says why the report has none instead.
fn release_of(
    f: &ExchangeFile,
    (d, id): (&Deadlines, &Identification),
    no_holder: Option<&'static str>,
    t: &mut Trace,
) -> ReleaseDates {
    let in_force = || id.properties.iter().filter(|p| p.in_force);
    // A receipt in doubt is not yet the property identified (Treas. Reg. §1.1031(k)-1(d)(1)),
    // so it does not count toward the (g)(6)(iii)(A) release.
    let every_one_received =
        in_force().next().is_some() && in_force().all(|p| p.standing == Standing::Qualifies);
    let all_received = every_one_received && in_force().all(|p| !p.receipt_in_doubt);
    let facts = ReleaseFacts {
        identification_end: d.identification_end,
        exchange_end: d.exchange_end,
        anything_identified: !id.remaining.is_empty(),
        // Property received before the sale (a reverse exchange) releases nothing before the
        // sale: the funds come from it.
        all_identified_received_on: if all_received {
            in_force()
                .filter_map(|p| p.received_on)
                .max()
                .map(|r| r.max(d.first_transfer))
        } else {
            None
        },
    };
    let mut r = constructive_receipt::release_dates(&facts);
    // Named only when the doubt is what holds the release back: every property in force was
    // received, and only the doubt keeps the receipt from counting.
    if every_one_received {
        r.receipts_in_doubt = in_force()
            .filter(|p| p.receipt_in_doubt)
            .map(|p| p.id.clone())
            .collect();
    }
    if let Some(why) = no_holder {
        no_release_step(why, t);
        return r;
    }
    crate::step!(
        t,
        "constructive_receipt.earliest",
        format!(
            "Earliest release of exchange funds: nothing identified → after {}; all identified property received → on receipt{}{}; otherwise after the exchange period ({})",
            d.identification_end,
            r.if_all_identified_received
                .map(|x| format!(" ({x})"))
                .unwrap_or_default(),
            if r.receipts_in_doubt.is_empty() {
                String::new()
            } else {
                format!(
                    " (not yet: the receipt of {} is in doubt, Treas. Reg. §1.1031(k)-1(d)(1))",
                    f.properties_words(&r.receipts_in_doubt)
                )
            },
            d.exchange_end
        ),
        r.earliest.earliest,
        r.earliest.authority,
        vec![crate::explain::Input::new(
            "properties in force",
            f.properties_words(&id.remaining)
        )],
    );
    r
}

/// The deadline milestones of [`Deadlines`] (and, when known, whether they were met).
pub fn deadline_milestones(d: &Deadlines, id: Option<&Identification>) -> Vec<Milestone> {
    milestones_of(d, id, true)
}

/// [`deadline_milestones`], their descriptions written only with `words`.
fn milestones_of(d: &Deadlines, id: Option<&Identification>, words: bool) -> Vec<Milestone> {
    // Done once the identification in force meets a rule (an over-identification is not).
    let identified = id.map(|i| i.valid);
    let received = id.map(|i| !i.qualifying_properties.is_empty());
    // Room for the extension, the funds' release and a reverse exchange's three dates.
    let mut ms = Vec::with_capacity(7);
    ms.extend([
        Milestone {
            key: "identification_end".into(),
            title: "1031: identification period ends (day 45)".into(),
            date: d.identification_end,
            description: if words {
                format!(
                    "Last day to identify replacement property in a signed writing sent to the qualified intermediary or the seller (until midnight). Day 45 after the transfer of {}{}; no weekend or holiday extension{}.",
                    d.first_transfer,
                    if d.identification_end != d.day_45 {
                        format!(" ({}),{}", d.day_45, d.identification_end_words())
                    } else {
                        String::new()
                    },
                    d.identification_end_closed
                        .as_ref()
                        .map(|w| format!(" (this day falls on {w})"))
                        .unwrap_or_default()
                )
            } else {
                String::new()
            },
            authority: cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(b)(2)(i), (c)").into(),
            done: identified,
            deadline: true,
        },
        Milestone {
            key: "exchange_end".into(),
            title: match d.exchange_end_rule {
                ExchangeEndRule::Day180 => "1031: exchange period ends (day 180)",
                ExchangeEndRule::ReturnDueDate => "1031: exchange period ends (return due date)",
                ExchangeEndRule::DisasterPostponement => {
                    "1031: exchange period ends (disaster postponement)"
                }
            }
            .into(),
            date: d.exchange_end,
            description: if words {
                format!(
                    "Last day to receive the identified replacement property (until midnight): the earlier of day 180 ({}) and the return due date ({}{}).",
                    if d.disaster
                        .as_ref()
                        .and_then(|o| o.postponed_day_180)
                        .is_some()
                    {
                        format!(
                            "{}, postponed from {} under {}",
                            crate::timing::deadlines::effective_day_180(d),
                            d.day_180,
                            d.day_180_relief_words().unwrap_or("Rev. Proc. 2018-58")
                        )
                    } else {
                        d.day_180.to_string()
                    },
                    d.return_due_date,
                    if d.extension_filed {
                        ", extended"
                    } else {
                        ", no extension"
                    }
                )
            } else {
                String::new()
            },
            authority: cite!(IRC_1031 "(a)(3)(B)"; REG_1_1031_K_1 "(b)(2)(ii)").into(),
            done: received,
            deadline: true,
        },
    ]);
    if !d.extension_filed
        && d.exchange_end_rule == ExchangeEndRule::ReturnDueDate
        && d.return_due_date_extended > d.exchange_end
    {
        ms.push(Milestone {
            key: "file_extension".into(),
            title: "1031: file the extension to keep day 180".into(),
            date: d.return_due_date_original,
            description: if words {
                format!(
                "Without an extension the exchange period ends on the return due date {}; filing the extension (Form 4868 or 7004) by then restores it to {}.",
                d.return_due_date_original, d.exchange_end_with_extension)
            } else {
                String::new()
            },
            authority: cite!(IRC_1031 "(a)(3)(B)(ii)"; IRC_6081).into(),
            done: None,
            deadline: true,
        });
    }
    ms
}

/// In a reverse exchange the dates of Rev. Proc. 2000-37 §4.02 govern (the QEAA within 5
/// business days, the relinquished property identified within 45 days and the parked
/// property out of the EAT within 180 days, all counted from the transfer of qualified
/// indicia), not the forward dates counted from the sale. Those apply only to replacement
/// property received after the property given up was transferred (IRC §1031(a)(3): "any
/// property received ... after the date on which the taxpayer transfers the property
/// relinquished"): when some replacement is, they stay and say why; when none is (the parked
/// replacement reached the taxpayer at or before the sale), they are left out of the status.
/// Authority: Rev. Proc. 2000-37 §4.02 (primary text not verified); IRC §1031(a)(3);
/// Treas. Reg. §1.1031(k)-1(b).
fn forward_dates_in_reverse(f: &ExchangeFile, d: &Deadlines, ms: &mut Vec<Milestone>, words: bool) {
    const FORWARD: [&str; 3] = ["identification_end", "exchange_end", "file_extension"];
    let Some(late) = f.received_after_sale() else {
        ms.retain(|m| !FORWARD.contains(&m.key.as_ref()));
        return;
    };
    for m in ms.iter_mut().filter(|m| FORWARD.contains(&m.key.as_ref())) {
        m.title = format!("{} (also applies: received after the sale)", m.title).into();
        if words {
            m.description.push_str(&format!(
                " This reverse exchange is governed by the Rev. Proc. 2000-37 dates counted from the transfer of qualified indicia; this date counted from the sale applies as well because {} was received on {}, after the property given up was transferred on {} (IRC §1031(a)(3)).",
                late.id, late.received, d.first_transfer
            ));
        }
    }
}

fn reverse_milestones(r: &ReverseOutcome) -> Vec<Milestone> {
    let a: std::borrow::Cow<'static, str> = reverse::AUTHORITY.into();
    vec![
        Milestone {
            key: "reverse_qeaa".into(),
            title: "Reverse 1031: sign the QEAA".into(),
            date: r.dates.qeaa_signed_by,
            description: "The written qualified exchange accommodation agreement must be signed within 5 business days after the EAT receives qualified indicia of ownership (business days undefined: weekends and federal holidays excluded).".into(),
            authority: a.clone(),
            done: r.qeaa_timely,
            deadline: true,
        },
        Milestone {
            key: "reverse_identification".into(),
            title: "Reverse 1031: identify the relinquished property".into(),
            date: r.identified_by(),
            description: match r.postponed_relinquished_identified_by {
                Some(_) => format!(
                    "45 days after the transfer of qualified indicia to the EAT ({}), postponed for the disaster.",
                    crate::words::date(r.dates.relinquished_identified_by)
                ),
                None => "45 days after the transfer of qualified indicia to the EAT.".into(),
            },
            authority: a.clone(),
            done: r.relinquished_identification_timely,
            deadline: true,
        },
        Milestone {
            key: "reverse_transfers".into(),
            // Done when every transfer the 180 days govern is (`transfers_timely`): the
            // parked property out of the EAT and, with the replacement parked, the sale of
            // the property given up.
            title: "Reverse 1031: complete the transfers".into(),
            date: r.transfers_by(),
            description: format!(
                "180 days after the transfer of qualified indicia{}: the parked property leaves the EAT (the replacement to the taxpayer, or the relinquished property to its buyer) and, with the replacement parked, the property given up is sold.",
                match r.postponed_transfers_completed_by {
                    Some(_) => format!(
                        " ({}), postponed for the disaster",
                        crate::words::date(r.dates.transfers_completed_by)
                    ),
                    None => String::new(),
                }
            ),
            authority: a,
            done: r.transfers_timely,
            deadline: true,
        },
    ]
}
