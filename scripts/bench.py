#!/usr/bin/env python3
"""MEDK benchmark: the release build against generated datasets (demo, region, country).

For each size it starts `medk serve` on the dataset, measures the cold start, signs in as the
generated accounts and drives the calls people make all day with wrk: one page of the curator's
queue, a page of items, the overdue list, one school's overview, compliance of a municipality, a
region and the country (now and as of a past date), durable review transitions and adding a
measure. Per call it prints p50/p99 at c=1 and throughput with p99 at c=8 and c=32, and the
server's RSS; once per run it measures the raw SQLite commit limit on this machine.

With --before BINARY it also runs the previous release (before the storage rework) on a copy of
each dataset converted to the old schema (scripts/bench/to-v1.sql), with the old routes.

It asserts nothing: it prints figures. Usage:
    scripts/bench.sh [--sizes demo,region,country] [--data DIR] [--before OLD_MEDK] [--duration S]
"""
import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

PASSWORD = "bench-password-1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(text):
    print(text, file=sys.stderr, flush=True)


def http(method, url, token=None, body=None, cookie=False):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Cookie" if cookie else "Authorization"] = f"medk_session={token}" if cookie else f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.status, response.read()


def ensure_dataset(binary, data, size, seed):
    directory = os.path.join(data, size)
    if os.path.exists(os.path.join(directory, "medk.sqlite")):
        return directory, None
    log(f"generating the {size} dataset in {directory} …")
    started = time.time()
    result = subprocess.run([binary, "generate", "--size", size, "--seed", str(seed), "--data-dir", directory, "--format", "json"],
                            env=dict(os.environ, MEDK_PASSWORD=PASSWORD), capture_output=True, text=True, check=True)
    log(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "")
    return directory, time.time() - started


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


def accounts(directory):
    """The generated accounts, read from the database (the generator printed them, too)."""
    db = sqlite3.connect(f"file:{os.path.join(directory, 'medk.sqlite')}?mode=ro", uri=True)
    q = lambda sql, *a: db.execute(sql, a).fetchone()
    region = q("SELECT id, code FROM regions ORDER BY (code = '02') DESC, code LIMIT 1")
    school = q("""SELECT s.id, s.code, m.code FROM schools s JOIN municipalities m ON m.id = s.municipality_id
                  WHERE m.region_id = ? ORDER BY s.code LIMIT 1""", region[0])
    curator = q("""SELECT u.login FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id
                   WHERE ca.school_id = ? ORDER BY u.login LIMIT 1""", school[0])[0]
    fixtures = {
        "region": region[1], "school": school[1], "municipality": school[2], "curator": curator,
        "municipal": f"mun-{school[2]}", "regional": f"region-{region[1]}", "federal": "fioco",
    }
    # Items their schools can send to review and take back (a file is there, every remark answered,
    # nothing else missing), one a school so that no two requests wait for one school's row: each
    # request of the transition benchmark is one durable state change of one of them. Portable SQL
    # (a window, not SQLite's bare GROUP BY): scripts/bench_backends.py asks it of PostgreSQL's copy too.
    fixtures["cycling"] = db.execute(CYCLING).fetchall()
    # Roadmaps their schools may still edit, for adding measures: several, since a roadmap holds
    # at most 2,000 measures and a run adds tens of thousands.
    fixtures["draft_roadmaps"] = db.execute("""
        SELECT i.id, 'school-' || s.code FROM items i JOIN schools s ON s.id = i.school_id
        WHERE i.kind = 'roadmap' AND i.state IN ('draft', 'returned') ORDER BY i.id LIMIT 64""").fetchall()
    db.close()
    return fixtures


def rss(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) // 1024
    return values


