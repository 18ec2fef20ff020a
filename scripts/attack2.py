#!/usr/bin/env python3
"""MEDK under attack, round two: the probes of the second hardening issue (XML bombs through the
roadmap import, the login limiter's burst and lock-out, adversarial form uploads, unsubscribe
links, and the smaller findings), against a real `medk serve --demo`. Prints, per probe, what was
attempted, what came back and what it cost; asserts nothing (the test suite does, finding by
finding).

    scripts/attack.sh --round 2                              # the current release build
    scripts/attack.sh --round 2 --before /path/to/old/medk   # and a previous build, one run
    python3 scripts/attack2.py --binary .build/debug/medk --distributed-seconds 60
"""
import argparse
import email
import email.policy
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from attack import (DEMO_PASSWORD, Server, api_login, csrf_for, log, print_table, request,  # noqa: E402
                    stream_post, web_session)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHOOL = "school-750010001"


# --- helpers ----------------------------------------------------------------------------------------

def login(server, name, address=None, device=None, password=DEMO_PASSWORD):
    """(status, token, device token, Retry-After) of an API sign-in, from `address` via the trusted proxy."""
    headers = {"Content-Type": "application/json"}
    if address:
        headers["X-Forwarded-For"] = address
    body = {"login": name, "password": password}
    if device:
        body["deviceToken"] = device
    status, text, answer = request(server, "POST", "/api/v1/auth/login", json.dumps(body), headers)
    data = json.loads(text) if status == 200 else {}
    return status, data.get("token"), data.get("deviceToken"), answer.get("Retry-After")


def api(server, token, method, path, body=None, raw=None, content_type=None, timeout=300):
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        raw = json.dumps(body)
    elif content_type:
        headers["Content-Type"] = content_type
    return request(server, method, path, raw, headers, timeout=timeout)


def health_watch():
    """Starts probing /health every 20 ms; returns stop() giving the slowest and median answer in ms."""
    latencies, done = [], threading.Event()

    def probe(server):
        while not done.is_set():
            started = time.time()
            try:
                request(server, "GET", "/health", timeout=120)
            except OSError:
                pass
            latencies.append(time.time() - started)
            time.sleep(0.02)

    def start(server):
        thread = threading.Thread(target=probe, args=(server,))
        thread.start()

        def stop():
            done.set()
            thread.join()
            ordered = sorted(latencies) or [0]
            return ordered[-1] * 1000, ordered[len(ordered) // 2] * 1000, len(ordered)
        return stop
    return start


def at_once(functions):
    results = [None] * len(functions)

    def run(index):
        results[index] = functions[index]()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(functions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


SAMPLE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def school_roadmap(server, token):
    """The school's roadmap, made editable: created if it has none, withdrawn if on review, reopened if confirmed."""
    status, body, _ = api(server, token, "GET", "/api/v1/items?kind=roadmap&limit=5")
    items = json.loads(body)["items"] if status == 200 else []
    if not items:
        return new_item(server, token, "roadmap")
    item = items[0]
    action = {"submitted": "withdraw", "confirmed": "reopen"}.get(item["state"])
    if action:
        api(server, token, "POST", f"/api/v1/items/{item['id']}/transitions",
            {"action": action, "expectedState": item["state"], "expectedRevision": item["revision"], "comment": "Исправляем"})
    return item["id"]


def new_item(server, token, kind):
    """A new item of the school's, in draft."""
    campaign = json.loads(api(server, token, "GET", "/api/v1/campaigns")[1])["items"][0]["id"]
    school = json.loads(api(server, token, "GET", "/api/v1/me")[1])["grants"][0]["organisationID"]
    status, body, _ = api(server, token, "POST", "/api/v1/items", {"campaignID": campaign, "kind": kind, "schoolID": school})
    return json.loads(body)["item"]["id"] if status in (200, 201) else None


def sheet_bomb(megabytes):
    """An XLSX whose sheet is `megabytes` MB of empty cells, every eighth with its reference so that
    the part packs about 40:1 — inside every zip limit (ratio, unpacked size, file size)."""
    part = io.StringIO()
    part.write('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><sheetData>')
    size, row = 0, 1
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    columns = list(letters) + [a + b for a in letters for b in letters]
    while size < megabytes << 20:
        line = f'<row r="{row}">' + "".join(f'<c r="{c}{row}"/>' if i % 8 == 0 else "<c/>" for i, c in enumerate(columns)) + "</row>"
        part.write(line)
        size += len(line)
        row += 1
    part.write("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", part.getvalue())
    return out.getvalue(), part.tell()


def utf16_dtd_workbook():
    laughs = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"\xff\xfe" + laughs.encode("utf-16-le"))
    return out.getvalue()


def docx_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 << 20))
    return out.getvalue()


