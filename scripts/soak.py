#!/usr/bin/env python3
"""A long load test at a fixed arrival rate (issue 25): a release `medk serve` on a copy of the region
dataset, with the mail worker sending to a local SMTP sink, driven by a realistic mix of people —
curators reading their queue and documents and returning or confirming them, schools commenting,
uploading and sending documents again, coordinators opening the dashboard, the compliance report,
overdue measures and Excel exports — at a fixed rate, whatever the answers' speed (open loop: a slow
answer does not slow the arrivals, and each latency counts from the moment its request was due).

Prints, each minute: requests, errors and p50/p99 of each kind, the server's RSS, open files and WAL
size. Prints figures, asserts nothing. Only 127.0.0.1; every request has a timeout; the run is bounded.

    scripts/soak.py --data /work/bench-data/region-fresh                  # 200 requests/s for 10 minutes
    scripts/soak.py --data DIR --rate 300 --minutes 60                    # longer, harder
"""
import argparse
import collections
import http.client
import json
import os
import queue
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the dataset's accounts and the server)
from medk_server import pdf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Kind of request → weight in the mix (per 1 000 requests).
MIX = {
    "queue": 190,          # a curator's queue
    "card": 190,           # a document's card (its curator or its school)
    "list": 90,            # a page of the curator's documents
    "overview": 80,        # a school's overview
    "comment": 100,        # a school's comment
    "upload": 45,          # a school's new version of a document (a 40 KB PDF)
    "review": 150,         # the next step of a document's review: send, return with a remark, answer, confirm…
    "dashboard": 50,       # the regional coordinator's dashboard page
    "compliance": 35,      # compliance with deadlines, the whole region
    "overdue": 45,         # overdue measures, 100 rows and the total
    "export": 10,          # a school's documents as an Excel workbook (a curator's or a municipality's download)
    "region_export": 0.2,  # every document of the region as a workbook (76 000 rows, 5.6 MB): a few an hour a coordinator
}


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class People:
    """The accounts and documents the mix uses, read from the dataset."""

    def __init__(self, directory, server):
        f = bench.accounts(directory)
        db = sqlite3.connect(f"file:{os.path.join(directory, 'medk.sqlite')}?mode=ro", uri=True)
        region_id = db.execute("SELECT id FROM regions WHERE code = ?", (f["region"],)).fetchone()[0]
        # Documents whose schools can send them and whose curators decide: one a school, with the
        # curator assigned to it, so that no two requests wait for one school's rows.
        rows = db.execute(f"""
            SELECT c.id, c.state, c.login, (SELECT u.login FROM curator_assignments ca JOIN users u ON u.id = ca.curator_id
                                            WHERE ca.school_id = i.school_id ORDER BY u.login LIMIT 1), s.code
            FROM ({bench.CYCLING}) c JOIN items i ON i.id = c.id JOIN schools s ON s.id = i.school_id""").fetchall()
        self.documents = [{"id": r[0], "state": r[1], "school": r[2], "curator": r[3], "school_code": r[4], "busy": False}
                          for r in rows if r[3]]
        db.close()
        self.region, self.regional = f["region"], f["regional"]
        logins = {d["school"] for d in self.documents} | {d["curator"] for d in self.documents} | {self.regional}
        self.tokens = {login: server.login(login) for login in sorted(logins)}
        self.lock = threading.Lock()
        bench.log(f"  {len(self.documents)} documents cycling through review, {len(self.tokens)} people signed in")

    def take(self):
        """A document with no request in flight, marked busy."""
        with self.lock:
            free = [d for d in self.documents if not d["busy"]]
            if not free:
                return None
            document = random.choice(free)
            document["busy"] = True
            return document

    def give_back(self, document):
        with self.lock:
            document["busy"] = False


