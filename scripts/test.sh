#!/usr/bin/env bash
# Khiên's test command: installs/starts what the tests need (Chromium, chromedriver,
# PostgreSQL), then runs every crate's unit tests and the integration suite, browser included.
# CI runs exactly this (through .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }
start=$SECONDS

step "Test dependencies (Chromium, chromedriver, PostgreSQL)"
bash scripts/install-test-deps.sh

# Outside the work tree so that fresh clones (as CI makes) reuse earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/khien-target}"
export KHIEN_TEST_POSTGRES_URL="${KHIEN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step "cargo fmt --check, cargo clippy -D warnings"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test --workspace --locked (target: $CARGO_TARGET_DIR)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked 2>&1 | tee "$log" || status=$?

# cargo's last "test result" line is a crate's (often empty) doc-tests; end with the totals.
step "$([[ $status -eq 0 ]] && echo "All tests passed" || echo "Tests FAILED (exit $status)") in $((SECONDS - start)) s"
awk '/^test result:/ { p += $4; f += $6; s += $8 } END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
