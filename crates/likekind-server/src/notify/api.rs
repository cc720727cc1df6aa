//! The notification operations: the firm's settings (time zone, reminder lead times), each
//! person's preferences, one-click unsubscribe, webhook endpoints, and the deliveries
//! (dead letters listed and retried).

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, JsonBody, P, Q};
use crate::permit::{
    ChangeNotificationSettings, ManageWebhooks, Permitted, ReadNotificationSettings,
    RetryDeliveries, SeeDeliveries,
};
use crate::{AppState, Page, PageQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use likekind_store::Role;
use likekind_store::outbox::{
    CLIENT_KINDS, Delivery, EVENT_KINDS, FirmNotifySettings, Prefs, WebhookEndpoint,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The notification operations, for [`crate::routes`].
pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa::OpenApi;
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::with_openapi(NotifyDoc::openapi())
        .routes(routes!(get_settings, patch_settings))
        .routes(routes!(get_prefs, put_prefs))
        .routes(routes!(unsubscribe))
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(retry_delivery))
}

/// The schemas only parameters refer to.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(DeliveryStatus, EventKind)))]
struct NotifyDoc;

/// A kind of notification event.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Day 45 (the end of the identification period) coming up.
    DeadlineIdentification,
    /// The end of the exchange period coming up.
    DeadlineExchange,
    /// An identification notice waits for the client's signature.
    NoticeAwaitingSignature,
    /// A disbursement or release waits for a second approval.
    ApprovalAwaiting,
    /// Funds were released or disbursed.
    FundsReleased,
    /// Funds are still held after the day they could go back.
    FundsIdle,
    /// The related-party two-year window is ending.
    RelatedPartyWindow,
    /// The Opportunity Zone 180-day window of a failed or partial exchange is ending.
    OzWindow,
    /// A document was uploaded.
    DocumentUploaded,
}

impl EventKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::DeadlineIdentification => "deadline_identification",
            EventKind::DeadlineExchange => "deadline_exchange",
            EventKind::NoticeAwaitingSignature => "notice_awaiting_signature",
            EventKind::ApprovalAwaiting => "approval_awaiting",
            EventKind::FundsReleased => "funds_released",
            EventKind::FundsIdle => "funds_idle",
            EventKind::RelatedPartyWindow => "related_party_window",
            EventKind::OzWindow => "oz_window",
            EventKind::DocumentUploaded => "document_uploaded",
        }
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Option<EventKind> {
        [
            EventKind::DeadlineIdentification,
            EventKind::DeadlineExchange,
            EventKind::NoticeAwaitingSignature,
            EventKind::ApprovalAwaiting,
            EventKind::FundsReleased,
            EventKind::FundsIdle,
            EventKind::RelatedPartyWindow,
            EventKind::OzWindow,
            EventKind::DocumentUploaded,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The firm's notification settings as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsView {
    /// The IANA time zone set for the firm (`null`: the server's default applies).
    pub time_zone: Option<String>,
    /// The time zone in force: the firm's calendar day ("today", days left, reminders).
    pub effective_time_zone: String,
    /// Today on the firm's calendar.
    pub today: String,
    /// Days before a deadline on which reminders go out, largest first.
    pub reminder_days: Vec<i64>,
}

fn view(st: &AppState, s: FirmNotifySettings) -> SettingsView {
    let tz = super::zone::of_setting(s.time_zone.as_deref(), &st.config.time_zone);
    SettingsView {
        time_zone: s.time_zone,
        effective_time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        today: st
            .config
            .today
            .unwrap_or_else(|| super::zone::today_in(&tz))
            .to_string(),
        reminder_days: s.reminder_days,
    }
}

/// The firm's notification settings (staff).
#[utoipa::path(get, path = "/api/notifications/settings", tag = "notifications",
    responses((status = 200, body = SettingsView),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "A client cannot read the firm's settings")))]
pub async fn get_settings(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<ReadNotificationSettings>,
) -> ApiResult<Json<SettingsView>> {
    let s = st.store.firm_notify_settings(auth.firm()).await?;
    Ok(Json(view(&st, s)))
}

