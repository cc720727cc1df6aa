//! The audit log (staff only, the API's rule): the firm-wide log with filters (person,
//! exchange, kind of change, days) at `/audit`, and the same for one exchange at
//! `/exchanges/{id}/audit`. Entries are in words: people's names, what was done, the fields
//! that changed with amounts as $1,234.56 and dates as Nov 15, 2026, at the firm's local time.
//! A page holds a bounded number of entries; "Older changes" continues below the last one
//! (keyset), so the log of a firm with a million exchanges opens as fast as a new firm's.

use crate::fmt;
use crate::layout::{Refused, field_in, from_api, refused_box, select_in, shell};
use crate::session::Web;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use likekind_server::AppState;
use likekind_server::audit::{AuditQuery, firm_audit};
use likekind_server::exchanges::load;
use likekind_server::extract::Q;
use likekind_store::AuditEntry;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// Entries per page.
const PAGE: i64 = 50;

/// The kinds of change a person can filter by: (the API's kind, words).
pub const KINDS: [(&str, &str); 10] = [
    ("exchange", "Exchanges (opened, changed, closed)"),
    ("ledger", "Money held (ledger and approvals)"),
    ("notice", "Identification notices"),
    ("document", "Documents"),
    ("party", "Parties"),
    ("user", "People and passwords"),
    ("token", "API tokens"),
    ("firm", "Firm settings"),
    ("webhook", "Webhooks"),
    ("notification", "Notifications"),
];

/// An audit action in words.
pub fn action_word(action: &str, entity: &str) -> String {
    let whole = match action {
        "exchange.create" => "exchange opened",
        "exchange.import" => "exchange imported",
        "exchange.update" => "exchange file changed",
        "exchange.event" => "closing or event recorded",
        "exchange.close" => "exchange closed",
        "exchange.reopen" => "exchange reopened",
        "ledger.post" => "money posted to the ledger",
        "ledger.post.override" => "money released early by an administrator, with a reason",
        "ledger.refused" => "payment refused by a rule: no money moved",
        "ledger.approval.request" => "payment waiting for a second person's approval",
        "ledger.approval.approve" => "payment approved",
        "ledger.approval.reject" => "payment refused",
        "notice.submit" => "identification notice submitted",
        "notice.sign" => "identification notice signed",
        "notice.revoke" => "identification notice revoked",
        "notice.paper" => "signed paper identification notice recorded",
        "document.upload" => "document uploaded",
        "party.create" => "party added",
        "user.create" => "person added",
        "user.role" => "role changed",
        "user.deactivate" => "account switched off",
        "user.reactivate" => "account switched back on",
        "user.reset_link" => "password reset link made",
        "user.password_reset" => "password reset",
        "token.create" => "API token made",
        "token.revoke" => "API token revoked",
        "firm.create" => "firm created",
        "firm.update" => "firm settings changed",
        "firm.notifications" => "notification settings changed",
        "notification.preferences" => "notification choices changed",
        "notification.retry" => "notification sent again",
        "webhook.create" => "webhook added",
        "webhook.delete" => "webhook removed",
        _ => "",
    };
    if !whole.is_empty() {
        return whole.to_string();
    }
    let verb = match action.rsplit('.').next().unwrap_or(action) {
        "create" | "insert" => "created",
        "update" => "changed",
        "delete" => "deleted",
        _ => return fmt::code(action).to_lowercase(),
    };
    format!("{} {verb}", fmt::code(entity).to_lowercase())
}

/// The instant of an entry at the firm's local time: ("Dec 3, 2026", "6:13 AM EST").
pub fn local_time(at: &str, zone: &TimeZone) -> (String, String) {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = t.to_zoned_datetime(zone.clone());
            (fmt::date(z.date()), z.strftime("%-I:%M %p %Z").to_string())
        }
        Err(_) => (fmt::date_str(at), String::new()),
    }
}

/// Keys that are machine references, not facts a person reads.
fn hidden(key: &str) -> bool {
    key == "id"
        || key.ends_with("_id") && !is_person(key)
        || key.ends_with("_hash")
        || key == "file"
        || key == "csrf"
        || key == "secret"
        || key == "token"
        || key == "sha256"
        || key == "version"
        || key == "storage_key"
        || key == "seq"
}

fn is_person(key: &str) -> bool {
    matches!(
        key,
        "actor_id"
            | "user_id"
            | "client_id"
            | "coordinator_id"
            | "requested_by"
            | "decided_by"
            | "approved_by"
            | "created_by"
            | "posted_by"
    )
}