class RSSWatch:
    """Samples the server's resident memory every 10 ms, so that a peak is told by what was running
    when it happened (sign-ins, whose password hashing takes 32 MB each, or the load itself)."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            try:
                self.peak = max(self.peak, rss(self.pid).get("VmRSS", 0))
            except OSError:
                return
            time.sleep(0.01)

    def take(self):
        """The peak since the last take."""
        peak, self.peak = self.peak, rss(self.pid).get("VmRSS", 0)
        return peak

    def stop(self):
        self.running = False
        self.thread.join()


class Server:
    def __init__(self, binary, directory, extra=()):
        self.binary, self.directory, self.extra = binary, directory, list(extra)

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        started = time.time()
        self.process = subprocess.Popen([self.binary, "serve", "--data-dir", self.directory, "--port", "0"] + self.extra,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = None
        while time.time() - started < 300:
            self.log.seek(0)
            found = re.search(r"http://127\.0\.0\.1:\d+", self.log.read())
            if found:
                self.url = found.group(0)
                try:
                    if http("GET", self.url + "/health")[0] == 200:
                        break
                except Exception:
                    pass
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("server exited: " + self.log.read()[-2000:])
            time.sleep(0.02)
        self.cold_start = time.time() - started
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.unlink(self.log.name)

    def login(self, user):
        status, body = http("POST", self.url + "/api/v1/auth/login", body={"login": user, "password": PASSWORD})
        return json.loads(body)["token"]


WRK_GET = """
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.headers["Cookie"] = "medk_session={token}"
"""

WRK_CYCLE = """
-- Each item's state is what the server last answered for it: a request wrk builds but never sends
-- changes nothing, and each answer says where the item is now.
local items = {{}}
local by_id = {{}}
for line in io.lines("{file}") do
  local token, id, state = line:match("^(%S+)\\t(%S+)\\t(%S+)$")
  table.insert(items, {{token, id, state}})
end
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  -- Each thread cycles through its own half of the items, so no item has two requests in flight.
  mine = {{}}
  for i = id + 1, #items, {threads} do
    table.insert(mine, items[i])
    by_id[items[i][2]] = items[i]
  end
  next_item = 1
end
function request()
  local item = mine[next_item]
  next_item = next_item % #mine + 1
  local action, expected
  if item[3] == "submitted" then action, expected = "withdraw", "submitted"
  else action, expected = "submit", item[3] end
  return wrk.format("POST", "/api/v1/items/" .. item[2] .. "/transitions",
    {{["Authorization"] = "Bearer " .. item[1], ["Content-Type"] = "application/json", ["Prefer"] = "return=minimal"}},
    '{{"action":"' .. action .. '","expectedState":"' .. expected .. '"}}')
end
local refused = 0
function response(status, headers, body)
  if status ~= 200 then
    -- The first few refusals are shown, so that errors in the table can be explained.
    refused = refused + 1
    if refused <= 3 then io.stderr:write("transition answered " .. status .. ": " .. body:sub(1, 240) .. "\\n") end
  end
  if status == 200 then
    -- The answer is the item's summary (Prefer: return=minimal).
    local id = body:match('"id":(%d+)')
    local state = body:match('"state":"(%a+)"')
    if id and state and by_id[id] then by_id[id][3] = state end
  end
end
"""

WRK_LIST = """
local requests = {{}}
for line in io.lines("{file}") do
  local token, method, path, body = line:match("^(%S+)\\t(%S+)\\t(%S+)\\t(.*)$")
  table.insert(requests, {{token, method, path, body}})
end
local counter = 0
local threads = {threads}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  index = id + 1
end
function request()
  -- Round the list: each thread takes every other line, and starts again at the end.
  if index > #requests then index = (index - 1) % #requests + 1 end
  local r = requests[index]
  index = index + threads
  return wrk.format(r[2], r[3], {{["Authorization"] = "Bearer " .. r[1], ["Content-Type"] = "application/json"}}, r[4])
end
"""


def wrk(url, script, connections, duration, threads=2):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    threads = min(threads, connections)
    result = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
                             "--timeout", "120s", "-s", lua.name, url], capture_output=True, text=True, errors="replace")
    os.unlink(lua.name)
    if result.stderr.strip():
        log(result.stderr.strip())
    out = result.stdout
    def latency(label):
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    return {"p50": latency("50"), "p99": latency("99"), "rps": float(rate.group(1)) if rate else 0.0,
            "errors": int(errors.group(1)) if errors else 0, "socket": socket.group(1) if socket else None}


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(server, timeout=600):
    """Waits until the server has finished what a previous load left queued (wrk stops sending, the
    server still answers what it accepted), so that one call's backlog is not billed to the next."""
    started = time.time()
    while time.time() - started < timeout:
        before = cpu_seconds(server.process.pid)
        time.sleep(0.5)
        if cpu_seconds(server.process.pid) - before < 0.05:
            return
    log("  (server still busy after waiting)")


