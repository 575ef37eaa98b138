#!/usr/bin/env bash
# Throughput under concurrency (issue 13, "Performance"): starts `khien serve --demo` on a scratch
# SQLite database on 127.0.0.1, signs in as the standing body's officer (sees the whole city),
# then drives each list page and API list with wrk (2 threads, 8 connections) and prints one line
# per path: requests per second and the 50th/99th percentile latency. Only loopback traffic.
#
#   scripts/load.sh                 # 10 s per path
#   LOAD_SECONDS=30 scripts/load.sh  # longer runs
#
# Needs wrk (Debian package `wrk`; installed here when missing) and a release build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${LOAD_SECONDS:-10}"
connections="${LOAD_CONNECTIONS:-8}"
port="${LOAD_PORT:-18088}"
base="http://127.0.0.1:$port"

if ! command -v wrk >/dev/null; then
    SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq wrk >/dev/null
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/khien-target}"
cargo build --release --locked -q
data=$(mktemp -d)
jar="$data/cookies"
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

KHIEN_ADMIN_PASSWORD='Load-test-2026!' RUST_LOG=warn "$CARGO_TARGET_DIR/release/khien" serve --demo \
    --data-dir "$data" --listen "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log"; exit 1; }
    sleep 0.5
done

# Sign in through the login form (its anti-forgery token comes with the page).
csrf=$(curl -fs -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "username=pa05.truong" \
    --data-urlencode "password=Khien@2026" --data-urlencode "next=/" "$base/login"
session=$(awk '$6 == "khien_session" { print $7 }' "$jar")
[[ -n $session ]] || { echo "load.sh: could not sign in" >&2; exit 1; }
assessment=$(curl -fs -b "$jar" "$base/api/v1/assessments?limit=1" | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)

paths=(
    /api/v1/systems?limit=50
    /systems
    /api/v1/units?limit=50
    /units
    /api/v1/users?limit=50
    /api/v1/incidents?limit=50
    /incidents
    /api/v1/findings?limit=50
    "/api/v1/findings?q=openssl&limit=50"
    /findings
    /api/v1/public-reports?limit=50
    /overview
)
[[ -n $assessment ]] && paths+=("/api/v1/assessments/$assessment" "/assessments/$assessment")

printf '%s\n' "wrk -t2 -c$connections -d${seconds}s on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), demo city, SQLite"
printf '%-42s %10s %9s %9s\n' path req/s p50 p99
for path in "${paths[@]}"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base$path")
    if [[ $status != 200 ]]; then
        printf '%-42s HTTP %s\n' "$path" "$status"
        continue
    fi
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: khien_session=$session" "$base$path")
    rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
    printf '%-42s %10s %9s %9s %s\n' "$path" "$rps" "$p50" "$p99" "$errors"
done
