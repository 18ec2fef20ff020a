#!/usr/bin/env bash
# The attacks of the hardening issues against a real `medk serve --demo`: prints what was attempted,
# refused or detected, and what it cost. Asserts nothing (the test suite does, attack by attack).
#   ./scripts/attack.sh                              # round one, the release build
#   ./scripts/attack.sh --before ../before/medk      # and a previous build, same attacks, one run
#   ./scripts/attack.sh --round 2 [--before …]       # round two (scripts/attack2.py)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/bin:/opt/swift/usr/bin:$PATH"
./scripts/setup.sh python3 sqlite3
script=scripts/attack.py
if [ "${1:-}" = "--round" ]; then
  [ "${2:-}" = "2" ] && script=scripts/attack2.py
  shift 2
fi
python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd>=1.4,<2"
swift build -c release --product medk >&2
exec python3 "$script" "$@"
