#!/usr/bin/env python3
"""The documents list in each of its orders (newest, updated, title) on a generated dataset, release
build: the first page with its total, then 20 pages on by cursor, for the country (FIOCO) and the
largest region's coordinator. Prints a Markdown table; run it as
`python3 scripts/bench_items.py --data /work/bench-data/country` (the data directory is migrated in place)."""
import argparse, os, sqlite3, statistics, sys, time, json, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from medk_server import Server
from bench_overdue import call, login, ROOT


def pages(server, token, sort, count=20, limit=50):
    """Seconds per page following the cursor, and whether any id came twice."""
    seen, times, cursor = set(), [], None
    for _ in range(count):
        path = f"/api/v1/items?limit={limit}&sort={sort}" + (f"&cursor={urllib.request.quote(cursor)}" if cursor else "")
        seconds, body = call(server, path, token)
        page = json.loads(body)
        times.append(seconds * 1000)
        ids = [item["id"] for item in page["items"]]
        if seen.intersection(ids):
            return times, False
        seen.update(ids)
        cursor = page.get("nextCursor")
        if not cursor:
            break
    return times, True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{os.path.join(args.data, 'medk.sqlite')}?mode=ro", uri=True)
    items = db.execute("SELECT count(*) FROM items").fetchone()[0]
    region = db.execute("""SELECT r.code FROM regions r JOIN schools s ON 1 JOIN municipalities m ON m.id = s.municipality_id AND m.region_id = r.id
                           GROUP BY r.id ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
    db.close()
    started = time.time()
    server = Server(args.binary, args.data, demo=False).start()
    print(f"Dataset {args.data}: {items} items; largest region {region}; server up (migrations included) in {time.time() - started:.1f} s.\n")
    try:
        federal, regional = login(server, "fioco"), login(server, f"region-{region}")
        print("| who | order | first page + total, ms (median of 5) | next 20 pages, median ms | worst ms | repeats |")
        print("|---|---|---:|---:|---:|---|")
        for who, token in (("country (FIOCO)", federal), (f"region {region}", regional)):
            for sort in ("newest", "updated", "title"):
                call(server, f"/api/v1/items?limit=50&sort={sort}", token)
                first = statistics.median(call(server, f"/api/v1/items?limit=50&sort={sort}", token)[0] * 1000 for _ in range(5))
                times, unique = pages(server, token, sort)
                print(f"| {who} | {sort} | {first:.1f} | {statistics.median(times):.1f} | {max(times):.1f} | {'none' if unique else 'REPEATS'} |")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
