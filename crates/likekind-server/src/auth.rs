//! Accounts: firm sign-up, login (argon2id, throttled in the database so several server
//! processes share the count), sessions (random token in an HttpOnly SameSite=Strict cookie,
//! stored hashed), API tokens (stored hashed, shown once), users and firm settings.

use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Auth, JsonBody, P, Q, SameOrigin};
use crate::permit::{
    AddUsers, ChangeFirmSettings, ListUsers, MakeResetLinks, ManageUsers, Permitted,
};
use crate::{AppState, Page, PageQuery};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use likekind_store::{ApiToken, Firm, NewUser, Role, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::secret::{SESSION_COOKIE, hash_secret, hex};

/// A fresh random secret: 32 bytes from the OS, hex.
///
/// # Errors
/// 500 when the OS has no randomness to give.
pub fn random_secret() -> ApiResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|_| ApiError::internal())?;
    Ok(hex(&b))
}

pub use crate::secret::constant_time_eq;

/// The longest password accepted anywhere, in characters (so at most 4 KiB): hashing cost
/// must not be the caller's to choose.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Former name of [`MAX_PASSWORD_CHARS`] (the limit now counts characters, as the OpenAPI
/// document's `maxLength` does).
pub const MAX_PASSWORD_BYTES: usize = MAX_PASSWORD_CHARS;

/// Requests allowed to wait for a hashing slot beyond those hashing; the rest get 503.
const HASH_QUEUE: usize = 16;

/// Bounds concurrent argon2 work (19 MiB each): one per core at once, a small queue waiting.
struct HashGate {
    running: tokio::sync::Semaphore,
    admitted: tokio::sync::Semaphore,
}

fn gate() -> &'static HashGate {
    static GATE: std::sync::OnceLock<HashGate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        HashGate {
            running: tokio::sync::Semaphore::new(cores),
            admitted: tokio::sync::Semaphore::new(cores + HASH_QUEUE),
        }
    })
}

/// Runs password hashing work off the async threads, within the gate.
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    let g = gate();
    let _admitted = g.admitted.try_acquire().map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is checking too many passwords at once: try again in a moment",
        )
        .with_retry_after(1)
    })?;
    let _running = g
        .running
        .acquire()
        .await
        .map_err(|_| ApiError::internal())?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal())
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes), off the async
/// threads, at most one per core at once.
///
/// # Errors
/// 500 on a hashing failure; 503 (with `Retry-After`) when too many wait to hash.
pub async fn hash_password(pw: String) -> ApiResult<String> {
    hashing(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| ApiError::internal())?;
        let salt = SaltString::encode_b64(&salt).map_err(|_| ApiError::internal())?;
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| ApiError::internal())
    })
    .await?
}

async fn verify_password(pw: String, hash: String) -> ApiResult<bool> {
    hashing(move || {
        PasswordHash::new(&hash)
            .map(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
}

/// Refuses a password longer than [`MAX_PASSWORD_CHARS`], naming the field.
fn check_password_length(path: &str, pw: &str) -> ApiResult<()> {
    if pw.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::field(
            path,
            "max_length",
            format!("a password has at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The one answer when an e-mail address cannot be used for a new account, whoever holds it
/// (this firm or another): never "already exists", which would tell an admin or a visitor that
/// another firm has that person as a user or client.
fn email_unavailable(e: likekind_store::StoreError) -> ApiError {
    match e {
        likekind_store::StoreError::Duplicate(_) => ApiError::field(
            "email",
            "unavailable",
            "this e-mail address cannot be used for a new account: use another address",
        ),
        other => other.into(),
    }
}

/// The password rules (length), naming the field `path`.
///
/// # Errors
/// A 422 naming the field.
pub fn check_password(path: &str, pw: &str) -> ApiResult<()> {
    check_password_length(path, pw)?;
    if pw.chars().count() < 12 {
        return Err(ApiError::field(
            path,
            "min_length",
            "a password has at least 12 characters",
        ));
    }
    Ok(())
}

fn check_email(path: &str, e: &str) -> ApiResult<String> {
    crate::rules::email(path, e)
}

fn check_name(path: &str, s: &str) -> ApiResult<String> {
    crate::rules::text(path, s, 200)
}

/// Creates a firm with its first admin.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupReq {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub firm_name: String,
    #[schema(
        max_length = 254,
        pattern = r"^[^@ \t\n\f\r]+@[^@ \t\n\f\r]+\.[^@ \t\n\f\r]+$"
    )]
    pub email: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// At least 12 characters, at most 1024.
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
}

/// Logs in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginReq {
    pub email: String,
    /// At most 1024 characters.
    #[schema(max_length = 1024)]
    pub password: String,
}

/// A logged-in session: send `csrf_token` back as `X-CSRF-Token` on every change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResp {
    pub user: User,
    pub csrf_token: String,
}

/// Who you are.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResp {
    pub user: User,
    pub firm: FirmView,
}

