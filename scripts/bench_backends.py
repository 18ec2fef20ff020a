#!/usr/bin/env python3
"""The same release server on the same dataset on SQLite and on PostgreSQL, side by side (issue 24):
the curator's queue (a page of 50) at c=1 and c=8, and durable review transitions at c=8 and c=32.
Prints figures, asserts nothing.

    scripts/bench_backends.py --sqlite DIR --postgres postgres://medk@127.0.0.1:PORT/db --pg-files DIR

DIR is a data directory `medk generate --size region` made; the PostgreSQL database is the same
dataset generated with `--database` (its files and audit key in --pg-files). Both change as the
transitions run: use copies.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the helpers of scripts/bench.py: wrk, the transition script, the server)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# One item a school (so no two requests wait for one school's row), each one its school can send to
# review and take back: a file is there, every remark answered, nothing else missing. Portable SQL: a window, not SQLite's bare GROUP BY.
CYCLING = """
SELECT id, state, login FROM (
  SELECT i.id, i.state, 'school-' || s.code AS login, row_number() OVER (PARTITION BY i.school_id ORDER BY i.id) AS n
  FROM items i JOIN schools s ON s.id = i.school_id
  WHERE i.state IN ('draft', 'returned') AND i.kind NOT IN ('roadmap', 'risk_profile')
    AND EXISTS (SELECT 1 FROM item_files f WHERE f.item_id = i.id)
    AND NOT EXISTS (SELECT 1 FROM remarks r WHERE r.item_id = i.id AND r.closed_at IS NULL AND r.answer IS NULL)
    AND (i.kind <> 'measure_report' OR EXISTS (SELECT 1 FROM measures m WHERE m.id = i.measure_id AND m.actual_value <> ''))
) AS candidates WHERE n = 1 ORDER BY id LIMIT 256
"""
CURATOR = """
SELECT u.login FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id
ORDER BY ca.school_id, u.login LIMIT 1
"""


def query(backend, sql):
    kind, where = backend
    if kind == "sqlite":
        command = ["sqlite3", "-separator", "\t", os.path.join(where, "medk.sqlite"), sql]
    else:
        command = ["psql", "-qAt", "-F", "\t", where, "-c", sql]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.strip().splitlines() if line]


def measure(binary, backend, directory, extra, duration):
    rows = []
    curator = query(backend, CURATOR)[0][0]
    cycling = query(backend, CYCLING)
    with bench.Server(binary, directory, extra) as server:
        tokens = {}

        def token(login):
            if login not in tokens:
                tokens[login] = server.login(login)
            return tokens[login]
        for connections in (1, 8):
            result = bench.wrk(server.url + "/api/v1/queue", bench.WRK_GET.format(token=token(curator)), connections, duration,
                               threads=min(2, connections))
            result["label"] = f"curator's queue (page of 50), c={connections}"
            rows.append(result)
            bench.settle(server)
        for connections in (8, 32):
            states = dict((item, state) for item, state in query(backend, f"SELECT id, state FROM items WHERE id IN "
                                                                             f"({','.join(i for i, _, _ in cycling)})"))
            with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
                listing.write("\n".join(f"{token(login)}\t{item}\t{states[item]}" for item, _, login in cycling) + "\n")
            result = bench.wrk(server.url + "/", bench.WRK_CYCLE.format(file=listing.name, threads=2), connections, duration)
            os.unlink(listing.name)
            result["label"] = f"durable review transition ({len(cycling)} items), c={connections}"
            rows.append(result)
            bench.settle(server)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--sqlite", required=True, help="data directory of the SQLite dataset")
    parser.add_argument("--postgres", required=True, help="URL of the same dataset in PostgreSQL")
    parser.add_argument("--pg-files", required=True, help="data directory (files, audit key) of the PostgreSQL dataset")
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    results = {
        "SQLite": measure(args.binary, ("sqlite", args.sqlite), args.sqlite, [], args.duration),
        "PostgreSQL": measure(args.binary, ("postgres", args.postgres), args.pg_files, ["--database", args.postgres], args.duration),
    }
    print(f"\n{'':58} {'SQLite':>28} {'PostgreSQL':>28}")
    print(f"{'':58} {'req/s   p50 ms   p99 ms':>28} {'req/s   p50 ms   p99 ms':>28}")
    for left, right in zip(results["SQLite"], results["PostgreSQL"]):
        cells = [f"{r['rps']:7.0f} {bench.fmt_ms(r['p50']):>8} {bench.fmt_ms(r['p99']):>8}" + (f" ({r['errors']} err)" if r["errors"] else "")
                 for r in (left, right)]
        print(f"{left['label']:58} {cells[0]:>28} {cells[1]:>28}")


if __name__ == "__main__":
    main()