# --- the probes ---------------------------------------------------------------------------------------

def xml_bombs(server, rows, sizes):
    token = login(server, SCHOOL)[1]
    roadmap = school_roadmap(server, token)
    if roadmap is None:
        rows.append(("XML bomb through the roadmap import", 0, "no roadmap in the demo", ""))
        return
    for megabytes in sizes:
        data, unpacked = sheet_bomb(megabytes)
        path = f"/api/v1/items/{roadmap}/measures/import-preview?fileName=bomb.xlsx"
        before, cpu = server.memory(), server.cpu()
        started = time.time()
        status, body, _ = api(server, token, "POST", path, raw=data, content_type="application/octet-stream")
        elapsed = time.time() - started
        cost = server.cpu() - cpu
        time.sleep(0.3)
        after = server.memory()
        code = json.loads(body).get("error", {}).get("code", "") if body[:1] == b"{" else ""
        rows.append((f"XML bomb: {len(data) / 1e6:.1f} MB XLSX, sheet {unpacked / 1e6:.0f} MB of empty cells "
                     f"(ratio {unpacked / len(data):.0f}:1)", 1, f"answer {status} {code}",
                     f"{elapsed:.2f} s wall, {cost:.2f} s CPU; RSS {before['VmRSS']} → peak {after['VmHWM']} MB "
                     f"(+{after['VmHWM'] - before['VmRSS']}), {after['VmRSS']} MB after"))
        stop = health_watch()(server)
        results = at_once([lambda: api(server, token, "POST", path, raw=data, content_type="application/octet-stream")] * 2)
        worst, median, probes = stop()
        rows.append((f"two such {megabytes} MB sheets at once", 2, "answers " + ", ".join(str(r[0]) for r in results),
                     f"/health max {worst:.0f} ms, median {median:.0f} ms ({probes} probes)"))


def login_burst(server, rows):
    statuses = at_once([lambda i=i: login(server, f"nobody-{i}", address="203.0.113.50", password="угадываю")[0]
                        for i in range(120)])
    rows.append(("120 concurrent logins, distinct unknown logins, one address", 120,
                 f"{statuses.count(401)} passwords checked, {statuses.count(429)} refused unchecked",
                 f"limit per address 30; others: {sorted(set(statuses) - {401, 429})}"))


def neighbours(server, rows):
    nat = "198.51.100.30"
    _, _, device, _ = login(server, "curator-ivanova", address=nat)
    for index in range(30):
        login(server, f"neighbour-guess-{index}", address=nat, password="не тот")
    started = time.time()
    with_device = login(server, "curator-ivanova", address=nat, device=device)
    elapsed = time.time() - started
    stranger = login(server, "curator-petrov", address=nat)
    rows.append(("after 30 failures from a NAT address, colleagues sign in from it", 2,
                 f"one who signed in there before: {with_device[0]}"
                 + (f" (Retry-After {with_device[3]} s)" if with_device[3] else f" in {elapsed * 1000:.0f} ms")
                 + f"; one never seen there: {stranger[0]}" + (f" (Retry-After {stranger[3]} s)" if stranger[3] else ""),
                 "device token issued" if device else "no device token in the answer"))


def distributed(server, rows, seconds):
    owner_address = "192.0.2.200"
    status, _, device, _ = login(server, "school-750020001", address=owner_address)
    stop, guesses = threading.Event(), [0]

    def guesser():
        index = 0
        while not stop.is_set():
            index += 1
            login(server, "school-750020001", address=f"10.{index // 250 % 250}.{index % 250}.{index % 7 + 1}", password=f"guess-{index}")
            guesses[0] += 1
            time.sleep(0.1)
    threads = [threading.Thread(target=guesser) for _ in range(2)]
    for thread in threads:
        thread.start()
    successes, tries = 0, 0
    started = time.time()
    while time.time() - started < seconds:
        time.sleep(seconds / 15)
        tries += 1
        status, _, new_device, _ = login(server, "school-750020001", address=owner_address, device=device)
        if status == 200:
            successes += 1
            device = new_device or device
    stop.set()
    for thread in threads:
        thread.join()
    rows.append((f"a guesser on many addresses ({guesses[0]} guesses in {seconds} s); the owner tries every {seconds / 15:.0f} s "
                 "on the computer they signed in on before", tries, f"{successes} of {tries} correct sign-ins succeeded", ""))