/// Facts a person wrote (names, descriptions, notes): shown as written, a date inside them
/// included.
fn own_words(key: &str) -> bool {
    matches!(
        key,
        "name"
            | "description"
            | "memo"
            | "note"
            | "reason"
            | "override_reason"
            | "title"
            | "email"
            | "address"
            | "legal_description"
            | "relationship"
            | "taxpayer"
            | "filename"
            | "url"
            | "closing_paid"
            | "refusal"
    )
}

/// Amounts of the exchange file, written as plain numbers (`"500000"`).
fn money_key(key: &str) -> bool {
    matches!(
        key,
        "sale_price"
            | "adjusted_basis"
            | "depreciation_allowed"
            | "additional_depreciation"
            | "section1245_depreciation"
            | "liabilities_relieved"
            | "liabilities_assumed"
            | "liabilities_assumed_by_buyer"
            | "exchange_expenses"
            | "other_closing_costs"
            | "cash_received"
            | "cash_paid"
            | "fmv"
            | "price"
            | "personal_property"
            | "land_value"
            | "amount"
    ) || key.contains("amount")
        || key.contains("price")
        || key.contains("threshold")
        || key.contains("fmv")
}

/// A whole value that is a date (`2026-03-02`) or an instant (RFC 3339), not text that
/// starts with one.
fn is_date(s: &str) -> bool {
    s.get(..10)
        .is_some_and(|d| d.parse::<jiff::civil::Date>().is_ok())
        && (s.len() == 10 || s.parse::<jiff::Timestamp>().is_ok())
}

/// One value in words: money (`*_cents`, amounts), dates, people, yes/no; what a person wrote
/// as written.
fn value_words(key: &str, v: &Value, names: &HashMap<String, String>) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) if key.ends_with("_cents") || key == "amount" => {
            n.as_i64().map_or_else(|| n.to_string(), fmt::cents)
        }
        Value::Number(n) if key == "size" || key.ends_with("_bytes") => {
            n.as_i64().map_or_else(|| n.to_string(), fmt::bytes)
        }
        Value::Number(n) => n.as_i64().map_or_else(|| n.to_string(), fmt::count),
        // A payment's approval (see `changes`).
        Value::String(s) if key == "decision" => match s.as_str() {
            "pending" => "waiting for a second person",
            "approved" => "approved",
            _ => "refused",
        }
        .into(),
        Value::String(s) if (key == "phase" || key == "status") && fmt::status(s) != "Unknown" => {
            fmt::status(s).to_string()
        }
        Value::String(s) if is_person(key) || key.ends_with("_by") => {
            names.get(s).cloned().unwrap_or_else(|| "someone".into())
        }
        Value::String(s) if own_words(key) => s.clone(),
        // A posting's, event's or document's kind (`disbursement`, `relinquished_closed`).
        Value::String(s) if key == "kind" => fmt::code(s),
        Value::String(s) => {
            if is_date(s) {
                fmt::date_str(s)
            } else if let Ok(d) = fmt::parse_usd(s).map_err(|_| ())
                && money_key(key)
            {
                fmt::usd(d)
            } else {
                fmt::words(s)
            }
        }
        Value::Array(a) => format!("{} item{}", a.len(), if a.len() == 1 { "" } else { "s" }),
        Value::Object(_) => "details".into(),
    }
}

/// The facts of two exchange files that differ, each by its path in the file
/// (`relinquished[0].sale_price`): (path, before, after), leaves only.
fn file_diff(path: &str, b: Option<&Value>, a: Option<&Value>, out: &mut Vec<FileChange>) {
    match (b, a) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                file_diff(&p, x.get(k), y.get(k), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                file_diff(&format!("{path}[{i}]"), x.get(i), y.get(i), out);
            }
        }
        (x, y) if x != y => out.push((path.to_string(), x.cloned(), y.cloned())),
        _ => {}
    }
}

/// (path in the file, before, after).
type FileChange = (String, Option<Value>, Option<Value>);

