#!/usr/bin/env bash
# Two servers on one PostgreSQL behind HAProxy, killed with SIGKILL one after the other under load
# (scripts/failover.py says what is checked). Starts a throwaway PostgreSQL cluster and removes it
# after. `./scripts/failover.sh --kills 20` for the long run (default 4 kills).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh haproxy postgresql-15 >/dev/null
python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd>=1.4,<2"
[ -x "${MEDK_BIN:-.build/debug/medk}" ] || swift build --product medk
cluster=$(mktemp -d /tmp/medk-failover-pg.XXXXXX)
trap './scripts/pg-cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
url=$(./scripts/pg-cluster.sh start "$cluster" | tail -1)
python3 scripts/failover.py --database "$url" "$@"
