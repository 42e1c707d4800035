#!/usr/bin/env bash
# Sets up .venv and runs every test: dbt build (seeds, models, data tests and unit tests) on a
# freshly generated dataset, sqlfluff lint, dbt-score, and pytest. Uses its own DuckDB file, never
# lead_scoring.duckdb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# The report test opens the HTML report in headless Chromium: Debian's chromium and chromedriver
# (a test tool's own browser download cannot reach its servers here).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "== installing chromium and chromedriver (Debian packages)"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi
export LEADSCORE_REQUIRE_BROWSER=1
# the test datasets are small: two models at a time hides dbt's per-model overhead (at scale one at
# a time is faster, the profile's default; see README Benchmark)
export LEAD_SCORING_THREADS="${LEAD_SCORING_THREADS:-2}"
# shellcheck disable=SC1091
. .venv/bin/activate

work=$(mktemp -d)
spark_pid=""
# a failing step stops the Spark test too before its folder goes
trap 'if [ -n "$spark_pid" ]; then kill "$spark_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
export DBT_PROFILES_DIR="$PWD"
export LEAD_SCORING_DUCKDB_PATH="$work/test.duckdb"
as_of="2026-06-30 00:00:00"

# The Spark parity test (marker spark) is the longest single test and shares no files with the
# rest: it runs in a second pytest from here on, beside the build, the linters and the other
# tests (much of its time is Spark's fixed cost per query, which overlaps well on 2 cores).
# Its output is printed at the end.
python -m pytest tests/pytest -m spark -q -p no:cacheprovider --durations=3 --basetemp "$work/pytest_spark" > "$work/spark_pytest.log" 2>&1 &
spark_pid=$!

echo "== generate a small dataset and dbt build (data tests and unit tests included)"
leadscore generate --leads 2000 --seed 11 --bad-rate 0.02 --as-of "$as_of"
leadscore build --as-of "$as_of" --calibration

echo "== sqlfluff lint (macro bodies are linted inside the models that render them)"
sqlfluff lint models macros tests/assert_*.sql --disable-progress-bar 2>&1 | grep -v "because it is a macro"

echo "== dbt-score (descriptions, owners, tests on every model; fails under 10.0)"
python -m dbt_score lint --run-dbt-parse

echo "== pytest"
status=0
# two workers, a test file each at a time, the longest first (module fixtures are built once per
# file; the files that share the session's built warehouse together: conftest.py)
python -m pytest tests/pytest -m "not spark" -q -p no:cacheprovider --durations=12 --basetemp "$work/pytest" \
    -n 2 --dist loadgroup --no-loadscope-reorder || status=$?
spark_status=0
wait "$spark_pid" || spark_status=$?
echo "== pytest -m spark"
cat "$work/spark_pytest.log"
[ "$status" -eq 0 ] && [ "$spark_status" -eq 0 ]
