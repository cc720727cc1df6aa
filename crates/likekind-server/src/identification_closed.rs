//! Once the identification period is over, what an edit of the exchange's facts may no
//! longer change (Treas. Reg. §1.1031(k)-1(b)(2)(i), (c)(1), (c)(2)): judged on the tracker's
//! today, never on a date in the request. While it runs, what an edit may not take out of the
//! identification: what the taxpayer's signed notice identifies, and (with money held) any
//! identified property the (g)(6) release waits for ((c)(6), (g)(6)(iii)(A)).

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::Auth;
use axum::http::StatusCode;
use jiff::civil::Date;
use likekind_core::model::{ExchangeFile, Replacement};
use likekind_core::money::format_date;
use likekind_store::{ExchangeRow, Role};

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

/// Whether the identification period is over on `today` for an edit from `old` to `new`: the
/// period's last day (the earlier of the two files', `end`) and the later one (`last`), or
/// `None` while it runs (or when neither file has the dates to know it).
fn period_over(old: &ExchangeFile, new: &ExchangeFile, today: Date) -> Option<(Date, Date)> {
    let ends = [identification_end(old), identification_end(new)];
    let end = ends.into_iter().flatten().min()?;
    let last = ends.into_iter().flatten().max().unwrap_or(end);
    (today > end).then_some((end, last))
}

/// The purchases an edit records for the first time, dated on or before `last`, with their
/// place in the new file: a replacement whose id the stored file's `replacement` list does
/// not have (a new closing, or one removed and added back under another id).
fn first_recorded_within<'a>(
    old: &ExchangeFile,
    new: &'a ExchangeFile,
    last: Date,
) -> Vec<(usize, &'a Replacement)> {
    new.replacement
        .iter()
        .enumerate()
        .filter(|(_, r)| r.received <= last && !old.replacement.iter().any(|x| x.id == r.id))
        .collect()
}

