#!/usr/bin/env python3
"""MEDK benchmark: importing a roadmap table, with the release build.

Seeds a fresh data directory with one region and --runs municipalities, generates a --rows-row
XLSX roadmap the way municipalities write them (a title above the header, merged section rows,
Russian deadlines: months, ranges, lists, quarters, «Ежемесячно», «По мере необходимости», real
date cells), then for each municipality signs in as its coordinator, creates the municipal
roadmap and times, through the API, the preview (read and interpret the file) and the import
(read again, save every measure and the audit record in one transaction). Prints rows and
measures per second (median, min, max) and the server's RSS. It asserts nothing.

Usage: scripts/bench_import.py --binary .build/release/medk [--rows 500] [--runs 10]
"""
import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from medk_server import Server  # noqa: E402

PASSWORD = "bench-import-пароль-1"


def http(method, url, token=None, body=None, raw=None):
    headers = {"Content-Type": "application/octet-stream" if raw is not None else "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def workbook(rows, path):
    import openpyxl
    random.seed(1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Дорожная карта"
    sheet.append(["Дорожная карта муниципальной программы поддержки ШНОР и ШНСУ на 2023 год"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["№ п/п", "Мера-мероприятие", "Сроки реализации", "Ответственные исполнители/соисполнители",
                  "Показатель реализации", "Результат"])
    deadlines = ["Апрель 2023г.", "Август – октябрь 2023г.", "20–21 апреля 2023г., октябрь 2023г.", "I квартал 2023",
                 "В течение года", "Ежемесячно", "до 30 апреля", "2022–2023 учебный год", "По мере необходимости",
                 datetime.date(2023, 5, 15)]
    number = 0
    tracks = ["Трек 1. Адресная поддержка ШНОР", "Трек 2. Школы в зоне риска", "Трек 3. Профилактика учебной неуспешности"]
    while number < rows:
        sheet.append([tracks[(number // 50) % 3]])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
        for _ in range(min(50, rows - number)):
            number += 1
            deadline = random.choice(deadlines)
            sheet.append([number, f"Мероприятие {number}: семинар для управленческих команд школ по результатам мониторинга",
                          deadline, "Муниципальный координатор, руководители ОО", "Доля школ, принявших участие, %",
                          "Проведено мероприятие, 100 % школ"])
            if isinstance(deadline, datetime.date):
                sheet.cell(row=sheet.max_row, column=3).number_format = "DD.MM.YYYY"
    book.save(path)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/medk")
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="medk-bench-import-")
    data = os.path.join(work, "data")
    env = dict(os.environ, MEDK_PASSWORD=PASSWORD)

    def cli(*words):
        subprocess.run([binary, *words, "--data-dir", data], env=env, check=True, capture_output=True, text=True)

    def write(name, text):
        path = os.path.join(work, name)
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
        return path

    try:
        cli("init", "--admin", "admin", "--name", "Администратор")
        cli("import", "regions", write("r.csv", "code;name;time_zone\n75;Забайкальский край;Asia/Chita\n"))
        codes = [f"75{index:03d}" for index in range(1, args.runs + 1)]
        cli("import", "municipalities", write("m.csv", "code;name;region_code\n"
                                              + "".join(f"{code};Округ {code};75\n" for code in codes)))
        cli("import", "users", write("u.csv", "login;full_name;email;role;scope_code\n"
                                     + "".join(f"mun-{code};Координатор {code};;municipal;{code}\n" for code in codes)))
        for code in codes:
            cli("users", "passwd", f"mun-{code}")
        cli("campaign", "create", "bench-2023", "--name", "500+ 2023", "--year", "2023")
        table = os.path.join(work, "roadmap.xlsx")
        workbook(args.rows, table)
        with open(table, "rb") as file:
            body = file.read()
        print(f"table: {args.rows} rows, {len(body) / 1024:.0f} KB XLSX", flush=True)

        server = Server(binary, data, demo=False).start()
        try:
            previews, imports, measures = [], [], 0
            for code in codes:
                token = http("POST", server.url + "/api/v1/auth/login", body={"login": f"mun-{code}", "password": PASSWORD})["token"]
                me = http("GET", server.url + "/api/v1/me", token)
                campaign = http("GET", server.url + "/api/v1/campaigns", token)["items"][0]["id"]
                municipality = me["grants"][0]["organisationID"]
                roadmap = http("POST", server.url + "/api/v1/items", token,
                               {"campaignID": campaign, "kind": "roadmap", "municipalityID": municipality})["item"]["id"]
                started = time.perf_counter()
                preview = http("POST", f"{server.url}/api/v1/items/{roadmap}/measures/import-preview?fileName=roadmap.xlsx",
                               token, raw=body)
                previews.append(time.perf_counter() - started)
                started = time.perf_counter()
                result = http("POST", f"{server.url}/api/v1/items/{roadmap}/measures/import?fileName=roadmap.xlsx&expectedRevision=1",
                              token, raw=body)
                imports.append(time.perf_counter() - started)
                assert result["rows"] == len(preview["measures"]) == args.rows, result["rows"]
                measures = result["measuresCreated"]
            rss = rss_mb(server.process.pid)
        finally:
            server.stop()

        def line(name, seconds):
            median = statistics.median(seconds)
            return (f"{name}: median {median * 1000:.0f} ms (min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f}) — "
                    f"{args.rows / median:.0f} rows/s")
        print(f"runs: {args.runs}, each import saved {measures} measures from {args.rows} rows")
        print(line("preview (read + interpret)", previews))
        print(line("import (read + interpret + save + audit)", imports)
              + f", {measures / statistics.median(imports):.0f} measures/s")
        print(f"server RSS after the runs: {rss:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
