#!/usr/bin/env python3
"""Prints the query plans of the dashboard's and the alerts' queries (as
likekind-store/src/overview.rs writes them) on a benchmark database: EXPLAIN QUERY PLAN on
SQLite, EXPLAIN on PostgreSQL.

usage: python3 bench/plans.py DB TODAY [--analyze] [--time]  (--analyze: PostgreSQL's EXPLAIN
ANALYZE, with the rows each step really read and its time; --time: also run each query three
times and print the fastest, in ms, as the sqlite3 or psql client measures it)
"""
import datetime
import subprocess
import sys

db, today = sys.argv[1], sys.argv[2]
analyze = "--analyze" in sys.argv
timed = "--time" in sys.argv
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
            f"FROM exchanges WHERE firm_id = '{firm}' AND phase IN ('draft', 'relinquished_closed') AND {cond}")


alert_where = "(m.kind <> 'idle_funds' OR e.balance_cents > 0)"


def bounded(cond, order="m.on_date, m.exchange_id, m.seq"):
    """One arm of the alerts with a limit (overview.rs, list_alerts_bounded)."""
    return (f"SELECT m.exchange_id, e.name, m.kind, m.milestone, m.severity, m.on_date, m.message, e.balance_cents "
            f"FROM exchange_milestones m JOIN exchanges e ON e.id = m.exchange_id "
            f"WHERE m.firm_id = '{firm}' AND {cond} AND {alert_where} ORDER BY {order} LIMIT 50")


def counted(cond):
    """One arm of the bounded count of the firm's alerts (overview.rs, count_firm_alerts)."""
    return f"SELECT 1 AS one FROM exchange_milestones WHERE firm_id = '{firm}' AND {cond}"


t, h = f"'{today}'", f"'{horizon}'"
d = datetime.date.fromisoformat(today)
three_years_back = d.replace(year=d.year - 3, day=28 if (d.month, d.day) == (2, 29) else d.day).isoformat()
queries = {
    "counts by status and running clocks (maintained)": f"SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM exchange_status_days WHERE firm_id = '{firm}' AND from_day <= {t} GROUP BY status",
    "deadlines page (list_due)": " UNION ALL ".join(
        f"SELECT * FROM ({arm(col, cond)} ORDER BY {col}, name, id LIMIT 50) a{k}"
        for k, (col, cond) in enumerate([
            ("identification_end", f"identification_end >= {t} AND {running}"),
            ("exchange_end", f"settled_from IS NULL AND COALESCE(identification_end, '') < {t} AND exchange_end IS NOT NULL"),
            ("exchange_end", f"exchange_end >= {t} AND settled_from > {t} AND COALESCE(identification_end, '') < {t} AND exchange_end IS NOT NULL"),
        ])) + " ORDER BY due, name, id LIMIT 50 OFFSET 0",
    "alerts arm: coming deadlines": bounded(f"m.kind = 'deadline_upcoming' AND m.on_date >= {t} AND m.on_date <= {h} AND m.active_to >= {t}"),
    "alerts arm: missed deadlines": bounded(f"m.kind = 'deadline_missed' AND m.on_date < {t} AND COALESCE(m.active_from, '') <= {t} AND COALESCE(m.active_to, '') >= {t}"),
    "alerts arm: exchanges not closed": bounded(f"m.kind = 'not_closed' AND m.on_date < {t} AND COALESCE(m.active_from, '') <= {t} AND COALESCE(m.active_to, '') >= {t}"),
    "alerts arm: identification problems, day 45 passed": bounded(f"m.kind = 'identification_problem' AND m.on_date < {t} AND COALESCE(m.active_from, '') <= {t} AND COALESCE(m.active_to, '') >= {t}"),
    "alerts arm: identification problems, day 45 to come": bounded(f"m.kind = 'identification_problem' AND m.on_date >= {t} AND COALESCE(m.active_from, '') <= {t} AND COALESCE(m.active_to, '') >= {t}"),
    "alerts arm: idle funds": bounded(f"m.kind = 'idle_funds' AND m.held = 1 AND m.active_from <= {t} AND m.active_to >= {t}", "m.active_from, m.exchange_id, m.seq"),
    "bounded count of the firm's alerts": "SELECT COUNT(*) AS n FROM (" + " UNION ALL ".join([
        counted(f"kind = 'deadline_upcoming' AND on_date >= {t} AND on_date <= {h} AND active_to >= {t}"),
        counted(f"kind IN ('deadline_missed', 'not_closed', 'identification_problem') AND active_from <= {t} AND active_to >= {t}"),
        counted(f"kind = 'idle_funds' AND held = 1 AND active_from <= {t} AND active_to >= {t}"),
    ]) + " LIMIT 1001) c",
    "reminders: related-party files (partial index)": f"SELECT id, version, file FROM exchanges WHERE firm_id = '{firm}' AND (first_transfer >= '{three_years_back}' OR first_transfer IS NULL) AND file LIKE '%related_party%' ORDER BY id",
    "exchange list page (stored views)": f"SELECT id, name, summary_version, verdict, verdict_summary, deadlines_json FROM exchanges WHERE firm_id = '{firm}' AND id > '' ORDER BY id LIMIT 50",
}
for name, q in queries.items():
    print(f"## {name}")
    explain = "EXPLAIN QUERY PLAN " if lite else ("EXPLAIN ANALYZE " if analyze else "EXPLAIN ")
    print(run(explain + q + ";"))
    if timed:
        if lite:
            out = run(".timer on\n" + (q + ";\n") * 3)
            ms = [float(l.split()[3]) * 1000 for l in out.splitlines() if l.startswith("Run Time:")]
        else:
            out = run("\\timing on\n" + (q + ";\n") * 3)
            ms = [float(l.split()[1]) for l in out.splitlines() if l.startswith("Time:")]
        print(f"fastest of three: {min(ms):.2f} ms" if ms else out)