/// A record of the file added or removed, in words: its name or description.
fn record_words(v: &Value) -> String {
    ["description", "name", "id"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .map_or_else(|| "details".to_string(), str::to_string)
}

/// What changed in the exchange file, fact by fact, in words: "The first relinquished
/// property's sale price: $500,000.00 → $520,000.00".
fn file_changes(
    before: Option<&Value>,
    after: Option<&Value>,
    names: &HashMap<String, String>,
) -> Vec<(String, Option<String>, Option<String>)> {
    let mut diff = Vec::new();
    file_diff("", before, after, &mut diff);
    diff.into_iter()
        .map(|(path, b, a)| {
            let leaf = path
                .rsplit('.')
                .next()
                .unwrap_or(&path)
                .split('[')
                .next()
                .unwrap_or("")
                .to_string();
            let words = |v: &Value| match v {
                Value::Object(_) => record_words(v),
                v => value_words(&leaf, v, names),
            };
            (
                upper(
                    fmt::field(&path)
                        .strip_prefix("the ")
                        .unwrap_or(&fmt::field(&path)),
                ),
                b.as_ref().map(words),
                a.as_ref().map(words),
            )
        })
        .collect()
}

/// What changed, field by field, in words: (field, before, after). A change of the exchange
/// file lists the facts of the file that changed.
pub fn changes(
    before: Option<&Value>,
    after: Option<&Value>,
    names: &HashMap<String, String>,
) -> Vec<(String, Option<String>, Option<String>)> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    // A payment's approval or refusal keeps the approval as it became under `approval` and
    // the posting it made under `posting`: the approval is compared with itself, and the
    // posting shows as the balance it left.
    let decided;
    let (b, a) = match a.get("approval") {
        Some(Value::Object(ap)) if !b.contains_key("approval") => {
            // Its status is the decision (not an exchange's status).
            let decision = |m: &serde_json::Map<String, Value>| {
                let mut m = m.clone();
                if let Some(s) = m.remove("status") {
                    m.insert("decision".into(), s);
                }
                m
            };
            let mut after = decision(ap);
            if let Some(bal) = a.get("posting").and_then(|p| p.get("balance_after_cents")) {
                after.insert("balance_cents".into(), bal.clone());
            }
            decided = (decision(b), after);
            (&decided.0, &decided.1)
        }
        _ => (b, a),
    };
    // A posting's entry keeps the balance before it and the balance after it under two
    // names: one change of the balance, not a balance removed and another added.
    let posted;
    let a = if b.contains_key("balance_cents")
        && !a.contains_key("balance_cents")
        && a.contains_key("balance_after_cents")
    {
        let mut m = a.clone();
        if let Some(v) = m.remove("balance_after_cents") {
            m.insert("balance_cents".into(), v);
        }
        posted = m;
        &posted
    } else {
        a
    };
    // Nothing said of a field empty on both sides (a new posting's reason, approver, note).
    let blank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(t)) => t.trim().is_empty(),
        _ => false,
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let file = if before.is_some() && b.get("file") != a.get("file") {
        file_changes(b.get("file"), a.get("file"), names)
    } else {
        Vec::new()
    };
    let fields: Vec<_> = keys
        .into_iter()
        .filter(|k| !hidden(k))
        // Nested records (a whole exchange file, a notice's properties) are not listed
        // field by field here.
        .filter(|k| {
            !b.get(*k).is_some_and(Value::is_object) && !a.get(*k).is_some_and(Value::is_object)
        })
        .filter(|k| b.get(*k) != a.get(*k) || before.is_none())
        .filter(|k| !(blank(b.get(*k)) && blank(a.get(*k))))
        .map(|k| {
            let label = if k == "closing_paid" {
                "purchase closing paid".to_string()
            } else if k == "accepted" {
                // A notice's judgement when it was submitted.
                "judged valid by the engine".to_string()
            } else {
                fmt::field(k.trim_end_matches("_cents"))
            };
            let label = label.strip_prefix("the ").unwrap_or(&label).to_string();
            let mut c = label.chars();
            let label = c
                .next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default();
            (
                label,
                b.get(k).map(|v| value_words(k, v, names)),
                a.get(k).map(|v| value_words(k, v, names)),
            )
        })
        .collect();
    fields
        .into_iter()
        .chain(event_date(a))
        .chain(notice_facts(b.get("notice"), a.get("notice"), names))
        .chain(revocation_facts(a.get("revocation")))
        .chain(file)
        .collect()
}

/// A notice's status in words.
fn notice_status(s: &str) -> String {
    match s {
        "submitted" => "waiting for the client's signature".into(),
        "signed" => "signed".into(),
        "revoked" => "revoked".into(),
        other => fmt::words(other),
    }
}

