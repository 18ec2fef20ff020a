#!/usr/bin/env python3
"""Crash harness: kills `medk serve` with SIGKILL while schools comment, upload and send documents to
review, restarts it, and checks that every write the server acknowledged is still there, that
`PRAGMA integrity_check` says ok and that `medk audit verify` accepts the log. Then a clean stop: SIGTERM
after acknowledged writes ends the server with code 0 and its write-ahead log copied back into the database.
Last, `medk backup --verify` under the same load and `medk restore` into a new directory: every write
acknowledged before the backup began is in it, `medk check` passes, a server starts on it.

    scripts/crash.sh                  # 5 rounds (the test suite runs 3)
    scripts/crash.sh --rounds 200     # the long run

Exits non-zero on the first lost write or damaged database, naming it.
"""
import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error

from medk_server import Server, call, pdf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "medk-demo-2026"
SCHOOL = "school-750010001"


def setup(server):
    token = call(server.url + "/api/v1/auth/login", "POST", body={"login": SCHOOL, "password": PASSWORD})["token"]
    items = call(server.url + "/api/v1/items?limit=100", "GET", token)["items"]
    editable = [i for i in items if i["state"] in ("draft", "returned") and i["kind"] not in ("roadmap", "risk_profile")]
    if len(editable) < 2:
        campaign, school = items[0]["campaignID"], items[0]["schoolID"]
        for kind in ("order", "protocol"):
            created = call(server.url + "/api/v1/items", "POST", token, body={"campaignID": campaign, "kind": kind, "schoolID": school})
            editable.append(created["item"])
    uploads, cycling = editable[0]["id"], editable[1]["id"]
    call(server.url + f"/api/v1/items/{cycling}/files?fileName=base.pdf", "POST", token, raw=pdf("base"),
         headers={"Content-Type": "application/pdf"})
    return token, uploads, cycling


def start_load(server, token, number, acknowledged):
    """Comments, uploads and review transitions in three threads until the event returned is set."""
    ids = acknowledged["ids"]
    stop = threading.Event()

    def comments():
        n = 0
        while not stop.is_set():
            text = f"round {number} comment {n}"
            try:
                call(server.url + f"/api/v1/items/{ids['uploads']}/comments", "POST", token, body={"text": text})
                acknowledged["comments"].add(text)
            except (OSError, urllib.error.HTTPError):
                pass
            n += 1

    def uploads():
        n = 0
        while not stop.is_set():
            name = f"r{number}-u{n}.pdf"
            try:
                call(server.url + f"/api/v1/items/{ids['uploads']}/files?fileName={name}", "POST", token, raw=pdf(name),
                     headers={"Content-Type": "application/pdf"})
                acknowledged["uploads"].add(name)
            except (OSError, urllib.error.HTTPError):
                pass
            n += 1

    def transitions():
        while not stop.is_set():
            state = acknowledged["state"]
            action = "withdraw" if state == "submitted" else "submit"
            try:
                summary = call(server.url + f"/api/v1/items/{ids['cycling']}/transitions", "POST", token,
                               body={"action": action, "expectedState": state}, headers={"Prefer": "return=minimal"})
                acknowledged["state"], acknowledged["revision"] = summary["state"], summary["revision"]
            except urllib.error.HTTPError as error:
                if error.code == 409:  # the previous answer was lost with the crash: ask where the item is
                    try:
                        detail = call(server.url + f"/api/v1/items/{ids['cycling']}", "GET", token)
                        acknowledged["state"] = detail["item"]["state"]
                    except (OSError, urllib.error.HTTPError):
                        pass
            except OSError:
                pass

    workers = [threading.Thread(target=target) for target in (comments, uploads, transitions)]
    for worker in workers:
        worker.start()
    return stop, workers


def round_(binary, directory, number, acknowledged):
    server = Server(binary, directory).start()
    token = call(server.url + "/api/v1/auth/login", "POST", body={"login": SCHOOL, "password": PASSWORD})["token"]
    stop, workers = start_load(server, token, number, acknowledged)
    time.sleep(random.uniform(0.3, 1.5))
    server.kill()
    stop.set()
    for worker in workers:
        worker.join()


def snapshot(acknowledged):
    return {"ids": acknowledged["ids"], "comments": set(acknowledged["comments"]), "uploads": set(acknowledged["uploads"]),
            "state": acknowledged["state"], "revision": acknowledged["revision"]}


