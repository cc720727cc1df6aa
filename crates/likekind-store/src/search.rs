//! The dashboard's list of exchanges: search by word (name, client, taxpayer, property),
//! filters by status, coordinator and deadline window, four sort orders, read a page at a time
//! after the last row shown (keyset): each order has its own index, and no read sorts or
//! counts the whole book. Also the assigned coordinator of an exchange (a staff action,
//! audited).

use crate::audit::{self, Change};
use crate::overview::{RUNNING_SQL, STATUS_SQL, date_of, status_word};
use crate::terms::{prefix_end, words};
use crate::{Actor, Result, Store, StoreError, now_rfc3339};
use jiff::civil::Date;
use serde_json::json;
use sqlx::Row;

/// The most search words used (more are ignored).
pub const MAX_SEARCH_WORDS: usize = 5;

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// By name, A to Z.
    #[default]
    Name,
    /// By the end of the exchange period, soonest first (undated last).
    Deadline,
    /// By the funds held, most first.
    Funds,
    /// Newest first.
    Newest,
}

impl ListSort {
    pub const ALL: [ListSort; 4] = [
        ListSort::Name,
        ListSort::Deadline,
        ListSort::Funds,
        ListSort::Newest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListSort::Name => "name",
            ListSort::Deadline => "deadline",
            ListSort::Funds => "funds",
            ListSort::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Option<ListSort> {
        ListSort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Which coordinator's exchanges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoordinatorFilter {
    /// Assigned to this user.
    User(String),
    /// Assigned to nobody.
    Unassigned,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only this client's exchanges (a client sees only their own).
    pub client_id: Option<String>,
    /// Words that must each start a word of the exchange's name, client, taxpayer or
    /// properties.
    pub search: String,
    /// One of [`crate::STATUSES`] on `today`.
    pub status: Option<String>,
    pub coordinator: Option<CoordinatorFilter>,
    /// Open exchanges whose next deadline falls within this many days from `today`.
    pub due_within: Option<i64>,
    pub sort: ListSort,
    /// The id of the last exchange of the previous page.
    pub after: Option<String>,
    pub limit: i64,
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedExchange {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub coordinator_id: Option<String>,
    pub coordinator_name: Option<String>,
    /// The status on the day asked (as the dashboard's counts).
    pub status: &'static str,
    /// The next deadline while the clock runs: the end of identification until it passes,
    /// then the end of the exchange period.
    pub next_deadline: Option<Date>,
    /// `true` when the next deadline is the end of identification (day 45).
    pub next_is_identification: bool,
    pub exchange_end: Option<Date>,
    pub balance_cents: i64,
    pub created_at: String,
}

enum Arg {
    S(String),
    I(i64),
}

const UNDATED: &str = "9999-12-31";

impl Store {
    /// One page of the list (see [`ListQuery`]), in its sort order after `q.after`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when `q.after` is not an exchange of the firm; a database
    /// failure.
    pub async fn list_exchange_page(
        &self,
        firm_id: &str,
        today: Date,
        q: &ListQuery,
    ) -> Result<Vec<ListedExchange>> {
        let mut args: Vec<Arg> = Vec::new();
        let next = |a: Arg, args: &mut Vec<Arg>| {
            args.push(a);
            format!("${}", args.len() + 3)
        };
        let mut wh = String::new();
        if let Some(c) = &q.client_id {
            let p = next(Arg::S(c.clone()), &mut args);
            wh.push_str(&format!(" AND client_id = {p}"));
        }
        for w in words(&q.search).into_iter().take(MAX_SEARCH_WORDS) {
            let end = prefix_end(&w);
            let lo = next(Arg::S(w), &mut args);
            let hi = match end {
                Some(e) => format!(" AND term < {}", next(Arg::S(e), &mut args)),
                None => String::new(),
            };
            wh.push_str(&format!(
                " AND id IN (SELECT exchange_id FROM exchange_terms WHERE firm_id = $1 AND term >= {lo}{hi})"
            ));
        }
        if let Some(s) = &q.status {
            let p = next(Arg::S(s.clone()), &mut args);
            wh.push_str(&format!(" AND {STATUS_SQL} = {p}"));
        }
        match &q.coordinator {
            Some(CoordinatorFilter::User(u)) => {
                let p = next(Arg::S(u.clone()), &mut args);
                wh.push_str(&format!(" AND coordinator_id = {p}"));
            }
            Some(CoordinatorFilter::Unassigned) => wh.push_str(" AND coordinator_id IS NULL"),
            None => {}
        }
        if let Some(n) = q.due_within {
            let end = today
                .checked_add(jiff::Span::new().days(n.clamp(0, 3650)))
                .unwrap_or(today);
            let p = next(Arg::S(end.to_string()), &mut args);
            wh.push_str(&format!(
                " AND phase IN ('draft', 'relinquished_closed') AND {RUNNING_SQL} \
                 AND ((identification_end >= $2 AND identification_end <= {p}) \
                 OR (COALESCE(identification_end, '') < $2 AND exchange_end >= $2 AND exchange_end <= {p}))"
            ));
        }
        let dkey = format!("COALESCE(exchange_end, '{UNDATED}')");
        if let Some(after) = &q.after {
            let r = sqlx::query(&format!(
                "SELECT name, balance_cents, created_at, {dkey} AS dkey FROM exchanges WHERE firm_id = $1 AND id = $2"
            ))
            .bind(firm_id)
            .bind(after)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
            let name: String = r.try_get("name")?;
            let id = after.clone();
            match q.sort {
                ListSort::Name => {
                    let a = next(Arg::S(name), &mut args);
                    let b = next(Arg::S(id), &mut args);
                    wh.push_str(&format!(" AND (name, id) > ({a}, {b})"));
                }
                ListSort::Deadline => {
                    let d = next(Arg::S(r.try_get("dkey")?), &mut args);
                    let a = next(Arg::S(name), &mut args);
                    let b = next(Arg::S(id), &mut args);
                    wh.push_str(&format!(" AND ({dkey}, name, id) > ({d}, {a}, {b})"));
                }
                ListSort::Funds => {
                    let a = next(Arg::I(r.try_get("balance_cents")?), &mut args);
                    let b = next(Arg::S(id), &mut args);
                    wh.push_str(&format!(" AND (balance_cents, id) < ({a}, {b})"));
                }
                ListSort::Newest => {
                    let a = next(Arg::S(r.try_get("created_at")?), &mut args);
                    let b = next(Arg::S(id), &mut args);
                    wh.push_str(&format!(" AND (created_at, id) < ({a}, {b})"));
                }
            }
        }
        let order = match q.sort {
            ListSort::Name => "name, id".to_string(),
            ListSort::Deadline => format!("{dkey}, name, id"),
            ListSort::Funds => "balance_cents DESC, id DESC".to_string(),
            ListSort::Newest => "created_at DESC, id DESC".to_string(),
        };
        let sql = format!(
            "SELECT id, name, client_id, coordinator_id, balance_cents, identification_end, exchange_end, created_at, \
             (SELECT u.name FROM users u WHERE u.id = exchanges.client_id) AS client_name, \
             (SELECT u.name FROM users u WHERE u.id = exchanges.coordinator_id) AS coordinator_name, \
             {STATUS_SQL} AS status, \
             CASE WHEN phase IN ('draft', 'relinquished_closed') AND {RUNNING_SQL} THEN 1 ELSE 0 END AS running \
             FROM exchanges WHERE firm_id = $1{wh} ORDER BY {order} LIMIT $3"
        );
        let mut query = sqlx::query(&sql)
            .bind(firm_id)
            .bind(today.to_string())
            .bind(q.limit.clamp(1, 1000));
        for a in args {
            query = match a {
                Arg::S(s) => query.bind(s),
                Arg::I(i) => query.bind(i),
            };
        }
        let rows = query.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| {
                let day = |c: &str| -> Result<Option<Date>> {
                    r.try_get::<Option<String>, _>(c)?
                        .as_deref()
                        .map(date_of)
                        .transpose()
                };
                let id_end = day("identification_end")?;
                let ex_end = day("exchange_end")?;
                let running = r.try_get::<i64, _>("running")? == 1;
                let on_id = running && id_end.is_some_and(|d| d >= today);
                let next_deadline = if !running {
                    None
                } else if on_id {
                    id_end
                } else {
                    ex_end
                };
                Ok(ListedExchange {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    client_id: r.try_get("client_id")?,
                    client_name: r.try_get("client_name")?,
                    coordinator_id: r.try_get("coordinator_id")?,
                    coordinator_name: r.try_get("coordinator_name")?,
                    status: status_word(&r.try_get::<String, _>("status")?),
                    next_deadline,
                    next_is_identification: on_id,
                    exchange_end: ex_end,
                    balance_cents: r.try_get("balance_cents")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The coordinator assigned to an exchange of the firm (`None`: nobody).
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; a database failure.
    pub async fn exchange_coordinator(&self, firm_id: &str, id: &str) -> Result<Option<String>> {
        let r = sqlx::query("SELECT coordinator_id FROM exchanges WHERE firm_id = $1 AND id = $2")
            .bind(firm_id)
            .bind(id)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(r.try_get("coordinator_id")?)
    }

    /// Assigns a coordinator to an exchange (`None`: nobody), with its audit entry (before and
    /// after) in one transaction. The caller checks that the person may be assigned; the
    /// store checks that they are an active staff member of the same firm. Returns the
    /// coordinator before and after.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an exchange not in the firm; [`StoreError::Conflict`] when
    /// the person is not an active administrator or coordinator of the firm.
    pub async fn set_coordinator(
        &self,
        a: &Actor,
        id: &str,
        coordinator_id: Option<&str>,
    ) -> Result<(Option<String>, Option<String>)> {
        let mut tx = self.begin_write().await?;
        let before: Option<String> =
            sqlx::query("SELECT coordinator_id FROM exchanges WHERE firm_id = $1 AND id = $2")
                .bind(&a.firm_id)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .try_get("coordinator_id")?;
        if let Some(c) = coordinator_id {
            let ok = sqlx::query(
                "SELECT id FROM users WHERE firm_id = $1 AND id = $2 AND role IN ('admin', 'coordinator') AND active = 1",
            )
            .bind(&a.firm_id)
            .bind(c)
            .fetch_optional(&mut *tx)
            .await?;
            if ok.is_none() {
                return Err(StoreError::Conflict(
                    "the person is not an active administrator or coordinator of the firm".into(),
                ));
            }
        }
        sqlx::query("UPDATE exchanges SET coordinator_id = $1, updated_at = $2 WHERE firm_id = $3 AND id = $4")
            .bind(coordinator_id.map(str::to_string))
            .bind(now_rfc3339())
            .bind(&a.firm_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::by(
            &mut tx,
            a,
            Change {
                exchange_id: Some(id),
                action: "exchange.coordinator",
                entity: "exchange",
                entity_id: id,
                before: Some(json!({ "coordinator_id": before })),
                after: Some(json!({ "coordinator_id": coordinator_id })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((before, coordinator_id.map(str::to_string)))
    }
}
