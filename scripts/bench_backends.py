#!/usr/bin/env python3
"""The same release build on the same datasets on SQLite, on PostgreSQL with one server, and on
PostgreSQL with two servers behind HAProxy (docs/deploy/haproxy.cfg), side by side (issue 24).
Prints figures, asserts nothing.

    scripts/bench.sh --backends                # region and country from .bench-data/ (generated if missing)
    scripts/bench_backends.py --postgres postgres://medk@127.0.0.1:PORT/postgres region [country=DIR]

A dataset is SIZE (generated into --data once, as scripts/bench.py does) or SIZE=DIR.

Each SQLite data directory is moved into a fresh database of the PostgreSQL server with `medk copy`
(its time is printed too). Reads run at c=1 and c=8, durable review transitions at c=8 and c=32.
Each run works on a copy of the SQLite directory made beside it (removed after), so the transitions,
which leave items on review, never wear a dataset down.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the helpers of scripts/bench.py: wrk, the transition script, the server)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def reads(f, size):
    """(label, path, login, connection counts) of the reads compared."""
    calls = [
        ("curator's queue (page of 50)", "/api/v1/queue", f["curator"], (1, 8)),
        ("items, one page of 50 (regional)", "/api/v1/items?limit=50", f["regional"], (1, 8)),
        ("overdue measures, 100 rows + total (regional)", "/api/v1/overdue-measures?limit=100", f["regional"], (1, 8)),
        ("one school's overview", f"/api/v1/schools/{f['school']}/overview", f["curator"], (1, 8)),
        ("compliance: region", f"/api/v1/deadlines?region={f['region']}", f["regional"], (1, 8)),
    ]
    if size == "country":
        calls.append(("compliance: country by region", "/api/v1/deadlines", f["federal"], (1,)))
    return calls


class Balanced:
    """Two servers on one database behind HAProxy, the configuration of docs/deploy/haproxy.cfg."""

    def __init__(self, binary, directory, extra):
        self.servers = [bench.Server(binary, directory, extra), bench.Server(binary, directory, extra)]

    def __enter__(self):
        for server in self.servers:
            server.__enter__()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = open(os.path.join(ROOT, "docs/deploy/haproxy.cfg")).read()
        ports = [server.url.rsplit(":", 1)[1] for server in self.servers]
        config = (config.replace("127.0.0.1:8080", f"127.0.0.1:{port}").replace("127.0.0.1:8081", f"127.0.0.1:{ports[0]}")
                  .replace("127.0.0.1:8082", f"127.0.0.1:{ports[1]}")
                  .replace("log stdout format raw local0 notice", "log stderr format raw local0 err"))
        self.config = tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False)
        self.config.write(config)
        self.config.close()
        self.haproxy = subprocess.Popen(["haproxy", "-f", self.config.name, "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if bench.http("GET", self.url + "/health")[0] == 200:
                    break
            except Exception:
                time.sleep(0.1)
        time.sleep(1.5)  # both servers seen healthy (rise 2 × 500 ms)
        return self

    def __exit__(self, *exc):
        self.haproxy.terminate()
        self.haproxy.wait()
        os.unlink(self.config.name)
        for server in self.servers:
            server.__exit__(*exc)

    def login(self, user):
        return self.servers[0].login(user)


def settle(target):
    for server in getattr(target, "servers", [target]):
        bench.settle(server)


def measure(target, fixtures, size, duration, reads_too=True):
    rows = []
    tokens = {}

    def token(login):
        if login not in tokens:
            tokens[login] = target.login(login)
        return tokens[login]

    for label, path, login, counts in (reads(fixtures, size) if reads_too else []):
        for connections in counts:
            result = bench.wrk(target.url + path, bench.WRK_GET.format(token=token(login)), connections, duration,
                               threads=min(2, connections))
            result["label"] = f"{label}, c={connections}"
            rows.append(result)
            settle(target)
    cycling = fixtures["cycling"]
    for connections in (8, 32):
        states = {}
        for item, state, login in cycling:
            status, body = bench.http("GET", target.url + f"/api/v1/items/{item}", token(login))
            states[item] = bench.json.loads(body)["item"]["state"] if status == 200 else state
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
            listing.write("\n".join(f"{token(login)}\t{item}\t{states[item]}" for item, _, login in cycling) + "\n")
        result = bench.wrk(target.url + "/", bench.WRK_CYCLE.format(file=listing.name, threads=2), connections, duration)
        os.unlink(listing.name)
        result["label"] = f"durable review transition ({len(cycling)} items), c={connections}"
        rows.append(result)
        settle(target)
    return rows


def copy_to_postgres(binary, directory, cluster, name):
    database = cluster.rsplit("/", 1)[0] + f"/bench_{name}"
    subprocess.run(["psql", cluster, "-qc", f"DROP DATABASE IF EXISTS bench_{name}"], check=True, capture_output=True)
    subprocess.run(["psql", cluster, "-qc", f"CREATE DATABASE bench_{name}"], check=True, capture_output=True)
    files = tempfile.mkdtemp(prefix=f"medk-bench-pg-{name}-")
    started = time.time()
    result = subprocess.run([binary, "copy", "--from", directory, "--to", database, "--data-dir", files],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("medk copy: " + result.stderr[-2000:])
    summary = [line for line in result.stdout.splitlines() if line.startswith(("Перенесено", "Проверено"))]
    return database, files, time.time() - started, summary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--postgres", required=True, help="URL of a database of the PostgreSQL server (new ones are made beside it)")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--data", default=os.path.join(ROOT, ".bench-data"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--transitions-only", action="store_true", help="only the durable transitions, one server on each backend")
    parser.add_argument("datasets", nargs="+", help="SIZE or SIZE=DIR (a SQLite data directory `medk generate --size SIZE` made)")
    args = parser.parse_args()
    print(f"# MEDK on SQLite and on PostgreSQL ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)")
    for dataset in args.datasets:
        if "=" in dataset:
            size, directory = dataset.split("=", 1)
        else:
            os.makedirs(args.data, exist_ok=True)
            size, (directory, _) = dataset, bench.ensure_dataset(args.binary, args.data, dataset, args.seed)
        # The run works on a copy: transitions leave items submitted, and a dataset used again would
        # have fewer items to cycle each time.
        scratch = tempfile.mkdtemp(prefix=f"medk-bench-{size}-", dir=os.path.dirname(os.path.abspath(directory)))
        bench.log(f"{size}: copying {directory} for this run …")
        shutil.copytree(directory, scratch, dirs_exist_ok=True)
        directory = scratch
        fixtures = bench.accounts(directory)
        bench.log(f"{size}: moving to PostgreSQL (medk copy) …")
        database, files, seconds, summary = copy_to_postgres(args.binary, directory, args.postgres, size)
        try:
            results = {}
            bench.log(f"{size}: SQLite …")
            with bench.Server(args.binary, directory) as server:
                results["SQLite"] = measure(server, fixtures, size, args.duration, not args.transitions_only)
            bench.log(f"{size}: PostgreSQL, one server …")
            with bench.Server(args.binary, files, ["--database", database]) as server:
                results["PG, 1 server"] = measure(server, fixtures, size, args.duration, not args.transitions_only)
            if not args.transitions_only:
                bench.log(f"{size}: PostgreSQL, two servers behind HAProxy …")
                with Balanced(args.binary, files, ["--database", database, "--database-connections", "8"]) as balanced:
                    results["PG, 2 servers"] = measure(balanced, fixtures, size, args.duration)
        finally:
            shutil.rmtree(files, ignore_errors=True)
            shutil.rmtree(scratch, ignore_errors=True)
        columns = list(results)
        print(f"\n## {size}: SQLite and PostgreSQL 15, release build, {args.duration} s a row (req/s, p50 and p99 in ms)")
        print(f"medk copy SQLite → PostgreSQL: {seconds:.0f} s in all. " + " ".join(summary))
        print(f"{'':62}" + "".join(f"{name:>30}" for name in columns))
        for index, row in enumerate(results[columns[0]]):
            cells = []
            for name in columns:
                r = results[name][index]
                cell = f"{r['rps']:7.0f} {bench.fmt_ms(r['p50']):>7} {bench.fmt_ms(r['p99']):>7}"
                if r["errors"]:
                    cell += f" ({r['errors']} err)"
                cells.append(cell)
            print(f"{row['label']:62}" + "".join(f"{cell:>30}" for cell in cells))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