def backup_and_restore(binary, directory, acknowledged):
    """`medk backup --verify` while the server takes writes, then `medk restore` into a new directory:
    every write acknowledged before the backup began is there, `medk check` passes and a server starts
    on it. Returns (problem, figures)."""
    server = Server(binary, directory).start()
    token = call(server.url + "/api/v1/auth/login", "POST", body={"login": SCHOOL, "password": PASSWORD})["token"]
    stop, workers = start_load(server, token, "backup", acknowledged)
    time.sleep(0.5)
    before = snapshot(acknowledged)
    backup = directory + "-backup"
    started = time.time()
    made = subprocess.run([binary, "backup", backup, "--verify", "--data-dir", directory], capture_output=True, text=True)
    seconds = time.time() - started
    time.sleep(0.3)
    stop.set()
    for worker in workers:
        worker.join()
    server.stop()
    if made.returncode != 0:
        return "medk backup --verify: " + made.stderr.strip(), None
    restored = directory + "-restored"
    try:
        done = subprocess.run([binary, "restore", backup, "--data-dir", restored, "--audit-key", os.path.join(directory, "audit.key")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return "medk restore: " + done.stderr.strip(), None
        problem = check(binary, restored, before)
        if problem:
            return "restored: " + problem, None
        checked = subprocess.run([binary, "check", "--data-dir", restored], capture_output=True, text=True)
        if checked.returncode != 0:
            return "medk check: " + checked.stderr.strip(), None
        server = Server(binary, restored).start()
        call(server.url + "/api/v1/auth/login", "POST", body={"login": SCHOOL, "password": PASSWORD})
        server.stop()
        later = len(acknowledged["comments"]) - len(before["comments"])
        return None, (f"копия за {seconds:.1f} с под нагрузкой (--verify), восстановлена; подтверждённое до копии на месте "
                      f"(комментариев {len(before['comments'])}, загрузок {len(before['uploads'])}; после начала копии ещё {later})")
    finally:
        shutil.rmtree(backup, ignore_errors=True)
        shutil.rmtree(restored, ignore_errors=True)


def check(binary, directory, acknowledged):
    db = sqlite3.connect(os.path.join(directory, "medk.sqlite"))
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        return f"integrity_check: {integrity}"
    comments = {row[0] for row in db.execute("SELECT comment FROM audit_log WHERE action = 'item.comment'")}
    lost = acknowledged["comments"] - comments
    if lost:
        return f"lost acknowledged comments: {sorted(lost)[:5]}"
    files = {row[0] for row in db.execute("SELECT file_name FROM item_files")}
    lost = acknowledged["uploads"] - files
    if lost:
        return f"lost acknowledged uploads: {sorted(lost)[:5]}"
    for name in acknowledged["uploads"]:
        sha = db.execute("SELECT sha256 FROM item_files WHERE file_name = ?", (name,)).fetchone()[0]
        if not os.path.exists(os.path.join(directory, "files", sha[:2], sha[2:4], sha)):
            return f"upload {name} has a row but no file"
    revision = db.execute("SELECT revision FROM items WHERE id = ?", (acknowledged["ids"]["cycling"],)).fetchone()[0]
    if revision < acknowledged["revision"]:
        return f"lost acknowledged transitions: revision {revision} < acknowledged {acknowledged['revision']}"
    db.close()
    verify = subprocess.run([binary, "audit", "verify", "--data-dir", directory], capture_output=True, text=True)
    if verify.returncode != 0:
        return "audit verify: " + verify.stderr.strip()
    return None


def clean_stop(binary, directory, acknowledged):
    """SIGTERM after acknowledged writes: the server exits 0 and leaves the database whole in its own
    file — the write-ahead log copied back and gone (or empty), nothing to replay at the next start."""
    server = Server(binary, directory).start()
    token = call(server.url + "/api/v1/auth/login", "POST", body={"login": SCHOOL, "password": PASSWORD})["token"]
    for n in range(20):
        text = f"before a clean stop {n}"
        call(server.url + f"/api/v1/items/{acknowledged['ids']['uploads']}/comments", "POST", token, body={"text": text})
        acknowledged["comments"].add(text)
    server.stop()
    if server.process.returncode != 0:
        return f"SIGTERM: exit code {server.process.returncode}"
    wal = os.path.join(directory, "medk.sqlite-wal")
    if os.path.exists(wal) and os.path.getsize(wal) > 0:
        return f"SIGTERM: the write-ahead log was left with {os.path.getsize(wal)} bytes"
    return check(binary, directory, acknowledged)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--binary", default=os.environ.get("MEDK_BIN", os.path.join(ROOT, ".build/debug/medk")))
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    random.seed(args.seed)
    directory = tempfile.mkdtemp(prefix="medk-crash-")
    try:
        server = Server(args.binary, directory).start()
        token, uploads, cycling = setup(server)
        detail = call(server.url + f"/api/v1/items/{cycling}", "GET", token)
        server.kill()
        acknowledged = {"ids": {"uploads": uploads, "cycling": cycling}, "comments": set(), "uploads": set(),
                        "state": detail["item"]["state"], "revision": detail["item"]["revision"]}
        started = time.time()
        for number in range(1, args.rounds + 1):
            round_(args.binary, directory, number, acknowledged)
            problem = check(args.binary, directory, acknowledged)
            if problem:
                print(f"Раунд {number}: {problem}", file=sys.stderr)
                sys.exit(1)
        problem = clean_stop(args.binary, directory, acknowledged)
        if problem:
            print(f"Чистая остановка: {problem}", file=sys.stderr)
            sys.exit(1)
        problem, restore_figures = backup_and_restore(args.binary, directory, acknowledged)
        if problem:
            print(f"Копия и восстановление: {problem}", file=sys.stderr)
            sys.exit(1)
        print(f"Аварийные остановки: {args.rounds} раундов за {time.time() - started:.0f} с; подтверждено и сохранено: "
              f"комментариев {len(acknowledged['comments'])}, загрузок {len(acknowledged['uploads'])}, "
              f"ревизия документа в работе {acknowledged['revision']}; integrity_check ok, audit verify ok; "
              f"SIGTERM: код 0, журнал WAL перенесён в базу; {restore_figures}.")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
