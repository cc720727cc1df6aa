//! The firm overview the web dashboard needs without reading every exchange: how many are
//! in each phase, and the open ones (draft or sale closed) in full.

use crate::exchanges::{EX_COLS, exchange_of};
use crate::{ExchangeRow, Phase, Result, Store};
use sqlx::Row;

impl Store {
    /// The number of exchanges in each phase (a client: their own).
    ///
    /// # Errors
    /// A database failure.
    pub async fn count_exchanges_by_phase(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
    ) -> Result<Vec<(Phase, i64)>> {
        let q = match client_id {
            Some(_) => {
                "SELECT phase, COUNT(*) AS n FROM exchanges WHERE firm_id = $1 AND client_id = $2 GROUP BY phase"
            }
            None => "SELECT phase, COUNT(*) AS n FROM exchanges WHERE firm_id = $1 GROUP BY phase",
        };
        let mut q = sqlx::query(q).bind(firm_id);
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let p: String = r.try_get("phase")?;
                let n: i64 = r.try_get("n")?;
                Ok((Phase::parse(&p), n))
            })
            .collect()
    }

    /// The open exchanges (draft or sale closed), oldest first (a client: their own).
    ///
    /// # Errors
    /// A database failure.
    pub async fn list_open_exchanges(
        &self,
        firm_id: &str,
        client_id: Option<&str>,
    ) -> Result<Vec<ExchangeRow>> {
        let q = match client_id {
            Some(_) => format!(
                "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND phase IN ('draft', 'relinquished_closed') AND client_id = $2 ORDER BY id"
            ),
            None => format!(
                "SELECT {EX_COLS} FROM exchanges WHERE firm_id = $1 AND phase IN ('draft', 'relinquished_closed') ORDER BY id"
            ),
        };
        let mut q = sqlx::query(&q).bind(firm_id);
        if let Some(c) = client_id {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter().map(exchange_of).collect()
    }
}
