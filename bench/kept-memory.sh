#!/usr/bin/env bash
# What the reads a server keeps (likekind_server::cache) cost in memory: the server's
# anonymous resident memory (RssAnon, which leaves out the database file SQLite maps) after
# it starts, then after N distinct exchange pages and N analyses were asked for once each
# (kept until the data revision moves, at most 512 of a kind), then after the same N again
# (served from what was kept: it should not grow).
# usage: bench/kept-memory.sh DB_URL ENV_SH PORT [N]
set -euo pipefail
DB=$1; . "$2"; PORT=$3; N=${4:-500}; LK=${LK:-target/release/likekind}
B=http://127.0.0.1:$PORT
$LK serve --db "$DB" --bind 127.0.0.1:$PORT >/dev/null 2>&1 & SP=$!
trap 'kill $SP 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "$B/openapi.json" >/dev/null && break; sleep 0.5; done
sleep "${SETTLE:-30}"
rss() { awk '/RssAnon/ {print $2}' "/proc/$SP/status"; }
COOKIE=$(curl -si -H 'Content-Type: application/json' "$B/api/login" \
  -d '{"email":"bench@bench.example","password":"correct horse battery"}' \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(likekind_session=[^;]*\).*/\1/p')
IDS=$(curl -s -H "Authorization: Bearer $TOKEN" "$B/api/exchanges?limit=$N" \
  | python3 -c "import json,sys; print(' '.join(str(i['id']) for i in json.load(sys.stdin)['items']))")
n=$(echo "$IDS" | wc -w)
ask() { for id in $IDS; do
  curl -s -o /dev/null -H "Cookie: $COOKIE" "$B/exchanges/$id"
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$B/api/exchanges/$id/analysis"
done; }
curl -s -o /dev/null -H "Cookie: $COOKIE" "$B/"
r0=$(rss)
ask; r1=$(rss)
ask; r2=$(rss)
echo "$(date -u +%FT%TZ) $n exchanges: anonymous memory after start and the dashboard ${r0} kB; after $n pages and $n analyses kept ${r1} kB (+$((r1 - r0)) kB, $(( (r1 - r0) / (2 * n) )) kB per read); after asking again ${r2} kB"