/// A firm with its money settings as decimal strings.
#[derive(Debug, Serialize, ToSchema)]
pub struct FirmView {
    pub id: String,
    pub name: String,
    /// Disbursements above this need a second person's approval.
    pub approval_threshold: String,
    pub created_at: String,
}

impl From<Firm> for FirmView {
    fn from(f: Firm) -> Self {
        FirmView {
            id: f.id,
            name: f.name,
            approval_threshold: crate::money::show(f.approval_threshold_cents),
            created_at: f.created_at,
        }
    }
}

fn session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    max_age: i64,
) -> ApiResult<HeaderValue> {
    let https = state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https");
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{}",
        if https { "; Secure" } else { "" }
    ))
    .map_err(|_| ApiError::internal())
}

async fn start_session(state: &AppState, headers: &HeaderMap, user: User) -> ApiResult<Response> {
    let token = random_secret()?;
    let csrf = random_secret()?;
    let ttl = state.config.session_ttl_secs;
    state
        .store
        .create_session(
            &hash_secret(&token),
            &user.id,
            &csrf,
            likekind_store::now_unix() + ttl,
        )
        .await?;
    let cookie = session_cookie(state, headers, &token, ttl)?;
    let mut resp = (
        StatusCode::OK,
        Json(SessionResp {
            user,
            csrf_token: csrf,
        }),
    )
        .into_response();
    resp.headers_mut().insert(header::SET_COOKIE, cookie);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Creates a firm and its admin, and logs the admin in. Open for the first firm of a new
/// server; afterwards only when the server runs with sign-up allowed.
#[utoipa::path(post, path = "/api/signup", tag = "auth", request_body = SignupReq, security(()),
    responses((status = 200, body = SessionResp, description = "The firm and its admin, logged in (Set-Cookie: the session)"),
        (status = 403, body = crate::error::ErrorBody, description = "Sign-up is closed on this server, or the request came from another origin"),
        (status = 422, body = crate::error::ErrorBody, description = "A field breaks its rule, or the e-mail address cannot be used"),
        (status = 503, body = crate::error::ErrorBody, description = "Too many passwords wait to be hashed: try again after Retry-After")))]
pub async fn signup(
    State(state): State<AppState>,
    _: SameOrigin,
    headers: HeaderMap,
    JsonBody(req): JsonBody<SignupReq>,
) -> ApiResult<Response> {
    if !state.config.allow_signup && state.store.firm_count().await? > 0 {
        return Err(ApiError::forbidden(
            "sign-up is closed on this server: an admin of your firm adds users",
        ));
    }
    // Every problem of the form at once, not only the first.
    let checked = (
        check_name("firm_name", &req.firm_name),
        check_email("email", &req.email),
        check_name("name", &req.name),
        check_password("password", &req.password),
    );
    let (Ok(firm_name), Ok(email), Ok(name), Ok(())) = checked.clone() else {
        let (a, b, c, d) = checked;
        let fields: Vec<FieldError> = [a.err(), b.err(), c.err(), d.err()]
            .into_iter()
            .flatten()
            .flat_map(|e| e.detail.fields)
            .collect();
        let message = fields
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::fields(message, fields));
    };
    let password_hash = hash_password(req.password).await?;
    let (_firm, user) = state
        .store
        .create_firm(
            &firm_name,
            NewUser {
                email,
                name,
                role: Role::Admin,
                password_hash,
            },
        )
        .await
        .map_err(email_unavailable)?;
    start_session(&state, &headers, user).await
}

/// The refusal of a throttled login.
fn throttled(what: &str, window_secs: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!(
            "too many login attempts for this {what}: try again in {} minutes",
            window_secs / 60
        ),
    )
    .with_retry_after(u16::try_from(window_secs).unwrap_or(u16::MAX))
}

