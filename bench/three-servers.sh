#!/usr/bin/env bash
# Three `likekind serve` processes on one database, one wrk per server (wrk reaches one port),
# run at the same time; requests/s summed, p50/p99 the worst of the three.
# usage: bench/three-servers.sh DB_URL ENV_SH CONNECTIONS_TOTAL
set -euo pipefail
DB=$1; . "$2"; C=$3; LK=${LK:-target/release/likekind}; DUR=${DUR:-5}
PIDS=()
for p in 18051 18052 18053; do $LK serve --db "$DB" --bind 127.0.0.1:$p >/dev/null 2>&1 & PIDS+=($!); done
trap 'kill ${PIDS[@]} 2>/dev/null || true' EXIT
for p in 18051 18052 18053; do for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$p/openapi.json >/dev/null && break; sleep 0.5; done; done
# Each server runs the reminder scheduler when it starts; measure after it (SETTLE seconds).
sleep "${SETTLE:-60}"
B=http://127.0.0.1:18051
COOKIE=$(curl -si -H 'Content-Type: application/json' "$B/api/login" -d '{"email":"bench@bench.example","password":"correct horse battery"}' | sed -n 's/^[Ss]et-[Cc]ookie: \(likekind_session=[^;]*\).*/\1/p')
EX=$(curl -s -H "Authorization: Bearer $TOKEN" "$B/api/exchanges?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['items'][0]['id'])")
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) three servers, $C connections in all"
run() { # label path header
  local d; d=$(mktemp -d)
  # WARM=1: one request to each server first, so that the reads it keeps (the dashboard, the
  # alerts) are taken before the measurement; the default measures from a cold server.
  # WARM=2 also opens each server's connection pool first: two seconds of the same load,
  # not measured (a pool grows to its bound on the first burst, a connection at a time).
  if [ "${WARM:-0}" != 0 ]; then for p in 18051 18052 18053; do curl -s -o /dev/null -H "$3" "http://127.0.0.1:$p$2"; done; fi
  if [ "${WARM:-0}" = 2 ] && [ -z "${POOLS_OPEN:-}" ]; then
    for p in 18051 18052 18053; do wrk -t1 -c$((C / 3)) -d2s -H "$3" "http://127.0.0.1:$p$2" >/dev/null 2>&1 & done
    wait $(jobs -p | grep -v -e "${PIDS[0]}" -e "${PIDS[1]}" -e "${PIDS[2]}") 2>/dev/null || true
    POOLS_OPEN=1; sleep 0.5
  fi
  for p in 18051 18052 18053; do wrk -t1 -c$((C / 3)) -d${DUR}s --latency -H "$3" "http://127.0.0.1:$p$2" > "$d/$p" 2>&1 & done
  wait $(jobs -p | grep -v -e "${PIDS[0]}" -e "${PIDS[1]}" -e "${PIDS[2]}") 2>/dev/null || true
  sleep 0.2
  python3 - "$1" "$d" <<'PY'
import sys, os, re
label, d = sys.argv[1], sys.argv[2]
rps = 0.0; p50 = []; p99 = []; errs = 0
def ms(x):
    v = float(re.match(r"[\d.]+", x).group()); u = x[len(str(re.match(r"[\d.]+", x).group())):]
    return v * {"us": 0.001, "ms": 1, "s": 1000}.get(u, 1)
for f in os.listdir(d):
    t = open(os.path.join(d, f)).read()
    m = re.search(r"Requests/sec:\s+([\d.]+)", t); rps += float(m.group(1)) if m else 0
    m = re.search(r"\n\s+50%\s+(\S+)", t); p50.append(ms(m.group(1)) if m else float("inf"))
    m = re.search(r"\n\s+99%\s+(\S+)", t); p99.append(ms(m.group(1)) if m else float("inf"))
    m = re.search(r"timeout (\d+)", t); errs += int(m.group(1)) if m else 0
print(f"{label}\t{rps:.0f} req/s\tp50 {max(p50):.1f} ms\tp99 {max(p99):.1f} ms\ttimeouts {errs}")
PY
  rm -rf "$d"
}
run "dashboard" "/" "Cookie: $COOKIE"
run "exchange page" "/exchanges/$EX" "Cookie: $COOKIE"
run "alerts?limit=50" "/api/alerts?limit=50" "Authorization: Bearer $TOKEN"
run "analysis" "/api/exchanges/$EX/analysis" "Authorization: Bearer $TOKEN"
# The first run follows the servers' start; the dashboard again, last, shows what that costs.
run "dashboard (again)" "/" "Cookie: $COOKIE"
