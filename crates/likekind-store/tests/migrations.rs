//! The two backends' migrations describe the same schema: the same tables with the same
//! columns in the same order (types differ: INTEGER/BIGINT, BLOB/BYTEA).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

fn tables(sql: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in sql.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            current = Some((rest.trim_end_matches(" (").to_string(), vec![]));
        } else if line.starts_with(");") {
            if let Some((t, cols)) = current.take() {
                out.insert(t, cols);
            }
        } else if let Some((_, cols)) = current.as_mut() {
            let word = line.split_whitespace().next().unwrap_or("");
            if !word.is_empty() && word != "UNIQUE" && word != "CHECK" {
                cols.push(word.to_string());
            }
        }
    }
    out
}

#[test]
fn sqlite_and_postgres_migrations_define_the_same_tables_and_columns() {
    let lite = tables(include_str!("../migrations/sqlite/0001_tracker.sql"));
    let pg = tables(include_str!("../migrations/postgres/0001_tracker.sql"));
    assert!(lite.len() >= 12, "{lite:?}");
    assert_eq!(lite, pg);
    assert!(lite["postings"].contains(&"balance_after_cents".to_string()));
}

/// The columns each migration adds to existing tables (`ALTER TABLE t ADD COLUMN c ...`).
fn added_columns(sql: &str) -> Vec<(String, String)> {
    sql.lines()
        .filter_map(|l| l.trim().strip_prefix("ALTER TABLE "))
        .filter_map(|rest| {
            let mut w = rest.split_whitespace();
            let table = w.next()?.to_string();
            (w.next()? == "ADD" && w.next()? == "COLUMN").then_some(())?;
            Some((table, w.next()?.to_string()))
        })
        .collect()
}

#[test]
fn the_summary_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0002_exchange_summary.sql");
    let pg = include_str!("../migrations/postgres/0002_exchange_summary.sql");
    assert_eq!(tables(lite), tables(pg));
    assert!(tables(lite).contains_key("exchange_milestones"));
    assert_eq!(added_columns(lite), added_columns(pg));
    assert_eq!(added_columns(lite).len(), 4);
    let indexes = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with("CREATE INDEX"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(indexes(lite), indexes(pg));
}

#[test]
fn the_verdict_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0003_exchange_verdict.sql");
    let pg = include_str!("../migrations/postgres/0003_exchange_verdict.sql");
    assert_eq!(added_columns(lite), added_columns(pg));
    assert_eq!(
        added_columns(lite),
        vec![
            ("exchanges".to_string(), "verdict".to_string()),
            ("exchanges".to_string(), "recognized_gain".to_string())
        ]
    );
}

#[test]
fn the_value_date_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0004_ledger_value_date.sql");
    let pg = include_str!("../migrations/postgres/0004_ledger_value_date.sql");
    assert_eq!(added_columns(lite), added_columns(pg));
    assert_eq!(
        added_columns(lite),
        vec![("postings".to_string(), "value_date".to_string())]
    );
}

#[test]
fn the_release_approvals_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0005_release_approvals.sql");
    let pg = include_str!("../migrations/postgres/0005_release_approvals.sql");
    assert_eq!(added_columns(lite), added_columns(pg));
    assert_eq!(
        added_columns(lite),
        vec![("approvals".to_string(), "override_reason".to_string())]
    );
}

#[test]
fn the_login_throttle_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0006_login_throttle.sql");
    let pg = include_str!("../migrations/postgres/0006_login_throttle.sql");
    assert_eq!(tables(lite), tables(pg));
    assert_eq!(
        tables(lite)["login_throttle"],
        vec!["throttle_key", "window_start", "attempts"]
    );
}

#[test]
fn the_paper_notices_and_accounts_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0009_paper_notices_accounts.sql");
    let pg = include_str!("../migrations/postgres/0009_paper_notices_accounts.sql");
    assert_eq!(tables(lite), tables(pg));
    assert_eq!(
        tables(lite)["password_resets"],
        vec![
            "token_hash",
            "user_id",
            "firm_id",
            "created_by",
            "created_at",
            "expires_at",
            "used_at"
        ]
    );
    assert_eq!(added_columns(lite), added_columns(pg));
    assert_eq!(
        added_columns(lite),
        [
            ("notices", "kind"),
            ("notices", "delivered_on"),
            ("notices", "received_by"),
            ("notices", "document_id"),
            ("users", "active"),
        ]
        .iter()
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect::<Vec<_>>()
    );
}

#[test]
fn the_dashboard_index_migration_is_the_same_on_both_backends() {
    let lite = include_str!("../migrations/sqlite/0015_dashboard_indexes.sql");
    let pg = include_str!("../migrations/postgres/0015_dashboard_indexes.sql");
    assert_eq!(lite, pg);
    // The list's order is the index's order: date, exchange, then the exchange's own order.
    assert!(
        lite.contains("exchange_milestones(firm_id, kind, on_date, exchange_id, seq, active_to)")
    );
}

#[test]
fn the_reminder_index_migration_is_the_same_on_both_backends() {
    assert_eq!(
        include_str!("../migrations/sqlite/0016_reminder_bounds.sql"),
        include_str!("../migrations/postgres/0016_reminder_bounds.sql")
    );
}

/// The statements of `sql` without its comments, each on one line with single spaces.
fn statements(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    code.split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// SQLite cannot widen a CHECK in place, so migration 0022 makes the milestones table again:
/// the same columns in the same order, the indexes as 0015 left them, its revision triggers
/// (0017) again, and the same list of kinds as PostgreSQL's new constraint.
#[test]
fn the_not_closed_migration_keeps_the_milestones_table_as_it_was() {
    let lite = include_str!("../migrations/sqlite/0022_alert_not_closed.sql");
    let pg = include_str!("../migrations/postgres/0022_alert_not_closed.sql");
    let mut cols = tables(include_str!(
        "../migrations/sqlite/0002_exchange_summary.sql"
    ))["exchange_milestones"]
        .clone();
    let at = cols.iter().position(|c| c == "PRIMARY").unwrap();
    for (t, c) in added_columns(include_str!("../migrations/sqlite/0010_firm_scale.sql")) {
        if t == "exchange_milestones" {
            cols.insert(at, c);
        }
    }
    assert_eq!(tables(lite)["exchange_milestones_new"], cols);
    let now = statements(lite);
    let kept = |sql: &str, what: &str| {
        for s in statements(sql)
            .into_iter()
            .filter(|s| s.starts_with(what) && s.contains(" ON exchange_milestones"))
        {
            assert!(now.contains(&s), "{s}");
        }
    };
    kept(
        include_str!("../migrations/sqlite/0015_dashboard_indexes.sql"),
        "CREATE INDEX",
    );
    kept(
        include_str!("../migrations/sqlite/0017_data_revision.sql"),
        "CREATE TRIGGER",
    );
    assert_eq!(
        now.iter()
            .filter(|s| s.starts_with("CREATE INDEX") || s.starts_with("CREATE TRIGGER"))
            .count(),
        6
    );
    let kinds = |sql: &str| {
        let from = sql.find("kind IN (").unwrap();
        sql[from..from + sql[from..].find(')').unwrap()].to_string()
    };
    assert_eq!(kinds(lite), kinds(pg));
    assert!(kinds(lite).contains("'not_closed'"));
}
