#!/usr/bin/env python3
"""The federal operator's first pages on the national dataset (issue 25): the country's compliance
report by region (`GET /api/v1/deadlines`) and the country's dashboard (`GET /dashboard`), on a
release server over a copy of the country dataset. Prints figures, asserts nothing.

    scripts/bench_country.py --data /work/bench-data/country [--duration 20]

Measured: the first request after start (every region judged), c=1 and c=8 with nothing changing,
the same while schools send documents and take them back a few times a second (each change makes
its region be judged again), and the report as of yesterday (judged in full, as before).
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(url, token, cookie=False):
    started = time.perf_counter()
    status, body = bench.http("GET", url, token, cookie=cookie)
    assert status == 200, status
    return (time.perf_counter() - started) * 1000, len(body)


def series(url, token, seconds, cookie=False):
    times = []
    end = time.time() + seconds
    while time.time() < end:
        times.append(timed(url, token, cookie)[0])
    times.sort()
    return {"n": len(times), "p50": statistics.median(times), "p99": times[min(len(times) - 1, int(0.99 * len(times)))]}


class Writer:
    """Schools sending their documents to review and taking them back, `rate` changes a second."""

    def __init__(self, server, cycling, rate):
        self.server, self.rate = server, rate
        self.items = [{"id": i, "state": s, "token": server.login(login)} for i, s, login in cycling[:32]]
        self.stop = threading.Event()
        self.done = 0

    def run(self):
        index = 0
        while not self.stop.is_set():
            item = self.items[index % len(self.items)]
            index += 1
            action = "withdraw" if item["state"] == "submitted" else "submit"
            try:
                status, body = bench.http("POST", self.server.url + f"/api/v1/items/{item['id']}/transitions", item["token"],
                                          body={"action": action, "expectedState": item["state"]})
                item["state"] = "submitted" if action == "submit" else "draft"
                self.done += 1
            except Exception:
                pass
            time.sleep(1 / self.rate)

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.started = time.time()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.achieved = self.done / (time.time() - self.started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="the country dataset; a copy is measured")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--write-rate", type=float, default=5)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="medk-country-", dir=os.path.dirname(os.path.abspath(args.data)))
    directory = os.path.join(scratch, "data")
    try:
        bench.log(f"copying {args.data} …")
        shutil.copytree(args.data, directory)
        fixtures = bench.accounts(directory)
        rows = []
        with bench.Server(args.binary, directory) as server:
            bench.log(f"server up in {server.cold_start:.1f} s")
            token = server.login(fixtures["federal"])
            report = server.url + "/api/v1/deadlines"
            dashboard = server.url + "/dashboard"
            first_report, size = timed(report, token)
            first_dashboard, page = timed(dashboard, token, cookie=True)
            rows.append(("first request after start: compliance, country", f"{first_report:.0f}", "", "", f"{size // 1024} KB"))
            rows.append(("first request after start: dashboard, country", f"{first_dashboard:.0f}", "", "", f"{page // 1024} KB"))
            for label, url, cookie in (("compliance, country by region", report, False), ("dashboard, country", dashboard, True)):
                quiet = series(url, token, args.duration, cookie)
                eight = bench.wrk(url, bench.WRK_GET.format(token=token), 8, args.duration)
                bench.settle(server)
                rows.append((f"{label}: nothing changing", f"{quiet['p50']:.1f}", f"{quiet['p99']:.1f}",
                             f"{eight['rps']:.0f}/s, p99 {bench.fmt_ms(eight['p99'])}", f"{eight['errors']} errors"))
                with Writer(server, fixtures["cycling"], args.write_rate) as writer:
                    busy = series(url, token, args.duration, cookie)
                    busy8 = bench.wrk(url, bench.WRK_GET.format(token=token), 8, args.duration)
                bench.settle(server)
                rows.append((f"{label}: {writer.achieved:.1f} changes/s meanwhile", f"{busy['p50']:.1f}", f"{busy['p99']:.1f}",
                             f"{busy8['rps']:.0f}/s, p99 {bench.fmt_ms(busy8['p99'])}", f"{busy8['errors']} errors"))
            yesterday = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
            as_of = [timed(report + f"?asOf={yesterday}", token)[0] for _ in range(3)]
            rows.append(("compliance, country, as of yesterday (judged in full)", f"{statistics.median(as_of):.0f}",
                         f"{max(as_of):.0f}", "", "3 requests"))
        print(f"\nThe federal operator's first pages, country dataset, release build (ms at c=1; c=8 by wrk for {args.duration} s)")
        print("| measurement | p50 | p99 | c=8 | note |")
        print("|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