/// The intermediary's own evidence for the purchases an edit records for the first time
/// dated within the identification period, once that period is over: the ids of those whose
/// closing the exchange funds paid (a disbursement toward the purchase) on or before the
/// period's last day, by the day the server posted it (`posted_on`, the tracker's today when
/// the money moved), never a date in a request. One store read, made only when the period is
/// over, the edit records such a purchase and the ledger has postings.
///
/// # Errors
/// A store failure.
pub async fn closings_paid_in_period(
    state: &AppState,
    ex: &ExchangeRow,
    old: &ExchangeFile,
    new: &ExchangeFile,
) -> ApiResult<Vec<String>> {
    let Some((end, last)) = period_over(old, new, state.today()) else {
        return Ok(Vec::new());
    };
    let ids: Vec<&str> = first_recorded_within(old, new, last)
        .into_iter()
        .map(|(_, r)| r.id.as_str())
        .collect();
    if ids.is_empty() || ex.ledger_seq == 0 {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .closings_paid_by(&ex.firm_id, &ex.id, &ids, &end.to_string())
        .await?)
}

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
/// - record for the first time a purchase dated within the period (a new closing, or one
///   removed and added back under another id), unless the intermediary's ledger shows the
///   exchange funds paid its closing on or before the period's last day (`paid_in_period`,
///   from [`closings_paid_in_period`]: a disbursement toward it, by the day the server
///   posted it). Otherwise anyone could identify after day 45 by recording a back-dated
///   closing ((c)(1));
/// - take out a purchase recorded as received within the period, or change what it
///   describes (its description or its place): property received within the period is
///   identified by its receipt ((c)(1)), and an identification cannot be revoked or replaced
///   after the period ((c)(6)). Put back under the same id with the ledger's evidence, it
///   could otherwise describe any property;
/// - change another fact (a price, the exchange's kind, ...) so that an identification the
///   engine judged invalid becomes valid.
///
/// The last five are corrections of the facts a closing statement shows: an administrator may
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
    paid_in_period: &[String],
    override_reason: Option<&str>,
) -> ApiResult<()> {
    let Some((end, last)) = period_over(old, new, today) else {
        return Ok(());
    };
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
    let mut refusals: Vec<ApiError> = period_moved(old, new, &ended)
        .into_iter()
        .chain(purchases_dated_in(
            old,
            new,
            (end, last),
            &ended,
            paid_in_period,
        ))
        .chain(received_in_period_changed(old, new, last, &ended))
        .map(|(path, message)| refusal(&path, message))
        .collect();
    if refusals.is_empty() && makes_valid(old, new, today) {
        refusals.push(refusal(
            "file",
            format!(
                "{ended}: this change would make valid an identification the engine judged invalid ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct the facts with a written reason"
            ),
        ));
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

/// An edit that moves the last day of the identification period later, or removes the
/// transfer the 45 days count from: (field, words).
fn period_moved(old: &ExchangeFile, new: &ExchangeFile, ended: &str) -> Option<(String, String)> {
    match (identification_end(old), identification_end(new)) {
        (Some(o), Some(n)) if n > o => Some((
            "file.relinquished".to_string(),
            format!(
                "{ended}: this change of the transfer date would move the last day of the identification period to {} and reopen it ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct a transfer date typed wrong, with a written reason",
                format_date(n)
            ),
        )),
        (Some(_), None) => Some((
            "file.relinquished".to_string(),
            format!(
                "{ended}: the transfer of the relinquished property the 45 days count from cannot be removed ({IDENTIFICATION_CLOSED_AUTHORITY})"
            ),
        )),
        _ => None,
    }
}

/// The purchases an edit would make count as received within the identification period after
/// it ended, each as (field, words): one already recorded after the period dated back into
/// it, and one recorded for the first time dated within it that the ledger does not show paid
/// within it (`paid_in_period`). Property received in the period is identified ((c)(1)).
fn purchases_dated_in(
    old: &ExchangeFile,
    new: &ExchangeFile,
    (end, last): (Date, Date),
    ended: &str,
    paid_in_period: &[String],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, r) in new.replacement.iter().enumerate() {
        let moved_in = old
            .replacement
            .iter()
            .any(|x| x.id == r.id && x.received > last && r.received <= last);
        if moved_in {
            out.push((
                format!("file.replacement[{i}].received"),
                format!(
                    "{ended}: the purchase of {} is recorded as closed after that day; dating it {} would make it count as identified, since property received within the identification period is identified ({IDENTIFICATION_CLOSED_AUTHORITY}); an administrator may correct a closing date typed wrong, with a written reason",
                    r.id,
                    format_date(r.received)
                ),
            ));
        }
    }
    for (i, r) in first_recorded_within(old, new, last) {
        if paid_in_period.iter().any(|p| *p == r.id) {
            continue;
        }
        out.push((
            format!("file.replacement[{i}].received"),
            format!(
                "{ended}: the purchase of {} is recorded only now, dated {}, within that period. Property received within the identification period counts as identified ({IDENTIFICATION_CLOSED_AUTHORITY}), so a closing recorded after the period counts only when the intermediary's ledger shows the exchange funds paid it on or before {}, and it shows no such payment. Whatever date the closing bears, it cannot identify property now; an administrator may record a closing that did happen within the period, with a written reason (Edit the facts).",
                r.id,
                format_date(r.received),
                format_date(end)
            ),
        ));
    }
    out
}

/// The purchases the stored file records as received within the identification period (on or
/// before `last`) that an edit takes out or makes describe other property, each as (field,
/// words). Receiving property within the period identifies it (Treas. Reg. §1.1031(k)-1(c)(1)),
/// and an identification can be revoked only within the period ((c)(6)): afterwards the
/// record of what was received is the identification itself. Other figures of the closing
/// (its price, its costs) are corrections the rest of this guard and the engine judge.
fn received_in_period_changed(
    old: &ExchangeFile,
    new: &ExchangeFile,
    last: Date,
    ended: &str,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for x in old.replacement.iter().filter(|x| x.received <= last) {
        let received = format_date(x.received);
        let Some((i, r)) = new
            .replacement
            .iter()
            .enumerate()
            .find(|(_, r)| r.id == x.id)
        else {
            out.push((
                "file.replacement".to_string(),
                format!(
                    "{ended}: the purchase of {} received on {received}, within that period, cannot be taken out of the exchange: property received within the identification period is identified by its receipt, and an identification can no longer be revoked ({IDENTIFICATION_CLOSED_AUTHORITY}, (c)(6)); an administrator may take out a closing recorded by mistake, with a written reason",
                    x.id
                ),
            ));
            continue;
        };
        for (field, was, is) in [
            ("description", &x.description, &r.description),
            ("location", &x.location, &r.location),
        ] {
            if was != is {
                out.push((
                    format!("file.replacement[{i}].{field}"),
                    format!(
                        "{ended}: the property received on {received} ({}), within that period, is identified by its receipt, so what it is can no longer be changed ({IDENTIFICATION_CLOSED_AUTHORITY}, (c)(6)); an administrator may correct a {} typed wrong, with a written reason",
                        x.id,
                        if field == "location" { "place" } else { field }
                    ),
                ));
            }
        }
    }
    out
}

/// Whether an edit of other facts (prices, the exchange's kind, ...), with the stored
/// receipts, makes valid an identification the engine judged invalid.
fn makes_valid(old: &ExchangeFile, new: &ExchangeFile, today: Date) -> bool {
    let valid = |f: &ExchangeFile| {
        likekind_core::analyze::figures(&likekind_store::summary::tracked(f.clone()), today)
            .identification
            .as_ref()
            .is_some_and(|i| i.valid)
    };
    let mut probe = new.clone();
    probe.replacement = old.replacement.clone();
    !valid(old) && valid(&probe)
}

/// The ids of the properties the exchange's signed notices identify (portal or paper), read
/// only when an edit changes the `identified` list.
///
/// # Errors
/// A store failure.
pub async fn signed_notice_ids(
    state: &AppState,
    ex: &ExchangeRow,
    old: &ExchangeFile,
    new: &ExchangeFile,
) -> ApiResult<Vec<String>> {
    if old.identified == new.identified {
        return Ok(Vec::new());
    }
    let notices = state.store.list_notices(&ex.firm_id, &ex.id).await?;
    Ok(notices
        .iter()
        .filter(|n| n.in_force())
        .filter_map(|n| serde_json::from_str::<Vec<serde_json::Value>>(&n.properties).ok())
        .flatten()
        .filter_map(|p| p["id"].as_str().map(|id| id.trim().to_string()))
        .collect())
}

/// The authority for keeping an identification: revoked only by the taxpayer's signed
/// writing delivered within the identification period; the funds go early only once all the
/// identified replacement property is received.
pub const IDENTIFICATION_KEPT_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(6), (g)(6)(iii)(A)";

/// The guard on edits of the `identified` list while it may still change (after the
/// identification period [`check_identification_closed`] refuses any change). An edit may not:
///
/// - take out or change what a signed notice identifies (rule `signed_notice`): an
///   identification is revoked only by a written document the taxpayer signs and delivers
///   within the identification period (Treas. Reg. §1.1031(k)-1(c)(6)), recorded on the
///   notice (`POST …/notices/{id}/revoke`), never by editing the file;
/// - once money has been on the ledger (`money_held`), take out of force any identified
///   property (remove it, change its id, date it late, mark it revoked) (rule
///   `release_moved_earlier`): the funds may go to the taxpayer before the exchange period
///   ends only once all the replacement property identified is received ((g)(6)(iii)(A)), so
///   an edit that makes the release wait for less would unlock the funds one edit later,
///   whatever the order of the edits.
///
/// An administrator may make the change with a written reason, kept in the audit log.
///
/// # Errors
/// 422 naming `file.identified` (or `file.identified[i]`), code and rule `signed_notice` or
/// `release_moved_earlier`; 403 when a non-administrator gives an override reason.
pub fn check_identifications_kept(
    auth: &Auth,
    (old, new): (&ExchangeFile, &ExchangeFile),
    today: Date,
    signed: &[String],
    money_held: bool,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    if old.identified == new.identified {
        return Ok(());
    }
    let mut fields: Vec<FieldError> = signed_changed(old, new, signed);
    if money_held {
        let (before, after) = (in_force(old, today), in_force(new, today));
        for x in old.identified.iter().filter(|x| {
            let id = x.id.as_str();
            before.iter().any(|r| r == id)
                && !after.iter().any(|r| r == id)
                && !signed.iter().any(|s| s == id)
        }) {
            fields.push(FieldError {
                path: "file.identified".to_string(),
                rule: "release_moved_earlier".to_string(),
                message: format!(
                    "{} would no longer be identified, while exchange funds are held. The funds may go to the taxpayer before the exchange period ends only once all the identified replacement property has been received (Treas. Reg. §1.1031(k)-1(g)(6)(iii)(A)), so taking it out would let them go earlier; and an identification is revoked only by a written revocation the taxpayer signs and delivers within the identification period ((c)(6)). If the taxpayer did revoke it so, record the revocation on its notice; an administrator may correct the file with a written reason, kept in the audit log.",
                    named(x)
                ),
            });
        }
    }
    let Some(first) = fields.first() else {
        return Ok(());
    };
    if override_reason.is_some() {
        return auth.require(&[Role::Admin], "change an identification in force");
    }
    let code = first.rule.clone();
    let message = fields
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, &code, message)
        .with_details(serde_json::json!({ "authority": IDENTIFICATION_KEPT_AUTHORITY }));
    e.detail.fields = fields;
    Err(e)
}