/// Changes to the firm's notification settings: give at least one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// IANA time zone name such as `America/Los_Angeles`; an empty string goes back to the
    /// server's default.
    #[schema(max_length = 64)]
    pub time_zone: Option<String>,
    /// Days before a deadline on which reminders go out: 1 to 12 whole numbers from 0 to 365.
    #[schema(min_items = 1, max_items = 12)]
    pub reminder_days: Option<Vec<i64>>,
}

/// Changes the firm's time zone and reminder lead times (admin). Audited.
#[utoipa::path(patch, path = "/api/notifications/settings", tag = "notifications",
    request_body = SettingsPatch,
    responses((status = 200, body = SettingsView),
        (status = 400, body = ErrorBody, description = "The body is not JSON of this shape"),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin changes the firm's settings"),
        (status = 422, body = ErrorBody, description = "An unknown time zone or lead times out of range")))]
pub async fn patch_settings(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<ChangeNotificationSettings>,
    JsonBody(req): JsonBody<SettingsPatch>,
) -> ApiResult<Json<SettingsView>> {
    let mut s = st.store.firm_notify_settings(auth.firm()).await?;
    if req.time_zone.is_none() && req.reminder_days.is_none() {
        return Err(ApiError::field(
            "",
            "required",
            "give a time zone or reminder days to change",
        ));
    }
    // Both fields are checked, and every problem is reported at once.
    let mut fields = Vec::new();
    if let Some(tz) = req.time_zone {
        let tz = tz.trim().to_string();
        if tz.is_empty() {
            s.time_zone = None;
        } else {
            match super::zone::parse(&tz) {
                Ok(z) => s.time_zone = Some(z.iana_name().unwrap_or(&tz).to_string()),
                Err(m) => fields.extend(ApiError::field("time_zone", "time_zone", m).detail.fields),
            }
        }
    }
    if let Some(days) = req.reminder_days {
        if days.is_empty() || days.len() > 12 || days.iter().any(|d| !(0..=365).contains(d)) {
            fields.extend(
                ApiError::field(
                    "reminder_days",
                    "range",
                    "give 1 to 12 lead times, each a whole number of days from 0 to 365",
                )
                .detail
                .fields,
            );
        } else {
            s.reminder_days = days;
        }
    }
    if !fields.is_empty() {
        let message = fields
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::fields(message, fields));
    }
    let s = st.store.set_firm_notify_settings(&auth.actor(), &s).await?;
    Ok(Json(view(&st, s)))
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/api/notifications/preferences", tag = "notifications",
    responses((status = 200, body = Prefs),
        (status = 401, body = ErrorBody, description = "Not logged in")))]
pub async fn get_prefs(State(st): State<AppState>, auth: Auth) -> ApiResult<Json<Prefs>> {
    Ok(Json(
        st.store.notify_prefs(auth.firm(), &auth.user.id).await?,
    ))
}

/// How to be told.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// An e-mail as each thing happens.
    Immediate,
    /// One e-mail a day (at 7 am on the firm's calendar) with everything since the last.
    Digest,
    /// No e-mails.
    Off,
}

/// Which events reach the caller by e-mail, and how.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrefsPut {
    /// The events to receive (a client only those about their own exchanges: deadlines,
    /// notices, funds released and the two windows).
    #[schema(max_items = 9)]
    pub events: Vec<EventKind>,
    pub mode: Mode,
}

/// Sets the caller's notification preferences. Audited.
#[utoipa::path(put, path = "/api/notifications/preferences", tag = "notifications",
    request_body = PrefsPut,
    responses((status = 200, body = Prefs),
        (status = 400, body = ErrorBody, description = "The body is not JSON of this shape"),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "The session's change lacks its CSRF token"),
        (status = 422, body = ErrorBody, description = "An unknown event, or one a client cannot receive")))]
pub async fn put_prefs(
    State(st): State<AppState>,
    auth: Auth,
    JsonBody(req): JsonBody<PrefsPut>,
) -> ApiResult<Json<Prefs>> {
    let allowed: &[&str] = if auth.role() == Role::Client {
        CLIENT_KINDS
    } else {
        EVENT_KINDS
    };
    let mut events = Vec::new();
    for (i, e) in req
        .events
        .iter()
        .map(|e| e.as_str().to_string())
        .enumerate()
    {
        if !allowed.contains(&e.as_str()) {
            return Err(ApiError::field(
                &format!("events[{i}]"),
                "one_of",
                format!(
                    "{e:?} is not an event you can receive; choose from: {}",
                    allowed.join(", ")
                ),
            ));
        }
        if !events.contains(&e) {
            events.push(e);
        }
    }
    let p = Prefs {
        events,
        mode: match req.mode {
            Mode::Immediate => "immediate",
            Mode::Digest => "digest",
            Mode::Off => "off",
        }
        .into(),
    };
    Ok(Json(
        st.store
            .set_notify_prefs(&auth.actor(), &auth.user.id, &p)
            .await?,
    ))
}

