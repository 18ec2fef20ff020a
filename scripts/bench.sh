#!/usr/bin/env bash
# Benchmark of the release build on generated datasets (demo, region, country): prints figures,
# asserts nothing. Datasets are generated once into .bench-data/ (the country takes a while).
#   ./scripts/bench.sh                       # all three sizes
#   ./scripts/bench.sh --sizes region        # one size
#   ./scripts/bench.sh --before ../before/.build/release/medk   # also the previous release, same data
#   ./scripts/bench.sh --backends            # SQLite, PostgreSQL, PostgreSQL ×2 behind HAProxy (region, country)
#   ./scripts/bench.sh --backends region     # one size
# The previous release: git worktree add ../before 6afd37d && (cd ../before && swift build -c release --product medk)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
./scripts/setup.sh wrk sqlite3 gcc python3
swift build -c release --product medk >&2
if [ "${1:-}" = "--backends" ]; then
  shift
  # A throwaway PostgreSQL 15 cluster (fsync and synchronous_commit on), removed afterwards.
  ./scripts/setup.sh haproxy postgresql-15 >/dev/null
  cluster=$(mktemp -d /tmp/medk-bench-pg.XXXXXX)
  trap './scripts/pg-cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
  url=$(./scripts/pg-cluster.sh start "$cluster" | tail -1)
  [ $# -gt 0 ] || set -- region country
  python3 scripts/bench_backends.py --postgres "$url" "$@"
  exit
fi
exec python3 scripts/bench.py "$@"
