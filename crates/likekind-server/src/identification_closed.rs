//! Once the identification period is over, what an edit of the exchange's facts may no
//! longer change (Treas. Reg. §1.1031(k)-1(b)(2)(i), (c)(1), (c)(2)): judged on the tracker's
//! today, never on a date in the request.

use crate::error::{ApiError, ApiResult};
use crate::extract::Auth;
use jiff::civil::Date;
use likekind_core::model::ExchangeFile;
use likekind_core::money::format_date;
use likekind_store::Role;

/// The last day of the exchange's identification period (day 45, or as postponed), when the
/// file has the dates to know it.
pub fn identification_end(f: &ExchangeFile) -> Option<Date> {
    likekind_core::deadlines::inputs_of(f)
        .map(|i| likekind_core::deadlines::dates(&i).identification_end)
}

/// The authority for the end of the identification period and for what identifies
/// replacement property: a written notice signed and delivered on or before day 45, or the
/// property received within the period.
pub const IDENTIFICATION_CLOSED_AUTHORITY: &str =
    "Treas. Reg. §1.1031(k)-1(b)(2)(i), (c)(1), (c)(2)";

/// The guard on edits of the facts once the identification period is over (Treas. Reg.
/// §1.1031(k)-1(b)(2)(i): replacement property is identified on or before day 45; (c)(1),
/// (c)(2): by a signed written notice delivered in that period, or by receiving it in that
/// period). Whether the period is over is judged on the tracker's today against the stored
/// file's last day (or the new file's, when that is earlier), never on a date in the request,
/// as `POST /api/exchanges/{id}/notices` judges a notice "made now" (see
/// [`crate::notices::still_identifying`]). Then an edit of the file may not:
///
/// - change the `identified` list at all (add a property, change its `identified_on`, its
///   description, its value or its revocation): a description or a value decides what is
///   identified and whether the 200% rule holds, so a "typo" cannot be told from a new
///   identification. Refused with no override: a signed paper notice delivered in time is
///   recorded by an administrator or a coordinator (`POST …/notices/paper`);
/// - move the last day of the identification period later, or remove the transfer it counts
///   from (a new transfer date would start the 45 days again);
/// - date a purchase closing already recorded after the period back into it: property
///   received in the period counts as identified ((c)(1));
/// - change another fact (a price, the exchange's kind, ...) so that an identification the
///   engine judged invalid becomes valid.
///
/// The last three are corrections of the facts a closing statement shows: an administrator may
/// make them with a written reason (`override_reason`, kept in the audit log).
///
/// # Errors
/// 422 naming the field (`file.identified`, `file.relinquished`, `file.replacement[i].received`,
/// `file`), rule `identification_period_ended`, with `identification_end` and `authority` in
/// `details`; 403 when a non-administrator gives an override reason for the overridable ones.
pub fn check_identification_closed(
    auth: &Auth,
    old: &ExchangeFile,
    new: &ExchangeFile,
    today: Date,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    let (old_end, new_end) = (identification_end(old), identification_end(new));
    let Some(end) = [old_end, new_end].into_iter().flatten().min() else {
        return Ok(());
    };
    if today <= end {
        return Ok(());
    }
    let refusal = |path: &str, message: String| {
        ApiError::field(path, "identification_period_ended", message).with_details(
            serde_json::json!({
                "identification_end": end.to_string(),
                "authority": IDENTIFICATION_CLOSED_AUTHORITY,
            }),
        )
    };
    let ended = format!("the identification period ended on {}", format_date(end));
    if old.identified != new.identified {
        return Err(refusal(
            "file.identified",
            format!(
                "{ended}: the identified properties can no longer be added to or changed by editing the facts, whatever date the change bears ({IDENTIFICATION_CLOSED_AUTHORITY}). If a signed identification notice reached the intermediary on or before {}, an administrator or a coordinator records it as a paper notice (Identification, Record a paper notice), with the scanned notice.",
                format_date(end)
            ),
        ));
    }
    let mut refusals = Vec::new();
    match (old_end, new_end) {
        (Some(o), Some(n)) if n > o => refusals.push(refusal(
            "file.relinquished",
            format!(
                "{ended}: this change of the transfer date would move the last day of the identification period to {} and reopen it ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct a transfer date typed wrong, with a written reason",
                format_date(n)
            ),
        )),
        (Some(_), None) => refusals.push(refusal(
            "file.relinquished",
            format!(
                "{ended}: the transfer of the relinquished property the 45 days count from cannot be removed ({IDENTIFICATION_CLOSED_AUTHORITY})"
            ),
        )),
        _ => {}
    }
    let last = [old_end, new_end]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(end);
    // A purchase closing already recorded may not be dated back into the period: property
    // received in the period counts as identified ((c)(1)). New closings are recorded as they
    // come, as before (audited; see [`check_release_not_earlier`]).
    for (i, r) in new.replacement.iter().enumerate() {
        let moved_in = old
            .replacement
            .iter()
            .any(|x| x.id == r.id && x.received > last && r.received <= last);
        if moved_in {
            refusals.push(refusal(
                &format!("file.replacement[{i}].received"),
                format!(
                    "{ended}: the purchase of {} is recorded as closed after that day; dating it {} would make it count as identified, since property received within the identification period is identified ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct a closing date typed wrong, with a written reason",
                    r.id,
                    format_date(r.received)
                ),
            ));
        }
    }
    if refusals.is_empty() {
        // Other facts (prices, the exchange's kind, ...), with the stored receipts: they may
        // not make an invalid identification valid.
        let valid = |f: &ExchangeFile| {
            likekind_core::analyze::figures(&likekind_store::summary::tracked(f.clone()), today)
                .identification
                .as_ref()
                .is_some_and(|i| i.valid)
        };
        let mut probe = new.clone();
        probe.replacement = old.replacement.clone();
        if !valid(old) && valid(&probe) {
            refusals.push(refusal(
                "file",
                format!(
                    "{ended}: this change would make valid an identification the engine judged invalid ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct the facts with a written reason"
                ),
            ));
        }
    }
    if refusals.is_empty() {
        return Ok(());
    }
    if override_reason.is_some() {
        return auth.require(
            &[Role::Admin],
            "correct the facts the identification period depends on after it ended",
        );
    }
    ApiError::together(refusals.iter().map(Some))
}
