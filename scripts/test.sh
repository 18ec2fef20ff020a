#!/usr/bin/env bash
# Runs the whole MEDK test suite: core, HTTP API in-process, and the CLI against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
