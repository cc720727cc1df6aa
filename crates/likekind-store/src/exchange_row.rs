//! Reading an exchange's row: its columns and how a row becomes an [`ExchangeRow`]. Used by
//! the exchanges and by their summaries, so neither reaches into the other.

use crate::{ExchangeRow, Phase, Result};
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) const EX_COLS: &str = "id, firm_id, client_id, name, file, phase, balance_cents, ledger_seq, version, created_at, updated_at";

pub(crate) fn exchange_of(r: &AnyRow) -> Result<ExchangeRow> {
    let phase: String = r.try_get("phase")?;
    Ok(ExchangeRow {
        id: r.try_get("id")?,
        firm_id: r.try_get("firm_id")?,
        client_id: r.try_get("client_id")?,
        name: r.try_get("name")?,
        file: r.try_get("file")?,
        phase: Phase::parse(&phase),
        balance_cents: r.try_get("balance_cents")?,
        ledger_seq: r.try_get("ledger_seq")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