/// Which identification notice an entry is about, in words: "Notice of Nov 10, 2026 naming
/// 12 Elm St, Austin TX; 3 Ash Ave, Austin TX".
fn notice_words(n: &Value) -> String {
    let date = n
        .get("identified_on")
        .and_then(Value::as_str)
        .map_or_else(|| "an unknown date".to_string(), fmt::date_str);
    let kind = if n.get("kind").and_then(Value::as_str) == Some("paper") {
        "Signed paper notice"
    } else {
        "Notice"
    };
    let props: Vec<String> = n
        .get("properties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(record_words)
        .collect();
    if props.is_empty() {
        format!("{kind} of {date}")
    } else {
        format!("{kind} of {date} naming {}", props.join("; "))
    }
}

/// The facts of an identification notice's entry (signed, revoked) kept in its `notice`
/// record, which is not listed field by field: which notice (its date and the properties it
/// names), its status before and after, who signed it, and the date of a written revocation.
fn notice_facts(
    before: Option<&Value>,
    after: Option<&Value>,
    names: &HashMap<String, String>,
) -> Vec<(String, Option<String>, Option<String>)> {
    let Some(n) = after.filter(|n| n.is_object()) else {
        return Vec::new();
    };
    let get = |v: Option<&Value>, k: &str| {
        v.and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut out = vec![("Notice".to_string(), None, Some(notice_words(n)))];
    let (sb, sa) = (get(before, "status"), get(Some(n), "status"));
    if sb != sa {
        out.push((
            "Status of the notice".to_string(),
            sb.as_deref().map(notice_status),
            sa.as_deref().map(notice_status),
        ));
    }
    if let Some(by) = get(Some(n), "signed_by")
        && get(before, "signed_by").is_none()
        && n.get("kind").and_then(Value::as_str) != Some("paper")
    {
        out.push((
            "Signed by".to_string(),
            None,
            Some(names.get(&by).cloned().unwrap_or_else(|| "someone".into())),
        ));
    }
    if let Some(on) = get(Some(n), "revoked_on")
        && get(before, "revoked_on").is_none()
    {
        out.push((
            "Date of the written revocation".to_string(),
            None,
            Some(fmt::date_str(&on)),
        ));
    }
    out
}

/// What staff recorded with a signed paper revocation (kept in the entry's `revocation`
/// record, not listed field by field): who received it, its scan, and an administrator's
/// reason for letting held funds go earlier (Treas. Reg. §1.1031(k)-1(c)(6), (g)(6)).
fn revocation_facts(r: Option<&Value>) -> Vec<(String, Option<String>, Option<String>)> {
    let Some(r) = r.filter(|r| r.is_object()) else {
        return Vec::new();
    };
    let get = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::new();
    if let Some(who) = get("received_by") {
        out.push(("Signed revocation received by".to_string(), None, Some(who)));
    }
    if get("document_id").is_some() {
        out.push((
            "Scanned signed revocation".to_string(),
            None,
            Some("among the exchange's documents".to_string()),
        ));
    }
    if let Some(why) = get("override_reason") {
        out.push((
            "Reason for letting held funds go earlier".to_string(),
            None,
            Some(why),
        ));
    }
    out
}

/// The date of a recorded event (kept inside the entry's event record, which is not listed
/// field by field): "Date the sale closed: Nov 10, 2026".
fn event_date(
    a: &serde_json::Map<String, Value>,
) -> Option<(String, Option<String>, Option<String>)> {
    let ev = a.get("event")?;
    let on = ev.get("on_date").and_then(Value::as_str)?;
    let label = match ev.get("kind").and_then(Value::as_str) {
        Some("relinquished_closed") => "Date the sale closed",
        Some("replacement_closed") => "Date the purchase closed",
        Some("completed" | "failed") => "Date closed",
        _ => "Date",
    };
    Some((label.to_string(), None, Some(fmt::date_str(on))))
}

/// The filters of the page (the API's, as a form sends them).
#[derive(Debug, Default, Deserialize, Clone)]
pub struct Filters {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub exchange: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub after: String,
}

impl Filters {
    fn query(&self, exchange: Option<&str>) -> AuditQuery {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        AuditQuery {
            person: opt(&self.person),
            exchange: exchange.map(str::to_string).or_else(|| opt(&self.exchange)),
            kind: opt(&self.kind),
            from: opt(&self.from),
            to: opt(&self.to),
            limit: Some(PAGE),
            after: opt(&self.after),
        }
    }

    /// The address of the next page (the same filters, below `next`).
    fn next_href(&self, base: &str, next: &str) -> String {
        let mut q: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("person", &self.person),
            ("exchange", &self.exchange),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.trim().is_empty() {
                q.push((k, v.trim()));
            }
        }
        q.push(("after", next));
        let enc: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("{base}?{}", enc.join("&"))
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The filter form's inputs for the API's paths.
const INPUTS: [(&str, &str); 3] = [("from", "from"), ("to", "to"), ("kind", "kind")];

/// `GET /audit`: the firm's audit log.
pub async fn firm_page(State(st): State<AppState>, w: Web, Query(f): Query<Filters>) -> Response {
    render(&st, &w, &f, None).await
}

/// `GET /exchanges/{id}/audit`: the audit log of one exchange.
pub async fn page(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Query(f): Query<Filters>,
) -> Response {
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    render(&st, &w, &f, Some((&id, &ex.name))).await
}

async fn render(st: &AppState, w: &Web, f: &Filters, exchange: Option<(&str, &str)>) -> Response {
    let permitted = match w.permitted() {
        Ok(p) => p,
        Err(e) => return from_api(e),
    };
    let answer = firm_audit(
        State(st.clone()),
        permitted,
        Q(f.query(exchange.map(|(id, _)| id))),
    )
    .await;
    let (entries, next, refused) = match answer {
        Ok(axum::Json(p)) => (p.items, p.next, None),
        Err(e) if e.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY => {
            (Vec::new(), None, Some(Refused::of(&e, &INPUTS)))
        }
        Err(e) => return from_api(e),
    };
    let people = match crate::users::people(st, &w.user.firm_id).await {
        Ok(p) => p,
        Err(e) => return from_api(e),
    };
    let names: HashMap<String, String> = people
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    // The names of the exchanges on this page (at most one lookup per exchange shown).
    let mut exchanges: HashMap<String, String> = HashMap::new();
    if exchange.is_none() {
        for e in &entries {
            if let Some(x) = &e.exchange_id
                && !exchanges.contains_key(x)
            {
                let name = load(st, &w.auth(), x)
                    .await
                    .map_or_else(|_| "an exchange".to_string(), |ex| ex.name);
                exchanges.insert(x.clone(), name);
            }
        }
    }
    // The words of the properties of the exchanges whose disbursements are on this page.
    let mut properties: HashMap<String, HashMap<String, String>> = HashMap::new();
    let no_properties = HashMap::new();
    for e in &entries {
        let pays = |v: &Option<Value>| {
            v.as_ref()
                .is_some_and(|v| v.get("property_id").is_some_and(Value::is_string))
        };
        if let Some(x) = &e.exchange_id
            && (pays(&e.before) || pays(&e.after))
            && !properties.contains_key(x)
        {
            let words = load(st, &w.auth(), x)
                .await
                .map_or_else(|_| HashMap::new(), |ex| property_words(&ex.file));
            properties.insert(x.clone(), words);
        }
    }
    let filtered_exchange = if exchange.is_none() && !f.exchange.trim().is_empty() {
        Some(
            load(st, &w.auth(), f.exchange.trim())
                .await
                .map_or_else(|_| "an exchange".to_string(), |ex| ex.name),
        )
    } else {
        None
    };
    let zone = likekind_server::notify::zone::current(&st.config.time_zone);
    let zone_name = zone.iana_name().unwrap_or("UTC").to_string();
    let base = match exchange {
        Some((id, _)) => format!("/exchanges/{id}/audit"),
        None => "/audit".to_string(),
    };
    let title = match exchange {
        Some((_, name)) => format!("Audit log: {name}"),
        None => "Audit log".to_string(),
    };
    let status = if refused.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/" { "Dashboard" } " › "
            @if let Some((id, name)) = exchange { a href={ "/exchanges/" (id) } { (name) } " › " }
            span { "Audit log" }
        }
        h1 { (title) }
        p.lead { "Every change, newest first, with who made it and what it changed. Times are the firm's (" (zone_name) ")." }
        @if let Some(r) = &refused { (refused_box(r)) }
        (filter_form(f, &base, &people, refused.as_ref(), filtered_exchange.as_deref()))
        @if entries.is_empty() && refused.is_none() { p.empty { "No changes match." } }
        @else if !entries.is_empty() {
            div.scroll tabindex="0" role="region" aria-label="Audit log, table" { table.audit {
                caption { "Changes, newest first" }
                thead { tr {
                    th scope="col" { "When" }
                    th scope="col" { "Who" }
                    @if exchange.is_none() { th scope="col" { "Exchange" } }
                    th scope="col" { "What" }
                } }
                tbody { @for a in &entries {
                    (row(a, &zone, &names, exchange.is_none().then_some(&exchanges), a.exchange_id.as_ref().and_then(|x| properties.get(x)).unwrap_or(&no_properties)))
                } }
            } }
            @if let Some(n) = &next { p { a.button.secondary href=(f.next_href(&base, n)) { "Older changes" } } }
        }
    };
    (status, shell(&title, Some(w), body)).into_response()
}

fn filter_form(
    f: &Filters,
    base: &str,
    people: &[likekind_store::User],
    refused: Option<&Refused>,
    filtered_exchange: Option<&str>,
) -> Markup {
    let kinds: Vec<(&str, &str)> = std::iter::once(("", "Any")).chain(KINDS).collect();
    html! {
        form.card.inline-form method="get" action=(base) {
            div.row {
                div.field {
                    label for="f-person" { "Person" }
                    select #f-person name="person" {
                        option value="" { "Anyone" }
                        @for u in people { option value=(u.id) selected[f.person == u.id] { (u.name) } }
                    }
                }
                (select_in(refused, "Kind of change", "kind", &kinds, &f.kind))
                (field_in(refused, "From", "from", "date", &f.from, None))
                (field_in(refused, "To", "to", "date", &f.to, None))
            }
            @if let Some(name) = filtered_exchange {
                input type="hidden" name="exchange" value=(f.exchange.trim());
                p { "Only the exchange " strong { (name) } ". " a href=(base) { "Show every exchange" } }
            }
            button type="submit" { "Show" }
        }
    }
}

