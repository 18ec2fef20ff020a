#!/usr/bin/env bash
# Builds MEDK and starts the server on the embedded SQLite database with demo data.
# Usage: ./scripts/run-demo.sh [--port N] [--host ADDR]   (data in ./medk-data unless MEDK_DATA_DIR is set)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh
swift build --product medk
exec "$(swift build --show-bin-path)/medk" serve --demo "$@"
