#!/usr/bin/env python3
"""MEDK benchmark: overdue commitments on a generated dataset, with the release build.

Starts `medk serve` on a copy of the dataset and, as the federal operator and a regional
coordinator, times (median and worst of --runs at one client) the coordinator's dashboard and the
first page of the overdue list for the country and for a region; then pages through the whole
overdue list of that region and of the country, checking that no measure is listed twice and that
the pages add up to the total the list states. With --migration it also times migration v16 on a
second copy (commitments backfilled from review_rounds, per-day sums and open-measure indexes
rebuilt). It asserts nothing: it prints figures.

Usage: scripts/bench_overdue.py --data /work/bench-data/country [--binary .build/release/medk] [--runs 7] [--migration]
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from medk_server import Server  # noqa: E402

PASSWORD = "bench-password-1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def call(server, path, token, api=True):
    headers = {"Authorization": f"Bearer {token}"} if api else {"Cookie": f"medk_session={token}"}
    request = urllib.request.Request(server.url + path, headers=headers)
    started = time.time()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    return time.time() - started, body


def login(server, name):
    request = urllib.request.Request(server.url + "/api/v1/auth/login", data=json.dumps({"login": name, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())["token"]


def timed(server, path, token, runs, api=True):
    call(server, path, token, api)  # warm
    times = sorted(call(server, path, token, api)[0] * 1000 for _ in range(runs))
    return statistics.median(times), times[-1]


def walk(server, token, query, limit=500):
    """Every page of an overdue list: (ids, the stated total, pages, seconds)."""
    ids, total, pages, cursor = [], None, 0, None
    started = time.time()
    while True:
        path = f"/api/v1/overdue-measures?limit={limit}{query}" + (f"&cursor={urllib.request.quote(cursor)}" if cursor else "")
        _, body = call(server, path, token)
        page = json.loads(body)["measures"]
        ids += [m["measureID"] for m in page["items"]]
        total = page.get("total", total) if total is None else total
        pages += 1
        cursor = page.get("nextCursor")
        if not cursor:
            return ids, total, pages, time.time() - started


def migration(directory):
    """Times v16 on a copy whose commitments are unset again (the work an upgrade does)."""
    source = open(os.path.join(ROOT, "Sources/MEDKCore/Storage/SQLite/Migrations.swift"), encoding="utf-8").read()
    backfill = re.search(r'static let v16Backfill = """\n(.*?)\n    """', source, re.S).group(1)
    rest = re.search(r'static let v16 = """\n(.*?)\n    """', source, re.S).group(1)
    copy = tempfile.mkdtemp(prefix="medk-v16-")
    shutil.copy(os.path.join(directory, "medk.sqlite"), copy)
    db = sqlite3.connect(os.path.join(copy, "medk.sqlite"))
    db.execute("DROP TRIGGER roadmap_commits_measures")
    db.execute("UPDATE measures SET committed_at = NULL")
    db.commit()
    started = time.time()
    db.executescript("BEGIN;" + backfill + rest + "COMMIT;")
    seconds = time.time() - started
    committed = db.execute("SELECT count(*) FROM measures WHERE committed_at IS NOT NULL").fetchone()[0]
    total = db.execute("SELECT count(*) FROM measures").fetchone()[0]
    db.close()
    shutil.rmtree(copy, ignore_errors=True)
    return seconds, committed, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--migration", action="store_true")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{os.path.join(args.data, 'medk.sqlite')}?mode=ro", uri=True)
    measures, committed = db.execute("SELECT count(*), sum(committed_at IS NOT NULL) FROM measures").fetchone()
    region = db.execute("""SELECT r.code FROM regions r JOIN schools s ON 1 JOIN municipalities m ON m.id = s.municipality_id AND m.region_id = r.id
                           GROUP BY r.id ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
    schools = db.execute("SELECT count(*) FROM schools").fetchone()[0]
    db.close()
    print(f"# Overdue commitments ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)\n")
    print(f"Dataset {args.data}: {schools} schools, {measures} measures, {committed} of them commitments; largest region {region}.\n")
    copy = tempfile.mkdtemp(prefix="medk-overdue-")
    shutil.rmtree(copy)
    shutil.copytree(args.data, copy)
    server = Server(args.binary, copy, demo=False).start()
    try:
        federal, regional = login(server, "fioco"), login(server, f"region-{region}")
        print("| call | median, ms | worst of runs, ms |")
        print("|---|---:|---:|")
        for name, path, token, api in (("dashboard, country (FIOCO)", "/dashboard", federal, False),
                                       (f"dashboard, region {region}", f"/dashboard?region={region}", regional, False),
                                       ("overdue list, first 100 + total, country", "/api/v1/overdue-measures?limit=100", federal, True),
                                       (f"overdue list, first 100 + total, region {region}", "/api/v1/overdue-measures?limit=100", regional, True)):
            median, worst = timed(server, path, token, args.runs, api)
            print(f"| {name} | {median:.1f} | {worst:.1f} |")
        print()
        for name, token, query in ((f"region {region}", regional, ""), ("country", federal, "")):
            ids, total, pages, seconds = walk(server, token, query)
            print(f"Whole overdue list, {name}: {len(ids)} rows in {pages} pages of 500 ({seconds:.1f} s); distinct {len(set(ids))}; "
                  f"stated total {total}: " + ("each measure once, pages add up" if len(ids) == len(set(ids)) == total else "MISMATCH"))
    finally:
        server.stop()
        shutil.rmtree(copy, ignore_errors=True)
    if args.migration:
        seconds, committed, total = migration(args.data)
        print(f"\nMigration v16 on a copy: {seconds:.1f} s; {committed} of {total} measures committed by the backfill.")


if __name__ == "__main__":
    main()
