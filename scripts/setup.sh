#!/usr/bin/env bash
# Creates .venv (if missing) and installs the pinned requirements into it.
# Idempotent: a second run only checks that the pins are satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# The public-dataset proof reads Caravan.csv (CoIL 2000) from the ISLP package; its own
# dependencies (torch among them, several GB) are not needed for a CSV, hence --no-deps.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps ISLP==0.6.0
echo "setup: .venv ready ($(.venv/bin/dbt --version 2>/dev/null | sed -n 's/.*installed: *//p' | head -1 | tr -d ' ') dbt-core)"
