//! The funds ledger the intermediary holds for each exchange.
//!
//! Append-only postings numbered per exchange; the running balance lives on the exchange
//! row and is changed by one conditional `UPDATE ... WHERE balance_cents + amount >= 0`, in
//! the same transaction as the posting and its audit record. The condition and the row lock it
//! takes make "never negative" hold under concurrent writers on both backends, and the
//! `CHECK (balance_cents >= 0)` constraints make the database refuse it even if the code did
//! not. Disbursements and releases above the firm's threshold wait in `approvals` until a second person
//! approves; only then is a posting appended. A disbursement names the purchase closing it pays
//! (`property_id`) and, with the earlier disbursements to that closing, never exceeds what the
//! closing needs from the exchange funds: checked in the same transaction, after the exchange
//! row is locked (Treas. Reg. §1.1031(k)-1(g)(6)). The second approval cannot be split
//! either: a payment out posted without a second person may not take what has left the
//! exchange without one above the threshold, checked in the same transaction after the same
//! lock (`check_four_eyes`).

use crate::audit::{self, Change};
use crate::exchanges::get_in;
use crate::requests::{self, Made};
use crate::{
    Actor, ApprovalRow, ClosingPaid, NewPosting, PageReq, Phase, PostingKind, PostingRow, Result,
    Store, StoreError, new_id, now_rfc3339,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

const POSTING_COLS: &str = "id, exchange_id, seq, kind, amount_cents, balance_after_cents, posted_on, value_date, memo, created_by, approved_by, override_reason, property_id, created_at";
const APPROVAL_COLS: &str = "id, exchange_id, kind, amount_cents, posted_on, memo, requested_by, requested_at, status, decided_by, decided_at, posting_id, override_reason, property_id";

fn kind_of(r: &AnyRow) -> Result<PostingKind> {
    let k: String = r.try_get("kind")?;
    PostingKind::parse(&k).ok_or_else(|| StoreError::Conflict(format!("unknown posting kind {k}")))
}

fn posting_of(r: &AnyRow) -> Result<PostingRow> {
    Ok(PostingRow {
        id: r.try_get("id")?,
        exchange_id: r.try_get("exchange_id")?,
        seq: r.try_get("seq")?,
        kind: kind_of(r)?,
        amount_cents: r.try_get("amount_cents")?,
        balance_after_cents: r.try_get("balance_after_cents")?,
        posted_on: r.try_get("posted_on")?,
        value_date: r.try_get("value_date")?,
        memo: r.try_get("memo")?,
        created_by: r.try_get("created_by")?,
        approved_by: r.try_get("approved_by")?,
        override_reason: r.try_get("override_reason")?,
        property_id: r.try_get("property_id")?,
        created_at: r.try_get("created_at")?,
        created_by_name: None,
        approved_by_name: None,
    })
}

/// The select of postings with the names of who made and approved them (`p` the posting).
fn named_postings_sql(filter: &str) -> String {
    let cols = POSTING_COLS
        .split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {cols}, cu.name AS created_by_name, au.name AS approved_by_name FROM postings p \
         LEFT JOIN users cu ON cu.id = p.created_by AND cu.firm_id = p.firm_id \
         LEFT JOIN users au ON au.id = p.approved_by AND au.firm_id = p.firm_id WHERE {filter}"
    )
}

/// A posting read with [`named_postings_sql`].
fn named_posting_of(r: &AnyRow) -> Result<PostingRow> {
    let mut p = posting_of(r)?;
    p.created_by_name = r.try_get("created_by_name")?;
    p.approved_by_name = r.try_get("approved_by_name")?;
    Ok(p)
}

fn approval_of(r: &AnyRow) -> Result<ApprovalRow> {
    Ok(ApprovalRow {
        id: r.try_get("id")?,
        exchange_id: r.try_get("exchange_id")?,
        kind: kind_of(r)?,
        amount_cents: r.try_get("amount_cents")?,
        posted_on: r.try_get("posted_on")?,
        memo: r.try_get("memo")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        status: r.try_get("status")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        posting_id: r.try_get("posting_id")?,
        override_reason: r.try_get("override_reason")?,
        property_id: r.try_get("property_id")?,
    })
}