/// An identified property as people name it: its id, with its description when it has one.
fn named(x: &likekind_core::model::Identified) -> String {
    let d = x.description.trim();
    if d.is_empty() {
        x.id.to_string()
    } else {
        format!("{} ({d})", x.id)
    }
}

/// The ids in force at the end of the identification period, as the engine counts them
/// (identified in time and not revoked in writing, or received within the period).
fn in_force(f: &ExchangeFile, today: Date) -> Vec<String> {
    likekind_core::analyze::figures(&likekind_store::summary::tracked(f.clone()), today)
        .identification
        .as_ref()
        .map(|i| i.remaining.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// The identifications of signed notices (`signed`: their ids) an edit takes out or changes.
fn signed_changed(old: &ExchangeFile, new: &ExchangeFile, signed: &[String]) -> Vec<FieldError> {
    let mut out = Vec::new();
    for x in old
        .identified
        .iter()
        .filter(|x| signed.iter().any(|s| s == x.id.as_str()))
    {
        let path = match new.identified.iter().position(|i| i.id == x.id) {
            Some(k) if new.identified[k] == *x => continue,
            Some(k) => format!("file.identified[{k}]"),
            None => "file.identified".to_string(),
        };
        out.push(FieldError {
            path,
            rule: "signed_notice".to_string(),
            message: format!(
                "{} is identified by the taxpayer's signed notice, identified on {}: what a signed notice identifies is not changed or taken out by editing the facts. An identification is revoked only by a written revocation the taxpayer signs and delivers within the identification period (Treas. Reg. §1.1031(k)-1(c)(6)), recorded on the notice (Identification, Revoke); an administrator may correct the file with a written reason, kept in the audit log.",
                named(x),
                format_date(x.identified_on)
            ),
        });
    }
    out
}
