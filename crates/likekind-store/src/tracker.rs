//! Identification notices and documents of an exchange.

use crate::audit::{self, Change};
use crate::exchanges::{EX_COLS, ex_json, exchange_of, get_in};
use crate::{
    Actor, Document, ExchangeRow, NewDocument, NoticeRow, Result, Store, StoreError, new_id,
    now_rfc3339,
};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

const NOTICE_COLS: &str = "id, exchange_id, status, identified_on, properties, judgement, submitted_by, submitted_at, signed_by, signed_at, revoked_on, revoked_at, kind, delivered_on, received_by, document_id";
const DOC_COLS: &str =
    "id, exchange_id, kind, filename, content_type, sha256, size, uploaded_by, uploaded_at";

fn notice_of(r: &AnyRow) -> Result<NoticeRow> {
    Ok(NoticeRow {
        id: r.try_get("id")?,
        exchange_id: r.try_get("exchange_id")?,
        status: r.try_get("status")?,
        identified_on: r.try_get("identified_on")?,
        properties: r.try_get("properties")?,
        judgement: r.try_get("judgement")?,
        submitted_by: r.try_get("submitted_by")?,
        submitted_at: r.try_get("submitted_at")?,
        signed_by: r.try_get("signed_by")?,
        signed_at: r.try_get("signed_at")?,
        revoked_on: r.try_get("revoked_on")?,
        revoked_at: r.try_get("revoked_at")?,
        kind: r.try_get("kind")?,
        delivered_on: r.try_get("delivered_on")?,
        received_by: r.try_get("received_by")?,
        document_id: r.try_get("document_id")?,
    })
}

/// Whether the engine accepted the notice when it was submitted (its judgement's `accepted`):
/// only such a notice can be signed.
fn notice_accepted(n: &NoticeRow) -> bool {
    serde_json::from_str::<serde_json::Value>(&n.judgement)
        .ok()
        .and_then(|j| j.get("accepted").and_then(serde_json::Value::as_bool))
        .unwrap_or(false)
}

fn notice_json(n: &NoticeRow) -> serde_json::Value {
    json!({
        "id": n.id, "status": n.status, "identified_on": n.identified_on,
        "properties": serde_json::from_str::<serde_json::Value>(&n.properties).unwrap_or_default(),
        "signed_by": n.signed_by, "revoked_on": n.revoked_on, "kind": n.kind,
        "delivered_on": n.delivered_on, "received_by": n.received_by, "document_id": n.document_id,
        "accepted": notice_accepted(n),
    })
}

