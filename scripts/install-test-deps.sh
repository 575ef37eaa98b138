#!/usr/bin/env bash
# Installs and starts what Khiên's test suite needs beyond Rust: nats-server (the telemetry tests start
# their own with JetStream), Chromium + chromedriver (the
# browser tests), poppler-utils (pdftotext, the PDF tests), stix2-validator, compliance-trestle and schemathesis in a Python venv (the STIX, OSCAL and OpenAPI tests) and a local PostgreSQL that the role `postgres` reaches over TCP at 127.0.0.1
# without a password (the store tests). Idempotent and quiet when everything is already there;
# meant for Debian 12 as root (uses sudo otherwise).
#
# If KHIEN_TEST_POSTGRES_URL is set, PostgreSQL is yours to provide and is left alone here.
set -euo pipefail

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-test-deps: run as root (or install sudo)" >&2; exit 1; }
    SUDO=(sudo)
fi

manage_pg=1
[[ -n "${KHIEN_TEST_POSTGRES_URL:-}" ]] && manage_pg=0

# --- packages -----------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
# pdftotext: the PDF reports are read back to check their Vietnamese text.
[[ -x /usr/bin/pdftotext ]] || missing+=(poppler-utils)
# LibreOffice (Writer, no GUI): the generated DOCX forms are opened and converted as a user's
# office suite would, and their text checked.
[[ -x /usr/bin/soffice ]] || missing+=(libreoffice-writer-nogui)
# NATS with JetStream: the telemetry tests start their own `nats-server -js` on a free port.
command -v nats-server >/dev/null || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)
# The PDF typeface (Liberation Serif), compiled into the binary: the build needs it.
[[ -n "${KHIEN_SERIF_DIR:-}" || -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]] \
    || missing+=(fonts-liberation2)
if [[ $manage_pg -eq 1 ]] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if ((${#missing[@]})); then
    echo "install-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
        || "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"  # again, loudly, to show why
fi

# --- Python checkers nobody here wrote, in a venv under ~/.cache ----------------------------
# stix2-validator 3.3.2 (3.3.1 ships without its schemas) checks exported STIX bundles;
# taxii2-client 2.3.0 talks to our TAXII server; compliance-trestle 3.12.4 (`trestle validate`,
# OSCAL 1.1.x) checks the exported SSP, assessment results and POA&M.
PY_ENV="${KHIEN_PY_ENV:-$HOME/.cache/khien-py}"
if [[ ! -x "$PY_ENV/bin/stix2_validator" ]] || [[ ! -x "$PY_ENV/bin/trestle" ]] || ! "$PY_ENV/bin/python" -c "import taxii2client" 2>/dev/null; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
    fi
    echo "install-test-deps: installing stix2-validator 3.3.2, taxii2-client 2.3.0 and compliance-trestle 3.12.4 into $PY_ENV"
    python3 -m venv "$PY_ENV"
    "$PY_ENV/bin/pip" install -q stix2-validator==3.3.2 taxii2-client==2.3.0 compliance-trestle==3.12.4
fi
# schemathesis 4.32.5 generates requests from /api/openapi.json and checks the answers against
# the document (the OpenAPI conformance test). Installed on its own so that an older venv gains it.
SCHEMATHESIS=4.32.5
if ! compgen -G "$PY_ENV/lib/python3*/site-packages/schemathesis-$SCHEMATHESIS.dist-info" >/dev/null || [[ ! -x "$PY_ENV/bin/schemathesis" ]]; then
    echo "install-test-deps: installing schemathesis $SCHEMATHESIS into $PY_ENV"
    "$PY_ENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS"
fi

[[ $manage_pg -eq 1 ]] || exit 0

# --- PostgreSQL running -------------------------------------------------------------------
ready() { pg_isready -q -h 127.0.0.1 -p 5432; }
if ! ready; then
    # The Debian package creates one cluster, "main", for its version. In containers there is
    # no systemd, so start it directly; "already running" (exit 2) is fine.
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1 || true)
    [[ -n "$version" ]] || { echo "install-test-deps: no PostgreSQL cluster in /etc/postgresql" >&2; exit 1; }
    echo "install-test-deps: starting PostgreSQL $version/main"
    "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 60); do
        ready && break
        sleep 0.5
    done
    ready || { echo "install-test-deps: PostgreSQL did not become ready on 127.0.0.1:5432" >&2; exit 1; }
fi

# --- passwordless TCP access for `postgres` -----------------------------------------------
# A fresh Debian install authenticates TCP connections with a password (scram-sha-256). The
# simplest robust fix for a throwaway test database is a `trust` line for the postgres role
# from 127.0.0.1 only, put first in pg_hba.conf, then a reload: the suite's default URL
# (postgres://postgres@127.0.0.1:5432/postgres) then works with no secret to keep anywhere.
# Local socket access as the postgres OS user (peer auth) is used to find and reload the config.
if ! PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
    hba=$("${SUDO[@]}" su postgres -c "psql -Atqc 'SHOW hba_file'")
    echo "install-test-deps: allowing passwordless TCP access for role postgres from 127.0.0.1 ($hba)"
    line='host all postgres 127.0.0.1/32 trust # khien tests'
    if ! "${SUDO[@]}" grep -qF "$line" "$hba"; then
        "${SUDO[@]}" sed -i "1i $line" "$hba"
    fi
    "${SUDO[@]}" su postgres -c "psql -Atqc 'SELECT pg_reload_conf()'" >/dev/null
    sleep 0.5
    PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null || {
        echo "install-test-deps: still cannot connect as postgres@127.0.0.1 without a password" >&2
        exit 1
    }
fi