def fmt_ms(value):
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def measure_get(server, path, token, duration):
    url = server.url + path
    status, body = http("GET", url, token, cookie=path.startswith(("/schools", "/monitoring")))
    one = wrk(url, WRK_GET.format(token=token), 1, duration, threads=1)
    settle(server)
    eight = wrk(url, WRK_GET.format(token=token), 8, duration)
    settle(server)
    thirty = wrk(url, WRK_GET.format(token=token), 32, duration)
    return {"bytes": len(body), "c1": one, "c8": eight, "c32": thirty, "rss": rss(server.process.pid)}


def measure_list(server, lines, duration, connections=8):
    """POSTs one distinct request per line (token, method, path, body), spread over the connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.write("\n".join("\t".join(line) for line in lines) + "\n")
    script = WRK_LIST.format(file=listing.name, threads=2)
    result = wrk(server.url + "/", script, connections, duration)
    os.unlink(listing.name)
    result["rss"] = rss(server.process.pid)
    return result


def commit_limit(seconds=5):
    """The raw durable commit rate of SQLite here: one row per transaction, WAL, synchronous=FULL."""
    source = r"""
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>
int main(int argc, char **argv) {
  sqlite3 *db; sqlite3_open(argv[1], &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);", 0, 0, 0);
  sqlite3_stmt *s; sqlite3_prepare_v2(db, "INSERT INTO t(b) VALUES ('decision')", -1, &s, 0);
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a); long n = 0; double e = 0;
  do { sqlite3_exec(db, "BEGIN", 0, 0, 0); sqlite3_step(s); sqlite3_reset(s); sqlite3_exec(db, "COMMIT", 0, 0, 0); n++;
       clock_gettime(CLOCK_MONOTONIC, &b); e = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9; } while (e < atof(argv[2]));
  printf("%.0f\n", n / e); return 0; }
