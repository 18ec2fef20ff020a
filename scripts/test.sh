#!/usr/bin/env bash
# Runs the whole MEDK test suite: core, HTTP API and pages in-process, the CLI against a real
# server, and the web interface in a real browser (scripts/e2e.sh; MEDK_SKIP_E2E=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
if [ "${MEDK_SKIP_E2E:-0}" != "1" ]; then
  ./scripts/e2e.sh
fi