fn posting_json(p: &PostingRow) -> serde_json::Value {
    json!({
        "id": p.id, "seq": p.seq, "kind": p.kind.as_str(), "amount_cents": p.amount_cents,
        "balance_after_cents": p.balance_after_cents, "posted_on": p.posted_on,
        "value_date": p.value_date, "memo": p.memo,
        "approved_by": p.approved_by, "override_reason": p.override_reason,
        "property_id": p.property_id,
    })
}

fn approval_json(p: &ApprovalRow) -> serde_json::Value {
    json!({
        "id": p.id, "kind": p.kind.as_str(), "amount_cents": p.amount_cents,
        "posted_on": p.posted_on, "memo": p.memo, "status": p.status,
        "requested_by": p.requested_by, "decided_by": p.decided_by, "posting_id": p.posting_id,
        "override_reason": p.override_reason, "property_id": p.property_id,
    })
}

/// The guard of a disbursement, in the writing transaction: it must name the purchase closing
/// it pays, and with what earlier disbursements paid to that closing it may not exceed what
/// the closing needs from the exchange funds. Exchange funds reach the seller of replacement
/// property, never the taxpayer, before the (g)(6) date (Treas. Reg. §1.1031(k)-1(g)(6)).
/// Run after the exchange row is locked (the balance update), so two disbursements to the same
/// closing cannot both pass.
async fn check_closing(
    tx: &mut Transaction<'_, Any>,
    exchange_id: &str,
    p: &NewPosting,
) -> Result<()> {
    if p.kind != PostingKind::Disbursement {
        return Ok(());
    }
    let Some(c) = &p.closing else {
        return Err(StoreError::Conflict(
            "a disbursement must name the purchase closing it pays".into(),
        ));
    };
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(-amount_cents), 0) AS BIGINT) AS paid FROM postings \
         WHERE exchange_id = $1 AND kind = 'disbursement' AND property_id = $2",
    )
    .bind(exchange_id)
    .bind(&c.property_id)
    .fetch_one(&mut **tx)
    .await?;
    let paid: i64 = r.try_get("paid")?;
    let within = paid
        .checked_add(p.amount_cents)
        .is_some_and(|total| total <= c.need_cents);
    if within {
        Ok(())
    } else {
        Err(StoreError::ClosingOverpaid {
            property_id: c.property_id.clone(),
            need_cents: c.need_cents,
            paid_cents: paid,
            amount_cents: p.amount_cents,
        })
    }
}

/// The four-eyes rule that cannot be split, in the writing transaction: a payment out of the
/// exchange funds (a closing paid, a release, the intermediary's fee) posted without a second
/// person may not take what has left **this exchange** without a second approval above the
/// firm's threshold. Judging each payment alone would let two payments of $99,000 pass a
/// $100,000 threshold; judging the payment with the earlier unapproved ones of the same closing
/// or the same day would let the split move to another closing, kind or day. So every payment
/// out counts, whatever its kind, closing or day, for the whole life of the exchange: once
/// the threshold's worth has left without a second person, every further payment out needs
/// one (payments a second person approved do not count, they had their four eyes).
/// Run after the exchange row is locked (the balance update), so two requests at once cannot
/// both pass; the threshold is read in the same transaction.
async fn check_four_eyes(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    exchange_id: &str,
    p: &NewPosting,
) -> Result<()> {
    if p.kind.sign() > 0 {
        return Ok(());
    }
    let r = sqlx::query("SELECT approval_threshold_cents FROM firms WHERE id = $1")
        .bind(firm_id)
        .fetch_one(&mut **tx)
        .await?;
    let threshold_cents: i64 = r.try_get("approval_threshold_cents")?;
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(-amount_cents), 0) AS BIGINT) AS out FROM postings \
         WHERE exchange_id = $1 AND amount_cents < 0 AND approved_by IS NULL",
    )
    .bind(exchange_id)
    .fetch_one(&mut **tx)
    .await?;
    let unapproved_cents: i64 = r.try_get("out")?;
    let within = unapproved_cents
        .checked_add(p.amount_cents)
        .is_some_and(|total| total <= threshold_cents);
    if within {
        Ok(())
    } else {
        Err(StoreError::NeedsApproval {
            threshold_cents,
            unapproved_cents,
            amount_cents: p.amount_cents,
        })
    }
}