/// The signed link of an unsubscribe e-mail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeQuery {
    /// The person.
    #[param(max_length = 64)]
    pub user: String,
    /// The event kind to stop, or `all`.
    #[param(max_length = 64)]
    pub event: String,
    /// The link's signature.
    #[param(max_length = 128)]
    pub sig: String,
}

/// What an unsubscribe did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    pub message: String,
}

/// Unsubscribes the person of a signed link (RFC 8058 one-click: the mail program POSTs
/// here; no login needed, the signature is the credential). Audited.
#[utoipa::path(post, path = "/api/notifications/unsubscribe", tag = "notifications",
    params(UnsubscribeQuery), security(()),
    responses((status = 200, body = Unsubscribed),
        (status = 400, body = ErrorBody, description = "A parameter is missing"),
        (status = 403, body = ErrorBody, description = "The link's signature does not match"),
        (status = 404, body = ErrorBody, description = "No such person"),
        (status = 422, body = ErrorBody, description = "A parameter breaks its rule")))]
pub async fn unsubscribe(
    State(st): State<AppState>,
    Q(q): Q<UnsubscribeQuery>,
) -> ApiResult<Json<Unsubscribed>> {
    Ok(Json(Unsubscribed {
        message: do_unsubscribe(&st, &q).await?,
    }))
}

/// Checks an unsubscribe link and applies it; returns what it did, in words.
///
/// # Errors
/// 403 for a bad signature, 404 for an unknown person.
pub async fn do_unsubscribe(st: &AppState, q: &UnsubscribeQuery) -> ApiResult<String> {
    let key = super::unsubscribe_key(&st.store).await?;
    let want = super::unsubscribe_sig(&key, &q.user, &q.event);
    if !crate::auth::constant_time_eq(want.as_bytes(), q.sig.as_bytes())
        || !(q.event == "all" || EVENT_KINDS.contains(&q.event.as_str()))
    {
        return Err(ApiError::forbidden(
            "this unsubscribe link is not valid: open the newest e-mail's link, or change your notification settings after logging in",
        ));
    }
    let user = st.store.user_by_id(&q.user).await?;
    let actor = likekind_store::Actor {
        firm_id: user.firm_id.clone(),
        user_id: user.id.clone(),
    };
    let mut p = st.store.notify_prefs(&user.firm_id, &user.id).await?;
    let message = if q.event == "all" {
        p.mode = "off".into();
        "You will receive no more notification e-mails.".to_string()
    } else {
        p.events.retain(|e| *e != q.event);
        format!(
            "You will receive no more e-mails about: {}.",
            likekind_store::outbox::kind_words(&q.event).to_lowercase()
        )
    };
    st.store.set_notify_prefs(&actor, &user.id, &p).await?;
    Ok(message)
}

/// A new webhook endpoint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// `https://...` (or `http://...`) address that receives the POSTs.
    #[schema(max_length = 2000)]
    pub url: String,
    /// What it is for.
    #[schema(max_length = 200)]
    pub description: Option<String>,
}

/// A webhook endpoint just made, with its signing secret (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    pub endpoint: WebhookEndpoint,
    /// The key of the `Likekind-Webhook-Signature` HMAC: keep it; it is not shown again.
    pub secret: String,
}

/// Adds a webhook endpoint to the firm (admin). Every notification event of the firm is
/// POSTed to it, signed. Audited.
#[utoipa::path(post, path = "/api/webhooks", tag = "notifications", request_body = WebhookCreate,
    responses((status = 201, body = WebhookCreated),
        (status = 400, body = ErrorBody, description = "The body is not JSON of this shape"),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin manages webhooks"),
        (status = 422, body = ErrorBody, description = "Not a web address")))]