/// A posting's or approval's `property_id` (the purchase closing a disbursement pays) as
/// `closing_paid`, the property's own words: its description in the exchange file, else the
/// name the person gave it. `closings` maps a property's id to those words.
fn closing_in_words(mut v: Value, closings: &HashMap<String, String>) -> Value {
    let Some(o) = v.as_object_mut() else {
        return v;
    };
    if let Some(Value::String(pid)) = o.remove("property_id") {
        let words = closings.get(&pid).cloned().unwrap_or(pid);
        o.insert("closing_paid".into(), Value::String(words));
    }
    // A decided approval keeps the approval under `approval` (see `changes`): the same
    // closing, named the same way on both sides.
    if let Some(ap) = o.remove("approval") {
        o.insert("approval".into(), closing_in_words(ap, closings));
    }
    v
}

/// The words of every property of an exchange file by its id: the description, else the id.
fn property_words(file: &str) -> HashMap<String, String> {
    let Ok(f) = serde_json::from_str::<Value>(file) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    // A replacement's own description wins over its identification's.
    for list in ["identified", "replacement"] {
        for p in f.get(list).and_then(Value::as_array).into_iter().flatten() {
            if let Some(id) = p.get("id").and_then(Value::as_str) {
                let d = p
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|d| !d.is_empty());
                match d {
                    Some(d) => {
                        out.insert(id.to_string(), d.to_string());
                    }
                    None => {
                        out.entry(id.to_string()).or_insert_with(|| id.to_string());
                    }
                }
            }
        }
    }
    out
}