/// Logs in with e-mail and password. Each attempt is counted before its password is checked,
/// atomically in the database (so parallel attempts and several server processes get no more
/// checks than sequential ones): after 5 attempts for one account within 15 minutes, or 50
/// from one client address, further attempts are refused (429, `Retry-After`) until the window
/// passes; a success starts the account's count again. Passwords over 1024 bytes are refused
/// (422); when too many passwords wait to be checked, 503 with `Retry-After`.
#[utoipa::path(post, path = "/api/login", tag = "auth", request_body = LoginReq, security(()),
    responses((status = 200, body = SessionResp, description = "Logged in (Set-Cookie: the session)"),
        (status = 401, body = crate::error::ErrorBody, description = "Wrong e-mail or password"),
        (status = 403, body = crate::error::ErrorBody, description = "The request came from another origin"),
        (status = 422, body = crate::error::ErrorBody, description = "The password is longer than 1024 bytes"),
        (status = 429, body = crate::error::ErrorBody, description = "Too many attempts for the account or from the address: try again after Retry-After"),
        (status = 503, body = crate::error::ErrorBody, description = "Too many passwords wait to be checked: try again after Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    _: SameOrigin,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    JsonBody(req): JsonBody<LoginReq>,
) -> ApiResult<Response> {
    check_password_length("password", &req.password)?;
    let email = req.email.trim().to_ascii_lowercase();
    let now = likekind_store::now_unix();
    let window = state.config.login_window_secs;
    if let Some(addr) = ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
        let key = format!("addr:{}", addr.0.ip());
        if state.store.login_attempt(&key, now, window).await? > state.config.login_max_per_address
        {
            return Err(throttled("address", window));
        }
    }
    let account = format!("email:{email}");
    if state.store.login_attempt(&account, now, window).await? > state.config.login_max_failures {
        return Err(throttled("account", window));
    }
    let found = state.store.user_for_login(&email).await?;
    let ok = match &found {
        Some((_, hash)) => verify_password(req.password, hash.clone()).await?,
        None => {
            // Spend the same time as a real check so timing does not reveal addresses.
            let _ = hash_password(req.password).await?;
            false
        }
    };
    match (ok, found) {
        (true, Some((user, _))) => {
            state.store.clear_login_attempts(&account).await?;
            start_session(&state, &headers, user).await
        }
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "wrong e-mail or password",
        )),
    }
}

/// Ends the session.
#[utoipa::path(post, path = "/api/logout", tag = "auth", responses((status = 204, description = "The session is over (an API token stays valid)")))]
pub async fn logout(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    if let Some(h) = &auth.session_hash {
        state.store.delete_session(h).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("likekind_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(resp)
}

/// The caller and their firm.
#[utoipa::path(get, path = "/api/me", tag = "auth", responses((status = 200, body = MeResp)))]
pub async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<MeResp>> {
    let firm = state.store.get_firm(auth.firm()).await?;
    Ok(Json(MeResp {
        user: auth.user,
        firm: firm.into(),
    }))
}

/// Names a new API token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenReq {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
}

/// A new API token: `token` is shown this once; send it as `Authorization: Bearer TOKEN`.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenResp {
    pub token: String,
    pub api_token: ApiToken,
}

/// Creates an API token for scripts (only from a browser session or another token).
#[utoipa::path(post, path = "/api/tokens", tag = "auth", request_body = TokenReq,
    responses((status = 201, body = NewTokenResp), (status = 422, body = crate::error::ErrorBody, description = "The name is empty or longer than 200 characters")))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    JsonBody(req): JsonBody<TokenReq>,
) -> ApiResult<(StatusCode, Json<NewTokenResp>)> {
    let name = check_name("name", &req.name)?;
    let token = format!("lk_{}", random_secret()?);
    let api_token = state
        .store
        .create_token(&auth.actor(), &name, &hash_secret(&token))
        .await?;
    Ok((StatusCode::CREATED, Json(NewTokenResp { token, api_token })))
}

/// The caller's API tokens.
#[utoipa::path(get, path = "/api/tokens", tag = "auth", responses((status = 200, body = Vec<ApiToken>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(state.store.list_tokens(&auth.actor()).await?))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/tokens/{token_id}", tag = "auth", params(("token_id" = String, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, body = crate::error::ErrorBody, description = "No such token of yours")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    P(token_id): P<String>,
) -> ApiResult<StatusCode> {
    state.store.revoke_token(&auth.actor(), &token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a user to the caller's firm.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserReq {
    #[schema(
        max_length = 254,
        pattern = r"^[^@ \t\n\f\r]+@[^@ \t\n\f\r]+\.[^@ \t\n\f\r]+$"
    )]
    pub email: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    pub role: Role,
    /// At least 12 characters, at most 1024.
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
}

