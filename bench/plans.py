#!/usr/bin/env python3
"""Prints the query plans of the dashboard's and the alerts' queries (as
likekind-store/src/overview.rs writes them) on a benchmark database: EXPLAIN QUERY PLAN on
SQLite, EXPLAIN on PostgreSQL.

usage: python3 bench/plans.py DB TODAY
"""
import datetime
import subprocess
import sys

db, today = sys.argv[1], sys.argv[2]
horizon = (datetime.date.fromisoformat(today) + datetime.timedelta(days=14)).isoformat()
lite = db.startswith("sqlite://")


def run(sql):
    cmd = ["sqlite3", db[len("sqlite://"):]] if lite else ["psql", "-q", "-tA", db]
    return subprocess.run(cmd, input=sql, text=True, capture_output=True).stdout


firm = run("SELECT id FROM firms ORDER BY id LIMIT 1;").strip()
status = f"""CASE WHEN phase IN ('completed', 'failed') THEN phase ELSE CASE WHEN settled_from IS NOT NULL AND settled_from <= '{today}' THEN settled_phase WHEN first_transfer IS NULL THEN CASE WHEN phase = 'draft' THEN 'draft' ELSE 'relinquished_closed' END WHEN phase = 'draft' AND first_transfer > '{today}' THEN 'draft' WHEN first_transfer >= '{today}' THEN 'relinquished_closed' WHEN identification_end >= '{today}' THEN 'identification_period' ELSE 'acquisition' END END"""
running = f"(settled_from IS NULL OR settled_from > '{today}')"


def arm(col, cond):
    return (f"SELECT id, name, balance_cents, {status} AS status, '{col}' AS milestone, {col} AS due "
            f"FROM exchanges WHERE firm_id = '{firm}' AND phase IN ('draft', 'relinquished_closed') AND {running} AND {cond}")


up = (f"SELECT exchange_id, seq, kind, milestone, severity, on_date, message FROM exchange_milestones "
      f"WHERE firm_id = '{firm}' AND kind = 'deadline_upcoming' AND on_date >= '{today}' AND on_date <= '{horizon}' AND active_to >= '{today}'")
prob = (f"SELECT exchange_id, seq, kind, milestone, severity, on_date, message FROM exchange_milestones "
        f"WHERE firm_id = '{firm}' AND kind IN ('deadline_missed', 'identification_problem') AND active_from <= '{today}' AND active_to >= '{today}'")
idle = (f"SELECT exchange_id, seq, kind, milestone, severity, on_date, message FROM exchange_milestones "
        f"WHERE firm_id = '{firm}' AND kind = 'idle_funds' AND held = 1 AND active_from <= '{today}' AND active_to >= '{today}'")
alert_where = "(m.kind <> 'idle_funds' OR e.balance_cents > 0)"
queries = {
    "counts by status (maintained)": f"SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM exchange_status_days WHERE firm_id = '{firm}' AND from_day <= '{today}' GROUP BY status",
    "deadlines page (list_due)": f"{arm('identification_end', f'identification_end >= {chr(39)}{today}{chr(39)}')} UNION ALL {arm('exchange_end', f'COALESCE(identification_end, {chr(39)}{chr(39)}) < {chr(39)}{today}{chr(39)} AND exchange_end IS NOT NULL')} ORDER BY due, name, id LIMIT 50 OFFSET 0",
    "dashboard alerts (50 most serious)": f"SELECT m.exchange_id, e.name, m.kind, m.severity, m.on_date, e.balance_cents FROM ({up} UNION ALL {prob}) m JOIN exchanges e ON e.id = m.exchange_id WHERE {alert_where} ORDER BY CASE m.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, COALESCE(m.on_date, ''), m.exchange_id, m.seq LIMIT 50",
    "dashboard alerts: bounded count": f"SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM ({up} UNION ALL {prob}) m JOIN exchanges e ON e.id = m.exchange_id WHERE {alert_where} LIMIT 1001) c",
    "idle funds": f"SELECT m.exchange_id, e.name, e.balance_cents FROM ({idle} AND '{horizon}' = '{horizon}') m JOIN exchanges e ON e.id = m.exchange_id WHERE {alert_where} ORDER BY CASE m.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, COALESCE(m.on_date, ''), m.exchange_id, m.seq LIMIT 50",
    "/api/alerts (all)": f"SELECT m.exchange_id, e.name FROM ({up} UNION ALL {prob} UNION ALL {idle}) m JOIN exchanges e ON e.id = m.exchange_id WHERE {alert_where} ORDER BY COALESCE(m.on_date, ''), m.exchange_id, m.seq",
    "exchange list page (stored views)": f"SELECT id, name, summary_version, verdict, verdict_summary, deadlines_json FROM exchanges WHERE firm_id = '{firm}' AND id > '' ORDER BY id LIMIT 50",
}
for name, q in queries.items():
    print(f"## {name}")
    print(run(("EXPLAIN QUERY PLAN " if lite else "EXPLAIN ") + q + ";"))
