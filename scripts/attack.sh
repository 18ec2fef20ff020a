#!/usr/bin/env bash
# The attacks of the hardening issue against a real `medk serve --demo`: prints what was attempted,
# refused or detected, and what it cost. Asserts nothing (the test suite does, attack by attack).
#   ./scripts/attack.sh                              # the release build
#   ./scripts/attack.sh --before ../before/medk      # and a previous build, same attacks, one run
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh python3 sqlite3
swift build -c release --product medk >&2
exec python3 scripts/attack.py "$@"