def near_delimiters(total, boundary):
    unit = (b"\r\n--" + boundary.encode()[:-1] + b"X")
    return (unit * (total // len(unit) + 1))[:total]


def form_uploads(server, rows):
    session = web_session(server, SCHOOL)
    token = login(server, SCHOOL, address="192.0.2.201")[1]
    item = new_item(server, token, "order")
    boundary = "----attackboundary"
    payload = b"%PDF-1.4\n" + near_delimiters(20 << 20, boundary)
    prefix = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf_for(session)}\r\n"
              f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"near.pdf\"\r\n"
              "Content-Type: application/pdf\r\n\r\n").encode()
    suffix = f"\r\n--{boundary}--\r\n".encode()
    body = prefix + payload + suffix
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": f"medk_session={session}",
               "Origin": f"http://127.0.0.1:{server.port}"}

    def web():
        started = time.time()
        status, _, _ = request(server, "POST", f"/items/{item}/files", body, headers, timeout=300)
        return status, time.time() - started
    cpu = server.cpu()
    status, elapsed = web()
    rows.append(("20 MB web-form upload of near-delimiters", 1, f"answer {status}",
                 f"{elapsed:.2f} s wall, {server.cpu() - cpu:.2f} s server CPU"))
    started = time.time()
    status, _, _ = api(server, token, "POST", f"/api/v1/items/{item}/files?fileName=near.pdf", raw=payload,
                       content_type="application/octet-stream")
    rows.append(("the same file through the API", 1, f"answer {status}", f"{time.time() - started:.2f} s wall"))
    stop = health_watch()(server)
    results = at_once([web, web])
    worst, median, probes = stop()
    rows.append(("two such web uploads at once", 2, "answers " + ", ".join(str(r[0]) for r in results),
                 f"slowest {max(r[1] for r in results):.2f} s; /health max {worst:.0f} ms, median {median:.0f} ms ({probes} probes)"))


def unsubscribe(server, rows, sink_directory):
    school = login(server, SCHOOL, address="192.0.2.202")[1]
    api(server, school, "PUT", "/api/v1/me/mail", {"email": "team@school.example.ru", "enabledKinds":
        ["measure_due", "measure_missed", "review_waiting", "item_returned", "escalation", "weekly_digest"], "digestWeekday": 1})
    # A new order of the school's, sent for review and returned by its curator.
    order = new_item(server, school, "order")
    api(server, school, "POST", f"/api/v1/items/{order}/files?fileName=prikaz.pdf", raw=SAMPLE_PDF, content_type="application/pdf")
    item = json.loads(api(server, school, "GET", f"/api/v1/items/{order}")[1])["item"]
    api(server, school, "POST", f"/api/v1/items/{order}/transitions",
        {"action": "submit", "expectedState": "draft", "expectedRevision": item["revision"]})
    item = json.loads(api(server, school, "GET", f"/api/v1/items/{order}")[1])["item"]
    curator = login(server, "curator-ivanova", address="192.0.2.203")[1]
    status, _, _ = api(server, curator, "POST", f"/api/v1/items/{order}/transitions",
                       {"action": "return", "expectedState": "submitted", "expectedRevision": item["revision"], "comment": "Нет подписи."})
    if status != 200:
        rows.append(("unsubscribe link", 0, f"the curator could not return the order ({status})", ""))
        return
    link, started = None, time.time()
    while link is None and time.time() - started < 30:
        for name in sorted(os.listdir(sink_directory)):
            if name.endswith(".eml"):
                with open(os.path.join(sink_directory, name), "rb") as message:
                    parsed = email.message_from_binary_file(message, policy=email.policy.default)
                if "возвращ" in str(parsed["Subject"]) and parsed["List-Unsubscribe"]:
                    link = str(parsed["List-Unsubscribe"]).strip("<>")
        time.sleep(0.5)
    if link is None:
        rows.append(("unsubscribe link", 0, "no «returned» letter arrived in 30 s", ""))
        return
    path = urllib.parse.urlsplit(link)
    target = path.path + "?" + urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(path.query) if k != "kind"]
                                                       + [("kind", "measure_due")])
    status, _, _ = request(server, "POST", target, "List-Unsubscribe=One-Click", {"Content-Type": "application/x-www-form-urlencoded"})
    settings = json.loads(api(server, school, "GET", "/api/v1/me/mail")[1])
    turned_off = sorted(set(["measure_due", "measure_missed", "review_waiting", "item_returned", "escalation", "weekly_digest"])
                        - set(settings.get("enabledKinds", [])))
    rows.append(("a «returned» letter's link posted with kind=measure_due", 1, f"answer {status}; turned off: {', '.join(turned_off)}",
                 f"link: {path.path}?{'&'.join(k for k, _ in urllib.parse.parse_qsl(path.query))}"))
    api(server, school, "PUT", "/api/v1/me/mail", {"email": "new-address@school.example.ru", "enabledKinds": settings["enabledKinds"],
                                                   "digestWeekday": 1})
    status, _, _ = request(server, "GET", path.path + "?" + path.query)
    rows.append(("the same link after the school changed its address", 1, f"answer {status}", ""))
    database = sqlite3.connect(os.path.join(server.directory, "medk.sqlite"))
    token = dict(urllib.parse.parse_qsl(path.query))["token"]
    clear = 0
    for table, in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        columns = [c[1] for c in database.execute(f"PRAGMA table_info({table})")]
        for column in columns:
            clear += database.execute(f"SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) = ?", (token,)).fetchone()[0]
    database.close()
    rows.append(("the link's token in the database in clear", 1, "found" if clear else "not found", f"{clear} cells hold it"))


