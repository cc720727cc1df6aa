//! Payment requests' idempotency keys: a client that retries a payment after a timeout, or a
//! person who presses "Post" twice, must not move the money twice.
//!
//! The key is claimed first in the transaction that writes the posting (or the approval filed
//! for a second person), and what it made is kept with it before the commit, so the two land
//! together or not at all. Two requests with one key at once: the second's claim waits on the
//! first's (the primary key), finds it, and its transaction is rolled back
//! ([`StoreError::Repeated`]); the caller then answers with what the first made
//! ([`Store::kept_request`]). A refused request writes nothing, so its key stays free for the
//! corrected request.

use crate::audit::{self, Change};
use crate::{Actor, KeptRequest, RequestKey, Result, Store, StoreError, new_id, now_rfc3339};
use sqlx::{Any, Row, Transaction};

/// What a payment request made, to keep with its key.
pub(crate) enum Made<'a> {
    Posting(&'a str),
    Approval(&'a str),
}

/// Claims the request's key first thing in the writing transaction; refuses
/// ([`StoreError::Repeated`]) when the key is already kept, so that nothing of the second
/// request is written. Run before the balance is touched: a second request with the same key
/// at once waits here for the first to commit, and is then answered with the first's payment
/// rather than judged again against the balance the first left.
pub(crate) async fn claim(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    exchange_id: &str,
    user_id: &str,
    request: &RequestKey,
) -> Result<()> {
    let inserted = sqlx::query(
        "INSERT INTO payment_requests (firm_id, exchange_id, request_key, fingerprint, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (firm_id, exchange_id, request_key) DO NOTHING",
    )
    .bind(firm_id)
    .bind(exchange_id)
    .bind(&request.key)
    .bind(&request.fingerprint)
    .bind(user_id)
    .bind(now_rfc3339())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        Ok(())
    } else {
        Err(StoreError::Repeated(request.key.clone()))
    }
}

/// Keeps what the request made with its claimed key, in the same transaction.
pub(crate) async fn made(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    exchange_id: &str,
    request: &RequestKey,
    made: Made<'_>,
) -> Result<()> {
    let (posting_id, approval_id) = match made {
        Made::Posting(id) => (Some(id), None),
        Made::Approval(id) => (None, Some(id)),
    };
    sqlx::query(
        "UPDATE payment_requests SET posting_id = $1, approval_id = $2 \
         WHERE firm_id = $3 AND exchange_id = $4 AND request_key = $5",
    )
    .bind(posting_id)
    .bind(approval_id)
    .bind(firm_id)
    .bind(exchange_id)
    .bind(&request.key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The earlier request on this exchange with this idempotency key, if any: what it asked
    /// and what it made.
    ///
    /// # Errors
    /// A database failure.
    pub async fn kept_request(
        &self,
        firm_id: &str,
        exchange_id: &str,
        key: &str,
    ) -> Result<Option<KeptRequest>> {
        // The writer: a key kept a moment ago by another server must be seen.
        let r = sqlx::query(
            "SELECT fingerprint, posting_id, approval_id FROM payment_requests \
             WHERE firm_id = $1 AND exchange_id = $2 AND request_key = $3",
        )
        .bind(firm_id)
        .bind(exchange_id)
        .bind(key)
        .fetch_optional(&self.writer)
        .await?;
        let Some(r) = r else {
            return Ok(None);
        };
        Ok(Some(KeptRequest {
            fingerprint: r.try_get("fingerprint")?,
            posting_id: r.try_get("posting_id")?,
            approval_id: r.try_get("approval_id")?,
        }))
    }

    /// Keeps a payment a rule refused in the audit log (`ledger.refused`): who asked to move
    /// what, and why it was refused. Nothing moved, so nothing else is written; but an
    /// attempt to release the funds early, to overdraw them or to pay a closing twice is a
    /// fact the intermediary answers for (Treas. Reg. §1.1031(k)-1(g)(6)). So is a second
    /// person's approval a rule refused (the release still early on the day of approval, the
    /// funds short): with `approval`, the entry is the approval's, so that it is found with
    /// the approval's other entries.
    ///
    /// # Errors
    /// A database failure.
    pub async fn audit_refused_payment(
        &self,
        a: &Actor,
        exchange_id: &str,
        approval: Option<&str>,
        asked: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let id = new_id();
        let (entity, entity_id) = match approval {
            Some(approval_id) => ("approval", approval_id),
            None => ("posting", id.as_str()),
        };
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "ledger.refused",
                entity,
                entity_id,
                before: None,
                after: Some(asked),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