fn row(
    a: &AuditEntry,
    zone: &TimeZone,
    names: &HashMap<String, String>,
    exchanges: Option<&HashMap<String, String>>,
    closings: &HashMap<String, String>,
) -> Markup {
    let (day, time) = local_time(&a.at, zone);
    let who = a
        .actor_id
        .as_ref()
        .and_then(|i| names.get(i))
        .map_or("the system", String::as_str);
    let closing = |v: &Option<Value>| v.clone().map(|v| closing_in_words(v, closings));
    let mut changed = changes(
        closing(&a.before).as_ref(),
        closing(&a.after).as_ref(),
        names,
    );
    if let Some(status) = opened_status(a) {
        for c in &mut changed {
            if c.0 == "Phase" {
                *c = ("Status".to_string(), None, Some(status.to_string()));
            }
        }
    }
    if let Some(phases) = event_phases(a) {
        for c in &mut changed {
            if c.0 == "Phase" {
                *c = phases.clone();
            }
        }
    }
    html! {
        tr {
            td { time datetime=(a.at) { (day) br; small { (time) } } }
            td { (who) }
            @if let Some(ex) = exchanges {
                td { @if let Some(x) = &a.exchange_id {
                    a href={ "/exchanges/" (x) } { (ex.get(x).map_or("an exchange", String::as_str)) }
                } @else { "(the firm)" } }
            }
            td {
                (upper(&action_word(&a.action, &a.entity)))
                @if !changed.is_empty() {
                    details { summary { "What changed" }
                        ul.changes { @for (label, b, af) in &changed { li {
                            strong { (label) } ": "
                            @match (b, af) {
                                (Some(b), Some(af)) => { (b) " → " (af) },
                                (None, Some(af)) => { (af) },
                                (Some(b), None) => { (b) " (removed)" },
                                (None, None) => {},
                            }
                        } } }
                    }
                }
            }
        }
    }
}

/// Where an exchange opened or imported stood when it was: its stored phase is `draft` until
/// a closing is recorded, but a file whose sale has closed (or whose exchange is over) is in
/// its identification period, its acquisition period, completed or failed.
fn opened_status(a: &AuditEntry) -> Option<&'static str> {
    if !matches!(a.action.as_str(), "exchange.create" | "exchange.import") {
        return None;
    }
    let after = a.after.as_ref()?;
    if after.get("phase").and_then(Value::as_str) != Some("draft") {
        return None;
    }
    let file: likekind_core::model::ExchangeFile =
        serde_json::from_value(after.get("file")?.clone()).ok()?;
    let on =
        a.at.parse::<jiff::Timestamp>()
            .ok()?
            .to_zoned_datetime(TimeZone::UTC)
            .date();
    let j = likekind_server::exchanges::judge(&likekind_store::summary::tracked(file));
    Some(fmt::status(likekind_server::exchanges::phase_from(
        likekind_store::Phase::Draft,
        &j,
        on,
    )))
}