def small_ones(server, rows, binary):
    school = login(server, SCHOOL, address="192.0.2.204")[1]
    roadmap = school_roadmap(server, school)
    status, body, _ = api(server, school, "POST", f"/api/v1/items/{roadmap}/measures/import-preview?fileName=utf16.xlsx",
                          raw=utf16_dtd_workbook(), content_type="application/octet-stream")
    code = json.loads(body).get("error", {}).get("code", "") if body[:1] == b"{" else ""
    rows.append(("an XLSX whose workbook is UTF-16 with a DTD", 1, f"answer {status} {code}", ""))

    region = login(server, "region75", address="192.0.2.205")[1]
    pairs = [("review times", "/api/v1/review-times?region={}", "80", "99"),
             ("evaluations of a municipality", "/api/v1/municipalities/{}/evaluation", "80001", "99999"),
             ("package of a municipality", "/api/v1/municipalities/{}/package", "80001", "99999"),
             ("regional roadmap", "/api/v1/regions/{}/roadmap", "80", "99"),
             ("deadlines", "/api/v1/deadlines?region={}", "80", "99"),
             ("reminder settings", "/api/v1/regions/{}/reminder-settings", "80", "99")]
    answers = []
    for name, path, foreign, missing in pairs:
        a = api(server, region, "GET", path.format(foreign))[0]
        b = api(server, region, "GET", path.format(missing))[0]
        answers.append(f"{name}: {a}/{b}")
    alike = sum(1 for text in answers if text.split(": ")[1].split("/")[0] == text.split("/")[1])
    rows.append(("another region (80) and a missing one (99) asked by region 75's coordinator", len(pairs) * 2,
                 f"{alike} of {len(pairs)} routes alike", "; ".join(answers)))
    status, body, _ = api(server, region, "GET", "/api/v1/overdue-measures?municipality=80001")
    leaked = "Чужой муниципалитет" in body.decode("utf-8", "replace")
    rows.append(("overdue list of a municipality in another region", 1, f"answer {status}",
                 "its name in the answer" if leaked else "its name not told"))
    fioco = login(server, "fioco", address="192.0.2.206")[1]
    rows.append(("FIOCO reads region 75's reminder settings (the API document allows it)", 1,
                 f"answer {api(server, fioco, 'GET', '/api/v1/regions/75/reminder-settings')[0]}", ""))

    order = new_item(server, school, "order")
    bomb = docx_bomb()
    status, body, _ = api(server, school, "POST", f"/api/v1/items/{order}/files?fileName=bomb.docx", raw=bomb,
                          content_type="application/octet-stream")
    code = json.loads(body).get("error", {}).get("code", "") if body[:1] == b"{" and status >= 400 else ""
    rows.append((f"a DOCX zip bomb ({len(bomb) / 1e3:.0f} KB unpacking to 300 MB) uploaded as a document", 1,
                 f"answer {status} {code}", "stored" if status in (200, 201) else "not stored"))

    curator = login(server, "curator-ivanova", address="192.0.2.207")[1]
    status, body, _ = api(server, curator, "GET", "/api/v1/queue?limit=1")
    target = json.loads(body)["items"][0]["item"]["id"]
    text = "Замечание по разделу. " * 220
    size = 0
    for index in range(300):
        status, body, _ = api(server, curator, "POST", f"/api/v1/items/{target}/comments", {"text": text})
        size = len(body)
    rows.append(("a comment's answer after 300 long comments", 300, f"answer {status}", f"{size / 1e3:.1f} KB"))


