//! Firms, users, sessions, API tokens and login throttling. Secrets are never stored: the
//! server hashes session tokens and API tokens (SHA-256) and passwords (argon2id) first.

use crate::audit::{self, Change};
use crate::{
    Actor, ApiToken, Firm, PageReq, PasswordReset, Result, Role, Store, StoreError, User, new_id,
    now_rfc3339, now_unix, on_unique,
};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

const USER_COLS: &str = "id, firm_id, email, name, role, created_at, active";

/// Who is calling, as a session or an API token proves it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The session's CSRF token (none for an API token).
    pub csrf: Option<String>,
    /// The time zone set for the caller's firm, if any (its calendar day is the caller's
    /// today).
    pub zone: Option<String>,
    /// The data revision, read in the same statement as the caller.
    pub revision: i64,
}

/// A [`Caller`] from a row of the user's columns, `time_zone`, `revision` and, for a
/// session, `csrf_token`.
fn caller_of(r: &AnyRow, session: bool) -> Result<Caller> {
    Ok(Caller {
        user: user_of(r)?,
        csrf: if session {
            Some(r.try_get("csrf_token")?)
        } else {
            None
        },
        zone: r.try_get("time_zone")?,
        revision: r.try_get("revision")?,
    })
}

fn user_of(r: &AnyRow) -> Result<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        firm_id: r.try_get("firm_id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: Role::parse(&role).unwrap_or(Role::Client),
        created_at: r.try_get("created_at")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

fn firm_of(r: &AnyRow) -> Result<Firm> {
    Ok(Firm {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        approval_threshold_cents: r.try_get("approval_threshold_cents")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

impl Store {
    /// How many firms exist (the first one may be created without an invitation).
    ///
    /// # Errors
    /// A database failure.
    pub async fn firm_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM firms")
            .fetch_one(&self.reader)
            .await?;
        Ok(r.try_get("n")?)
    }

    /// Creates a firm and its first (admin) user, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Duplicate`] when the e-mail address is taken.
    pub async fn create_firm(&self, name: &str, admin: NewUser) -> Result<(Firm, User)> {
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        let firm_id = new_id();
        let fr = sqlx::query(
            "INSERT INTO firms (id, name, created_at) VALUES ($1, $2, $3) \
             RETURNING id, name, approval_threshold_cents, created_at",
        )
        .bind(&firm_id)
        .bind(name)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let firm = firm_of(&fr)?;
        let user = insert_user(&mut tx, &firm_id, &admin).await?;
        audit::record(
            &mut tx,
            &firm_id,
            Some(&user.id),
            Change {
                exchange_id: None,
                action: "firm.create",
                entity: "firm",
                entity_id: &firm_id,
                before: None,
                after: Some(json!({"firm": firm, "admin": user})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((firm, user))
    }

    /// One firm.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_firm(&self, id: &str) -> Result<Firm> {
        let r = sqlx::query(
            "SELECT id, name, approval_threshold_cents, created_at FROM firms WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        firm_of(&r)
    }

    /// Sets the firm's second-approval threshold.
    ///
    /// # Errors
    /// A database failure.
    pub async fn set_approval_threshold(&self, a: &Actor, cents: i64) -> Result<Firm> {
        let mut tx = self.begin_write().await?;
        let before: i64 = sqlx::query("SELECT approval_threshold_cents FROM firms WHERE id = $1")
            .bind(&a.firm_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let r = sqlx::query(
            "UPDATE firms SET approval_threshold_cents = $1 WHERE id = $2 \
             RETURNING id, name, approval_threshold_cents, created_at",
        )
        .bind(cents)
        .bind(&a.firm_id)
        .fetch_one(&mut *tx)
        .await?;
        let firm = firm_of(&r)?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "firm.update",
                entity: "firm",
                entity_id: &a.firm_id,
                before: Some(json!({"approval_threshold_cents": before})),
                after: Some(json!({"approval_threshold_cents": cents})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(firm)
    }

    /// Adds a user to the actor's firm.
    ///
    /// # Errors
    /// [`StoreError::Duplicate`] when the e-mail address is taken.
    pub async fn create_user(&self, a: &Actor, u: NewUser) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let user = insert_user(&mut tx, &a.firm_id, &u).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "user.create",
                entity: "user",
                entity_id: &user.id,
                before: None,
                after: Some(json!(user)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// A user of `firm_id`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], also when the user belongs to another firm.
    pub async fn get_user(&self, firm_id: &str, id: &str) -> Result<User> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users WHERE firm_id = $1 AND id = $2"
        ))
        .bind(firm_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_of(&r)
    }

    /// The users of a firm, by id.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_users(&self, firm_id: &str, page: PageReq<'_>) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users WHERE firm_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(firm_id)
        .bind(page.after.unwrap_or(""))
        .bind(page.limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(user_of).collect()
    }

    /// A user and their password hash, by e-mail (for login).
    ///
    /// # Errors
    /// A database failure.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, String)>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS}, password_hash FROM users WHERE email = $1 AND active = 1"
        ))
        .bind(email)
        .fetch_optional(&self.reader)
        .await?;
        match r {
            Some(r) => Ok(Some((user_of(&r)?, r.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// Counts one login attempt for `key` (an account or a client address) and returns the
    /// number of attempts in the current window, this one included. One statement increments
    /// and reads, so concurrent attempts (from any number of server processes) each get a
    /// distinct count: none can check a password on a count another has already used. A window
    /// older than `window_secs` starts again at 1.
    ///
    /// # Errors
    /// A database failure.
    pub async fn login_attempt(&self, key: &str, now_unix: i64, window_secs: i64) -> Result<i64> {
        let r = sqlx::query(
            "INSERT INTO login_throttle (throttle_key, window_start, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (throttle_key) DO UPDATE SET \
             attempts = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.attempts + 1 END, \
             window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END \
             RETURNING attempts",
        )
        .bind(key)
        .bind(now_unix)
        .bind(now_unix - window_secs)
        .fetch_one(&self.writer)
        .await?;
        Ok(r.try_get("attempts")?)
    }

    /// Forgets the attempts counted for `key` (after a successful login).
    ///
    /// # Errors
    /// A database failure.
    pub async fn clear_login_attempts(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Records a failed login for throttling.
    ///
    /// # Errors
    /// A database failure.
    pub async fn record_login_failure(&self, email: &str, at_unix: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Failures older than a day no longer count for anything.
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(at_unix - 86_400)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failures (email, at) VALUES ($1, $2)")
            .bind(email)
            .bind(at_unix)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Failed logins for `email` since `since_unix`.
    ///
    /// # Errors
    /// A database failure.
    pub async fn login_failures_since(&self, email: &str, since_unix: i64) -> Result<i64> {
        let r =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND at >= $2")
                .bind(email)
                .bind(since_unix)
                .fetch_one(&self.reader)
                .await?;
        Ok(r.try_get("n")?)
    }

    /// Forgets the failures of `email` (after a successful login).
    ///
    /// # Errors
    /// A database failure.
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Stores a new session (by the hash of its token).
    ///
    /// # Errors
    /// A database failure.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        expires_unix: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // Expired sessions are useless; drop them as new ones arrive.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(crate::now_unix())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(expires_unix)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session, the session's CSRF token, the firm's time zone and the
    /// data revision, read in one statement: a read the server keeps for that revision is
    /// then served without a second round trip ([`Store::data_revision`]).
    ///
    /// # Errors
    /// A database failure.
    pub async fn session_user(&self, token_hash: &str, now_unix: i64) -> Result<Option<Caller>> {
        let r = sqlx::query(
            "SELECT u.id, u.firm_id, u.email, u.name, u.role, u.created_at, u.active, s.csrf_token, \
             f.time_zone, (SELECT n FROM data_revision WHERE id = 1) AS revision \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN firms f ON f.id = u.firm_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash)
        .bind(now_unix)
        .fetch_optional(&self.reader)
        .await?;
        r.as_ref().map(|r| caller_of(r, true)).transpose()
    }

    /// Ends a session.
    ///
    /// # Errors
    /// A database failure.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Stores a new API token for the actor (by its hash).
    ///
    /// # Errors
    /// A database failure.
    pub async fn create_token(&self, a: &Actor, name: &str, token_hash: &str) -> Result<ApiToken> {
        let mut tx = self.begin_write().await?;
        let t = ApiToken {
            id: new_id(),
            name: name.to_string(),
            created_at: now_rfc3339(),
            revoked: false,
        };
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&t.id)
        .bind(&a.user_id)
        .bind(name)
        .bind(token_hash)
        .bind(&t.created_at)
        .execute(&mut *tx)
        .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "token.create",
                entity: "api_token",
                entity_id: &t.id,
                before: None,
                after: Some(json!(t)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(t)
    }

    /// The user owning a live API token, the firm's time zone and the data revision, read in
    /// one statement (as [`Store::session_user`]).
    ///
    /// # Errors
    /// A database failure.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<Caller>> {
        let r = sqlx::query(
            "SELECT u.id, u.firm_id, u.email, u.name, u.role, u.created_at, u.active, f.time_zone, \
             (SELECT n FROM data_revision WHERE id = 1) AS revision \
             FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN firms f ON f.id = u.firm_id \
             WHERE t.token_hash = $1 AND t.revoked = 0 AND u.active = 1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        r.as_ref().map(|r| caller_of(r, false)).transpose()
    }

    /// The actor's own API tokens.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_tokens(&self, a: &Actor) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, revoked FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(&a.user_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    revoked: r.try_get::<i64, _>("revoked")? != 0,
                })
            })
            .collect()
    }

    /// Revokes one of the actor's own tokens.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when it is not the actor's.
    pub async fn revoke_token(&self, a: &Actor, id: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(&a.user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "token.revoke",
                entity: "api_token",
                entity_id: id,
                before: Some(json!({"revoked": false})),
                after: Some(json!({"revoked": true})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The user `id` of the actor's firm, inside a transaction.
async fn user_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    firm_id: &str,
    id: &str,
) -> Result<User> {
    let r = sqlx::query(&format!(
        "SELECT {USER_COLS} FROM users WHERE firm_id = $1 AND id = $2"
    ))
    .bind(firm_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    user_of(&r)
}

/// Serialises changes to a firm's users: a no-op write on the firm's row takes its lock (the
/// row lock on PostgreSQL, the write lock on SQLite) before anything is read, so two admins
/// demoting or deactivating each other at once cannot both pass [`keep_an_admin`].
async fn lock_firm(tx: &mut sqlx::Transaction<'_, sqlx::Any>, firm_id: &str) -> Result<()> {
    sqlx::query("UPDATE firms SET name = name WHERE id = $1")
        .bind(firm_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Refuses a change that would leave the firm without an active admin.
async fn keep_an_admin(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    firm_id: &str,
    losing: &User,
) -> Result<()> {
    if losing.role != Role::Admin || !losing.active {
        return Ok(());
    }
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM users WHERE firm_id = $1 AND role = 'admin' AND active = 1 AND id <> $2",
    )
    .bind(firm_id)
    .bind(&losing.id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?;
    if n == 0 {
        return Err(StoreError::Conflict(
            "this is the firm's last active administrator: make another user an administrator first"
                .into(),
        ));
    }
    Ok(())
}

/// Ends every session and API token of a user.
async fn end_access(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1 AND revoked = 0")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Deactivates (ending at once every session and API token of the user) or reactivates a
    /// user of the actor's firm; audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a user of another firm; [`StoreError::Conflict`] when it
    /// would leave the firm without an active admin.
    pub async fn set_user_active(&self, a: &Actor, user_id: &str, active: bool) -> Result<User> {
        let mut tx = self.begin_write().await?;
        lock_firm(&mut tx, &a.firm_id).await?;
        let before = user_in(&mut tx, &a.firm_id, user_id).await?;
        if !active {
            keep_an_admin(&mut tx, &a.firm_id, &before).await?;
            end_access(&mut tx, user_id).await?;
        }
        let r = sqlx::query(&format!(
            "UPDATE users SET active = $1 WHERE firm_id = $2 AND id = $3 RETURNING {USER_COLS}"
        ))
        .bind(i64::from(active))
        .bind(&a.firm_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        let after = user_of(&r)?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: if active {
                    "user.reactivate"
                } else {
                    "user.deactivate"
                },
                entity: "user",
                entity_id: user_id,
                before: Some(json!(before)),
                after: Some(json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Changes the role of a user of the actor's firm; audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a user of another firm; [`StoreError::Conflict`] when it
    /// would leave the firm without an active admin.
    pub async fn set_user_role(&self, a: &Actor, user_id: &str, role: Role) -> Result<User> {
        let mut tx = self.begin_write().await?;
        lock_firm(&mut tx, &a.firm_id).await?;
        let before = user_in(&mut tx, &a.firm_id, user_id).await?;
        if role != Role::Admin {
            keep_an_admin(&mut tx, &a.firm_id, &before).await?;
        }
        let r = sqlx::query(&format!(
            "UPDATE users SET role = $1 WHERE firm_id = $2 AND id = $3 RETURNING {USER_COLS}"
        ))
        .bind(role.as_str())
        .bind(&a.firm_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        let after = user_of(&r)?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "user.role",
                entity: "user",
                entity_id: user_id,
                before: Some(json!(before)),
                after: Some(json!(after)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Stores a one-time password-reset link for a user of the actor's firm (by the hash of
    /// its token), replacing any unused earlier one; audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a user of another firm.
    pub async fn create_password_reset(
        &self,
        a: &Actor,
        user_id: &str,
        token_hash: &str,
        expires_unix: i64,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let user = user_in(&mut tx, &a.firm_id, user_id).await?;
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, firm_id, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(&a.firm_id)
        .bind(&a.user_id)
        .bind(now_rfc3339())
        .bind(expires_unix)
        .execute(&mut *tx)
        .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: None,
                action: "user.reset_link",
                entity: "user",
                entity_id: user_id,
                before: None,
                after: Some(json!({"user": user.email, "expires_at": expires_unix})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// A password-reset link, by the hash of its token.
    ///
    /// # Errors
    /// A database failure.
    pub async fn password_reset(&self, token_hash: &str) -> Result<Option<PasswordReset>> {
        let r = sqlx::query(
            "SELECT user_id, firm_id, expires_at, used_at FROM password_resets WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        r.map(|r| {
            Ok(PasswordReset {
                user_id: r.try_get("user_id")?,
                firm_id: r.try_get("firm_id")?,
                expires_at: r.try_get("expires_at")?,
                used: r.try_get::<Option<String>, _>("used_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Uses a password-reset link once: sets the new password hash and ends every session and
    /// API token of the user, in one transaction; audited as the user.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the link was used, has expired, or its user was
    /// deactivated; [`StoreError::NotFound`] for an unknown link.
    pub async fn use_password_reset(&self, token_hash: &str, password_hash: &str) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let now = now_unix();
        let r = sqlx::query(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id, firm_id",
        )
        .bind(now_rfc3339())
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(r) = r else {
            return Err(
                match sqlx::query("SELECT used_at FROM password_resets WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&mut *tx)
                    .await?
                {
                    None => StoreError::NotFound,
                    Some(r) if r.try_get::<Option<String>, _>("used_at")?.is_some() => {
                        StoreError::Conflict("this reset link has already been used: ask an administrator for a new one".into())
                    }
                    Some(_) => StoreError::Conflict("this reset link has expired: ask an administrator for a new one".into()),
                },
            );
        };
        let user_id: String = r.try_get("user_id")?;
        let firm_id: String = r.try_get("firm_id")?;
        let user = user_in(&mut tx, &firm_id, &user_id).await?;
        if !user.active {
            return Err(StoreError::Conflict(
                "this account has been deactivated: ask an administrator".into(),
            ));
        }
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &firm_id,
            Some(&user_id),
            Change {
                exchange_id: None,
                action: "user.password_reset",
                entity: "user",
                entity_id: &user_id,
                before: None,
                after: Some(json!({"user": user.email, "password": "changed by reset link"})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }
}

async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    firm_id: &str,
    u: &NewUser,
) -> Result<User> {
    let r = sqlx::query(&format!(
        "INSERT INTO users (id, firm_id, email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {USER_COLS}"
    ))
    .bind(new_id())
    .bind(firm_id)
    .bind(&u.email)
    .bind(&u.name)
    .bind(u.role.as_str())
    .bind(&u.password_hash)
    .bind(now_rfc3339())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| on_unique(e, "a user with this email"))?;
    user_of(&r)
}
