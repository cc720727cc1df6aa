//! The words of each notification: a subject, what happened with its date in words, what to
//! do, and a link to the exchange. People read these: no codes, amounts as $1,234.56, dates
//! as Nov 15, 2026.

use jiff::civil::Date;
use serde_json::Value;

/// One notification in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    /// What happened (one paragraph).
    pub what: String,
    /// What to do (one paragraph).
    pub todo: String,
    /// Where to do it.
    pub link: String,
    /// The link's words.
    pub link_words: String,
}

/// A date in words: `Nov 15, 2026`.
pub fn date_words(d: Date) -> String {
    likekind_core::money::format_date(d)
}

/// Cents in dollars: `$1,234.56`.
pub fn money(cents: i64) -> String {
    likekind_core::money::format_usd(rust_decimal::Decimal::new(cents, 2))
}

fn days_words(n: i64) -> String {
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n if n < 0 => format!("{} ago", likekind_core::words::days(-n)),
        n => format!("in {}", likekind_core::words::days(n)),
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// The words of a notification of `kind` with `data` (as the outbox stores it), judged on
/// `today` (the firm's calendar day), linking into `public_url`.
pub fn render(
    kind: &str,
    data: &Value,
    exchange_id: Option<&str>,
    public_url: &str,
    today: Date,
) -> Message {
    let name = match s(data, "exchange_name") {
        "" => "an exchange".to_string(),
        n => format!("\"{n}\""),
    };
    let date: Option<Date> = s(data, "date").parse().ok();
    let on = date
        .map(date_words)
        .unwrap_or_else(|| "an unknown date".into());
    let left = date.map(|d| i64::from((d - today).get_days()));
    let left_words = left.map(days_words).unwrap_or_default();
    let amount = data
        .get("amount_cents")
        .and_then(Value::as_i64)
        .map(money)
        .unwrap_or_else(|| "an amount".into());
    let release = s(data, "posting_kind") == "release";
    // A disbursement names the purchase closing it pays, as the ledger does.
    let toward = match s(data, "closing") {
        "" => String::new(),
        c => format!(" (toward the purchase of {c})"),
    };
    let base = match exchange_id {
        Some(x) => format!("{public_url}/exchanges/{x}"),
        None => format!("{public_url}/"),
    };
    let (subject, what, todo, link) = match kind {
        "deadline_identification" => (
            format!("Identification deadline {left_words} for {name}: {on}"),
            format!(
                "The identification period (day 45) of {name} ends on {on}, {left_words}."
            ),
            "Identify the replacement property in a signed written notice delivered to the intermediary by the end of that day.".to_string(),
            format!("{base}/identify"),
        ),
        "deadline_exchange" => (
            format!("Exchange period ends {left_words} for {name}: {on}"),
            format!("The exchange period (day 180) of {name} ends on {on}, {left_words}."),
            "Receive the identified replacement property by the end of that day; property received later does not count.".to_string(),
            base.clone(),
        ),
        "notice_awaiting_signature" => (
            format!("Identification notice awaiting signature for {name}"),
            format!("An identification notice dated {on} for {name} is waiting for the client's signature."),
            "Review the properties it names and sign it before the identification period ends.".to_string(),
            format!("{base}/identify"),
        ),
        "approval_awaiting" => {
            let what = if release { "release to the taxpayer" } else { "disbursement" };
            (
                format!("A {what} of {amount} awaits a second approval for {name}"),
                format!("A {what} of {amount}{toward} from the funds of {name} was requested on {on} and waits for a second person's approval."),
                "Review it in the ledger and approve or reject it; the person who requested it cannot approve it.".to_string(),
                format!("{base}/ledger"),
            )
        }
        "funds_released" => {
            let what = if release {
                format!("{amount} was released to the taxpayer from the funds of {name} on {on}.")
            } else {
                format!("{amount} was disbursed from the funds of {name} on {on}{toward}.")
            };
            (
                format!("{amount} {} for {name}", if release { "released" } else { "disbursed" }),
                what,
                "Check the ledger entry; nothing else needs doing unless it is not what you expected.".to_string(),
                format!("{base}/ledger"),
            )
        }
        "funds_idle" => (
            format!("Funds still held for {name} after {on}"),
            format!("{name} still holds {amount}, though the funds could go back to the taxpayer from {on}."),
            "Release or disburse the remaining funds, or record why they stay.".to_string(),
            format!("{base}/ledger"),
        ),
        "related_party_window" => (
            format!("Related-party two-year window ends {left_words} for {name}: {on}"),
            format!("The two-year related-party window of {name} ends on {on}, {left_words}."),
            "A sale of the exchanged property by either party before that day (without an exception such as a death) makes the deferred gain taxable; from that day on it no longer does.".to_string(),
            base.clone(),
        ),
        "oz_window" => (
            format!("Opportunity Zone window ends {left_words} for {name}: {on}"),
            format!("The 180-day window to invest the recognized gain of {name} in a Qualified Opportunity Fund ends on {on}, {left_words} (counted from the transfer of the relinquished property)."),
            "If the taxpayer wants to defer that gain, the investment must be made by the end of that day; ask a tax adviser.".to_string(),
            base.clone(),
        ),
        "document_uploaded" => {
            let file = match s(data, "filename") {
                "" => "A document".to_string(),
                f => format!("\"{f}\""),
            };
            (
                format!("Document uploaded for {name}"),
                format!("{file} was uploaded to {name} on {on}."),
                "Review the document.".to_string(),
                base.clone(),
            )
        }
        _ => (
            format!("News about {name}"),
            format!("Something changed in {name} on {on}."),
            "Open the exchange to see it.".to_string(),
            base.clone(),
        ),
    };
    Message {
        subject,
        what,
        todo,
        link,
        link_words: format!("Open {name}"),
    }
}

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    /// QA: an e-mail said a count of days as a bare number ("in 1096 days"); it groups the
    /// thousands as the pages and the PDFs do.
    #[test]
    fn day_counts_are_grouped() {
        assert_eq!(days_words(1096), "in 1,096 days");
        assert_eq!(days_words(-4175), "4,175 days ago");
        assert_eq!(days_words(2), "in 2 days");
        let today: Date = "2026-11-08".parse().unwrap();
        let m = render(
            "related_party_window",
            &json!({"exchange_name": "Elm St", "date": "2029-11-08"}),
            Some("x1"),
            "https://qi.example",
            today,
        );
        assert!(m.subject.contains("in 1,096 days"), "{}", m.subject);
    }

    #[test]
    fn words_not_codes() {
        let today: Date = "2026-11-08".parse().unwrap();
        let m = render(
            "deadline_identification",
            &json!({"exchange_name": "Elm St", "date": "2026-11-15"}),
            Some("x1"),
            "https://qi.example",
            today,
        );
        assert_eq!(
            m.subject,
            "Identification deadline in 7 days for \"Elm St\": Nov 15, 2026"
        );
        assert_eq!(m.link, "https://qi.example/exchanges/x1/identify");
        let m = render(
            "funds_released",
            &json!({"exchange_name": "Elm St", "date": "2026-11-08", "amount_cents": 123456, "posting_kind": "release"}),
            Some("x1"),
            "https://qi.example",
            today,
        );
        assert_eq!(m.subject, "$1,234.56 released for \"Elm St\"");
        assert!(m.what.contains("Nov 8, 2026"), "{}", m.what);
        // A disbursement names the purchase closing it pays.
        let closing = "12 Elm St, Austin TX, closed Nov 2, 2026";
        for kind in ["funds_released", "approval_awaiting"] {
            let m = render(
                kind,
                &json!({"exchange_name": "Elm St", "date": "2026-11-08", "amount_cents": 123456, "posting_kind": "disbursement", "closing": closing}),
                Some("x1"),
                "https://qi.example",
                today,
            );
            assert!(
                m.what
                    .contains(&format!("(toward the purchase of {closing})")),
                "{kind}: {}",
                m.what
            );
        }
    }
}