def csv_email(binary, directory, rows):
    csv_path = os.path.join(tempfile.mkdtemp(), "users.csv")
    with open(csv_path, "w", encoding="utf-8") as out:
        out.write("login;full_name;email;role;scope_code\r\n")
        out.write('injected;Инъекция;"victim@school.ru\r\nBcc: all@evil.example";curator;75\r\n')
    result = subprocess.run([binary, "import", "users", csv_path, "--data-dir", directory], capture_output=True, text=True)
    database = sqlite3.connect(os.path.join(directory, "medk.sqlite"))
    stored = database.execute("SELECT email FROM users WHERE login = 'injected'").fetchone()
    database.close()
    rows.append(("admin CSV import of an e-mail with CR/LF and «Bcc:»", 1,
                 "stored" if stored and stored[0] and "\n" in stored[0] else "refused",
                 f"exit {result.returncode}: {(result.stdout + result.stderr).strip().splitlines()[-1][:100] if (result.stdout + result.stderr).strip() else ''}"))


def foreign_region(binary, directory):
    """Region 80 with one municipality, for the probes that ask about a territory one has nothing to do with."""
    folder = tempfile.mkdtemp()
    for kind, text in (("regions", "code;name;time_zone\n80;Чужой край;Asia/Yekaterinburg\n"),
                       ("municipalities", "code;name;region_code\n80001;Чужой муниципалитет;80\n")):
        path = os.path.join(folder, kind + ".csv")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        subprocess.run([binary, "import", kind, path, "--data-dir", directory], capture_output=True, check=True)


def run(binary, arguments):
    rows = []
    directory = tempfile.mkdtemp(prefix="medk-attack2-")
    shutil.rmtree(directory)
    sink_directory = tempfile.mkdtemp(prefix="medk-sink-")
    sink = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/smtp_sink.py"), "--dir", sink_directory],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    port = int(sink.stdout.readline().split()[1])
    # Seed the demo first, then add a foreign region while no server holds the database.
    seeding = Server(binary, directory).start()
    seeding.stop()
    foreign_region(binary, directory)
    csv_email(binary, directory, rows)
    server = Server(binary, directory, extra=["--trusted-proxy", "127.0.0.1", "--smtp-url", f"smtp://127.0.0.1:{port}",
                                              "--mail-from", "МЭДК <medk@region.example.ru>", "--public-url", "http://127.0.0.1",
                                              "--mail-interval", "5"]).start()
    server.directory = directory
    try:
        for probe, call in (("xml_bombs", lambda: xml_bombs(server, rows, arguments.sheets)),
                            ("login_burst", lambda: login_burst(server, rows)),
                            ("neighbours", lambda: neighbours(server, rows)),
                            ("form_uploads", lambda: form_uploads(server, rows)),
                            ("unsubscribe", lambda: unsubscribe(server, rows, sink_directory)),
                            ("small_ones", lambda: small_ones(server, rows, binary)),
                            ("distributed", lambda: distributed(server, rows, arguments.distributed_seconds))):
            log(f"  {probe} …")
            try:
                call()
            except Exception as error:  # a probe that breaks is a row too, not the end of the run
                rows.append((probe, 0, f"probe failed: {type(error).__name__}", str(error)[:120]))
    finally:
        server.stop()
        sink.stdin.close()
        sink.terminate()
    shutil.rmtree(directory, ignore_errors=True)
    shutil.rmtree(sink_directory, ignore_errors=True)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/medk"))
    parser.add_argument("--before", help="a previous build of medk, attacked the same way")
    parser.add_argument("--sheets", type=int, nargs="*", default=[40, 99], help="sizes of the sheet bombs, MB")
    parser.add_argument("--distributed-seconds", type=int, default=150)
    arguments = parser.parse_args()
    print(f"# MEDK under attack, round two ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)")
    for title, binary in (("before", arguments.before), ("after", arguments.binary)):
        if not binary:
            continue
        log(f"{title}: {binary}")
        print_table(f"{title} ({binary})", run(binary, arguments))


if __name__ == "__main__":
    main()