/// Adds a user (admin only). An e-mail address already in use (in this firm or any other) is
/// refused with one neutral answer (422, `email`, `unavailable`) that never says where.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewUserReq,
    responses((status = 201, body = User), (status = 403, body = crate::error::ErrorBody, description = "Only an admin adds users"),
        (status = 422, body = crate::error::ErrorBody),
        (status = 503, body = crate::error::ErrorBody, description = "Too many passwords wait to be hashed: try again after Retry-After")))]
pub async fn create_user(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<AddUsers>,
    JsonBody(req): JsonBody<NewUserReq>,
) -> ApiResult<(StatusCode, Json<User>)> {
    // Every problem of the form at once, not only the first.
    let checked = (
        check_email("email", &req.email),
        check_name("name", &req.name),
        check_password("password", &req.password),
    );
    let (Ok(email), Ok(name), Ok(())) = checked.clone() else {
        let (a, b, c) = checked;
        let fields: Vec<FieldError> = [a.err(), b.err(), c.err()]
            .into_iter()
            .flatten()
            .flat_map(|e| e.detail.fields)
            .collect();
        let message = fields
            .iter()
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ApiError::fields(message, fields));
    };
    let password_hash = hash_password(req.password).await?;
    let u = state
        .store
        .create_user(
            &auth.actor(),
            NewUser {
                email,
                name,
                role: req.role,
                password_hash,
            },
        )
        .await
        .map_err(email_unavailable)?;
    Ok((StatusCode::CREATED, Json(u)))
}

/// The users of the caller's firm (not for clients).
#[utoipa::path(get, path = "/api/users", tag = "users", params(PageQuery),
    responses((status = 200, body = Page<User>), (status = 403, body = crate::error::ErrorBody, description = "A client cannot list users")))]
pub async fn list_users(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ListUsers>,
    Q(page): Q<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    let p = page.req()?;
    let items = state.store.list_users(auth.firm(), p).await?;
    Ok(Json(Page::of(items, p.limit, |u| u.id.clone())))
}

/// The firm's settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirmPatch {
    /// Disbursements above this amount need a second person's approval: dollars, at most 2
    /// decimal places, e.g. `"10000.00"`.
    #[schema(pattern = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$")]
    pub approval_threshold: String,
}

/// Changes the firm's settings (admin only).
#[utoipa::path(patch, path = "/api/firm", tag = "users", request_body = FirmPatch,
    responses((status = 200, body = FirmView), (status = 403, body = crate::error::ErrorBody, description = "Only an admin changes the firm's settings"),
        (status = 422, body = crate::error::ErrorBody, description = "The threshold is not an amount of whole cents")))]
pub async fn patch_firm(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ChangeFirmSettings>,
    JsonBody(req): JsonBody<FirmPatch>,
) -> ApiResult<Json<FirmView>> {
    let cents = crate::money::parse_cents("approval_threshold", &req.approval_threshold)?;
    Ok(Json(
        state
            .store
            .set_approval_threshold(&auth.actor(), cents)
            .await?
            .into(),
    ))
}

/// Changes to a user of the caller's firm: give at least one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// The new role.
    pub role: Option<Role>,
    /// `false` deactivates the user (their sessions and API tokens end at once; they can no
    /// longer log in); `true` lets them log in again (their old tokens stay revoked).
    pub active: Option<bool>,
}

