//! Notifications (issue 15): each person's e-mail preferences; for administrators the firm's
//! time zone and reminder lead times, its webhook endpoints (the secret shown once), and the
//! deliveries with the dead letters and a button to send one again; the page an unsubscribe
//! link opens. Every change goes through the API's handlers (validated and audited there).

use crate::fmt;
use crate::layout::{Refused, csrf, field_in, from_api, refused_box, shell};
use crate::session::Web;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use likekind_server::AppState;
use likekind_server::error::{ApiError, ApiResult};
use likekind_server::extract::{JsonBody, P};
use likekind_server::notify::api::{
    self, Mode, PrefsPut, SettingsPatch, UnsubscribeQuery, WebhookCreate,
};
use likekind_store::PageReq;
use likekind_store::outbox::{CLIENT_KINDS, EVENT_KINDS, kind_words};
use maud::{Markup, html};

type Pairs = Vec<(String, String)>;

fn get<'a>(f: &'a Pairs, k: &str) -> &'a str {
    f.iter()
        .find(|(n, _)| n == k)
        .map_or("", |(_, v)| v.as_str())
}

fn status_words(s: &str) -> &'static str {
    match s {
        "pending" => "Waiting to be sent",
        "delivered" => "Sent",
        "dead" => "Failed for good",
        _ => "Unknown",
    }
}

/// The forms of the page (where a refusal is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Prefs,
    Settings,
    Webhook,
    /// A button of a list (remove an endpoint, send again): the box at the top.
    Row,
}

/// What the page shows after a change (e.g. the new webhook's secret), or a refused form with
/// what was typed in it.
#[derive(Default)]
struct Notice {
    ok: Option<String>,
    secret: Option<String>,
    refused: Option<(Which, Refused)>,
    typed: Pairs,
}

/// The settings form's and the webhook form's inputs for the API's field paths.
const INPUTS: [(&str, &str); 4] = [
    ("time_zone", "time_zone"),
    ("reminder_days", "reminder_days"),
    ("url", "url"),
    ("description", "description"),
];