/// Appends one posting inside the caller's transaction: one posted without a second person
/// (`approved_by` none) is held to [`check_four_eyes`].
async fn append(
    tx: &mut Transaction<'_, Any>,
    a: &Actor,
    exchange_id: &str,
    expected_version: Option<i64>,
    p: &NewPosting,
    approved_by: Option<&str>,
) -> Result<PostingRow> {
    if p.amount_cents <= 0 {
        return Err(StoreError::Conflict(
            "a posting's amount must be positive".into(),
        ));
    }
    let delta = p
        .amount_cents
        .checked_mul(p.kind.sign())
        .ok_or_else(|| StoreError::Conflict("amount out of range".into()))?;
    let now = now_rfc3339();
    let updated = sqlx::query(
        "UPDATE exchanges SET balance_cents = balance_cents + $1, ledger_seq = ledger_seq + 1, updated_at = $2 \
         WHERE firm_id = $3 AND id = $4 AND balance_cents + $1 >= 0 AND phase IN ('draft', 'relinquished_closed') \
         AND ($5 < 0 OR version = $5) RETURNING balance_cents, ledger_seq",
    )
    .bind(delta)
    .bind(&now)
    .bind(&a.firm_id)
    .bind(exchange_id)
    .bind(expected_version.unwrap_or(-1))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(u) = updated else {
        // Say why: no such exchange, closed, changed, or not enough funds.
        let ex = get_in(tx, &a.firm_id, exchange_id).await?;
        if matches!(ex.phase, Phase::Completed | Phase::Failed) {
            return Err(StoreError::Conflict(format!(
                "the exchange is {}: its ledger is closed",
                ex.phase.as_str()
            )));
        }
        if let Some(v) = expected_version
            && v != ex.version
        {
            return Err(StoreError::Conflict(format!(
                "the exchange is at version {}, not {v}",
                ex.version
            )));
        }
        return Err(StoreError::InsufficientFunds {
            balance_cents: ex.balance_cents,
            amount_cents: p.amount_cents,
        });
    };
    let balance: i64 = u.try_get("balance_cents")?;
    let seq: i64 = u.try_get("ledger_seq")?;
    check_closing(tx, exchange_id, p).await?;
    if approved_by.is_none() {
        check_four_eyes(tx, &a.firm_id, exchange_id, p).await?;
    }
    if (balance > 0) != (balance - delta > 0) {
        // The balance crossed zero: the exchange's idle-funds alert now applies (or no longer
        // does). Kept with the posting so the alerts read only exchanges that hold funds.
        sqlx::query(
            "UPDATE exchange_milestones SET held = CASE WHEN $1 > 0 THEN 1 ELSE 0 END \
             WHERE exchange_id = $2 AND kind = 'idle_funds'",
        )
        .bind(balance)
        .bind(exchange_id)
        .execute(&mut **tx)
        .await?;
    }
    let r = sqlx::query(&format!(
        "INSERT INTO postings (id, exchange_id, firm_id, seq, kind, amount_cents, balance_after_cents, posted_on, value_date, memo, created_by, approved_by, override_reason, property_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING {POSTING_COLS}"
    ))
    .bind(new_id())
    .bind(exchange_id)
    .bind(&a.firm_id)
    .bind(seq)
    .bind(p.kind.as_str())
    .bind(delta)
    .bind(balance)
    .bind(&p.posted_on)
    .bind(p.value_date.clone())
    .bind(&p.memo)
    .bind(&a.user_id)
    .bind(approved_by.map(str::to_string))
    .bind(p.override_reason.clone())
    .bind(p.closing.as_ref().map(|c| c.property_id.clone()))
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    let mut row = posting_of(&r)?;
    row.created_by_name = user_name(tx, &a.firm_id, &a.user_id).await?;
    if let Some(ap) = approved_by {
        row.approved_by_name = user_name(tx, &a.firm_id, ap).await?;
    }
    Ok(row)
}

