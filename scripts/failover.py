#!/usr/bin/env python3
"""Failure test of several servers (issue 24): two `medk serve` on one PostgreSQL database behind
HAProxy (docs/deploy/haproxy.cfg, ports replaced), a mixed load through the balancer — curators
reading their queue, schools commenting, uploading and sending documents, curators returning them
with remarks so that mail goes out — while one server after the other is killed with SIGKILL and
started again. Then it checks:

- every write the balancer acknowledged is in the database (comments, uploads with their bytes,
  the cycling document's revision);
- no message was sent twice (Message-IDs at a real SMTP server) and none is left «sending»;
- `medk audit verify` accepts the chain both servers wrote;
- 50 curators' decisions on one document, half to each server, have exactly one winner;
- the clients saw failures only from the killed server's own requests: each failed request was
  under way when a kill happened.

    scripts/failover.sh                    # 4 kills (the test suite's run)
    scripts/failover.sh --kills 20         # the long run

Prints the figures; exits non-zero naming the first broken promise.
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from medk_server import Server, call, pdf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "medk-demo-2026"
SCHOOL, CURATOR = "school-750010001", "curator-ivanova"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Failure(Exception):
    pass


def make_node(binary, directory, database, port, smtp_port):
    """One `medk serve` on a fixed port (the balancer's configuration names it), sending mail."""
    return Server(binary, directory, port=port, extra=[
        "--database", database, "--trusted-proxy", "127.0.0.1", "--database-connections", "8",
        "--smtp-url", f"smtp://127.0.0.1:{smtp_port}?starttls=off", "--mail-from", "МЭДК <medk@test.example>",
        "--public-url", "https://medk.example", "--mail-interval", "5"])


class Ledger:
    """What the balancer acknowledged, and every request's start, end and outcome."""

    def __init__(self):
        self.lock = threading.Lock()
        self.comments, self.uploads = set(), {}
        self.requests = []  # (started, ended, ok, what)
        self.kills = []  # moments of SIGKILL

    def record(self, started, ok, what):
        with self.lock:
            self.requests.append((started, time.time(), ok, what))


def load(balancer, ledger, stop, ids, tokens):
    """Four kinds of clients, each in its own thread, as long as `stop` is not set."""

    def timed(what, action):
        started = time.time()
        try:
            result = action()
            ledger.record(started, True, what)
            return result
        except urllib.error.HTTPError as error:
            # 409 and 422 are the rules answering (a decision someone else took first): not failures.
            ok = error.code in (409, 422)
            ledger.record(started, ok, f"{what} {error.code}")
            return error
        except OSError as error:
            ledger.record(started, False, f"{what} {error}")
            return error

    def reader():
        while not stop.is_set():
            timed("queue", lambda: call(balancer + "/api/v1/queue?limit=20", token=tokens["curator"]))

    def commenter():
        n = 0
        while not stop.is_set():
            text = f"комментарий {n} {random.random()}"
            result = timed("comment", lambda: call(balancer + f"/api/v1/items/{ids['comments']}/comments", "POST",
                                                   tokens["school"], body={"text": text}))
            if isinstance(result, dict):
                with ledger.lock:
                    ledger.comments.add(text)
            n += 1

    def uploader():
        n = 0
        while not stop.is_set():
            name = f"u{n}-{random.randrange(1 << 30)}.pdf"
            body = pdf(name) + os.urandom(random.choice([10, 300_000]))
            result = timed("upload", lambda: call(balancer + f"/api/v1/items/{ids['uploads']}/files?fileName={name}", "POST",
                                                  tokens["school"], raw=body, headers={"Content-Type": "application/pdf"}))
            if isinstance(result, dict):
                version = result["files"][-1]
                with ledger.lock:
                    ledger.uploads[name] = (version["version"], version["sha256"])
            n += 1

    def reviewer():
        """Return with a remark (a mail to the school), answer it, send again: the cycle repeats."""
        item = ids["cycling"]
        while not stop.is_set():
            detail = timed("card", lambda: call(balancer + f"/api/v1/items/{item}", token=tokens["school"]))
            if not isinstance(detail, dict):
                continue
            state = detail["item"]["state"]
            if state == "submitted":
                timed("return", lambda: call(balancer + f"/api/v1/items/{item}/transitions", "POST", tokens["curator"],
                                             body={"action": "return", "expectedState": "submitted",
                                                   "comment": f"- исправить раздел {random.randrange(1000)}"}))
            elif state == "returned":
                open_remarks = [r for r in detail.get("remarks", []) if r.get("answer") is None]
                if open_remarks:
                    timed("answer", lambda: call(balancer + f"/api/v1/items/{item}/remarks", "POST", tokens["school"], body={
                        "answers": [{"remarkID": r["id"], "answer": "done", "text": "Исправлено"} for r in open_remarks]}))
                else:
                    timed("submit", lambda: call(balancer + f"/api/v1/items/{item}/transitions", "POST", tokens["school"],
                                                 body={"action": "submit", "expectedState": "returned"}))
            else:
                time.sleep(0.05)

    workers = [threading.Thread(target=target) for target in (reader, reader, commenter, uploader, reviewer)]
    for worker in workers:
        worker.start()
    return workers


def psql(database, sql):
    return subprocess.run(["psql", database, "-At", "-c", sql], capture_output=True, text=True, check=True).stdout.split("\n")[:-1]


def pg_dump_and_restore(args, directory):
    """The backup README gives for PostgreSQL: a signed checkpoint, `pg_dump -Fc`, `pg_restore` into a new
    database, then `medk check` there with the key kept in the data directory — every file read back from
    the restored database and hashed, the audit chain continuing the checkpoint."""
    bin_dir = "/usr/lib/postgresql/15/bin"
    scratch = tempfile.mkdtemp(prefix="medk-pgdump-")
    try:
        point = subprocess.run([args.binary, "audit", "checkpoint", "--data-dir", directory, "--database", args.database],
                               capture_output=True, text=True)
        if point.returncode != 0:
            return "ОШИБКА: audit checkpoint: " + point.stderr.strip()
        with open(os.path.join(scratch, "point.json"), "w") as handle:
            handle.write(point.stdout)
        dump = os.path.join(scratch, "medk.dump")
        started = time.time()
        subprocess.run([f"{bin_dir}/pg_dump", "-Fc", "-d", args.database, "-f", dump], check=True)
        name = f"medk_restored_{os.getpid()}"
        target = args.database.rsplit("/", 1)[0] + "/" + name
        psql(args.database, f"CREATE DATABASE {name}")
        subprocess.run([f"{bin_dir}/pg_restore", "--no-owner", "-d", target, dump], check=True)
        seconds = time.time() - started
        checked = subprocess.run([args.binary, "check", "--data-dir", directory, "--database", target,
                                  "--checkpoint", os.path.join(scratch, "point.json")], capture_output=True, text=True)
        if checked.returncode != 0:
            return "ОШИБКА: medk check после pg_restore: " + (checked.stderr or checked.stdout).strip()
        files = next((line for line in checked.stdout.splitlines() if line.startswith("Файлы")), "")
        return f"pg_dump → pg_restore за {seconds:.1f} с, medk check: {files.rstrip('.')}, журнал продолжает точку"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--binary", default=os.environ.get("MEDK_BIN", os.path.join(ROOT, ".build/debug/medk")))
    parser.add_argument("--database", required=True, help="an empty PostgreSQL database (scripts/failover.sh makes one)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="print requests by kind and the outbox by state")
    args = parser.parse_args()
    random.seed(args.seed)
    work = tempfile.mkdtemp(prefix="medk-failover-")
    processes = []
    nodes = []
    try:
        mail_dir = os.path.join(work, "mail")
        sink = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/smtp_sink.py"), "--dir", mail_dir],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        processes.append(sink)
        smtp_port = int(sink.stdout.readline().split()[1])

        ports = [free_port(), free_port()]
        for index, port in enumerate(ports):
            directory = os.path.join(work, f"medk{index + 1}")
            os.makedirs(directory)
            nodes.append(make_node(args.binary, directory, args.database, port, smtp_port))
        nodes[0].start()  # seeds the demo data and makes the audit key
        shutil.copy(os.path.join(nodes[0].directory, "audit.key"), os.path.join(nodes[1].directory, "audit.key"))
        nodes[1].start()

        balancer_port = free_port()
        config = open(os.path.join(ROOT, "docs/deploy/haproxy.cfg")).read()
        config = config.replace("127.0.0.1:8080", f"127.0.0.1:{balancer_port}")
        config = config.replace("127.0.0.1:8081", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8082", f"127.0.0.1:{ports[1]}")
        config = config.replace("log stdout format raw local0 notice", "log stderr format raw local0 err")
        config_path = os.path.join(work, "haproxy.cfg")
        open(config_path, "w").write(config)
        haproxy = subprocess.Popen(["haproxy", "-f", config_path, "-db"], stdout=subprocess.DEVNULL,
                                   stderr=open(os.path.join(work, "haproxy.log"), "w"))
        processes.append(haproxy)
        balancer = f"http://127.0.0.1:{balancer_port}"
        deadline = time.time() + 20
        while True:
            try:
                call(balancer + "/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise Failure("HAProxy did not answer")
                time.sleep(0.1)

        tokens = {role: call(balancer + "/api/v1/auth/login", "POST", body={"login": login, "password": PASSWORD})["token"]
                  for role, login in (("school", SCHOOL), ("curator", CURATOR))}
        ids = prepare(balancer, tokens)
        ledger = Ledger()
        stop = threading.Event()
        workers = load(balancer, ledger, stop, ids, tokens)
        started = time.time()
        time.sleep(2)
        for number in range(args.kills):
            victim = nodes[number % 2]
            ledger.kills.append(time.time())
            victim.kill()
            time.sleep(random.uniform(1.0, 2.0))
            victim.start()
            time.sleep(random.uniform(2.0, 3.0))  # back in rotation (rise 2 × 500 ms) and under load again
        stop.set()
        for worker in workers:
            worker.join()
        duration = time.time() - started

        problems = []
        if not ledger.uploads or not ledger.comments or int(psql(args.database, "SELECT count(*) FROM mail_outbox")[0]) == 0:
            problems.append("нагрузка не дошла до сервера: нечего проверять")
        # Mail: let the lease holder send what was queued, then count at the SMTP server.
        mail_deadline = time.time() + 60
        while time.time() < mail_deadline:
            left = psql(args.database, "SELECT count(*) FROM mail_outbox WHERE state IN ('pending', 'sending')")
            if left == ["0"]:
                break
            time.sleep(1)
        states = dict(row.split("|") for row in psql(args.database, "SELECT state, count(*) FROM mail_outbox GROUP BY state"))
        message_ids = []
        for path in glob.glob(os.path.join(mail_dir, "*.json")):
            message_ids.append(json.load(open(path))["headers"].get("Message-ID"))
        duplicates = len(message_ids) - len(set(message_ids))
        if duplicates:
            problems.append(f"писем отправлено дважды: {duplicates}")
        sent, uncertain = int(states.get("sent", 0)), int(states.get("uncertain", 0))
        if not sent <= len(message_ids) <= sent + uncertain:
            problems.append(f"писем у почтового сервера {len(message_ids)}, а отправлено по журналу {sent} (неизвестных {uncertain})")
        if int(states.get("sending", 0)):
            problems.append(f"писем в состоянии «отправляется»: {states['sending']}")

        for node in nodes:
            node.stop()
        comments = set(psql(args.database, f"SELECT comment FROM audit_log WHERE action = 'item.comment' AND entity_id = '{ids['comments']}'"))
        lost = ledger.comments - comments
        if lost:
            problems.append(f"потеряны подтверждённые комментарии: {sorted(lost)[:3]}")
        kept = {row.split("|")[0]: row.split("|")[1] for row in psql(args.database, f"""
            SELECT f.file_name, f.sha256 FROM item_files f JOIN file_blobs b ON b.sha256 = f.sha256 WHERE f.item_id = {ids['uploads']}""")}
        lost = [name for name, (_, sha) in ledger.uploads.items() if kept.get(name) != sha]
        if lost:
            problems.append(f"потеряны подтверждённые загрузки (или их байты): {lost[:3]}")
        whole = psql(args.database, """
            SELECT count(*) FROM file_blobs b WHERE b.size <> (SELECT coalesce(sum(length(c.data)), 0) FROM file_chunks c WHERE c.sha256 = b.sha256)""")
        if whole != ["0"]:
            problems.append(f"файлов с недостающими частями: {whole[0]}")

        verify = subprocess.run([args.binary, "audit", "verify", "--data-dir", nodes[0].directory, "--database", args.database],
                                capture_output=True, text=True)
        if verify.returncode != 0:
            problems.append("audit verify: " + (verify.stderr or verify.stdout).strip())

        # Failures the clients saw: each must have been under way when a server was killed.
        failed = [(s, e, what) for s, e, ok, what in ledger.requests if not ok]
        stray = [(s, e, what) for s, e, what in failed if not any(s - 0.05 <= k <= e + 0.05 for k in ledger.kills)]
        if stray:
            problems.append(f"отказы не от убитого сервера: {len(stray)}, например {stray[:3]}")

        for node in nodes:
            node.start()
        winners = race(nodes, tokens, ids)
        if winners != 1:
            problems.append(f"гонка 50 решений на двух серверах: победителей {winners}")
        for node in nodes:
            node.stop()
        restored = pg_dump_and_restore(args, nodes[0].directory)
        if restored.startswith("ОШИБКА"):
            problems.append(restored)

        total = len(ledger.requests)
        if args.verbose:
            kinds = collections.Counter(" ".join(what.split(" ")[:2]) for _, _, _, what in ledger.requests)
            print("запросы:", ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()), "; почта:", states)
        print(f"Отказоустойчивость: 2 сервера за HAProxy, {args.kills} SIGKILL за {duration:.0f} с; запросов {total} "
              f"({total / duration:.0f}/с), отказов клиентам {len(failed)} — все во время убийства сервера "
              f"({len(stray)} иных); подтверждено и сохранено: комментариев {len(ledger.comments)}, загрузок {len(ledger.uploads)}; "
              f"писем отправлено {len(message_ids)}, дважды {duplicates}, неизвестных после убийства {states.get('uncertain', 0)}; "
              f"гонка 50 решений: победителей {winners}; audit verify: "
              + ("ok" if verify.returncode == 0 else "ОШИБКА") + f"; {restored}.")
        if problems:
            for problem in problems:
                print("ОШИБКА: " + problem, file=sys.stderr)
            sys.exit(1)
    except (Failure, RuntimeError) as failure:
        print(f"ОШИБКА: {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        for node in nodes:
            try:
                node.stop()
            except Exception:
                pass
        for process in processes:
            process.terminate()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


def prepare(balancer, tokens):
    """Three documents of the school: one for comments, one for uploads, one cycling through review."""
    items = call(balancer + "/api/v1/items?limit=100", token=tokens["school"])["items"]
    campaign, school = items[0]["campaignID"], items[0]["schoolID"]
    created = []
    for kind in ("order", "protocol", "analytical_note"):
        item = call(balancer + "/api/v1/items", "POST", tokens["school"], body={"campaignID": campaign, "kind": kind, "schoolID": school})
        created.append(item["item"]["id"])
    comments, uploads, cycling = created
    call(balancer + f"/api/v1/items/{cycling}/files?fileName=base.pdf", "POST", tokens["school"], raw=pdf("base"),
         headers={"Content-Type": "application/pdf"})
    call(balancer + f"/api/v1/items/{cycling}/transitions", "POST", tokens["school"], body={"action": "submit", "expectedState": "draft"})
    return {"comments": comments, "uploads": uploads, "cycling": cycling}


def race(nodes, tokens, ids):
    """50 confirmations of one submitted document at once, half to each server: one wins."""
    item = ids["cycling"]
    detail = call(nodes[0].url + f"/api/v1/items/{item}", token=tokens["school"])
    state = detail["item"]["state"]
    if state == "returned":
        open_remarks = [r for r in detail.get("remarks", []) if r.get("answer") is None]
        if open_remarks:
            call(nodes[0].url + f"/api/v1/items/{item}/remarks", "POST", tokens["school"], body={
                "answers": [{"remarkID": r["id"], "answer": "done", "text": "Исправлено"} for r in open_remarks]})
        call(nodes[0].url + f"/api/v1/items/{item}/transitions", "POST", tokens["school"],
             body={"action": "submit", "expectedState": "returned"})
    barrier = threading.Barrier(50)

    def decide(index):
        barrier.wait()
        try:
            call(nodes[index % 2].url + f"/api/v1/items/{item}/transitions", "POST", tokens["curator"],
                 body={"action": "confirm", "expectedState": "submitted"}, headers={"Prefer": "return=minimal"})
            return 1
        except urllib.error.HTTPError as error:
            if error.code != 409:
                raise Failure(f"решение в гонке: {error.code} {error.read()[:200]}")
            return 0

    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        return sum(pool.map(decide, range(50)))


if __name__ == "__main__":
    main()
