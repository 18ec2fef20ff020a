#!/usr/bin/env python3
"""What an operator relies on (issue 25), checked on a real `medk serve`:

1. Metrics: `GET /metrics` on `--metrics-address` refuses a scrape without MEDK_METRICS_TOKEN, and
   what it serves parses with the Prometheus project's own text-format parser (prometheus_client)
   into the families the README and docs/grafana-medk.json name, with the right types; the
   requests made are there by route template. Logs with `--log-format json`: every line is a JSON
   object, and the X-Request-Id a response carried is the `request_id` of its log line.
2. A clean stop with work in flight: SIGTERM while an upload is still arriving and while the mail
   worker waits for the SMTP server to accept a message. The upload is answered 201 and kept, the
   message is accepted and recorded as sent (not left «sending», not «uncertain»), the lease is
   handed back, new connections are refused, the write-ahead log is copied back, exit code 0.

    scripts/operations.py [--binary .build/debug/medk]

Exits non-zero naming the first broken promise; prints the figures.
"""
import argparse
import glob
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from crash import setup
from medk_server import Server, call, pdf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "medk-demo-2026"
TOKEN = "scrape-token-for-tests"

EXPECTED_FAMILIES = {
    "medk_http_requests": "counter",
    "medk_http_request_duration_seconds": "histogram",
    "medk_http_requests_in_flight": "gauge",
    "medk_db_transaction_seconds": "histogram",
    "medk_db_group_commit_writes": "histogram",
    "medk_mail_outbox_messages": "gauge",
    "medk_mail_outbox_oldest_pending_seconds": "gauge",
    "medk_logins_refused": "counter",
    "medk_uploads_in_progress": "gauge",
    "process_resident_memory_bytes": "gauge",
    "process_open_fds": "gauge",
    "process_cpu_seconds_total": "gauge",
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scrape(port, token):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def login(server, name, password=PASSWORD):
    return call(server.url + "/api/v1/auth/login", "POST", body={"login": name, "password": password})["token"]


def metrics_and_logs(binary, directory):
    problems = []
    port = free_port()
    os.environ["MEDK_METRICS_TOKEN"] = TOKEN
    server = Server(binary, directory, extra=["--metrics-address", f"127.0.0.1:{port}", "--log-format", "json"]).start()
    del os.environ["MEDK_METRICS_TOKEN"]
    try:
        school, editable, _ = setup(server)
        request = urllib.request.Request(server.url + f"/api/v1/items/{editable}", headers={"Authorization": f"Bearer {school}"})
        with urllib.request.urlopen(request) as response:
            request_id = response.headers["X-Request-Id"]
        call(server.url + f"/api/v1/items/{editable}/files?fileName=metrics.pdf", "POST", school, raw=pdf("metrics"),
             headers={"Content-Type": "application/pdf"})
        for _ in range(7):
            try:
                login(server, "curator-ivanova", "wrong password")
            except urllib.error.HTTPError:
                pass
        for token in (None, "wrong"):
            status, _ = scrape(port, token)
            if status != 401:
                problems.append(f"/metrics без верного токена: ответ {status}, ожидался 401")
        status, text = scrape(port, TOKEN)
        if status != 200:
            return problems + [f"/metrics: ответ {status}"], None
        families = {family.name: family for family in text_string_to_metric_families(text)}
        for name, kind in EXPECTED_FAMILIES.items():
            if name not in families:
                problems.append(f"нет семейства {name}")
            elif families[name].type != kind:
                problems.append(f"{name}: тип {families[name].type}, ожидался {kind}")
        requests = {(s.labels["route"], s.labels["status"]): s.value for s in families["medk_http_requests"].samples
                    if s.name == "medk_http_requests_total"} if "medk_http_requests" in families else {}
        for key in [("/api/v1/items/{id}", "200"), ("/api/v1/auth/login", "200"), ("/api/v1/items/{id}/files", "201")]:
            if requests.get(key, 0) < 1:
                problems.append(f"запрос {key} не сосчитан: {sorted(requests)[:8]}")
        if any(str(editable) in route for route, _ in requests):
            problems.append("маршрут с номером документа вместо шаблона")
        refused = sum(s.value for s in families.get("medk_logins_refused").samples) if "medk_logins_refused" in families else 0
        if refused < 1:
            problems.append("отказы во входе не сосчитаны")
        log_lines = [line for line in server.output().splitlines() if line.startswith("{")]
        broken = [line for line in log_lines if not isinstance(json.loads(line), dict)]
        if broken or not log_lines:
            problems.append(f"строки журнала не JSON: {broken[:2]}")
        if not any(json.loads(line).get("request_id") == request_id for line in log_lines):
            problems.append(f"X-Request-Id {request_id} не найден в журнале")
        series = sum(len(family.samples) for family in families.values())
        return problems, f"/metrics: {len(families)} семейств, {series} рядов, разобрано prometheus_client; журнал JSON: {len(log_lines)} строк"
    finally:
        server.stop()


def slow_upload(url, path, token, body, seconds, result):
    """Sends a request body in pieces over `seconds`, then reads the answer's status line."""
    host, port = url.replace("http://", "").split(":")
    connection = socket.create_connection((host, int(port)))
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/pdf\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    connection.sendall(head)
    pieces = 20
    step = len(body) // pieces + 1
    for index in range(0, len(body), step):
        connection.sendall(body[index:index + step])
        time.sleep(seconds / pieces)
    result["sent_at"] = time.time()
    answer = b""
    while b"\r\n" not in answer:
        chunk = connection.recv(4096)
        if not chunk:
            break
        answer += chunk
    result["status"] = answer.split(b"\r\n")[0].decode(errors="replace")
    connection.close()


def stop_with_work_in_flight(binary, directory):
    mail_dir = tempfile.mkdtemp(prefix="medk-ops-mail-")
    sink = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/smtp_sink.py"), "--dir", mail_dir, "--slow-data", "3"],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    try:
        smtp_port = int(sink.stdout.readline().split()[1])
        server = Server(binary, directory, extra=[
            "--smtp-url", f"smtp://127.0.0.1:{smtp_port}?starttls=off", "--mail-from", "МЭДК <medk@test.example>",
            "--public-url", "https://medk.example", "--mail-interval", "5"]).start()
        school, editable, _ = setup(server)
        curator = login(server, "curator-ivanova")
        queue = call(server.url + "/api/v1/queue?limit=50", token=curator)["items"]
        if not queue:
            return ["в очереди куратора нет документов для возврата"], None
        item = queue[0]["id"] if "id" in queue[0] else queue[0]["item"]["id"]
        call(server.url + f"/api/v1/items/{item}/transitions", "POST", curator,
             body={"action": "return", "expectedState": "submitted", "comment": "- исправить раздел 2"})
        started = time.time()
        while not glob.glob(os.path.join(mail_dir, "*.receiving")):
            if time.time() - started > 20:
                return ["письмо не дошло до SMTP-сервера за 20 с"], None
            time.sleep(0.05)
        upload = {}
        body = pdf("in flight", 512 * 1024)
        uploader = threading.Thread(target=slow_upload, args=(server.url, f"/api/v1/items/{editable}/files?fileName=in-flight.pdf",
                                                              school, body, 2.0, upload))
        uploader.start()
        time.sleep(0.6)
        signalled = time.time()
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        refused_new = False
        try:
            socket.create_connection(server.url.replace("http://", "").split(":"), timeout=2).close()
        except OSError:
            refused_new = True
        uploader.join(30)
        code = server.process.wait(30)
        stopped_after = time.time() - signalled
        output = server.output()
        server.stop()
        problems = []
        if code != 0:
            problems.append(f"код выхода {code}: {output[-500:]}")
        if not upload.get("status", "").startswith("HTTP/1.1 201"):
            problems.append(f"загрузка во время остановки: {upload.get('status')}")
        if upload.get("sent_at", 0) < signalled:
            problems.append("загрузка закончилась до SIGTERM: проверка не проверила ничего")
        if not refused_new:
            problems.append("после SIGTERM сервер ещё принимал новые соединения")
        db = sqlite3.connect(os.path.join(directory, "medk.sqlite"))
        states = dict(db.execute("SELECT state, count(*) FROM mail_outbox WHERE state IN ('sending', 'uncertain', 'sent') GROUP BY state").fetchall())
        kept = db.execute("SELECT count(*) FROM item_files WHERE file_name = 'in-flight.pdf'").fetchone()[0]
        # Handed back: the lease ends when the worker stops, not when it would have run out.
        lease = db.execute("SELECT count(*) FROM mail_lease WHERE expires_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 seconds')").fetchone()[0]
        db.close()
        messages = glob.glob(os.path.join(mail_dir, "*.eml"))
        accepted = len(messages)
        if not any(os.path.getmtime(path) > signalled for path in messages):
            problems.append("ни одно письмо не было в пути во время SIGTERM: проверка не проверила ничего")
        if states.get("sending") or states.get("uncertain"):
            problems.append(f"письма остались недоотправленными: {states}")
        if accepted < 1 or states.get("sent", 0) < 1:
            problems.append(f"письмо в пути не принято и не отмечено отправленным (принято {accepted}, {states})")
        if kept != 1:
            problems.append("загрузка, на которую сервер ответил, не сохранилась")
        if lease:
            problems.append("аренда почты не возвращена")
        wal = os.path.join(directory, "medk.sqlite-wal")
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            problems.append(f"журнал WAL не перенесён: {os.path.getsize(wal)} байт")
        return problems, (f"SIGTERM с загрузкой и письмом в пути: код 0 через {stopped_after:.1f} с, загрузка принята (201) и сохранена, "
                          f"письмо принято SMTP-сервером и отмечено отправленным, аренда возвращена, новые соединения отвергнуты, WAL пуст")
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(mail_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.environ.get("MEDK_BIN", os.path.join(ROOT, ".build/debug/medk")))
    args = parser.parse_args()
    figures = []
    for phase in (metrics_and_logs, stop_with_work_in_flight):
        directory = tempfile.mkdtemp(prefix="medk-ops-")
        try:
            problems, figure = phase(args.binary, directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        if problems:
            for problem in problems:
                print("ОШИБКА: " + problem, file=sys.stderr)
            sys.exit(1)
        figures.append(figure)
    print("Эксплуатация: " + "; ".join(figures) + ".")


if __name__ == "__main__":
    main()