class Client:
    """One keep-alive connection of a worker thread."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, method, path, token=None, body=None, raw=None, content_type="application/json", cookie=False):
        headers = {}
        if token:
            headers["Cookie" if cookie else "Authorization"] = f"medk_session={token}" if cookie else f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if payload is not None:
            headers["Content-Type"] = content_type
        for attempt in (0, 1):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise


def perform(kind, client, people):
    """One request of `kind`; its status (an exception counts as an error)."""
    d = random.choice(people.documents)
    if kind == "queue":
        return client.request("GET", "/api/v1/queue?limit=50", people.tokens[d["curator"]])[0]
    if kind == "card":
        who = d["curator"] if random.random() < 0.5 else d["school"]
        return client.request("GET", f"/api/v1/items/{d['id']}", people.tokens[who])[0]
    if kind == "list":
        return client.request("GET", "/api/v1/items?limit=50", people.tokens[d["curator"]])[0]
    if kind == "overview":
        return client.request("GET", f"/api/v1/schools/{d['school_code']}/overview", people.tokens[d["curator"]])[0]
    if kind == "comment":
        return client.request("POST", f"/api/v1/items/{d['id']}/comments", people.tokens[d["school"]],
                              body={"text": f"Комментарий школы {random.randrange(1_000_000)}"})[0]
    if kind == "upload":
        document = people.take()
        if document is None:
            return 200
        try:
            if document["state"] not in ("draft", "returned"):
                return client.request("GET", f"/api/v1/items/{document['id']}", people.tokens[document["school"]])[0]
            return client.request("POST", f"/api/v1/items/{document['id']}/files?fileName=version-{random.randrange(1_000_000)}.pdf",
                                  people.tokens[document["school"]], raw=pdf(str(random.random()), 40_000), content_type="application/pdf")[0]
        finally:
            people.give_back(document)
    if kind == "review":
        document = people.take()
        if document is None:
            return 200
        try:
            return review_step(client, people, document)
        finally:
            people.give_back(document)
    if kind == "dashboard":
        return client.request("GET", "/dashboard", people.tokens[people.regional], cookie=True)[0]
    if kind == "compliance":
        return client.request("GET", f"/api/v1/deadlines?region={people.region}", people.tokens[people.regional])[0]
    if kind == "overdue":
        return client.request("GET", "/api/v1/overdue-measures?limit=100", people.tokens[people.regional])[0]
    if kind == "export":
        return client.request("GET", f"/api/v1/items?format=xlsx&school={d['school_code']}", people.tokens[d["curator"]])[0]
    if kind == "region_export":
        return client.request("GET", "/api/v1/items?format=xlsx", people.tokens[people.regional])[0]
    raise ValueError(kind)


def review_step(client, people, document):
    """The document's next step: its school sends it; its curator returns it with a remark (two in
    three times; a mail to the school) or confirms it; a returned one has its remarks answered and is
    sent again; a confirmed one is reopened by its school for a new version."""
    school, curator = people.tokens[document["school"]], people.tokens[document["curator"]]
    state = document["state"]
    if state == "draft":
        status, body = client.request("POST", f"/api/v1/items/{document['id']}/transitions", school,
                                      body={"action": "submit", "expectedState": "draft"})
    elif state == "submitted":
        if random.random() < 0.67:
            status, body = client.request("POST", f"/api/v1/items/{document['id']}/transitions", curator,
                                          body={"action": "return", "expectedState": "submitted",
                                                "comment": f"- уточнить раздел {random.randrange(100)}"})
        else:
            status, body = client.request("POST", f"/api/v1/items/{document['id']}/transitions", curator,
                                          body={"action": "confirm", "expectedState": "submitted"})
    elif state == "returned":
        status, body = client.request("GET", f"/api/v1/items/{document['id']}", school)
        if status == 200:
            open_remarks = [r for r in json.loads(body).get("remarks", []) if r.get("answer") is None and r.get("state", "open") == "open"]
            if open_remarks:
                status, body = client.request("POST", f"/api/v1/items/{document['id']}/remarks", school, body={
                    "answers": [{"remarkID": r["id"], "answer": "done", "text": "Исправлено"} for r in open_remarks]})
                return status
            status, body = client.request("POST", f"/api/v1/items/{document['id']}/transitions", school,
                                          body={"action": "submit", "expectedState": "returned"})
    elif state == "confirmed":
        status, body = client.request("POST", f"/api/v1/items/{document['id']}/transitions", school,
                                      body={"action": "reopen", "expectedState": "confirmed",
                                            "comment": "Новая редакция по итогам мониторинга"})
    else:
        status, body = client.request("GET", f"/api/v1/items/{document['id']}", school)
    if status in (200, 201):
        try:
            answer = json.loads(body)
            document["state"] = (answer.get("item") or answer).get("state", document["state"])
        except (ValueError, AttributeError):
            pass
    elif status == 409:
        detail = client.request("GET", f"/api/v1/items/{document['id']}", school)
        if detail[0] == 200:
            document["state"] = json.loads(detail[1])["item"]["state"]
    return status


class Process:
    """The server process as Linux reports it."""

    def __init__(self, pid, database):
        self.pid, self.database = pid, database

    def rss_mb(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def open_files(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def wal_mb(self):
        wal = self.database + "-wal"
        return os.path.getsize(wal) / 1024 / 1024 if os.path.exists(wal) else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="the region dataset (medk generate --size region); it is copied, never changed")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--rate", type=float, default=200, help="requests a second, arriving at fixed intervals")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=64, help="requests in flight at most (open loop up to this)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not (0 < args.rate <= 2000 and 0 < args.minutes <= 24 * 60 and 1 <= args.workers <= 512):
        sys.exit("--rate 1…2000, --minutes up to 1440, --workers 1…512")
    random.seed(args.seed)

    scratch = tempfile.mkdtemp(prefix="medk-soak-", dir=os.path.dirname(os.path.abspath(args.data)))
    directory = os.path.join(scratch, "data")
    sink_dir = os.path.join(scratch, "mail")
    bench.log(f"copying {args.data} …")
    shutil.copytree(args.data, directory)
    sink = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/smtp_sink.py"), "--dir", sink_dir],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    smtp_port = int(sink.stdout.readline().split()[1])
    server = bench.Server(args.binary, directory, ["--smtp-url", f"smtp://127.0.0.1:{smtp_port}?starttls=off",
                                                   "--mail-from", "МЭДК <medk@soak.example>", "--public-url", "https://medk.example",
                                                   "--mail-interval", "10"])
    try:
        with server:
            port = int(server.url.rsplit(":", 1)[1])
            people = People(directory, server)
            watch = Process(server.process.pid, os.path.join(directory, "medk.sqlite"))
            kinds, weights = zip(*MIX.items())
            due = queue.Queue(maxsize=100_000)
            results = collections.defaultdict(list)   # minute → [(kind, latency s, ok)]
            results_lock = threading.Lock()
            started = time.monotonic() + 1.0
            total = int(args.rate * args.minutes * 60)
            late = [0]

            def worker():
                client = Client(port)
                while True:
                    item = due.get()
                    if item is None:
                        return
                    kind, at = item
                    if time.monotonic() > at + 60:
                        # A minute behind its time: the server cannot keep the rate; counted, not sent.
                        with results_lock:
                            results[int((at - started) // 60)].append((kind, 60.0, False))
                            late[0] += 1
                        continue
                    wait = at - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                    try:
                        status = perform(kind, client, people)
                        ok = 200 <= status < 300
                    except Exception:  # a refused connection or a timeout is an error of the run
                        ok = False
                    finished = time.monotonic()
                    with results_lock:
                        results[int((at - started) // 60)].append((kind, finished - at, ok))

            threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
            for thread in threads:
                thread.start()

            samples = {}

            def sampler():
                while True:
                    minute = int((time.monotonic() - started) // 60)
                    if minute >= args.minutes:
                        return
                    try:
                        samples.setdefault(minute, []).append((watch.rss_mb(), watch.open_files(), watch.wal_mb()))
                    except OSError:
                        return
                    time.sleep(5)

            threading.Thread(target=sampler, daemon=True).start()
            bench.log(f"soak: {args.rate:.0f} requests/s for {args.minutes:g} min ({total} requests), {args.workers} workers")
            # Arrivals at fixed intervals; a request is handed to a worker when it is due (never earlier
            # than a second ahead, so that the queue holds the near future only).
            for index in range(total):
                at = started + index / args.rate
                ahead = at - time.monotonic() - 1.0
                if ahead > 0:
                    time.sleep(ahead)
                due.put((random.choices(kinds, weights)[0], at))
            for _ in threads:
                due.put(None)
            for thread in threads:
                thread.join(timeout=120)
            client_cpu = resource.getrusage(resource.RUSAGE_SELF)
            server_cpu = bench.cpu_seconds(server.process.pid)
            mails = len([name for name in os.listdir(sink_dir) if name.endswith(".eml")]) if os.path.isdir(sink_dir) else 0
            report(results, samples, args, mails, late[0])
            print(f"CPU over the run: server {server_cpu:.0f} s, this load generator {client_cpu.ru_utime + client_cpu.ru_stime:.0f} s "
                  f"(two cores: {2 * args.minutes * 60:.0f} core-seconds in all).")
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def report(results, samples, args, mails, late):
    columns = [k for k in MIX]
    print(f"\nSoak: {args.rate:.0f} requests/s offered for {args.minutes:g} min, release build, region dataset copy; "
          f"latency from the moment each request was due (ms); mail worker on, {mails} messages accepted by the SMTP sink.")
    header = "| min | done/s | errors | p50 | p99 | " + " | ".join(f"{k} p50/p99" for k in columns) + " | RSS MB | files | WAL MB |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for minute in sorted(results):
        rows = results[minute]
        latencies = [l * 1000 for _, l, _ in rows]
        errors = sum(1 for _, _, ok in rows if not ok)
        cells = []
        for kind in columns:
            mine = [l * 1000 for k, l, _ in rows if k == kind]
            cells.append(f"{percentile(mine, 0.5):.0f}/{percentile(mine, 0.99):.0f}" if mine else "–")
        sample = samples.get(minute, [(0, 0, 0)])
        rss = max(s[0] for s in sample)
        files = max(s[1] for s in sample)
        wal = max(s[2] for s in sample)
        print(f"| {minute + 1} | {len(rows) / 60:.0f} | {errors} | {percentile(latencies, 0.5):.0f} | {percentile(latencies, 0.99):.0f} | "
              + " | ".join(cells) + f" | {rss:.0f} | {files} | {wal:.1f} |")
    all_rows = [r for rows in results.values() for r in rows]
    errors = sum(1 for _, _, ok in all_rows if not ok)
    p99 = percentile([l * 1000 for _, l, _ in all_rows], 0.99)
    print(f"\nIn all: {len(all_rows)} requests, {errors} errors, p99 {p99:.0f} ms; not sent, a minute behind their time: {late}.")
    firsts = samples.get(1), samples.get(max(samples) if samples else 0)
    if firsts[0] and firsts[1]:
        second, last = max(s[0] for s in firsts[0]), max(s[0] for s in firsts[1])
        print(f"RSS: second minute {second:.0f} MB, last minute {last:.0f} MB ({(last / second - 1) * 100:+.1f}%).")


if __name__ == "__main__":
    main()
