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

step "cargo test --workspace --locked (target: $CARGO_TARGET_DIR)"
cargo test --workspace --locked

step "All tests passed in $((SECONDS - start)) s"
