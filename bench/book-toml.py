#!/usr/bin/env python3
"""Writes a JSON Lines book (from `bench/book-gen.py`) as a folder of TOML exchange files, the
way a firm keeps its book: one file per exchange, 1,000 to a subfolder (`0000/x0000000.toml`,
...), in the book's order. `likekind check FOLDER` reads them in that order, so its JSON Lines
match the JSON Lines book's line for line (all but `source`).

usage: python3 bench/book-toml.py BOOK.jsonl FOLDER [N]
"""
import json
import os
import sys


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return json.dumps(v)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise ValueError(f"no TOML for {v!r}")


def table(name, d, out, array):
    out.append(("[[%s]]" if array else "[%s]") % name)
    nested = []
    for k, v in d.items():
        if isinstance(v, dict):
            nested.append((k, [v], False))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            nested.append((k, v, True))
        else:
            out.append(f"{k} = {value(v)}")
    for k, items, arr in nested:
        for x in items:
            table(f"{name}.{k}", x, out, arr)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with open(src) as book:
        for i, line in enumerate(book):
            if n is not None and i >= n:
                break
            out = []
            for k, v in json.loads(line).items():
                items = v if isinstance(v, list) else [v]
                for x in items:
                    table(k, x, out, isinstance(v, list))
            sub = os.path.join(dst, f"{i // 1000:04d}")
            if i % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"x{i:07d}.toml"), "w") as f:
                f.write("\n".join(out) + "\n")


main()