/// Changes a user's role or deactivates / reactivates them (admin only, users of the same
/// firm; another firm's user is 404). A change that would leave the firm without an active
/// administrator is refused (409). Deactivation ends the user's sessions and API tokens at
/// once. Audited.
#[utoipa::path(patch, path = "/api/users/{user_id}", tag = "users",
    params(("user_id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch_user(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ManageUsers>,
    P(user_id): P<String>,
    JsonBody(req): JsonBody<UserPatch>,
) -> ApiResult<Json<User>> {
    // An empty change is no change (PATCH semantics): the user as they are, nothing audited.
    let a = auth.actor();
    let mut u = state.store.get_user(auth.firm(), &user_id).await?;
    if let Some(role) = req.role
        && role != u.role
    {
        if u.role == Role::Client
            && let Some(name) = state
                .store
                .open_exchange_of_client(auth.firm(), &user_id)
                .await?
        {
            return Err(ApiError::conflict(format!(
                "{} is the client (the taxpayer) of the open exchange \"{name}\": a taxpayer cannot be given a staff role, which would let them move the funds of their own exchange (Treas. Reg. §1.1031(k)-1(g)(6)). Make another person the exchange's client, or close the exchange, first",
                u.email
            )));
        }
        u = state.store.set_user_role(&a, &user_id, role).await?;
    }
    if let Some(active) = req.active
        && active != u.active
    {
        u = state.store.set_user_active(&a, &user_id, active).await?;
    }
    Ok(Json(u))
}

/// How long a password-reset link works.
pub const RESET_TTL_SECS: i64 = 24 * 3600;

/// A new password-reset link: give `path` (or `token`) to the user privately; it works once,
/// until `expires_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetLinkResp {
    /// The page where the user sets a new password: `/reset/{token}`.
    pub path: String,
    pub token: String,
    /// RFC 3339 (UTC).
    pub expires_at: String,
    pub user: User,
}

/// Creates a one-time password-reset link for a user of the caller's firm (admin only; the
/// token is random, stored hashed, works once and for 24 hours; an earlier unused link for
/// the same user stops working). Audited.
#[utoipa::path(post, path = "/api/users/{user_id}/reset-link", tag = "users",
    params(("user_id" = String, Path)),
    responses((status = 201, body = ResetLinkResp), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn reset_link(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<MakeResetLinks>,
    P(user_id): P<String>,
) -> ApiResult<(StatusCode, Json<ResetLinkResp>)> {
    let target = state.store.get_user(auth.firm(), &user_id).await?;
    if !target.active {
        return Err(ApiError::conflict(
            "this user is deactivated: reactivate them before resetting their password",
        ));
    }
    let token = random_secret()?;
    let expires = likekind_store::now_unix() + RESET_TTL_SECS;
    let user = state
        .store
        .create_password_reset(&auth.actor(), &user_id, &hash_secret(&token), expires)
        .await?;
    let expires_at = jiff::Timestamp::from_second(expires)
        .map(|t| t.to_string())
        .map_err(|_| ApiError::internal())?;
    Ok((
        StatusCode::CREATED,
        Json(ResetLinkResp {
            path: format!("/reset/{token}"),
            token,
            expires_at,
            user,
        }),
    ))
}

/// Sets a new password with a reset link's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetReq {
    pub token: String,
    /// At least 12 characters, at most 1024 bytes.
    pub password: String,
}

/// Whether a reset token can still be used: `Ok` or the refusal in words (404 unknown, 409
/// used or expired).
///
/// # Errors
/// As said.
pub async fn reset_usable(state: &AppState, token: &str) -> ApiResult<()> {
    match state
        .store
        .password_reset(&hash_secret(token.trim()))
        .await?
    {
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this reset link is not valid: ask an administrator for a new one",
        )),
        Some(r) if r.used => Err(ApiError::conflict(
            "this reset link has already been used: ask an administrator for a new one",
        )),
        Some(r) if r.expires_at <= likekind_store::now_unix() => Err(ApiError::conflict(
            "this reset link has expired: ask an administrator for a new one",
        )),
        Some(_) => Ok(()),
    }
}

/// Sets a new password with a one-time reset link (no login needed). The link works once and
/// until it expires; the user's sessions end (they log in again with the new password).
/// Audited as the user.
#[utoipa::path(post, path = "/api/password-reset", tag = "auth", request_body = PasswordResetReq,
    security(()),
    responses((status = 204), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 503, body = crate::error::ErrorBody)))]
pub async fn password_reset(
    State(state): State<AppState>,
    _: SameOrigin,
    JsonBody(req): JsonBody<PasswordResetReq>,
) -> ApiResult<StatusCode> {
    use_reset(&state, &req.token, req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What [`password_reset`] does (also for the `/reset/{token}` page).
///
/// # Errors
/// As [`password_reset`].
pub async fn use_reset(state: &AppState, token: &str, password: String) -> ApiResult<User> {
    reset_usable(state, token).await?;
    check_password("password", &password)?;
    let hash = hash_password(password).await?;
    state
        .store
        .use_password_reset(&hash_secret(token.trim()), &hash)
        .await
        .map_err(|e| match e {
            likekind_store::StoreError::NotFound => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "this reset link is not valid: ask an administrator for a new one",
            ),
            other => other.into(),
        })
}