async fn body(st: &AppState, w: &Web, n: Notice) -> ApiResult<Markup> {
    let prefs = st.store.notify_prefs(&w.user.firm_id, &w.user.id).await?;
    let kinds: &[&str] = if w.role() == likekind_store::Role::Client {
        CLIENT_KINDS
    } else {
        EVENT_KINDS
    };
    let admin = w.is_admin();
    let settings = st.store.firm_notify_settings(&w.user.firm_id).await?;
    let zone = likekind_server::notify::zone::of_setting(
        settings.time_zone.as_deref(),
        &st.config.time_zone,
    );
    let zone_name = zone.iana_name().unwrap_or("UTC").to_string();
    let (hooks, deliveries, counts) = if admin {
        (
            st.store.list_webhooks(&w.user.firm_id).await?,
            st.store
                .list_deliveries(
                    &w.user.firm_id,
                    None,
                    PageReq {
                        after: None,
                        limit: 50,
                    },
                )
                .await?,
            st.store.count_deliveries(&w.user.firm_id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let dead: Vec<_> = if admin {
        st.store
            .list_deliveries(
                &w.user.firm_id,
                Some("dead"),
                PageReq {
                    after: None,
                    limit: 100,
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let count = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    let err = |which: Which| {
        n.refused
            .as_ref()
            .filter(|(w, _)| *w == which)
            .map(|(_, r)| r)
    };
    // What the refused form held, else what is saved.
    let typed = |which: Which, k: &str, saved: &str| -> String {
        if err(which).is_some() {
            get(&n.typed, k).to_string()
        } else {
            saved.to_string()
        }
    };
    let days = settings
        .reminder_days
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Ok(shell(
        "Notifications",
        Some(w),
        html! {
            h1 { "Notifications" }
            @if let Some(r) = err(Which::Row) { (refused_box(r)) }
            @if let Some(ok) = &n.ok { p.ok role="status" { (ok) } }
            @if let Some(secret) = &n.secret {
                div.card #webhook-secret role="status" {
                    p { strong { "The endpoint's signing secret (shown only now): " } code.secret { (secret) } }
                    p { "Keep it with the receiving system: it checks each request's Likekind-Webhook-Signature header with it." }
                }
            }
            section aria-labelledby="prefs-h" {
                h2 #prefs-h { "Your e-mails" }
                p { "Sent to " strong { (w.user.email) } "." }
                form.card method="post" action="/notifications/preferences" {
                    @if let Some(r) = err(Which::Prefs) { (refused_box(r)) }
                    (csrf(w))
                    fieldset {
                        legend { "Tell me about" }
                        @for k in kinds {
                            label.check {
                                input type="checkbox" name=(format!("ev_{k}")) checked[prefs.events.iter().any(|e| e == k)];
                                " " (kind_words(k))
                            }
                        }
                    }
                    fieldset {
                        legend { "How" }
                        label.check { input type="radio" name="mode" value="immediate" checked[prefs.mode == "immediate"]; " One e-mail as each thing happens" }
                        label.check { input type="radio" name="mode" value="digest" checked[prefs.mode == "digest"]; " One summary a day (7 am)" }
                        label.check { input type="radio" name="mode" value="off" checked[prefs.mode == "off"]; " No e-mails" }
                    }
                    button type="submit" { "Save my e-mail settings" }
                }
            }
            @if admin {
                section aria-labelledby="cal-h" {
                    h2 #cal-h { "The firm's calendar and reminders" }
                    p #firm-today { "The firm's day follows " strong { (zone_name) } ": today is " strong { (fmt::date(st.today())) } ". Deadlines, days left and reminders count on this calendar." }
                    form.card method="post" action="/notifications/settings" {
                        @if let Some(r) = err(Which::Settings) { (refused_box(r)) }
                        (csrf(w))
                        (field_in(err(Which::Settings), "Time zone", "time_zone", "text", &typed(Which::Settings, "time_zone", settings.time_zone.as_deref().unwrap_or("")), Some("A name such as America/Los_Angeles or America/New_York; empty for the server's default.")))
                        (field_in(err(Which::Settings), "Reminder days before each deadline", "reminder_days", "text", &typed(Which::Settings, "reminder_days", &days), Some("Whole days, separated by commas, e.g. 30, 14, 7, 2, 1, 0 (0 is the day itself).")))
                        button type="submit" { "Save the calendar settings" }
                    }
                }
                section aria-labelledby="hooks-h" {
                    h2 #hooks-h { "Webhooks" }
                    @if hooks.is_empty() { p.empty { "No webhook endpoints: other systems are not told." } } @else {
                        div.scroll tabindex="0" role="region" aria-label="Webhooks, table" { table #webhooks {
                            thead { tr { th scope="col" { "Address" } th scope="col" { "For" } th scope="col" { "Added" } th scope="col" { span.visually-hidden { "Remove" } } } }
                            tbody { @for h in &hooks { tr {
                                td { (h.url) }
                                td { (h.description) }
                                td { (fmt::date_str(&h.created_at)) }
                                td { form.inline method="post" action=(format!("/notifications/webhooks/{}/delete", h.id)) {
                                    (csrf(w)) button.link type="submit" { "Remove" }
                                } }
                            } } }
                        } }
                    }
                    form.card method="post" action="/notifications/webhooks" {
                        @if let Some(r) = err(Which::Webhook) { (refused_box(r)) }
                        (csrf(w))
                        (field_in(err(Which::Webhook), "Endpoint address", "url", "url", &typed(Which::Webhook, "url", ""), Some("https://... Every notification of the firm is POSTed there as JSON, signed.")))
                        (field_in(err(Which::Webhook), "What it is for", "description", "text", &typed(Which::Webhook, "description", ""), None))
                        button type="submit" { "Add the endpoint" }
                    }
                }
                section aria-labelledby="dead-h" {
                    h2 #dead-h { "Failed deliveries" }
                    p { (count("pending")) " waiting, " (count("delivered")) " sent, " (count("dead")) " failed for good (retried for 24 hours first)." }
                    @if dead.is_empty() { p.empty #no-dead { "Nothing failed for good." } } @else {
                        div.scroll tabindex="0" role="region" aria-label="Deliveries that failed, table" { table #dead-letters {
                            thead { tr { th scope="col" { "What" } th scope="col" { "Exchange" } th scope="col" { "To" } th scope="col" { "Tries" } th scope="col" { "Last problem" } th scope="col" { span.visually-hidden { "Send again" } } } }
                            tbody { @for d in &dead { tr {
                                td { (kind_words(&d.event)) }
                                td { (d.exchange_name.clone().unwrap_or_default()) }
                                td { (if d.channel == "email" { "E-mail to " } else { "Webhook to " }) (d.to) }
                                td.num { (d.attempts) }
                                td { (d.last_error.clone().unwrap_or_default()) }
                                td { form.inline method="post" action=(format!("/notifications/deliveries/{}/retry", d.id)) {
                                    (csrf(w)) button.link type="submit" { "Send again" }
                                } }
                            } } }
                        } }
                    }
                    h3 { "Latest deliveries" }
                    @if deliveries.is_empty() { p.empty { "Nothing sent yet." } } @else {
                        div.scroll tabindex="0" role="region" aria-label="Deliveries, table" { table #deliveries {
                            thead { tr { th scope="col" { "Date" } th scope="col" { "What" } th scope="col" { "Exchange" } th scope="col" { "To" } th scope="col" { "Where it stands" } } }
                            tbody { @for d in &deliveries { tr {
                                td { (fmt::date_str(&d.created_at)) }
                                td { (kind_words(&d.event)) }
                                td { (d.exchange_name.clone().unwrap_or_default()) }
                                td { (if d.channel == "email" { "E-mail to " } else { "Webhook to " }) (d.to) }
                                td { (status_words(&d.status)) @if d.status == "pending" { @if let Some(e) = &d.last_error { " (" (e) ")" } } }
                            } } }
                        } }
                    }
                }
            }
        },
    ))
}

async fn render(st: &AppState, w: &Web, n: Notice, status: axum::http::StatusCode) -> Response {
    match body(st, w, n).await {
        Ok(m) => (status, m).into_response(),
        Err(e) => from_api(e),
    }
}

async fn done(
    st: &AppState,
    w: &Web,
    which: Which,
    typed: Pairs,
    r: ApiResult<Option<String>>,
) -> Response {
    match r {
        Ok(None) => Redirect::to("/notifications").into_response(),
        Ok(Some(secret)) => {
            render(
                st,
                w,
                Notice {
                    ok: Some("The endpoint was added.".into()),
                    secret: Some(secret),
                    ..Notice::default()
                },
                axum::http::StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let status = e.status;
            render(
                st,
                w,
                Notice {
                    refused: Some((which, Refused::of(&e, &INPUTS))),
                    typed,
                    ..Notice::default()
                },
                status,
            )
            .await
        }
    }
}

/// `GET /notifications`.
pub async fn page(State(st): State<AppState>, w: Web) -> Response {
    render(&st, &w, Notice::default(), axum::http::StatusCode::OK).await
}

/// `POST /notifications/preferences`.
pub async fn prefs_post(State(st): State<AppState>, w: Web, Form(f): Form<Pairs>) -> Response {
    if let Err(r) = w.verify(get(&f, "_csrf")) {
        return r;
    }
    let events = f
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("ev_"))
        .filter_map(api::EventKind::parse)
        .collect();
    let mode = match get(&f, "mode") {
        "digest" => Mode::Digest,
        "off" => Mode::Off,
        _ => Mode::Immediate,
    };
    let r = api::put_prefs(
        State(st.clone()),
        w.auth(),
        JsonBody(PrefsPut { events, mode }),
    )
    .await
    .map(|_| None);
    done(&st, &w, Which::Prefs, f, r).await
}

/// `POST /notifications/settings` (admin).
pub async fn settings_post(State(st): State<AppState>, w: Web, Form(f): Form<Pairs>) -> Response {
    if let Err(r) = w.verify(get(&f, "_csrf")) {
        return r;
    }
    let r = async {
        let mut days = Vec::new();
        let mut bad = Vec::new();
        for part in get(&f, "reminder_days")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<i64>() {
                Ok(d) => days.push(d),
                Err(_) => bad.push(format!("{part:?}")),
            }
        }
        if !bad.is_empty() {
            // Every problem at once: all the days that are not numbers, and the time zone.
            let mut fields = Vec::new();
            let tz = get(&f, "time_zone").trim();
            if !tz.is_empty()
                && let Err(m) = likekind_server::notify::zone::parse(tz)
            {
                fields.extend(ApiError::field("time_zone", "time_zone", m).detail.fields);
            }
            let what = if bad.len() == 1 {
                format!("{} is not a whole number of days", bad.join(""))
            } else {
                format!("{} are not whole numbers of days", bad.join(", "))
            };
            fields.extend(
                ApiError::field("reminder_days", "integer", what)
                    .detail
                    .fields,
            );
            return Err(ApiError::fields("the settings have problems", fields));
        }
        api::patch_settings(
            State(st.clone()),
            w.permitted()?,
            JsonBody(SettingsPatch {
                time_zone: Some(get(&f, "time_zone").to_string()),
                reminder_days: Some(days),
            }),
        )
        .await
        .map(|_| None)
    }
    .await;
    done(&st, &w, Which::Settings, f, r).await
}

/// `POST /notifications/webhooks` (admin): the page then shows the secret once.
pub async fn webhook_post(State(st): State<AppState>, w: Web, Form(f): Form<Pairs>) -> Response {
    if let Err(r) = w.verify(get(&f, "_csrf")) {
        return r;
    }
    let r = async {
        api::create_webhook(
            State(st.clone()),
            w.permitted()?,
            JsonBody(WebhookCreate {
                url: get(&f, "url").to_string(),
                description: Some(get(&f, "description").to_string()),
            }),
        )
        .await
    }
    .await
    .map(|(_, j)| Some(j.0.secret));
    done(&st, &w, Which::Webhook, f, r).await
}

/// `POST /notifications/webhooks/{wid}/delete` (admin).
pub async fn webhook_delete(
    State(st): State<AppState>,
    w: Web,
    Path(wid): Path<String>,
    Form(f): Form<Pairs>,
) -> Response {
    if let Err(r) = w.verify(get(&f, "_csrf")) {
        return r;
    }
    let r = match w.permitted() {
        Ok(p) => api::delete_webhook(State(st.clone()), p, P(wid)).await,
        Err(e) => Err(e),
    }
    .map(|_| None);
    done(&st, &w, Which::Row, Pairs::new(), r).await
}

/// `POST /notifications/deliveries/{did}/retry` (admin).
pub async fn retry_post(
    State(st): State<AppState>,
    w: Web,
    Path(did): Path<String>,
    Form(f): Form<Pairs>,
) -> Response {
    if let Err(r) = w.verify(get(&f, "_csrf")) {
        return r;
    }
    let r = async {
        api::retry_delivery(State(st.clone()), w.permitted()?, P(did))
            .await
            .map(|_| None)
    }
    .await;
    done(&st, &w, Which::Row, Pairs::new(), r).await
}

/// `GET /notifications/unsubscribe`: what the e-mail's link opens (no login): one button.
/// Opening the link changes nothing (mail scanners open links); the button does.
pub async fn unsubscribe_page(Query(q): Query<UnsubscribeQuery>) -> Response {
    let action = format!(
        "/notifications/unsubscribe?user={}&event={}&sig={}",
        q.user, q.event, q.sig
    );
    let what = if q.event == "all" {
        "all notification e-mails".to_string()
    } else {
        format!("e-mails about: {}", kind_words(&q.event).to_lowercase())
    };
    shell(
        "Unsubscribe",
        None,
        html! {
            h1 { "Unsubscribe" }
            p { "Stop " (what) "?" }
            form.card method="post" action=(action) {
                button type="submit" { "Unsubscribe" }
            }
        },
    )
    .into_response()
}

/// `POST /notifications/unsubscribe`: applies a signed link.
pub async fn unsubscribe_post(
    State(st): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Response {
    match api::do_unsubscribe(&st, &q).await {
        Ok(m) => shell(
            "Unsubscribed",
            None,
            html! {
                h1 { "Unsubscribed" }
                p #unsubscribed role="status" { (m) }
                p { "You can choose again under Notifications after logging in." }
            },
        )
        .into_response(),
        Err(e) => from_api(e),
    }
}
