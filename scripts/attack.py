#!/usr/bin/env python3
"""MEDK under attack: drives the attacks of the hardening issue against a real `medk serve --demo`
and prints, per attack, what was attempted, what was refused or detected, and what it cost.

    scripts/attack.sh                               # the current release build
    scripts/attack.sh --before /path/to/old/medk    # and a previous build, same attacks, one run

It asserts nothing (the test suite does, attack by attack); it prints figures.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO_PASSWORD = "medk-demo-2026"
ACCOUNTS = ["admin", "fioco", "region75", "mun-baley", "mun-chita", "curator-ivanova", "curator-petrov",
            "school-750010001", "school-750010002", "school-750010003", "school-750020001", "school-750020002"]


def log(text):
    print(text, file=sys.stderr, flush=True)


class Server:
    def __init__(self, binary, directory, demo=True, extra=()):
        self.binary, self.directory, self.demo, self.extra = binary, directory, demo, list(extra)

    def start(self):
        self.out = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        args = [self.binary, "serve", "--data-dir", self.directory, "--port", "0"] + (["--demo"] if self.demo else []) + self.extra
        self.process = subprocess.Popen(args, stdout=self.out, stderr=subprocess.STDOUT)
        started = time.time()
        while time.time() - started < 120:
            self.out.seek(0)
            text = self.out.read()
            found = re.search(r"http://127\.0\.0\.1:(\d+)", text)
            if found:
                self.port = int(found.group(1))
                try:
                    if request(self, "GET", "/health")[0] == 200:
                        return self
                except OSError:
                    pass
            if self.process.poll() is not None:
                self.out.seek(0)
                self.exit_text = self.out.read()
                return None
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def cpu(self):
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory(self):
        values = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(("VmRSS", "VmHWM")):
                    key, value = line.split(":")
                    values[key] = int(value.split()[0]) // 1024
        return values


def request(server, method, path, body=None, headers=None, timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        headers = {}
        for key, value in response.getheaders():  # several Set-Cookie headers are kept, one per line
            headers[key] = headers[key] + "\n" + value if key in headers else value
        return response.status, response.read(), headers
    finally:
        connection.close()


def api_login(server, login, password, forwarded=None):
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    status, body, _ = request(server, "POST", "/api/v1/auth/login", json.dumps({"login": login, "password": password}), headers)
    return status, (json.loads(body).get("token") if status == 200 else None)


def stream_post(server, path, headers, total, chunk=1 << 20, prefix=b"", suffix=b""):
    """POSTs `total` bytes of dashes between prefix and suffix, as fast as the server takes them."""
    started = time.time()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        connection.putrequest("POST", path)
        for key, value in headers.items():
            connection.putheader(key, value)
        connection.putheader("Content-Length", str(len(prefix) + total + len(suffix)))
        connection.endheaders()
        connection.send(prefix)
        sent = 0
        block = b"-" * chunk
        while sent < total:
            piece = block[: min(chunk, total - sent)]
            connection.send(piece)
            sent += len(piece)
        connection.send(suffix)
        response = connection.getresponse()
        status = response.status
        body = response.read()
        connection.close()
        return status, body, time.time() - started
    except (BrokenPipeError, ConnectionResetError) as error:
        # The server answered and closed before the body was sent: that is a refusal too.
        try:
            response = connection.getresponse()
            return response.status, response.read(), time.time() - started
        except Exception:
            return f"closed ({type(error).__name__})", b"", time.time() - started


def web_session(server, login):
    """Signs in through the login form; returns the session token (the cookie)."""
    status, body, headers = request(server, "GET", "/login")
    csrf = re.search(rb'name="_csrf" value="([^"]*)"', body).group(1).decode()
    cookie = re.search(r"medk_login_csrf=[^;\s]*", headers.get("Set-Cookie", "")).group(0)
    form = urllib.parse.urlencode({"login": login, "password": DEMO_PASSWORD, "_csrf": csrf, "next": "/"})
    status, _, headers = request(server, "POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    found = re.search(r"medk_session=([^;]+)", headers.get("Set-Cookie", ""))
    return found.group(1) if found else None


def csrf_for(session):
    return hmac.new(session.encode(), b"medk-web-form", hashlib.sha256).hexdigest()


# --- the attacks ----------------------------------------------------------------------------------

def multipart_cpu(server, rows):
    # The previous build read multipart bodies up to the upload limit (26 MB) before any check.
    for boundary_length, body_length in ((500, 50_000), (1024, 100_000), (1024, 1_000_000), (1024, 4_000_000), (70, 15_000)):
        boundary = "-" * (boundary_length - 1) + "x"
        before = server.cpu()
        status, _, elapsed = stream_post(server, "/login", {"Content-Type": f"multipart/form-data; boundary={boundary}"},
                                         body_length, chunk=body_length)
        cost = server.cpu() - before
        size = f"{body_length // 1000} kB" if body_length < 1_000_000 else f"{body_length // 1_000_000} MB"
        rows.append((f"anonymous multipart, {boundary_length}-byte boundary, {size} of dashes", 1,
                     f"answer {status}", f"{elapsed * 1000:.0f} ms wall, {cost * 1000:.0f} ms server CPU"))


def health_during_logins(server, rows):
    latencies, stop = [], threading.Event()

    def probe():
        while not stop.is_set():
            started = time.time()
            try:
                request(server, "GET", "/health", timeout=60)
                latencies.append(time.time() - started)
            except OSError:
                latencies.append(60)
            time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    time.sleep(0.3)
    statuses = []
    threads = [threading.Thread(target=lambda i=i: statuses.append(api_login(server, ACCOUNTS[i % len(ACCOUNTS)], DEMO_PASSWORD)[0]))
               for i in range(40)]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    burst = time.time() - started
    time.sleep(0.3)
    stop.set()
    prober.join()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    worst = latencies[-1] * 1000
    ok = statuses.count(200)
    rows.append(("/health during 40 simultaneous correct logins", 40, f"{ok} signed in, others {sorted(set(statuses) - {200})}",
                 f"burst {burst:.1f} s; /health p50 {p50:.0f} ms, max {worst:.0f} ms ({len(latencies)} probes)"))


def anonymous_bodies(server, rows):
    before = server.memory()
    results = []
    threads = [threading.Thread(target=lambda: results.append(stream_post(
        server, "/login", {"Content-Type": "multipart/form-data; boundary=b"}, 25 << 20)))
        for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(0.5)
    after = server.memory()
    statuses = sorted({str(r[0]) for r in results})
    rows.append(("8 anonymous 25 MB multipart posts at once", 8, f"answers {', '.join(statuses)}",
                 f"peak RSS {before['VmHWM']} → {after['VmHWM']} MB (+{after['VmHWM'] - before['VmHWM']}), "
                 f"slowest {max(r[2] for r in results):.1f} s"))


def parallel_guesses(server, rows, proxy):
    statuses = []
    threads = [threading.Thread(target=lambda: statuses.append(api_login(server, "curator-petrov", "угадываю-пароль")[0]))
               for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = statuses.count(401)
    refused = len(statuses) - checked
    right, _ = api_login(server, "curator-petrov", DEMO_PASSWORD)
    elsewhere = api_login(server, "curator-petrov", DEMO_PASSWORD, forwarded="198.51.100.20")[0] if proxy else "—"
    rows.append(("40 parallel wrong passwords for one account, one address", 40,
                 f"{refused} refused unchecked, {checked} checked",
                 f"right password then: same address {right}, owner's address {elsewhere}"))
    statuses = []
    for round_ in range(9):
        for account in ACCOUNTS[6:12]:
            statuses.append(api_login(server, account, f"guess-{round_}", forwarded="203.0.113.66" if proxy else None)[0])
    rows.append(("54 guesses over 6 school accounts from one address", len(statuses),
                 f"{len(statuses) - statuses.count(401)} refused unchecked, {statuses.count(401)} checked",
                 "each school can still sign in: " + str(api_login(server, "school-750010002", DEMO_PASSWORD,
                                                                   forwarded="192.0.2.9" if proxy else None)[0])))


def web_upload(server, rows):
    session = web_session(server, "school-750010001")
    token = api_login(server, "school-750010001", DEMO_PASSWORD)[1]
    status, body, _ = request(server, "GET", "/api/v1/items?limit=1", headers={"Authorization": f"Bearer {token}"})
    item = json.loads(body)["items"][0]["id"] if status == 200 else 1
    boundary = "----attack"
    prefix = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf_for(session)}\r\n"
              f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
              "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    suffix = f"\r\n--{boundary}--\r\n".encode()
    before = server.memory()
    status, body, elapsed = stream_post(server, f"/items/{item}/files",
                                        {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                         "Cookie": f"medk_session={session}"}, 200 << 20, prefix=prefix, suffix=suffix)
    after = server.memory()
    text = body.decode("utf-8", "replace")
    said = "«файл больше допустимого»" if "больше допустимого" in text else ("internal error" if status == 500 else text[:40])
    rows.append(("signed-in 200 MB web upload", 1, f"answer {status}, {said}",
                 f"peak RSS +{after['VmHWM'] - before['VmHWM']} MB, {elapsed:.1f} s"))


def small_ones(server, rows):
    # Open redirect through a tab the browser drops.
    session_page = request(server, "GET", "/login")
    csrf = re.search(rb'name="_csrf" value="([^"]*)"', session_page[1]).group(1).decode()
    cookie = re.search(r"medk_login_csrf=[^;\s]*", session_page[2].get("Set-Cookie", "")).group(0)
    form = urllib.parse.urlencode({"login": "admin", "password": DEMO_PASSWORD, "_csrf": csrf, "next": "/\t/evil.example/"})
    _, _, headers = request(server, "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    location = headers.get("Location", "")
    rows.append(("next=/\\t/evil.example/ after login", 1, "refused" if "evil" not in location else "followed",
                 f"Location: {location!r}"))
    # Which ids exist: a foreign item and a missing one.
    ivanova = api_login(server, "curator-ivanova", DEMO_PASSWORD)[1]
    petrov = api_login(server, "curator-petrov", DEMO_PASSWORD, forwarded="192.0.2.77")[1] or \
        api_login(server, "curator-petrov", DEMO_PASSWORD)[1]
    status, body, _ = request(server, "GET", "/api/v1/items?limit=500", headers={"Authorization": f"Bearer {ivanova}"})
    own = {item["id"] for item in json.loads(body)["items"]} if status == 200 else set()
    status, body, _ = request(server, "GET", "/api/v1/items?limit=500", headers={"Authorization": f"Bearer {petrov}"})
    theirs = {item["id"] for item in json.loads(body)["items"]} if status == 200 else set()
    foreign = sorted(own - theirs)
    if foreign and petrov:
        a = request(server, "GET", f"/api/v1/items/{foreign[0]}", headers={"Authorization": f"Bearer {petrov}"})[0]
        b = request(server, "GET", "/api/v1/items/9999999", headers={"Authorization": f"Bearer {petrov}"})[0]
        rows.append(("a curator asks for another curator's item and for a missing one", 2,
                     "indistinguishable" if a == b else "told apart", f"foreign {a}, missing {b}"))
    status, body, headers = request(server, "GET", "/login", headers={"Authorization": "Basic cHJveHk6c2VjcmV0"})
    rows.append(("a proxy's Authorization: Basic on a page", 1, "page shown" if status == 200 else "page broken",
                 f"{status} {headers.get('Content-Type', '')}"))


def file_modes(directory, rows):
    modes = []
    for name in ("", "medk.sqlite", "medk.sqlite-wal", "files", "audit.key"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            modes.append(f"{name or 'data dir'} {oct(os.stat(path).st_mode & 0o777)}")
    private = all(m.endswith(("0o600", "0o700")) for m in modes)
    rows.append(("data directory readable by other accounts", len(modes), "no" if private else "yes", ", ".join(modes)))


def canonical_hash(row):
    fields = [str(row["seq"]), row["at"], None if row["actor_id"] is None else str(row["actor_id"]), row["actor_login"],
              row["actor_role"], row["action"], row["entity_type"], row["entity_id"], row["from_state"], row["to_state"],
              row["comment"], row["details"], row["prev_hash"]]
    text = "".join("-;" if f is None else f"{len(f.encode())}:{f};" for f in fields)
    return hashlib.sha256(text.encode()).hexdigest()


def rechain(db, start):
    previous = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (start - 1,)).fetchone()[0]
    for row in db.execute("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq", (start,)).fetchall():
        row = dict(row)
        row["prev_hash"] = previous
        row["hash"] = canonical_hash(row)
        db.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (row["prev_hash"], row["hash"], row["seq"]))
        previous = row["hash"]


def audit_tampering(binary, directory, rows):
    checkpoint = subprocess.run([binary, "audit", "checkpoint", "--data-dir", directory], capture_output=True, text=True)
    point_file = None
    if checkpoint.returncode == 0:
        point_file = os.path.join(tempfile.mkdtemp(), "checkpoint.json")
        with open(point_file, "w") as out:
            out.write(checkpoint.stdout)

    def append(db):
        last = dict(db.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone())
        row = dict(last, seq=last["seq"] + 1, actor_login="intruder", action="user.set_password", prev_hash=last["hash"], comment=None)
        row["hash"] = canonical_hash(row)
        db.execute("INSERT INTO audit_log (" + ",".join(row) + ") VALUES (" + ",".join("?" * len(row)) + ")", list(row.values()))

    def suffix(db):
        seq = db.execute("SELECT max(seq) - 5 FROM audit_log").fetchone()[0]
        db.execute("UPDATE audit_log SET actor_login = 'intruder' WHERE seq = ?", (seq,))
        rechain(db, seq)

    def middle(db):
        for (seq,) in db.execute("SELECT seq FROM audit_log WHERE seq >= 5 ORDER BY seq DESC").fetchall():
            db.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", (seq,))
        row = dict(db.execute("SELECT * FROM audit_log WHERE seq = 4").fetchone())
        row.update(seq=5, actor_login="intruder", action="user.set_password")
        db.execute("INSERT INTO audit_log (" + ",".join(row) + ") VALUES (" + ",".join("?" * len(row)) + ")", list(row.values()))
        rechain(db, 5)

    def truncate(db):
        db.execute("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)")

    detected = []
    for name, tamper in (("appended row, SHA-256 recomputed", append), ("re-chained suffix", suffix),
                         ("middle insert, renumbered, re-chained", middle), ("last 3 rows deleted", truncate)):
        copy = tempfile.mkdtemp(prefix="medk-tamper-")
        shutil.rmtree(copy)
        shutil.copytree(directory, copy)
        db = sqlite3.connect(os.path.join(copy, "medk.sqlite"))
        db.row_factory = sqlite3.Row
        db.execute("DROP TRIGGER IF EXISTS audit_log_append_only_update")
        db.execute("DROP TRIGGER IF EXISTS audit_log_append_only_delete")
        tamper(db)
        db.commit()
        db.close()
        args = [binary, "audit", "verify", "--data-dir", copy] + (["--checkpoint", point_file] if point_file else [])
        result = subprocess.run(args, capture_output=True, text=True)
        detected.append((name, result.returncode != 0))
        shutil.rmtree(copy, ignore_errors=True)
    caught = sum(1 for _, d in detected if d)
    rows.append(("audit log tampering (without the key)", len(detected), f"{caught} detected",
                 "; ".join(f"{n}: {'detected' if d else 'passed verify'}" for n, d in detected)
                 + ("" if point_file else " (no checkpoint command)")))


def demo_credentials(binary, directory, rows):
    server = Server(binary, directory, demo=False).start()
    if server is None:
        rows.append(("serve without --demo on a demo database", 1, "refused to start", "")) 
        return
    status, _ = api_login(server, "admin", DEMO_PASSWORD)
    server.stop()
    rows.append(("serve without --demo on a demo database", 1, "started", f"admin/{DEMO_PASSWORD} → {status}"))


def run(binary):
    rows = []
    directory = tempfile.mkdtemp(prefix="medk-attack-")
    shutil.rmtree(directory)
    help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    proxy = "--trusted-proxy" in help_text
    server = Server(binary, directory, extra=["--trusted-proxy", "127.0.0.1"] if proxy else []).start()
    try:
        for attack in (multipart_cpu, health_during_logins, anonymous_bodies, web_upload):
            log(f"  {attack.__name__} …")
            attack(server, rows)
        log("  small_ones …")
        small_ones(server, rows)
        log("  parallel_guesses …")
        parallel_guesses(server, rows, proxy)
    finally:
        server.stop()
    file_modes(directory, rows)
    log("  audit_tampering …")
    audit_tampering(binary, directory, rows)
    log("  demo_credentials …")
    demo_credentials(binary, directory, rows)
    shutil.rmtree(directory, ignore_errors=True)
    return rows


def print_table(title, rows):
    print(f"\n#### {title}\n")
    print("| attack | attempted | refused / detected | figures |")
    print("|---|---:|---|---|")
    for attack, attempted, outcome, figures in rows:
        print(f"| {attack} | {attempted} | {outcome} | {figures} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--before", help="a previous build of medk, attacked the same way")
    args = parser.parse_args()
    print(f"# MEDK under attack ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)")
    for title, binary in (("before", args.before), ("after", args.binary)):
        if not binary:
            continue
        log(f"{title}: {binary}")
        print_table(f"{title} ({binary})", run(binary))


if __name__ == "__main__":
    main()