/// A user's name in the firm, for showing who posted and who approved.
async fn user_name(
    tx: &mut Transaction<'_, Any>,
    firm_id: &str,
    user_id: &str,
) -> Result<Option<String>> {
    let r = sqlx::query("SELECT name FROM users WHERE firm_id = $1 AND id = $2")
        .bind(firm_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match r {
        Some(r) => Some(r.try_get("name")?),
        None => None,
    })
}

/// How a second person decides a pending approval.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub approve: bool,
    /// The day the money moves when approved (the server's today).
    pub decided_on: &'a str,
    /// Refuse if the exchange file is no longer at this version (the one judged).
    pub expected_version: Option<i64>,
    /// For a disbursement: what its purchase closing needs from the exchange funds in all,
    /// judged on `decided_on` with the current file (`None`: its closing is not payable).
    pub closing_need_cents: Option<i64>,
}

impl Store {
    /// Appends a posting to an exchange's ledger, with its audit record, in one transaction.
    /// With `expected_version`, refuses if the exchange file changed since it was judged. A
    /// payment out that, with what already left the exchange without a second approval, would
    /// exceed the firm's threshold is refused and nothing is written: it must be filed with
    /// [`Store::request_approval`].
    ///
    /// # Errors
    /// [`StoreError::NeedsApproval`] when a second person must approve it;
    /// [`StoreError::InsufficientFunds`] when the balance would go negative;
    /// [`StoreError::Conflict`] when the exchange is closed or changed; [`StoreError::NotFound`].
    pub async fn post(
        &self,
        a: &Actor,
        exchange_id: &str,
        expected_version: Option<i64>,
        p: NewPosting,
    ) -> Result<PostingRow> {
        let mut tx = self.begin_write().await?;
        if let Some(k) = &p.request {
            requests::claim(&mut tx, &a.firm_id, exchange_id, &a.user_id, k).await?;
        }
        let row = append(&mut tx, a, exchange_id, expected_version, &p, None).await?;
        if let Some(k) = &p.request {
            requests::made(&mut tx, &a.firm_id, exchange_id, k, Made::Posting(&row.id)).await?;
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: if p.override_reason.is_some() {
                    "ledger.post.override"
                } else {
                    "ledger.post"
                },
                entity: "posting",
                entity_id: &row.id,
                before: Some(json!({"balance_cents": row.balance_after_cents - row.amount_cents})),
                after: Some(posting_json(&row)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// What the ledger released to the taxpayer on an exchange, in cents: every release
    /// posted (one sum, whatever the number of postings).
    ///
    /// # Errors
    /// A database failure.
    pub async fn released_to_taxpayer_cents(
        &self,
        firm_id: &str,
        exchange_id: &str,
    ) -> Result<i64> {
        let r = sqlx::query(
            "SELECT CAST(COALESCE(SUM(-amount_cents), 0) AS BIGINT) AS released FROM postings \
             WHERE firm_id = $1 AND exchange_id = $2 AND kind = 'release'",
        )
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_one(&self.reader)
        .await?;
        Ok(r.try_get("released")?)
    }

    /// Which of `property_ids` had their purchase closing paid from the exchange funds on or
    /// before `on` (`YYYY-MM-DD`): a disbursement toward the property posted that day or
    /// earlier. The day is `posted_on`, the server's today when the money moved (or when a
    /// second person approved it), never a date from a request (the bank's value date is
    /// `value_date`); every posting naming a property was written so (the column came after
    /// `posted_on` became the server's day). One query, whatever the number of postings.
    ///
    /// # Errors
    /// A database failure.
    pub async fn closings_paid_by(
        &self,
        firm_id: &str,
        exchange_id: &str,
        property_ids: &[&str],
        on: &str,
    ) -> Result<Vec<String>> {
        let mut paid = Vec::new();
        // One statement for any file a person writes (a few hundred purchases per statement).
        for ids in property_ids.chunks(crate::rows::IN_LIST) {
            let sql = format!(
                "SELECT DISTINCT property_id FROM postings WHERE firm_id = $1 AND exchange_id = $2 \
                 AND kind = 'disbursement' AND posted_on <= $3 AND property_id IN ({})",
                crate::rows::list(4, ids.len())
            );
            let mut q = sqlx::query(&sql).bind(firm_id).bind(exchange_id).bind(on);
            for id in ids {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.reader).await? {
                paid.push(r.try_get("property_id")?);
            }
        }
        Ok(paid)
    }

    /// The postings of an exchange in order.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_postings(
        &self,
        firm_id: &str,
        exchange_id: &str,
        page: PageReq<'_>,
    ) -> Result<Vec<PostingRow>> {
        let after_seq: i64 = page.after.and_then(|s| s.parse().ok()).unwrap_or(0);
        let sql = named_postings_sql(
            "p.firm_id = $1 AND p.exchange_id = $2 AND p.seq > $3 ORDER BY p.seq LIMIT $4",
        );
        let rows = sqlx::query(&sql)
            .bind(firm_id)
            .bind(exchange_id)
            .bind(after_seq)
            .bind(page.limit)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(named_posting_of).collect()
    }

    /// One posting of an exchange, with the names of who made and approved it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; a database failure.
    pub async fn get_posting(
        &self,
        firm_id: &str,
        exchange_id: &str,
        posting_id: &str,
    ) -> Result<PostingRow> {
        let sql = named_postings_sql("p.firm_id = $1 AND p.exchange_id = $2 AND p.id = $3");
        let r = sqlx::query(&sql)
            .bind(firm_id)
            .bind(exchange_id)
            .bind(posting_id)
            .fetch_optional(&self.writer)
            .await?
            .ok_or(StoreError::NotFound)?;
        named_posting_of(&r)
    }

    /// One approval of an exchange.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; a database failure.
    pub async fn get_approval(
        &self,
        firm_id: &str,
        exchange_id: &str,
        approval_id: &str,
    ) -> Result<ApprovalRow> {
        let r = sqlx::query(&format!(
            "SELECT {APPROVAL_COLS} FROM approvals WHERE firm_id = $1 AND exchange_id = $2 AND id = $3"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .bind(approval_id)
        .fetch_optional(&self.writer)
        .await?
        .ok_or(StoreError::NotFound)?;
        approval_of(&r)
    }

    /// Files a posting for a second person's approval.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the exchange is not the firm's.
    pub async fn request_approval(
        &self,
        a: &Actor,
        exchange_id: &str,
        p: NewPosting,
    ) -> Result<ApprovalRow> {
        let mut tx = self.begin_write().await?;
        get_in(&mut tx, &a.firm_id, exchange_id).await?;
        if let Some(k) = &p.request {
            requests::claim(&mut tx, &a.firm_id, exchange_id, &a.user_id, k).await?;
        }
        check_closing(&mut tx, exchange_id, &p).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO approvals (id, exchange_id, firm_id, kind, amount_cents, posted_on, memo, requested_by, requested_at, status, override_reason, property_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11) RETURNING {APPROVAL_COLS}"
        ))
        .bind(new_id())
        .bind(exchange_id)
        .bind(&a.firm_id)
        .bind(p.kind.as_str())
        .bind(p.amount_cents)
        .bind(&p.posted_on)
        .bind(&p.memo)
        .bind(&a.user_id)
        .bind(now_rfc3339())
        .bind(p.override_reason.clone())
        .bind(p.closing.as_ref().map(|c| c.property_id.clone()))
        .fetch_one(&mut *tx)
        .await?;
        let ap = approval_of(&r)?;
        if let Some(k) = &p.request {
            requests::made(&mut tx, &a.firm_id, exchange_id, k, Made::Approval(&ap.id)).await?;
        }
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "ledger.approval.request",
                entity: "approval",
                entity_id: &ap.id,
                before: None,
                after: Some(approval_json(&ap)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ap)
    }

    /// The approvals of an exchange.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_approvals(
        &self,
        firm_id: &str,
        exchange_id: &str,
    ) -> Result<Vec<ApprovalRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPROVAL_COLS} FROM approvals WHERE firm_id = $1 AND exchange_id = $2 ORDER BY id"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(approval_of).collect()
    }

    /// Decides a pending approval. Approving appends the posting (as the requester's, approved
    /// by the actor, effective `decided_on`: the day the money moves) in the same transaction;
    /// the requester can never approve their own. With `expected_version`, refuses if the
    /// exchange file changed since the release (or the disbursement's closing) was judged. A
    /// disbursement is paid only with `closing_need_cents`, what its purchase closing needs
    /// from the exchange funds as judged on that day, and never beyond it with what earlier
    /// disbursements paid to the same closing (Treas. Reg. §1.1031(k)-1(g)(6)).
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when it is not pending, or the actor requested it, or the
    /// exchange is closed, or a disbursement names no closing;
    /// [`StoreError::ClosingOverpaid`]; [`StoreError::InsufficientFunds`];
    /// [`StoreError::NotFound`].
    pub async fn decide_approval(
        &self,
        a: &Actor,
        exchange_id: &str,
        approval_id: &str,
        d: Decision<'_>,
    ) -> Result<(ApprovalRow, Option<PostingRow>)> {
        let Decision {
            approve,
            decided_on,
            expected_version,
            closing_need_cents,
        } = d;
        let mut tx = self.begin_write().await?;
        let r = sqlx::query(&format!(
            "SELECT {APPROVAL_COLS} FROM approvals WHERE firm_id = $1 AND exchange_id = $2 AND id = $3"
        ))
        .bind(&a.firm_id)
        .bind(exchange_id)
        .bind(approval_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = approval_of(&r)?;
        if before.status != "pending" {
            return Err(StoreError::Conflict(format!(
                "the approval is already {}",
                before.status
            )));
        }
        if before.requested_by == a.user_id {
            return Err(StoreError::Conflict(
                "a second person must approve: the requester cannot approve their own disbursement or release"
                    .into(),
            ));
        }
        let posting = if approve {
            let requester = Actor {
                firm_id: a.firm_id.clone(),
                user_id: before.requested_by.clone(),
            };
            let p = NewPosting {
                kind: before.kind,
                amount_cents: before.amount_cents,
                posted_on: decided_on.to_string(),
                value_date: None,
                memo: before.memo.clone(),
                override_reason: before.override_reason.clone(),
                closing: match (&before.property_id, closing_need_cents) {
                    (Some(id), Some(need_cents)) => Some(ClosingPaid {
                        property_id: id.clone(),
                        need_cents,
                    }),
                    _ => None,
                },
                request: None,
            };
            Some(
                append(
                    &mut tx,
                    &requester,
                    exchange_id,
                    expected_version,
                    &p,
                    Some(&a.user_id),
                )
                .await?,
            )
        } else {
            None
        };
        let r = sqlx::query(&format!(
            "UPDATE approvals SET status = $1, decided_by = $2, decided_at = $3, posting_id = $4 \
             WHERE id = $5 AND status = 'pending' RETURNING {APPROVAL_COLS}"
        ))
        .bind(if approve { "approved" } else { "rejected" })
        .bind(&a.user_id)
        .bind(now_rfc3339())
        .bind(posting.as_ref().map(|p| p.id.clone()))
        .bind(approval_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Conflict("the approval changed meanwhile".into()))?;
        let after = approval_of(&r)?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: if approve {
                    "ledger.approval.approve"
                } else {
                    "ledger.approval.reject"
                },
                entity: "approval",
                entity_id: approval_id,
                before: Some(approval_json(&before)),
                after: Some(json!({"approval": approval_json(&after), "posting": posting.as_ref().map(posting_json)})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((after, posting))
    }
}