/// The phase before and after a recorded event (the sale closing) as the engine derives it
/// from the exchange's file on the event's day, not the stored `draft`: an exchange opened
/// after its sale closed, or failed, was never "Draft: sale not closed". "Failed
/// (unchanged)" when the event did not move it. Entries that kept no file say nothing here.
fn event_phases(a: &AuditEntry) -> Option<(String, Option<String>, Option<String>)> {
    if a.action != "exchange.event" {
        return None;
    }
    let (b, af) = (a.before.as_ref()?, a.after.as_ref()?);
    let phase = |v: &Value| {
        v.get("phase")
            .and_then(Value::as_str)
            .map(likekind_store::Phase::parse)
    };
    let (pb, pa) = (phase(b)?, phase(af)?);
    let file: likekind_core::model::ExchangeFile =
        serde_json::from_value(af.get("file")?.clone()).ok()?;
    let on =
        a.at.parse::<jiff::Timestamp>()
            .ok()?
            .to_zoned_datetime(TimeZone::UTC)
            .date();
    let j = likekind_server::exchanges::judge(&likekind_store::summary::tracked(file));
    let words = |p| {
        let closed = matches!(
            p,
            likekind_store::Phase::Completed | likekind_store::Phase::Failed
        );
        fmt::status(if closed {
            p.as_str()
        } else {
            likekind_server::exchanges::phase_from(p, &j, on)
        })
    };
    let (wb, wa) = (words(pb), words(pa));
    Some(if wb == wa {
        ("Phase".to_string(), None, Some(format!("{wa} (unchanged)")))
    } else {
        (
            "Phase".to_string(),
            Some(wb.to_string()),
            Some(wa.to_string()),
        )
    })
}

