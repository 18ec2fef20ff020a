#!/usr/bin/env bash
# Runs the whole MEDK test suite: core, HTTP API and pages in-process, the CLI against a real
# server, a few crash rounds (scripts/crash.py), metrics and a stop with work in flight
# (scripts/operations.py), two servers on PostgreSQL behind HAProxy killed
# under load (scripts/failover.py), Schemathesis against /openapi.yaml as four
# people (scripts/schemathesis.py), and the web interface in a real browser (scripts/e2e.sh;
# MEDK_SKIP_E2E=1 skips it). The PostgreSQL store is tested against a throwaway cluster it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
# LibreOffice and openpyxl open the Excel exports in the tests, as the people who download them would;
# faketime sets the clock of `medk notify run` in the mail test; HAProxy balances the failover test.
./scripts/setup.sh libreoffice-calc-nogui faketime haproxy
python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "openpyxl>=3.1,<4"
# The mail tests send through a real SMTP server on a local port (scripts/smtp_sink.py).
python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd>=1.4,<2"
# The metrics are read back by the Prometheus project's own text-format parser (scripts/operations.py).
python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "prometheus-client>=0.20,<1"
swift build --build-tests
# The PostgreSQL store's tests run against a real PostgreSQL 15: a throwaway cluster on a free port,
# removed afterwards (scripts/pg-cluster.sh); each test makes a database of its own in it.
pg_dir=$(mktemp -d /tmp/medk-pg.XXXXXX)
trap './scripts/pg-cluster.sh stop "$pg_dir"' EXIT
MEDK_TEST_POSTGRES_URL=$(./scripts/pg-cluster.sh start "$pg_dir")
export MEDK_TEST_POSTGRES_URL
swift test --skip-build "$@"
# The same use cases, API and pages once more on PostgreSQL: each test world in a schema of its own.
# (The SQLite file's own tests — its plans, WAL, tampering with it — are skipped there.)
MEDK_TEST_BACKEND=postgres swift test --skip-build --filter 'MEDKCoreTests|MEDKServerTests|MEDKMailTests' "$@"
# Three rounds of SIGKILL during acknowledged writes (scripts/crash.sh --rounds 200 for the long run).
python3 scripts/crash.py --rounds 3 --binary .build/debug/medk
# /metrics parsed by prometheus_client, JSON logs with request ids, SIGTERM with an upload and a mail in flight.
python3 scripts/operations.py --binary .build/debug/medk
# Two servers on one PostgreSQL database behind HAProxy, each killed with SIGKILL twice under load.
psql "$MEDK_TEST_POSTGRES_URL" -qc "CREATE DATABASE failover"
python3 scripts/failover.py --kills 4 --binary .build/debug/medk --database "${MEDK_TEST_POSTGRES_URL%/*}/failover"
# Every operation of the API document fuzzed with every check, bounded; any failure fails the suite.
python3 scripts/schemathesis.py --binary .build/debug/medk --max-examples 25 --seed 1
if [ "${MEDK_SKIP_E2E:-0}" != "1" ]; then
  ./scripts/e2e.sh
fi
