#!/usr/bin/env bash
# Builds a firm's book of N exchanges in a database and measures the dashboard, the alerts and
# the API on it with wrk (loopback). See BENCHMARKS.md ("Firm scale").
#
# usage: bench/firm-bench.sh DB_URL BOOK.jsonl PORT [skip-load | load-only]
#   DB_URL: sqlite:///path/to.db or postgres://likekind:likekind@127.0.0.1:5432/NAME (empty)
set -euo pipefail
DB=$1; BOOK=$2; PORT=$3; SKIP=${4:-}
LK=${LK:-target/release/likekind}
TODAY=${TODAY:-$(date -u +%F)}
B=http://127.0.0.1:$PORT
OUT=${OUT:-target/lkbench/out}
mkdir -p "$OUT"
wait_up() { for _ in $(seq 1 600); do curl -sf "$B/openapi.json" >/dev/null && return 0; sleep 0.5; done; return 1; }
if [ "$SKIP" != skip-load ]; then
  $LK serve --db "$DB" --bind 127.0.0.1:$PORT --allow-signup >"$OUT/serve-$PORT.log" 2>&1 & SP=$!
  wait_up
  python3 bench/tracker-seed.py $B 0 > "$OUT/env-$PORT.sh"
  kill $SP; wait $SP 2>/dev/null || true
  parts=$(mktemp -d)
  split -n l/3 -d "$BOOK" "$parts/part"
  start=$(date +%s.%N)
  for i in 1 2 3; do
    $LK import "$parts/part0$((i-1))" --db "$DB" --as coord$i@bench.example
  done
  end=$(date +%s.%N)
  rm -rf "$parts"
  echo "import $(wc -l < "$BOOK") exchanges: $(echo "$end - $start" | bc) s (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/results.txt"
  python3 bench/firm-mix.py "$DB" "$TODAY" | tee -a "$OUT/results.txt"
fi
[ "$SKIP" = load-only ] && exit 0
# Measure: one server, wrk with 4 connections for 10 s per endpoint (p50/p99 from --latency).
$LK serve --db "$DB" --bind 127.0.0.1:$PORT >"$OUT/serve-$PORT.log" 2>&1 & SP=$!
trap 'kill $SP 2>/dev/null || true' EXIT
wait_up
# The server runs the reminder scheduler when it starts; measure after it: SETTLE seconds, or
# with SETTLE=idle until the server has used under 2% of a core for three seconds running
# (its startup work done, however long it takes on this book; at most ten minutes).
settle() {
  if [ "${SETTLE:-60}" != idle ]; then sleep "${SETTLE:-60}"; return; fi
  local quiet=0 t0 t1 waited=0
  t0=$(awk '{print $14 + $15}' "/proc/$SP/stat")
  while [ $quiet -lt 3 ] && [ $waited -lt 600 ]; do
    sleep 1; waited=$((waited + 1))
    t1=$(awk '{print $14 + $15}' "/proc/$SP/stat")
    # clock ticks (100 per second): under 2 ticks in a second is under 2% of a core.
    if [ $((t1 - t0)) -lt 2 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    t0=$t1
  done
  echo "settled after ${waited} s" | tee -a "$OUT/results.txt"
}
settle
. "$OUT/env-$PORT.sh"
COOKIE=$(curl -si -H 'Content-Type: application/json' "$B/api/login" \
  -d '{"email":"bench@bench.example","password":"correct horse battery"}' \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(likekind_session=[^;]*\).*/\1/p')
EX=$(curl -s -H "Authorization: Bearer $TOKEN" "$B/api/exchanges?limit=1" | python3 -c "import json,sys; print(json.load(sys.stdin)['items'][0]['id'])")
N=$(wc -l < "$BOOK")
C=${C:-4}
w() { # label, path, header
  local r
  r=$(wrk -t1 -c$C -d${DUR:-10}s --latency -H "$3" "$B$2" 2>&1)
  local rps p50 p99
  rps=$(echo "$r" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$r" | awk '$1=="50%" {print $2}')
  p99=$(echo "$r" | awk '$1=="99%" {print $2}')
  local errs; errs=$(echo "$r" | grep -E "Non-2xx|Socket errors" | tr "\n" " " || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "${DB%%:*}" "$1" "$rps" "$p50" "$p99" "$errs" | tee -a "$OUT/results.txt"
}
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) N=$N db=${DB%%:*} c=$C" | tee -a "$OUT/results.txt"
curl -s -H "Cookie: $COOKIE" "$B/" | grep -o 'Showing the[^<]*\|Open exchanges [^<]*' | head -3 | tee -a "$OUT/results.txt"
curl -s -H "Authorization: Bearer $TOKEN" "$B/api/alerts" | python3 -c "import json,sys; print('alerts (14 days):', len(json.load(sys.stdin)))" | tee -a "$OUT/results.txt"
w "dashboard /" "/" "Cookie: $COOKIE"
w "alerts /api/alerts" "/api/alerts" "Authorization: Bearer $TOKEN"
w "alerts /api/alerts?limit=50" "/api/alerts?limit=50" "Authorization: Bearer $TOKEN"
w "openapi /openapi.json" "/openapi.json" "Authorization: Bearer $TOKEN"
w "analysis" "/api/exchanges/$EX/analysis" "Authorization: Bearer $TOKEN"
w "list limit=50" "/api/exchanges?limit=50" "Authorization: Bearer $TOKEN"
w "exchange /api/exchanges/{id}" "/api/exchanges/$EX" "Authorization: Bearer $TOKEN"
w "exchange page /exchanges/{id}" "/exchanges/$EX" "Cookie: $COOKIE"
