#!/usr/bin/env python3
"""Multiplies a firm's book already in a database (loaded by bench/firm-bench.sh: import +
firm mix) K times in SQL: each exchange, its milestones and its posting copied K-1 times with
a suffixed id (same dates, phases, balances and clients: the same mix, K times the size). Used
to reach 1,000,000 exchanges when importing them one by one through `likekind import` would
take longer than the benchmark allows (see BENCHMARKS.md). The maintained counts are cleared;
the store recounts them from the stored summaries when it opens.

usage: python3 bench/replicate.py DB K [FIRST_COPY]  (FIRST_COPY: to grow an already
multiplied book, e.g. 10k x 10 to 10k x 100 with FIRST_COPY 10)
"""
import subprocess
import sys

db, k = sys.argv[1], int(sys.argv[2])
lite = db.startswith("sqlite://")


def run(sql):
    cmd = ["sqlite3", db[len("sqlite://"):]] if lite else ["psql", "-q", "-tA", "-v", "ON_ERROR_STOP=1", db]
    r = subprocess.run(cmd, input=sql, text=True, capture_output=True)
    if r.returncode != 0 or "Error" in r.stderr:
        raise SystemExit(f"{sql[:300]}\n{r.stderr}")
    return r.stdout


cols = run("SELECT name FROM pragma_table_info('exchanges');" if lite else
           "SELECT column_name FROM information_schema.columns WHERE table_name = 'exchanges' ORDER BY ordinal_position;").split()
mcols = run("SELECT name FROM pragma_table_info('exchange_milestones');" if lite else
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'exchange_milestones' ORDER BY ordinal_position;").split()
pcols = run("SELECT name FROM pragma_table_info('postings');" if lite else
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'postings' ORDER BY ordinal_position;").split()
base = run("SELECT COUNT(*) FROM exchanges;").strip()
start = int(sys.argv[3]) if len(sys.argv) > 3 else 1
# The original rows are copied once into tables of their own: selecting them from the growing
# tables (`NOT LIKE '%-r%'`) read every copy made so far, and each copy took longer.
run("""DROP TABLE IF EXISTS rep_ex; DROP TABLE IF EXISTS rep_m; DROP TABLE IF EXISTS rep_p;
CREATE TABLE rep_ex AS SELECT * FROM exchanges WHERE id NOT LIKE '%-r%';
CREATE TABLE rep_m AS SELECT * FROM exchange_milestones WHERE exchange_id NOT LIKE '%-r%';
CREATE TABLE rep_p AS SELECT * FROM postings WHERE exchange_id NOT LIKE '%-r%';""")
for j in range(start, k):
    s = f"'-r{j}'"
    ex_sel = ", ".join(f"id || {s}" if c == "id" else c for c in cols)
    m_sel = ", ".join(f"exchange_id || {s}" if c == "exchange_id" else c for c in mcols)
    p_sel = ", ".join(f"{c} || {s}" if c in ("id", "exchange_id") else c for c in pcols)
    run(f"""BEGIN;
INSERT INTO exchanges ({", ".join(cols)}) SELECT {ex_sel} FROM rep_ex;
INSERT INTO exchange_milestones ({", ".join(mcols)}) SELECT {m_sel} FROM rep_m;
INSERT INTO postings ({", ".join(pcols)}) SELECT {p_sel} FROM rep_p;
COMMIT;""")
    print(f"copy {j} of {k - 1} done", file=sys.stderr)
run("DROP TABLE rep_ex; DROP TABLE rep_m; DROP TABLE rep_p;")
run("BEGIN; DELETE FROM exchange_status_days; UPDATE exchanges SET counted_phase = NULL; COMMIT;")
if not lite:
    run("VACUUM ANALYZE;")
print(run("SELECT COUNT(*) FROM exchanges;"))
