//! Reads that many requests repeat, kept by each server process for one data revision
//! ([`likekind_store::Store::data_revision`]): the dashboard and the alerts cost eight and two
//! statements, an exchange page six and the engine's analysis, and a firm's staff ask for the
//! same ones all day. A request reads the revision first (one primary-key read); a read kept
//! under that same revision was taken after it, so it already includes every change committed
//! up to it, and is served again. Any change to what they show moves the revision, in the
//! changing transaction, on every server sharing the database; a new revision drops every
//! kept read. The key names everything else the read depends on (firm, caller, day, query),
//! so the day's turn is a new key.
//!
//! Each kind of read (the dashboard, the alerts, exchange pages…) has its own bound: a firm
//! browsing hundreds of exchanges drops only the kept exchange pages, never the dashboard.

use crate::error::{ApiError, ApiResult};
use likekind_store::Store;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;

/// At most this many reads of one kind are kept; one more drops that kind's (they are
/// rebuilt on demand).
pub const MAX_KEPT: usize = 512;

type Kept = Arc<dyn Any + Send + Sync>;
/// One key's read: requests that arrive while it is being read wait for it instead of
/// reading it again (after a change, a busy firm's staff would otherwise all read at once).
type Cell = Arc<OnceCell<Kept>>;

/// The kept reads of one server process.
#[derive(Default)]
pub struct Revised {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    revision: i64,
    /// The kept reads of each kind, by key.
    kinds: HashMap<&'static str, HashMap<String, Cell>>,
}

impl Revised {
    /// The read of `kind` kept under `key` for the store's current revision, else `read()`'s,
    /// kept for the next request. The revision is `seen` when the request read it with its
    /// caller ([`crate::extract::Auth::revision`]), else it is read now; either way before
    /// anything is read for it, so a kept read never predates it.
    ///
    /// # Errors
    /// A database failure reading the revision, or `read`'s (a read is kept only when it
    /// succeeds).
    pub async fn get_or<T, F, Fut>(
        &self,
        store: &Store,
        seen: Option<i64>,
        kind: &'static str,
        key: String,
        read: F,
    ) -> ApiResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let revision = match seen {
            Some(r) => r,
            None => store.data_revision().await?,
        };
        self.get_at(revision, kind, key, read).await
    }

    /// [`Revised::get_or`] once the revision is known.
    async fn get_at<T, F, Fut>(
        &self,
        revision: i64,
        kind: &'static str,
        key: String,
        read: F,
    ) -> ApiResult<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = ApiResult<T>>,
    {
        let Some(cell) = self.cell(revision, kind, key) else {
            // A newer revision was seen meanwhile: this read is served, not kept.
            return Ok(Arc::new(read().await?));
        };
        let kept = cell
            .get_or_try_init(|| async { Ok::<Kept, ApiError>(Arc::new(read().await?)) })
            .await?;
        // A kind and a key name what is read, so they always hold one type.
        kept.clone()
            .downcast::<T>()
            .map_err(|_| ApiError::internal())
    }

    /// The cell for `key` of `kind` at `revision` (a newer revision drops every cell, a full
    /// kind drops its own), or `None` when `revision` is older than one already seen.
    fn cell(&self, revision: i64, kind: &'static str, key: String) -> Option<Cell> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if revision < inner.revision {
            return None;
        }
        if revision > inner.revision {
            inner.kinds.clear();
            inner.revision = revision;
        }
        let kept = inner.kinds.entry(kind).or_default();
        if kept.len() >= MAX_KEPT && !kept.contains_key(&key) {
            kept.clear();
        }
        Some(kept.entry(key).or_default().clone())
    }

    /// How many reads are kept now (for tests).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .kinds
            .values()
            .flat_map(HashMap::values)
            .filter(|c| c.initialized())
            .count()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn read_counting(n: &AtomicUsize, v: i64) -> ApiResult<i64> {
        n.fetch_add(1, Ordering::SeqCst);
        Ok(v)
    }

    /// What a request at `revision` for `key` is served, when a fresh read would give `v`.
    async fn served(c: &Revised, revision: i64, key: &str, n: &AtomicUsize, v: i64) -> i64 {
        *c.get_at(revision, "test", key.into(), || read_counting(n, v))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_read_is_kept_for_its_revision_and_key_only() {
        let c = Revised::default();
        let n = AtomicUsize::new(0);
        assert_eq!(served(&c, 1, "a", &n, 10).await, 10);
        assert_eq!(served(&c, 1, "a", &n, 11).await, 10);
        assert_eq!(
            n.load(Ordering::SeqCst),
            1,
            "the second request is served the kept read"
        );
        assert_eq!(served(&c, 1, "b", &n, 20).await, 20);
        // A change moves the revision: every kept read goes.
        assert_eq!(served(&c, 2, "a", &n, 12).await, 12);
        assert_eq!(c.len(), 1);
        // A read that began before the newer revision was seen is not kept over it.
        assert_eq!(served(&c, 1, "b", &n, 21).await, 21);
        assert_eq!(served(&c, 2, "b", &n, 22).await, 22);
        assert_eq!(n.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept_and_the_store_stays_bounded() {
        let c = Revised::default();
        let e = c
            .get_at(1, "test", "a".into(), || async {
                Err::<i64, _>(crate::error::ApiError::not_found())
            })
            .await;
        assert!(e.is_err());
        assert!(c.is_empty());
        let n = AtomicUsize::new(0);
        for i in 0..(MAX_KEPT + 3) {
            c.get_at(1, "test", format!("k{i}"), || read_counting(&n, 1))
                .await
                .unwrap();
        }
        assert!(c.len() <= MAX_KEPT);
    }

    #[tokio::test]
    async fn a_full_kind_drops_only_its_own_reads() {
        let c = Revised::default();
        let n = AtomicUsize::new(0);
        c.get_at(1, "dashboard", "firm".into(), || read_counting(&n, 1))
            .await
            .unwrap();
        for i in 0..=MAX_KEPT {
            c.get_at(1, "page", format!("p{i}"), || read_counting(&n, 2))
                .await
                .unwrap();
        }
        // The page kind overflowed once (every page dropped, then the last one kept); the
        // dashboard's read is still served without reading again.
        assert_eq!(c.len(), 2);
        let before = n.load(Ordering::SeqCst);
        let kept = c
            .get_at(1, "dashboard", "firm".into(), || read_counting(&n, 9))
            .await
            .unwrap();
        assert_eq!(*kept, 1);
        assert_eq!(n.load(Ordering::SeqCst), before);
    }

    #[tokio::test]
    async fn requests_that_arrive_during_a_read_wait_for_it() {
        let c = Arc::new(Revised::default());
        let n = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Notify::new());
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (c, n, gate) = (c.clone(), n.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                *c.get_at(1, "test", "a".into(), || async move {
                    n.fetch_add(1, Ordering::SeqCst);
                    gate.notified().await;
                    Ok(7_i64)
                })
                .await
                .unwrap()
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        gate.notify_one();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 7);
        }
        assert_eq!(n.load(Ordering::SeqCst), 1, "one read for eight requests");
    }
}