"""
    work = tempfile.mkdtemp()
    try:
        with open(os.path.join(work, "c.c"), "w") as file:
            file.write("#include <stdlib.h>\n" + source)
        subprocess.run(["gcc", "-O2", "-o", os.path.join(work, "c"), os.path.join(work, "c.c"), "-lsqlite3"], check=True)
        out = subprocess.run([os.path.join(work, "c"), os.path.join(work, "t.sqlite"), str(seconds)], capture_output=True,
                             text=True, check=True).stdout
        return float(out.strip())
    finally:
        shutil.rmtree(work)


def calls_after(f, duration):
    """(label, path, login) of the read calls, in the current API."""
    asof = "2026-06-30"
    return [
        ("curator's queue (page of 50)", "/api/v1/queue", f["curator"]),
        ("items, one page of 50 (curator)", "/api/v1/items?limit=50", f["curator"]),
        ("items, one page of 50 (regional)", "/api/v1/items?limit=50", f["regional"]),
        ("overdue measures, 100 rows + total (regional)", "/api/v1/overdue-measures?limit=100", f["regional"]),
        ("one school's overview", f"/api/v1/schools/{f['school']}/overview", f["curator"]),
        ("compliance: municipality", f"/api/v1/deadlines?municipality={f['municipality']}", f["municipal"]),
        ("compliance: region (page + municipalities)", f"/api/v1/deadlines?region={f['region']}", f["regional"]),
        ("compliance: country by region", "/api/v1/deadlines", f["federal"]),
        (f"compliance: municipality as of {asof}", f"/api/v1/deadlines?municipality={f['municipality']}&asOf={asof}", f["municipal"]),
        (f"compliance: region as of {asof}", f"/api/v1/deadlines?region={f['region']}&asOf={asof}", f["regional"]),
        (f"compliance: country as of {asof}", f"/api/v1/deadlines?asOf={asof}", f["federal"]),
    ]


def calls_before(f, duration):
    """The same questions asked of the previous release, with the routes it had."""
    asof = "2026-06-30"
    return [
        ("curator's queue (page of 50)", "/api/v1/queue", f["curator"]),
        ("items, one page of 50 (curator)", "/api/v1/items?campaign=1", f["curator"]),
        ("items, one page of 50 (regional)", "/api/v1/items?campaign=1", f["regional"]),
        ("overdue measures, 100 rows + total (regional)", f"/monitoring/overdue?region={f['region']}", f["regional"]),
        ("one school's overview", f"/schools/{f['school']}", f["curator"]),
        ("compliance: municipality", f"/api/v1/deadlines?municipality={f['municipality']}", f["municipal"]),
        ("compliance: region (page + municipalities)", f"/api/v1/deadlines?region={f['region']}", f["regional"]),
        ("compliance: country by region", "/api/v1/deadlines", f["federal"]),
        (f"compliance: municipality as of {asof}", f"/api/v1/deadlines?municipality={f['municipality']}&asOf={asof}", f["municipal"]),
        (f"compliance: region as of {asof}", f"/api/v1/deadlines?region={f['region']}&asOf={asof}", f["regional"]),
        (f"compliance: country as of {asof}", f"/api/v1/deadlines?asOf={asof}", f["federal"]),
    ]


def run(binary, directory, calls, fixtures, duration, slow_budget):
    rows = []
    with Server(binary, directory) as server:
        log(f"  cold start {server.cold_start:.2f} s")
        watch = RSSWatch(server.process.pid)
        # Everyone signs in first: the sign-ins' password hashing (scrypt, 32 MB each, two at a
        # time) is measured apart from the load, whose own peak is what the reads and writes cost.
        logins = sorted({login for _, _, login in calls} | {login for _, _, login in fixtures["cycling"]}
                        | {login for _, login in fixtures.get("draft_roadmaps", [])})
        tokens = {login: server.login(login) for login in logins}
        memory = {"logins": len(logins), "login_peak": watch.take()}
        def token(login):
            if login not in tokens:
                tokens[login] = server.login(login)
            return tokens[login]
        for label, path, login in calls:
            log(f"  {label} …")
            # A call that takes longer than the budget at c=1 is measured once, not under load.
            started = time.time()
            try:
                status, body = http("GET", server.url + path, token(login), cookie=path.startswith(("/schools", "/monitoring")))
            except Exception as error:
                rows.append({"label": label, "error": str(error)})
                continue
            single = time.time() - started
            settle(server)
            if single > slow_budget:
                rows.append({"label": label, "bytes": len(body), "single": single * 1000, "rss": rss(server.process.pid)})
                continue
            result = measure_get(server, path, token(login), duration)
            result["label"] = label
            rows.append(result)
            settle(server)
        # Durable review transitions: schools send their items to review and take them back, each
        # request one state change with its audit row, committed with synchronous=FULL.
        cycling = fixtures["cycling"]
        if len(cycling) >= 16:
            log(f"  transitions ({len(cycling)} items of as many schools) …")
            for connections in (8, 32):
                # The items' states as they are now (the previous run's last requests landed after it ended).
                db = sqlite3.connect(f"file:{os.path.join(directory, 'medk.sqlite')}?mode=ro", uri=True)
                states = dict(db.execute(f"SELECT id, state FROM items WHERE id IN ({','.join(str(i) for i, _, _ in cycling)})"))
                db.close()
                with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
                    listing.write("\n".join(f"{token(login)}\t{item}\t{states[item]}" for item, _, login in cycling) + "\n")
                result = wrk(server.url + "/", WRK_CYCLE.format(file=listing.name, threads=2), connections, duration)
                os.unlink(listing.name)
                result["rss"] = rss(server.process.pid)
                result["label"] = f"durable review transition, c={connections}"
                rows.append(result)
                settle(server)
        if len(fixtures.get("draft_roadmaps", [])) >= 16:
            body = json.dumps({"measure": {"task": "Задача", "title": "Новое мероприятие", "dueDate": "2026-12-20",
                                           "responsible": "Директор", "expectedResult": "Результат", "indicator": "Показатель",
                                           "plannedValue": "1", "riskFactorNumber": 1}})
            lines = [(token(login), "POST", f"/api/v1/items/{roadmap}/measures", body) for roadmap, login in fixtures["draft_roadmaps"]]
            result = measure_list(server, lines, duration)
            result["label"] = f"create a measure ({len(lines)} roadmaps), c=8"
            rows.append(result)
        memory["load_peak"] = watch.take()
        watch.stop()
        final = dict(rss(server.process.pid), **memory)
        return server.cold_start, rows, final


def print_memory(cold, final):
    print(f"\nCold start {cold:.2f} s. Server RSS: {final['logins']} accounts signed in first, peak {final['login_peak']} MB "
          f"(scrypt, 32 MB a sign-in, two at a time); under the load below peak {final['load_peak']} MB, "
          f"at the end {final.get('VmRSS')} MB (the kernel's high-water mark {final.get('VmHWM')} MB).")


def print_table(title, rows):
    print(f"\n#### {title}\n")
    print("| call | bytes | c=1 p50 / p99, ms | c=8 req/s, p99 ms | c=32 req/s, p99 ms | RSS after, MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        if "error" in row:
            print(f"| {row['label']} | — | failed: {row['error'][:60]} | | | |")
        elif "single" in row:
            print(f"| {row['label']} | {row['bytes']} | one call: {fmt_ms(row['single'])} | not run under load | | {row['rss'].get('VmRSS')} |")
        elif "c1" in row:
            c1, c8, c32 = row["c1"], row["c8"], row["c32"]
            errors = sum(r["errors"] for r in (c1, c8, c32))
            note = f" ({errors} errors)" if errors else ""
            print(f"| {row['label']}{note} | {row['bytes']} | {fmt_ms(c1['p50'])} / {fmt_ms(c1['p99'])} | "
                  f"{c8['rps']:.0f}, {fmt_ms(c8['p99'])} | {c32['rps']:.0f}, {fmt_ms(c32['p99'])} | {row['rss'].get('VmRSS')} |")
        else:
            note = f" ({row['errors']} errors)" if row["errors"] else ""
            print(f"| {row['label']}{note} | — | — | {row['rps']:.0f}, {fmt_ms(row['p99'])} | — | {row['rss'].get('VmRSS')} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="demo,region,country")
    parser.add_argument("--data", default=os.path.join(ROOT, ".bench-data"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--before", help="the previous release's medk, run on datasets converted to its schema")
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow", type=float, default=3.0, help="seconds a call may take at c=1 before it is not run under load")
    parser.add_argument("--writes-only", action="store_true", help="only the durable writes (transitions, new measures)")
    args = parser.parse_args()
    os.makedirs(args.data, exist_ok=True)
    limit = commit_limit()
    print(f"# MEDK benchmark ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)\n")
    print(f"Raw SQLite durable commit limit here (C loop, WAL + synchronous=FULL, one row per transaction): {limit:.0f}/s")
    for size in args.sizes.split(","):
        directory, generated = ensure_dataset(args.binary, args.data, size, args.seed)
        fixtures = accounts(directory)
        db = sqlite3.connect(f"file:{os.path.join(directory, 'medk.sqlite')}?mode=ro", uri=True)
        counts = [db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("schools", "measures", "items", "audit_log")]
        db.close()
        megabytes = os.path.getsize(os.path.join(directory, "medk.sqlite")) // (1 << 20)
        print(f"\n### {size}: {counts[0]} schools, {counts[1]} measures, {counts[2]} items, {counts[3]} audit rows, {megabytes} MB"
              + (f" (generated in {generated:.0f} s)" if generated else ""))
        # The copy for transitions: they change the data, so each run works on its own copy.
        work = directory + ".run"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(directory, work)
        try:
            log(f"{size}: after")
            calls = [] if args.writes_only else calls_after(fixtures, args.duration)
            cold, rows, final = run(args.binary, work, calls, fixtures, args.duration, args.slow)
            print_memory(cold, final)
            print_table(f"{size}, after", rows)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if args.before:
            old = directory + ".v1"
            if not os.path.exists(os.path.join(old, "medk.sqlite")):
                log(f"{size}: converting a copy to the previous schema …")
                shutil.copytree(directory, old)
                with open(os.path.join(ROOT, "scripts/bench/to-v1.sql")) as script:
                    subprocess.run(["sqlite3", os.path.join(old, "medk.sqlite")], stdin=script, check=True)
            work = old + ".run"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(old, work)
            try:
                log(f"{size}: before")
                calls = [] if args.writes_only else calls_before(fixtures, args.duration)
                cold, rows, final = run(args.before, work, calls, fixtures, args.duration, args.slow)
                print_memory(cold, final)
                print_table(f"{size}, before", rows)
            finally:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
