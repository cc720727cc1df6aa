#!/usr/bin/env python3
"""Seeds a running `likekind serve` with N exchanges (default 10,000) through its API, then
prints shell lines exporting TOKEN and EXCHANGE (one exchange id) for the wrk commands in
BENCHMARKS.md. Loopback only; bounded by N.

usage: python3 bench/tracker-seed.py http://127.0.0.1:8031 [N]

With N = 0 it only sets up the firm: the administrator, three coordinators
(coord1..3@bench.example) and twenty client users, for `likekind import BOOK --as
coord1@bench.example` and `bench/firm-mix.py` (the firm's mix: see BENCHMARKS.md).
"""
import http.client
import json
import sys
import urllib.parse

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8031"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
u = urllib.parse.urlparse(base)
assert u.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
conn = http.client.HTTPConnection(u.hostname, u.port)


def call(method, path, body=None, headers=None):
    h = {"Content-Type": "application/json", "Host": f"{u.hostname}:{u.port}"}
    h.update(headers or {})
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 400:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return r, json.loads(data) if data else None


email = "bench@bench.example"
pw = "correct horse battery"
try:
    r, v = call("POST", "/api/signup", {"firm_name": "Bench QI", "email": email, "name": "Bench", "password": pw})
except SystemExit:
    r, v = call("POST", "/api/login", {"email": email, "password": pw})
cookie = r.getheader("set-cookie").split(";")[0]
csrf = v["csrf_token"]
_, t = call("POST", "/api/tokens", {"name": "bench"}, {"Cookie": cookie, "X-CSRF-Token": csrf})
auth = {"Authorization": "Bearer " + t["token"]}
if n == 0:
    for i in range(1, 4):
        try:
            call("POST", "/api/users", {"email": f"coord{i}@bench.example", "name": f"Coordinator {i}",
                                        "role": "coordinator", "password": pw}, auth)
        except SystemExit:
            pass
    for i in range(1, 21):
        try:
            call("POST", "/api/users", {"email": f"client{i}@bench.example", "name": f"Client {i}",
                                        "role": "client", "password": pw}, auth)
        except SystemExit:
            pass
first = None
for k in range(n):
    month, day = 1 + k % 9, 1 + k % 28
    f = {
        "exchange": {"name": f"Bench {k}"},
        "taxpayer": {"name": f"Taxpayer {k}", "entity": ["individual", "partnership", "c_corporation"][k % 3]},
        "relinquished": [{"id": "r", "location": "CA", "acquired": "2015-06-01",
                          "transferred": f"2026-{month:02d}-{day:02d}", "sale_price": str(500000 + k),
                          "adjusted_basis": "200000", "depreciation_allowed": "50000"}],
        "identified": [{"id": "e", "fmv": str(520000 + k), "identified_on": f"2026-{month:02d}-{day:02d}"}],
        "replacement": [{"id": "e", "location": "TX", "received": f"2026-{month + 1:02d}-{day:02d}",
                         "price": str(520000 + k), "liabilities_assumed": "100000"}],
    }
    _, ex = call("POST", "/api/exchanges", {"name": f"Bench {k}", "file": f}, auth)
    if first is None:
        first = ex["id"]
    if k % 1000 == 999:
        print(f"# seeded {k + 1}", file=sys.stderr)
print(f"export TOKEN={t['token']}")
if first is not None:
    print(f"export EXCHANGE={first}")
