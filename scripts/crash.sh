#!/usr/bin/env bash
# Crash harness: SIGKILL during acknowledged writes, restart, nothing acknowledged lost, integrity_check
# ok, audit verify ok. `./scripts/crash.sh --rounds 200` for the long run (default 5 rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh sqlite3
swift build --product medk >&2
exec python3 scripts/crash.py "$@"
