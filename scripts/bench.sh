#!/usr/bin/env bash
# Benchmark of the release build on generated datasets (demo, region, country): prints figures,
# asserts nothing. Datasets are generated once into .bench-data/ (the country takes a while).
#   ./scripts/bench.sh                       # all three sizes
#   ./scripts/bench.sh --sizes region        # one size
#   ./scripts/bench.sh --before ../before/.build/release/medk   # also the previous release, same data
# The previous release: git worktree add ../before 6afd37d && (cd ../before && swift build -c release --product medk)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh wrk sqlite3 gcc python3
swift build -c release --product medk >&2
exec python3 scripts/bench.py "$@"
