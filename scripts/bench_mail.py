#!/usr/bin/env python3
"""MEDK benchmark: one day of mail for a generated dataset (a region, or the country), release build.

Copies the dataset (it is not changed), gives every user an address (the generator leaves them
empty), starts a real SMTP server (scripts/smtp_sink.py, aiosmtpd) and runs `medk notify run`
under faketime at --at (UTC): the day's planning (reminders, curators' waits, escalations,
digests) for every region and the delivery of everything planned. Then runs it again the same
day, which must plan and send nothing. Prints wall time, peak RSS, messages planned and sent,
and messages per second. It asserts nothing.

Usage: scripts/bench_mail.py --binary .build-release/release/medk --dataset /work/data/bench/region \
       [--at "2026-10-05 06:00:00"]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_notify(binary, data, port, at):
    command = ["/usr/bin/time", "-f", "%e %M", "faketime", "-f", f"@{at}", binary, "notify", "run", "--data-dir", data,
               "--smtp-url", f"smtp://127.0.0.1:{port}", "--mail-from", "МЭДК <medk@bench.example.ru>",
               "--public-url", "https://medk.bench.example.ru"]
    environment = dict(os.environ, FAKETIME_DONT_FAKE_MONOTONIC="1", TZ="UTC")
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    wall = time.monotonic() - started
    seconds, rss_kb = result.stderr.strip().splitlines()[-1].split()
    return result.returncode, result.stdout, wall, int(rss_kb) // 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--at", default="2026-10-05 06:00:00", help="UTC instant of the run (a Monday: digests go out)")
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="medk-bench-mail-")
    data = os.path.join(work, "data")
    try:
        print(f"copying {options.dataset} …", flush=True)
        shutil.copytree(options.dataset, data)
        subprocess.run([options.binary, "migrate", "--data-dir", data], check=True, capture_output=True)
        # A benchmark fixture, not a use case: every account gets an address so that mail is planned for it.
        subprocess.run(["sqlite3", os.path.join(data, "medk.sqlite"),
                        "UPDATE users SET email = replace(login, ':', '-') || '@bench.example.ru'"], check=True)
        sink_dir = os.path.join(work, "mail")
        sink = subprocess.Popen([sys.executable, os.path.join(HERE, "smtp_sink.py"), "--dir", sink_dir],
                                stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
        port = int(sink.stdout.readline().split()[1])
        try:
            for label in ("first run", "same day again"):
                status, output, wall, rss = run_notify(options.binary, data, port, options.at)
                planned = re.search(r"Запланировано писем: (\d+)", output)
                sent = re.search(r"Отправлено: (\d+)", output)
                planned = int(planned.group(1)) if planned else -1
                sent = int(sent.group(1)) if sent else -1
                rate = sent / wall if wall > 0 else 0
                print(f"{label}: exit {status}, {wall:.2f} s, peak RSS {rss} MB, planned {planned}, sent {sent} ({rate:.0f}/s)")
                for line in output.strip().splitlines():
                    print(f"    {line}")
            received = len([name for name in os.listdir(sink_dir) if name.endswith(".eml")]) if os.path.isdir(sink_dir) else 0
            print(f"messages the SMTP server received: {received}")
        finally:
            sink.stdin.close()
            sink.terminate()
            sink.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
