#!/usr/bin/env python3
"""Writes a book of N generated exchange files as JSON Lines (default 1,000,000) for
`likekind check` and `likekind import`: a firm's mix over five years of transfers.

  40% one property for one, with a mortgage paid off and a new one taken on
  20% one for two, with cash boot received at the sale
  15% failed: the replacement identified after day 45 (a taxable sale)
  15% three for five (the engine benchmark's shape)
  10% still open: judged within the identification period

Every file carries its own `as_of`, so the book is judged the same on any day.

With `--tracker YYYY-MM-DD` (the tracker's today) the files carry no `as_of`, so the tracker
judges them on its own today, and the transfers are spread over the five years up to 20 days
after that day (drafts whose sale is still to come included); `bench/firm-mix.py` then closes
the old ones, funds the running ones and gives them clients, as a firm's book stands.

usage: python3 bench/book-gen.py [N] [--tracker YYYY-MM-DD] > book.jsonl
"""
import datetime
import json
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
tracker = None
if "--tracker" in sys.argv:
    tracker = datetime.date.fromisoformat(sys.argv[sys.argv.index("--tracker") + 1])
    args = [a for a in args if a != tracker.isoformat()]
n = int(args[0]) if args else 1_000_000
START = datetime.date(2021, 1, 4) if tracker is None else tracker - datetime.timedelta(days=1806)
ENTITIES = ["individual", "partnership", "c_corporation", "s_corporation", "trust"]
STATES = ["CA", "TX", "NY", "FL", "WA", "AZ", "CO", "IL"]


def d(x):
    return x.isoformat()


def relinquished(k, i, t, price):
    return {
        "id": f"r{i}", "description": f"Building {k}-{i}", "location": STATES[(k + i) % 8],
        "acquired": d(t - datetime.timedelta(days=2000 + 37 * i)), "transferred": d(t),
        "sale_price": str(price), "adjusted_basis": str(price * 2 // 5),
        "depreciation_allowed": str(price // 10), "liabilities_relieved": str(price // 4),
        "exchange_expenses": "12500.00", "other_closing_costs": "1200",
    }


def replacement(k, i, t, price, days_after):
    return {
        "id": f"p{i}", "description": f"Property {k}-{i}", "location": STATES[(k + i + 3) % 8],
        "received": d(t + datetime.timedelta(days=days_after)), "price": str(price),
        "liabilities_assumed": str(price // 3), "exchange_expenses": "3000",
        "land_value": str(price // 5),
    }


def identified(i, t, price, day):
    return {"id": f"p{i}", "description": f"Property {i}", "fmv": str(price),
            "identified_on": d(t + datetime.timedelta(days=day))}


out = sys.stdout
for k in range(n):
    t = START + datetime.timedelta(days=(k * 7919) % (1800 if tracker is None else 1826))
    kind = k % 20
    price = 400_000 + (k * 104_729) % 2_600_000
    f = {"exchange": {"name": f"Exchange {k}", "as_of": d(t + datetime.timedelta(days=200))},
         "taxpayer": {"name": f"Client {k % 5000}", "entity": ENTITIES[k % 5]}}
    if kind < 8:
        f["relinquished"] = [relinquished(k, 0, t, price)]
        f["identified"] = [identified(0, t, price + 20_000, 30)]
        f["replacement"] = [replacement(k, 0, t, price + 20_000, 90)]
    elif kind < 12:
        f["relinquished"] = [relinquished(k, 0, t, price)]
        f["relinquished"][0]["cash_received"] = "25000"
        f["identified"] = [identified(0, t, price // 2, 20), identified(1, t, price // 2, 40)]
        f["replacement"] = [replacement(k, 0, t, price // 2, 60), replacement(k, 1, t, price // 2, 150)]
    elif kind < 15:
        f["relinquished"] = [relinquished(k, 0, t, price)]
        f["identified"] = [identified(0, t, price, 46 + k % 30)]
        f["replacement"] = [replacement(k, 0, t, price, 120)]
    elif kind < 18:
        f["relinquished"] = [relinquished(k, i, t + datetime.timedelta(days=i), price + 250_000 * i) for i in range(3)]
        f["identified"] = [identified(i, t, 700_000 + 10_000 * i, 30 + i) for i in range(5)]
        f["replacement"] = [replacement(k, i, t, 700_000 + 10_000 * i, 100 + i) for i in range(5)]
    else:
        f["exchange"]["as_of"] = d(t + datetime.timedelta(days=20))
        f["relinquished"] = [relinquished(k, 0, t, price)]
        f["identified"] = [identified(0, t, price, 10)]
    if tracker is not None:
        del f["exchange"]["as_of"]
    out.write(json.dumps(f, separators=(",", ":")))
    out.write("\n")
