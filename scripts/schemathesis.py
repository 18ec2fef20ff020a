#!/usr/bin/env python3
"""Schemathesis against a real `medk serve --demo`: every operation of /openapi.yaml, with every
check (`--checks all`), as several people — the administrator, a school team, a curator and a
regional coordinator — so that owner, reviewer and territory rules are all reached. The run is
bounded (--max-examples per operation, a fixed --seed) and fails on the first failure of any
check; schemathesis.toml says why 422 counts as a refusal by a rule and 400 never does.

    scripts/schemathesis.py --binary .build/debug/medk [--max-examples 25] [--seed 1]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from medk_server import Server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "medk-demo-2026"
ACCOUNTS = ["admin", "school-750010001", "curator-ivanova", "region75"]
# The version the document and schemathesis.toml were checked with; another may judge differently.
SCHEMATHESIS = "schemathesis==4.32.5"


def ensure_schemathesis():
    try:
        version = subprocess.run(["st", "--version"], capture_output=True, text=True).stdout
        if SCHEMATHESIS.split("==")[1] in version:
            return
    except FileNotFoundError:
        pass
    print(f"Устанавливаю {SCHEMATHESIS} из PyPI", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--root-user-action=ignore", SCHEMATHESIS], check=True)


def login(url, account):
    request = urllib.request.Request(url + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"login": account, "password": PASSWORD}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/medk"))
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    ensure_schemathesis()
    directory = tempfile.mkdtemp(prefix="medk-schemathesis-")
    server = Server(args.binary, directory).start()
    failed = []
    try:
        for account in ACCOUNTS:
            started = time.time()
            # Signing out would end the session the rest of the run uses; logout has its own tests.
            command = ["st", "--config-file", os.path.join(ROOT, "schemathesis.toml"), "run", server.url + "/openapi.yaml",
                       "--checks", "all", "--max-examples", str(args.max_examples), "--seed", str(args.seed),
                       "--exclude-path", "/api/v1/auth/logout", "--no-color",
                       "-H", f"Authorization: Bearer {login(server.url, account)}"]
            result = subprocess.run(command, capture_output=True, text=True, cwd=directory)
            summary = [line for line in result.stdout.splitlines() if "generated" in line or "failures" in line or "passed" in line]
            print(f"schemathesis как {account}: {summary[-1].strip(' =') if summary else '?'} ({time.time() - started:.0f} с)", flush=True)
            if result.returncode != 0:
                print(result.stdout[-20000:], file=sys.stderr)
                failed.append(account)
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
    if failed:
        sys.exit(f"schemathesis нашёл расхождения с /openapi.yaml (учётные записи: {', '.join(failed)})")


if __name__ == "__main__":
    main()