pub async fn create_webhook(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<ManageWebhooks>,
    JsonBody(req): JsonBody<WebhookCreate>,
) -> ApiResult<(StatusCode, Json<WebhookCreated>)> {
    let url = req.url.trim();
    if url.len() > 2000 {
        return Err(ApiError::field(
            "url",
            "max_length",
            "the address is longer than 2,000 characters",
        ));
    }
    super::webhook::check_url(url).map_err(|m| ApiError::field("url", "url", m))?;
    let description = req.description.unwrap_or_default();
    if description.chars().count() > 200 {
        return Err(ApiError::field(
            "description",
            "max_length",
            "the description is longer than 200 characters",
        ));
    }
    let secret = format!("whsec_{}", crate::auth::random_secret()?);
    let endpoint = st
        .store
        .create_webhook(&auth.actor(), url, description.trim(), &secret)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookCreated { endpoint, secret }),
    ))
}

/// The firm's webhook endpoints (admin).
#[utoipa::path(get, path = "/api/webhooks", tag = "notifications",
    responses((status = 200, body = Vec<WebhookEndpoint>),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin manages webhooks")))]
pub async fn list_webhooks(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<ManageWebhooks>,
) -> ApiResult<Json<Vec<WebhookEndpoint>>> {
    Ok(Json(st.store.list_webhooks(auth.firm()).await?))
}

/// Removes a webhook endpoint (admin): it receives nothing more. Audited.
#[utoipa::path(delete, path = "/api/webhooks/{webhook_id}", tag = "notifications",
    params(("webhook_id" = String, Path, description = "The endpoint")),
    responses((status = 204, description = "Removed"),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin manages webhooks"),
        (status = 404, body = ErrorBody, description = "No such endpoint in the firm")))]
pub async fn delete_webhook(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<ManageWebhooks>,
    P(id): P<String>,
) -> ApiResult<StatusCode> {
    st.store.delete_webhook(&auth.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which deliveries to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `dead` (failed for good); all when absent.
    pub status: Option<DeliveryStatus>,
    /// 1 to 500; default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page.
    pub after: Option<String>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Dead,
}

/// The firm's notification deliveries, newest first (admin); `status=dead` lists the dead
/// letters.
#[utoipa::path(get, path = "/api/notifications/deliveries", tag = "notifications",
    params(DeliveryQuery),
    responses((status = 200, body = Page<Delivery>),
        (status = 400, body = ErrorBody, description = "A parameter is not of this shape"),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin sees the deliveries"),
        (status = 422, body = ErrorBody, description = "The limit is out of range")))]
pub async fn list_deliveries(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<SeeDeliveries>,
    Q(q): Q<DeliveryQuery>,
) -> ApiResult<Json<Page<Delivery>>> {
    let pq = PageQuery {
        limit: q.limit,
        after: q.after.clone(),
    };
    let p = pq.req()?;
    let status = q.status.map(|s| match s {
        DeliveryStatus::Pending => "pending",
        DeliveryStatus::Delivered => "delivered",
        DeliveryStatus::Dead => "dead",
    });
    let items = st.store.list_deliveries(auth.firm(), status, p).await?;
    Ok(Json(Page::of(items, p.limit, |d| d.id.clone())))
}

/// Sends a dead letter again (admin): pending now, retried for a new retry window. Audited.
#[utoipa::path(post, path = "/api/notifications/deliveries/{delivery_id}/retry", tag = "notifications",
    params(("delivery_id" = String, Path, description = "The delivery")),
    responses((status = 200, body = Delivery),
        (status = 401, body = ErrorBody, description = "Not logged in"),
        (status = 403, body = ErrorBody, description = "Only an admin retries deliveries"),
        (status = 404, body = ErrorBody, description = "No such delivery in the firm"),
        (status = 409, body = ErrorBody, description = "The delivery has not failed for good")))]
pub async fn retry_delivery(
    State(st): State<AppState>,
    Permitted { auth, .. }: Permitted<RetryDeliveries>,
    P(id): P<String>,
) -> ApiResult<Json<Delivery>> {
    Ok(Json(
        st.store
            .retry_delivery(&auth.actor(), &id, jiff::Timestamp::now().as_millisecond())
            .await?,
    ))
}
