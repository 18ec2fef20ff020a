#!/usr/bin/env bash
# Benchmark: how long `medk deadlines` takes for a region, on the demo data and on a synthetic
# region of N schools (default 600) with curators assigned. Prints figures; asserts nothing.
# Usage: ./scripts/bench-deadlines.sh [SCHOOLS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
schools=${1:-600}
runs=${2:-10}
swift build --product medk >/dev/null 2>&1
medk="$(swift build --show-bin-path)/medk"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export MEDK_CONFIG_DIR="$work/config"

serve() {  # data-dir → prints the server URL
  "$medk" serve --data-dir "$1" --port 0 ${2:-} > "$1.log" 2>&1 &
  for _ in $(seq 1 300); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$1.log" | head -1 || true)
    [ -n "$url" ] && { echo "$url"; return; }
    sleep 0.1
  done
  cat "$1.log" >&2; exit 1
}

measure() {  # label, extra deadlines args…
  local label=$1; shift
  local start end
  "$medk" deadlines "$@" --format json > /dev/null   # warm-up
  start=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do "$medk" deadlines "$@" --format json > /dev/null; done
  end=$(date +%s%N)
  echo "$label: $(( (end - start) / runs / 1000000 )) ms per 'medk deadlines' (mean of $runs, client process included)"
}

# 1. The demo data.
url=$(serve "$work/demo" --demo)
MEDK_PASSWORD=medk-demo-2026 "$medk" login --server "$url" --user region75 > /dev/null
measure "demo (5 schools)"

# 2. A synthetic region.
data="$work/big"
MEDK_PASSWORD=bench-password-1 "$medk" init --admin admin --data-dir "$data" > /dev/null
printf 'code;name;time_zone\nB1;Регион;Asia/Chita\n' > "$work/r.csv"
{ echo 'code;name;region_code'; for m in $(seq 1 30); do echo "BM$m;Округ $m;B1"; done; } > "$work/m.csv"
{ echo 'code;name;municipality_code;low_results;hard_social;programme_years'
  for s in $(seq 1 "$schools"); do echo "BS$s;Школа $s;BM$(( s % 30 + 1 ));да;нет;2026"; done; } > "$work/s.csv"
{ echo 'login;full_name;email;role;scope_code'; echo 'breg;Координатор;;regional;B1'
  for c in $(seq 1 30); do echo "bcur$c;Куратор $c;;curator;B1"; done; } > "$work/u.csv"
{ echo 'campaign_code;school_code;curator_login'
  for s in $(seq 1 "$schools"); do echo "BENCH;BS$s;bcur$(( s % 30 + 1 ))"; done; } > "$work/a.csv"
for kind in regions:r municipalities:m schools:s users:u; do
  "$medk" import "${kind%%:*}" "$work/${kind##*:}.csv" --data-dir "$data" > /dev/null 2>&1
done
"$medk" campaign create BENCH --name "Бенчмарк" --year 2026 --data-dir "$data" > /dev/null
"$medk" import assignments "$work/a.csv" --data-dir "$data" > /dev/null 2>&1
MEDK_PASSWORD=bench-password-1 "$medk" users passwd breg --data-dir "$data" > /dev/null
url=$(serve "$data")
MEDK_PASSWORD=bench-password-1 "$medk" login --server "$url" --user breg > /dev/null
measure "synthetic region ($schools schools, 30 curators)"
