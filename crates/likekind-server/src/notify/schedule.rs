//! The reminder scheduler: for each firm, on the firm's calendar day, enqueues the reminders
//! due (deadline lead times the firm sets, funds idle after their release date, the
//! related-party two-year window and the Opportunity Zone 180-day window ending). Dates come
//! from the stored summaries and the engine, never re-derived here. Each reminder's
//! idempotency key names the exchange, the event, the date and the lead time, so running the
//! scheduler again, or in several processes at once, never enqueues one twice.

use super::zone;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use likekind_store::Store;
use serde_json::json;
use std::collections::HashMap;

/// Remembers engine answers between runs: (exchange id, version) → two-year window end.
#[derive(Debug, Default)]
pub struct Memo {
    related: HashMap<(String, i64), Option<Date>>,
}

/// The lead time a reminder `left` days before its date falls under: the smallest lead time
/// at or above it (so a reminder missed while the server was down goes out late, once).
pub fn lead_for(leads: &[i64], left: i64) -> Option<i64> {
    if left < 0 {
        return None;
    }
    leads.iter().copied().filter(|l| *l >= left).min()
}

fn days_between(a: Date, b: Date) -> i64 {
    i64::from((b - a).get_days())
}

/// Runs the scheduler once at `now` for every firm; returns how many reminders it enqueued.
///
/// # Errors
/// A database failure.
pub async fn run(
    store: &Store,
    default_zone: &TimeZone,
    now: jiff::Timestamp,
    memo: &mut Memo,
) -> likekind_store::Result<u64> {
    let mut n = 0u64;
    for (firm, settings) in store.firms_for_reminders().await? {
        let tz = zone::of_setting(settings.time_zone.as_deref(), default_zone);
        let today = now.to_zoned_datetime(tz).date();
        n += run_firm(store, &firm, &settings.reminder_days, today, memo).await?;
    }
    Ok(n)
}

/// Runs the scheduler for one firm on its calendar day `today`.
///
/// # Errors
/// A database failure.
pub async fn run_firm(
    store: &Store,
    firm: &str,
    leads: &[i64],
    today: Date,
    memo: &mut Memo,
) -> likekind_store::Result<u64> {
    // (exchange, kind, idempotency key, data) of every reminder due today.
    let mut due: Vec<(String, &'static str, String, serde_json::Value)> = Vec::new();
    let max_lead = leads.iter().copied().max().unwrap_or(0);
    let horizon = likekind_core::calendar::add_days(today, i32::try_from(max_lead).unwrap_or(0));
    let mut dated: Vec<(String, &'static str, Date, i64)> = Vec::new();
    for (xid, what, on, balance) in store
        .reminder_dates(firm, &today.to_string(), &horizon.to_string())
        .await?
    {
        let Ok(on) = on.parse::<Date>() else { continue };
        match what.as_str() {
            "identification_end" => dated.push((xid, "deadline_identification", on, balance)),
            "exchange_end" => dated.push((xid, "deadline_exchange", on, balance)),
            "oz_transfer" => dated.push((
                xid,
                "oz_window",
                likekind_core::oz::window::last_day(on),
                balance,
            )),
            "idle_funds" => {
                let key = format!("funds_idle/{xid}/{on}");
                let data = json!({"date": on.to_string(), "amount_cents": balance});
                due.push((xid, "funds_idle", key, data));
            }
            _ => {}
        }
    }
    for (xid, version, file) in store.related_party_files(firm, &today.to_string()).await? {
        let end = memo
            .related
            .entry((xid.clone(), version))
            .or_insert_with(|| {
                serde_json::from_str::<likekind_core::model::ExchangeFile>(&file)
                    .ok()
                    .and_then(|f| {
                        f.related_party.as_ref()?;
                        // Only a date is read: the figures, without the words.
                        likekind_core::analyze::figures(&f, today)
                            .form_8824_part_ii
                            .as_ref()
                            .map(|p| p.two_year_end)
                    })
            });
        if let Some(end) = *end {
            dated.push((xid, "related_party_window", end, 0));
        }
    }
    for (xid, kind, on, _) in dated {
        let left = days_between(today, on);
        let Some(lead) = lead_for(leads, left) else {
            continue;
        };
        let key = format!("{kind}/{xid}/{on}/{lead}");
        let data = json!({"date": on.to_string(), "lead_days": lead});
        due.push((xid, kind, key, data));
    }
    // Only the reminders not enqueued yet open a write (a reminder enqueued meanwhile by
    // another process is still kept once by its key).
    let keys: Vec<String> = due.iter().map(|(_, _, k, _)| k.clone()).collect();
    let sent = store.enqueued_keys(&keys).await?;
    let mut n = 0u64;
    for (xid, kind, key, data) in due {
        if !sent.contains(&key)
            && store
                .enqueue_event(firm, Some(&xid), kind, &key, &data)
                .await?
        {
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_times_catch_up_once() {
        let leads = [30, 14, 7, 2, 1, 0];
        assert_eq!(lead_for(&leads, 45), None);
        assert_eq!(lead_for(&leads, 30), Some(30));
        assert_eq!(lead_for(&leads, 20), Some(30));
        assert_eq!(lead_for(&leads, 14), Some(14));
        assert_eq!(lead_for(&leads, 3), Some(7));
        assert_eq!(lead_for(&leads, 0), Some(0));
        assert_eq!(lead_for(&leads, -1), None);
    }
}