fn upper(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// QA: an approved payment's entry listed every field "(removed)", with no decision and
    /// no money moved; a refused one the same.
    #[test]
    fn a_payment_decided_in_words() {
        let names: HashMap<String, String> = [
            ("u-1".to_string(), "Ada Admin".to_string()),
            ("u-2".to_string(), "Cole Coordinator".to_string()),
        ]
        .into();
        let pending = json!({"id": "a-1", "kind": "release", "amount_cents": 15_000_000,
            "posted_on": "2026-12-01", "memo": "to taxpayer", "status": "pending",
            "requested_by": "u-2", "decided_by": null, "posting_id": null,
            "override_reason": null, "property_id": null});
        let mut approved = pending.clone();
        approved["status"] = json!("approved");
        approved["decided_by"] = json!("u-1");
        approved["posting_id"] = json!("p-7");
        let posting = json!({"id": "p-7", "seq": 3, "kind": "release", "amount_cents": 15_000_000,
            "balance_after_cents": 35_000_000, "posted_on": "2026-12-02", "memo": "to taxpayer",
            "approved_by": "u-1", "property_id": null});
        let c = changes(
            Some(&pending),
            Some(&json!({"approval": approved, "posting": posting})),
            &names,
        );
        let text = format!("{c:?}");
        assert!(!text.contains("None)"), "nothing removed: {text}");
        assert!(
            c.contains(&(
                "Decision".to_string(),
                Some("waiting for a second person".to_string()),
                Some("approved".to_string())
            )),
            "{c:?}"
        );
        assert!(
            c.contains(&(
                "Decided by".to_string(),
                Some("none".to_string()),
                Some("Ada Admin".to_string())
            )) || c.contains(&(
                "Decided by".to_string(),
                None,
                Some("Ada Admin".to_string())
            )),
            "{c:?}"
        );
        assert!(text.contains("$350,000.00"), "the balance it left: {text}");
        let mut rejected = pending.clone();
        rejected["status"] = json!("rejected");
        rejected["decided_by"] = json!("u-1");
        let c = changes(
            Some(&pending),
            Some(&json!({"approval": rejected, "posting": null})),
            &names,
        );
        let text = format!("{c:?}");
        assert!(!text.contains("None)"), "nothing removed: {text}");
        assert!(text.contains("\"refused\""), "{text}");
        assert!(!text.contains("Balance"), "no money moved: {text}");
    }

    #[test]
    fn entries_in_words() {
        let names: HashMap<String, String> = [("u-1".to_string(), "Ada Admin".to_string())].into();
        let c = changes(
            None,
            Some(
                &json!({"id": "p-9", "exchange_id": "e-1", "kind": "receipt", "amount_cents": 70_000_000, "posted_on": "2026-03-02", "posted_by": "u-1"}),
            ),
            &names,
        );
        let text = format!("{c:?}");
        assert!(text.contains("$700,000.00"), "{text}");
        assert!(text.contains("Mar 2, 2026"), "{text}");
        assert!(text.contains("Ada Admin"), "{text}");
        assert!(
            !text.contains("70000000") && !text.contains("e-1") && !text.contains("p-9"),
            "{text}"
        );
        assert_eq!(
            action_word("ledger.approval.approve", "approval"),
            "payment approved"
        );
        assert_eq!(
            action_word("thing.update", "some_thing"),
            "some thing changed"
        );
        // A refused payment: what was asked and why not, in words.
        assert_eq!(
            action_word("ledger.refused", "posting"),
            "payment refused by a rule: no money moved"
        );
        let c = changes(
            None,
            Some(
                &json!({"kind": "release", "amount_cents": 100_000, "memo": "to the client", "property_id": null,
                        "value_date": null, "override_reason": null, "refusal": "Exchange funds cannot go to the taxpayer before Sep 1, 2026."}),
            ),
            &names,
        );
        let text = format!("{c:?}");
        assert!(
            text.contains("$1,000.00")
                && text.contains("cannot go to the taxpayer before Sep 1, 2026"),
            "{text}"
        );
        assert!(
            !text.contains("100000") && !text.contains("refusal"),
            "{text}"
        );
        // QA: the sale closing's entry said only the phase; it says the date too.
        let c = changes(
            Some(&json!({"phase": "draft"})),
            Some(
                &json!({"phase": "relinquished_closed", "event": {"id": "v-1", "kind": "relinquished_closed", "on_date": "2026-11-10", "note": "sale closed"}}),
            ),
            &names,
        );
        assert!(
            c.contains(&(
                "Date the sale closed".to_string(),
                None,
                Some("Nov 10, 2026".to_string())
            )),
            "{c:?}"
        );
        // QA: "Identification notice revoked" and "signed" said nothing of the notice or
        // the revocation's date.
        let notice = json!({"id": "n-1", "status": "signed", "identified_on": "2026-11-10",
            "properties": [{"id": "elm", "description": "12 Elm St, Austin TX", "fmv": "400000"}],
            "signed_by": "u-1", "revoked_on": null, "kind": "electronic"});
        let mut revoked = notice.clone();
        revoked["status"] = json!("revoked");
        revoked["revoked_on"] = json!("2026-11-12");
        let c = changes(
            Some(&json!({"notice": notice, "exchange": {"phase": "draft"}})),
            Some(&json!({"notice": revoked, "exchange": {"phase": "draft"}})),
            &names,
        );
        let text = format!("{c:?}");
        assert!(
            text.contains("Notice of Nov 10, 2026 naming 12 Elm St, Austin TX"),
            "{text}"
        );
        assert!(
            c.contains(&(
                "Date of the written revocation".to_string(),
                None,
                Some("Nov 12, 2026".to_string())
            )),
            "{c:?}"
        );
        assert!(text.contains("revoked"), "{text}");
        let mut submitted = notice.clone();
        submitted["status"] = json!("submitted");
        submitted["signed_by"] = json!(null);
        let c = changes(
            Some(&json!({"notice": submitted})),
            Some(&json!({"notice": notice})),
            &names,
        );
        assert!(
            c.contains(&("Signed by".to_string(), None, Some("Ada Admin".to_string()))),
            "{c:?}"
        );
        assert!(format!("{c:?}").contains("Notice of Nov 10, 2026"), "{c:?}");
        let c = changes(
            None,
            Some(&json!({"identified_on": "2026-11-10", "accepted": false})),
            &names,
        );
        assert!(
            c.contains(&(
                "Judged valid by the engine".to_string(),
                None,
                Some("no".to_string())
            )),
            "{c:?}"
        );
        // QA: an exchange opened after its exchange period had ended (failed) showed "Draft:
        // sale not closed → Sale closed" when its sale closing was recorded.
        let file = json!({"taxpayer": {"name": "Pat Doe", "entity": "individual"},
            "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01",
                "transferred": "2026-01-05", "sale_price": "1000000", "adjusted_basis": "400000"}]});
        let entry = AuditEntry {
            id: "a-1".into(),
            exchange_id: Some("e-1".into()),
            actor_id: Some("u-1".into()),
            at: "2026-12-06T17:02:47Z".into(),
            action: "exchange.event".into(),
            entity: "event".into(),
            entity_id: "v-1".into(),
            before: Some(json!({"phase": "draft", "file": file})),
            after: Some(json!({"phase": "relinquished_closed", "file": file,
                "event": {"kind": "relinquished_closed", "on_date": "2026-01-05"}})),
        };
        assert_eq!(
            event_phases(&entry),
            Some((
                "Phase".to_string(),
                None,
                Some("Failed (unchanged)".to_string())
            ))
        );
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(
            local_time("2026-12-03T11:13:49.123456Z", &ny),
            ("Dec 3, 2026".to_string(), "6:13 AM EST".to_string())
        );
    }
}