fn doc_of(r: &AnyRow) -> Result<Document> {
    Ok(Document {
        id: r.try_get("id")?,
        exchange_id: r.try_get("exchange_id")?,
        kind: r.try_get("kind")?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        sha256: r.try_get("sha256")?,
        size: r.try_get("size")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// A change of a notice's status, with the exchange file that results.
#[derive(Debug, Clone)]
pub struct NoticeChange {
    /// `signed` or `revoked`.
    pub to_status: String,
    /// The status the notice must be in.
    pub from_status: String,
    pub revoked_on: Option<String>,
    /// The exchange file with the notice applied (its `identified` entries).
    pub file: String,
    /// The exchange version the file was computed from.
    pub expected_version: i64,
    /// Refuse the change if money moved on the ledger since the server judged it (the
    /// ledger's sequence number read then): a late revocation is judged against the money held.
    pub expected_ledger_seq: Option<i64>,
    /// What staff recorded with a signed paper revocation (its document, who received it, an
    /// administrator's reason), kept in the audit log with the change.
    pub record: Option<serde_json::Value>,
}

/// A signed paper notice recorded by staff, with the exchange file that results.
#[derive(Debug, Clone)]
pub struct PaperNotice {
    /// The day the notice was delivered (`YYYY-MM-DD`): the day it identifies the properties.
    pub delivered_on: String,
    /// JSON array of the properties identified.
    pub properties: String,
    /// JSON: the engine's judgement.
    pub judgement: String,
    /// The person who received the notice.
    pub received_by: String,
    /// The scanned notice: one already among the exchange's documents (its id), or one
    /// stored now in the same transaction.
    pub document: PaperDocument,
    /// The exchange file with the notice's properties identified.
    pub file: String,
    /// The exchange version the file was computed from.
    pub expected_version: i64,
}

/// The scanned signed notice of a paper notice.
#[derive(Debug, Clone)]
pub enum PaperDocument {
    /// Already among the exchange's documents.
    Existing(String),
    /// Uploaded with the notice (stored in the same transaction).
    New(NewDocument),
}

impl Store {
    /// Records a signed paper notice (as signed, recorded by the actor) and writes the
    /// exchange file with its properties identified, in one transaction; audited.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the exchange or the document is not the firm's (the
    /// document must belong to this exchange); [`StoreError::Conflict`] when the exchange
    /// changed meanwhile.
    pub async fn record_paper_notice(
        &self,
        a: &Actor,
        exchange_id: &str,
        p: PaperNotice,
    ) -> Result<(NoticeRow, ExchangeRow)> {
        let mut tx = self.begin_write().await?;
        let ex_before = get_in(&mut tx, &a.firm_id, exchange_id).await?;
        let document_id = match p.document {
            PaperDocument::Existing(id) => {
                sqlx::query(
                    "SELECT id FROM documents WHERE firm_id = $1 AND exchange_id = $2 AND id = $3",
                )
                .bind(&a.firm_id)
                .bind(exchange_id)
                .bind(&id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
                id
            }
            PaperDocument::New(d) => insert_document(&mut tx, a, exchange_id, d).await?.id,
        };
        let now = now_rfc3339();
        let r = sqlx::query(&format!(
            "INSERT INTO notices (id, exchange_id, firm_id, status, identified_on, properties, judgement, submitted_by, submitted_at, signed_by, signed_at, kind, delivered_on, received_by, document_id) \
             VALUES ($1, $2, $3, 'signed', $4, $5, $6, $7, $8, $7, $8, 'paper', $4, $9, $10) RETURNING {NOTICE_COLS}"
        ))
        .bind(new_id())
        .bind(exchange_id)
        .bind(&a.firm_id)
        .bind(&p.delivered_on)
        .bind(&p.properties)
        .bind(&p.judgement)
        .bind(&a.user_id)
        .bind(&now)
        .bind(&p.received_by)
        .bind(&document_id)
        .fetch_one(&mut *tx)
        .await?;
        let n = notice_of(&r)?;
        let ex = sqlx::query(&format!(
            "UPDATE exchanges SET file = $1, version = version + 1, updated_at = $2 \
             WHERE firm_id = $3 AND id = $4 AND version = $5 RETURNING {EX_COLS}"
        ))
        .bind(&p.file)
        .bind(&now)
        .bind(&a.firm_id)
        .bind(exchange_id)
        .bind(p.expected_version)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Conflict("the exchange changed meanwhile".into()))?;
        let ex = exchange_of(&ex)?;
        crate::summary::write(&mut tx, &ex).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "notice.paper",
                entity: "notice",
                entity_id: &n.id,
                before: Some(json!({"exchange": ex_json(&ex_before)})),
                after: Some(json!({"notice": notice_json(&n), "exchange": ex_json(&ex)})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((n, ex))
    }

    /// Stores a submitted notice with the engine's judgement of it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the exchange is not the firm's.
    pub async fn create_notice(
        &self,
        a: &Actor,
        exchange_id: &str,
        identified_on: &str,
        properties_json: &str,
        judgement_json: &str,
    ) -> Result<NoticeRow> {
        let mut tx = self.begin_write().await?;
        get_in(&mut tx, &a.firm_id, exchange_id).await?;
        let r = sqlx::query(&format!(
            "INSERT INTO notices (id, exchange_id, firm_id, status, identified_on, properties, judgement, submitted_by, submitted_at) \
             VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8) RETURNING {NOTICE_COLS}"
        ))
        .bind(new_id())
        .bind(exchange_id)
        .bind(&a.firm_id)
        .bind(identified_on)
        .bind(properties_json)
        .bind(judgement_json)
        .bind(&a.user_id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        let n = notice_of(&r)?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: "notice.submit",
                entity: "notice",
                entity_id: &n.id,
                before: None,
                after: Some(notice_json(&n)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// One notice.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_notice(
        &self,
        firm_id: &str,
        exchange_id: &str,
        id: &str,
    ) -> Result<NoticeRow> {
        let r = sqlx::query(&format!(
            "SELECT {NOTICE_COLS} FROM notices WHERE firm_id = $1 AND exchange_id = $2 AND id = $3"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        notice_of(&r)
    }

    /// The notices of an exchange.
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_notices(&self, firm_id: &str, exchange_id: &str) -> Result<Vec<NoticeRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTICE_COLS} FROM notices WHERE firm_id = $1 AND exchange_id = $2 ORDER BY id"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(notice_of).collect()
    }

    /// Signs or revokes a notice and writes the resulting exchange file, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the notice is not in `from_status` or the exchange changed.
    pub async fn change_notice(
        &self,
        a: &Actor,
        exchange_id: &str,
        notice_id: &str,
        c: NoticeChange,
    ) -> Result<(NoticeRow, ExchangeRow)> {
        let mut tx = self.begin_write().await?;
        let ex_before = get_in(&mut tx, &a.firm_id, exchange_id).await?;
        let r = sqlx::query(&format!(
            "SELECT {NOTICE_COLS} FROM notices WHERE firm_id = $1 AND exchange_id = $2 AND id = $3"
        ))
        .bind(&a.firm_id)
        .bind(exchange_id)
        .bind(notice_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = notice_of(&r)?;
        if before.status != c.from_status {
            return Err(StoreError::Conflict(format!(
                "the notice is {}, not {}",
                before.status, c.from_status
            )));
        }
        let now = now_rfc3339();
        let signing = c.to_status == "signed";
        let r = sqlx::query(&format!(
            "UPDATE notices SET status = $1, \
               signed_by = CASE WHEN $2 = 1 THEN $3 ELSE signed_by END, \
               signed_at = CASE WHEN $2 = 1 THEN $4 ELSE signed_at END, \
               revoked_on = $5, revoked_at = CASE WHEN $2 = 1 THEN revoked_at ELSE $4 END \
             WHERE id = $6 AND status = $7 RETURNING {NOTICE_COLS}"
        ))
        .bind(&c.to_status)
        .bind(i64::from(signing))
        .bind(&a.user_id)
        .bind(&now)
        .bind(c.revoked_on.clone())
        .bind(notice_id)
        .bind(&c.from_status)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Conflict("the notice changed meanwhile".into()))?;
        let after = notice_of(&r)?;
        let ex = sqlx::query(&format!(
            "UPDATE exchanges SET file = $1, version = version + 1, updated_at = $2 \
             WHERE firm_id = $3 AND id = $4 AND version = $5 AND ($6 < 0 OR ledger_seq = $6) \
             RETURNING {EX_COLS}"
        ))
        .bind(&c.file)
        .bind(&now)
        .bind(&a.firm_id)
        .bind(exchange_id)
        .bind(c.expected_version)
        .bind(c.expected_ledger_seq.unwrap_or(-1))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::Conflict(
                "the exchange or its ledger changed meanwhile: read it again and redo the change"
                    .into(),
            )
        })?;
        let ex = exchange_of(&ex)?;
        crate::summary::write(&mut tx, &ex).await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(exchange_id),
                action: if signing {
                    "notice.sign"
                } else {
                    "notice.revoke"
                },
                entity: "notice",
                entity_id: notice_id,
                before: Some(
                    json!({"notice": notice_json(&before), "exchange": ex_json(&ex_before)}),
                ),
                after: Some(match c.record {
                    Some(r) => json!({"notice": notice_json(&after), "exchange": ex_json(&ex), "revocation": r}),
                    None => json!({"notice": notice_json(&after), "exchange": ex_json(&ex)}),
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((after, ex))
    }

    /// Stores a document with its hash.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the exchange is not the firm's.
    pub async fn add_document(
        &self,
        a: &Actor,
        exchange_id: &str,
        d: NewDocument,
    ) -> Result<Document> {
        let mut tx = self.begin_write().await?;
        get_in(&mut tx, &a.firm_id, exchange_id).await?;
        let doc = insert_document(&mut tx, a, exchange_id, d).await?;
        tx.commit().await?;
        Ok(doc)
    }

    /// The documents of an exchange (without content).
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_documents(&self, firm_id: &str, exchange_id: &str) -> Result<Vec<Document>> {
        let rows = sqlx::query(&format!(
            "SELECT {DOC_COLS} FROM documents WHERE firm_id = $1 AND exchange_id = $2 ORDER BY id"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(doc_of).collect()
    }

    /// One document and its content.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_document(
        &self,
        firm_id: &str,
        exchange_id: &str,
        id: &str,
    ) -> Result<(Document, Vec<u8>)> {
        let r = sqlx::query(&format!(
            "SELECT {DOC_COLS}, content FROM documents WHERE firm_id = $1 AND exchange_id = $2 AND id = $3"
        ))
        .bind(firm_id)
        .bind(exchange_id)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((doc_of(&r)?, r.try_get("content")?))
    }
}

/// Stores a document and audits its upload, inside the caller's transaction.
async fn insert_document(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    a: &Actor,
    exchange_id: &str,
    d: NewDocument,
) -> Result<Document> {
    let size = i64::try_from(d.content.len()).unwrap_or(i64::MAX);
    let r = sqlx::query(&format!(
        "INSERT INTO documents (id, exchange_id, firm_id, kind, filename, content_type, sha256, size, content, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {DOC_COLS}"
    ))
    .bind(new_id())
    .bind(exchange_id)
    .bind(&a.firm_id)
    .bind(&d.kind)
    .bind(&d.filename)
    .bind(&d.content_type)
    .bind(&d.sha256)
    .bind(size)
    .bind(d.content)
    .bind(&a.user_id)
    .bind(now_rfc3339())
    .fetch_one(&mut **tx)
    .await?;
    let doc = doc_of(&r)?;
    audit::by(
        tx,
        a,
        Change {
            exchange_id: Some(exchange_id),
            action: "document.upload",
            entity: "document",
            entity_id: &doc.id,
            before: None,
            after: Some(json!(doc)),
        },
    )
    .await?;
    Ok(doc)
}
