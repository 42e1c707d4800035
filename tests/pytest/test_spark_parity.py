"""The same fixture built on DuckDB and on Spark gives the same marts: identical keys, labels and
flags, numbers within 0.01. Marked `spark` (slow: a local Spark starts several times)."""

import json
import subprocess

import duckdb
import pytest

from conftest import (AS_OF, MODELS_ONLY, PROJECT_DIR, PYTHON, WITH_UNIT_TESTS, add_example_trees, copy_project,
                      edit_csv, run_cli, run_dbt, run_in_project)

pytestmark = pytest.mark.spark

MARTS = {
    "lead_scores": ["lead_id", "model"],
    "lead_score_reasons": ["lead_id", "model", "rule_id"],
    "lead_features": ["lead_id"],
    "lead_conversion_probability": ["lead_id", "model"],
    "backtest_features": ["lead_id"],
    "staging_reconciliation": ["source_table"],
    "lead_score_history": ["lead_id", "model", "scored_at"],
    "account_scores": ["account_id", "model"],
    "lead_score_sync": ["lead_id", "model"],
    "lead_score_sync_wide": ["lead_id"],
    "lead_lifecycle_events": ["lead_id", "model", "event_type", "occurred_at"],
    "score_backtest": ["model"],
    "score_calibration": ["model", "group_kind", "group_value"],
    "rule_close_rates": ["model", "rule_id"],
    "attribute_close_rates": ["signal_kind", "field", "signal_value"],
    # no key: compared as multisets of rows
    "quarantined_leads": None,
    "quarantined_events": None,
    "quarantined_conversions": None,
    "quarantined_sales_activities": None,
    "quarantined_sales_outcomes": None,
    "quarantined_owners": None,
    "lead_stages": ["lead_id", "model"],
    "lead_assignments": ["lead_id", "model"],
    "mql_sla": ["lead_id", "model", "mql_at"],
    "mql_sla_daily": ["mql_date", "model", "team", "owner_id"],
    "lead_actions": ["action_id"],
}
# dbt's built-in generic tests: run on DuckDB only (see both_builds)
DBT_BUILTIN_TESTS = ("not_null", "unique", "accepted_values", "relationships")
# when each engine's run started, not a result
RUN_STAMPS = {"updated_at", "lead_actions.created_at"}
FIRST_AS_OF = "2026-06-20 00:00:00"
INGEST_AS_OF = "2026-06-25 00:00:00"
# its export child writes Spark tables to Parquet, its parity() compares lead_scores
SPARK_BENCHMARK = PROJECT_DIR / "benchmarks" / "spark_benchmark.py"
RAW_TABLES = ("leads", "events", "conversions", "sales_activities", "sales_outcomes", "owners")
NUMERIC = ("DOUBLE", "FLOAT", "DECIMAL", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT", "TINYINT")


def load_raw_on_spark(db_path, raw_dir, project, target_dir, tables=RAW_TABLES):
    """Copies DuckDB's raw tables (or those named) to Spark's through Parquet files."""
    raw_dir.mkdir(exist_ok=True)
    con = duckdb.connect(str(db_path))
    for table in tables:
        con.execute(f"copy raw.{table} to '{raw_dir}/{table}.parquet' (format parquet, overwrite)")
    con.close()
    run_dbt(["run-operation", "load_raw_from_parquet", "--target", "spark", "--args",
             "{directory: '" + str(raw_dir) + "', tables: [" + ", ".join(tables) + "]}"],
            db_path, project_dir=project, target_dir=target_dir)


def add_rules_language_cases(seeds):
    """What the default seeds do not use, so that Spark runs it too: a segment, a rule scored only
    where a condition set holds, a windowed rule counted once a day, and boosted trees."""
    add_example_trees(seeds)
    edit_csv(seeds / "scoring_conditions.csv", lambda rows: rows.append(dict(
        model="self_serve_trial", condition_set="trial_users", match="all", source="event", field="trial_started",
        operator="count_gte", value="1", window_days="60", description="started a trial in the last 60 days")))
    edit_csv(seeds / "scoring_models.csv", lambda rows: next(
        row for row in rows if row["model"] == "self_serve_trial").update(segment="trial_users"))
    edit_csv(seeds / "scoring_rules.csv", lambda rows: rows.extend([
        dict(model="b2b_default", rule_id="eng_click_decision_maker", dimension="engagement", source="event",
             field="email_click", points="3", max_points="9", only_if="decision_maker_at_midmarket_plus",
             disqualify="false", description="A decision maker clicked an email"),
        dict(model="self_serve_trial", rule_id="eng_pricing_daily", dimension="engagement", source="event",
             field="page_view", operator="equals", value="pricing", points="4", max_points="12", window_days="21",
             once_per_days="1", disqualify="false", description="Pricing page, once a day in 21 days")]))


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory):
    """Two runs on each engine: a first build as of FIRST_AS_OF with the events loaded by then, then
    the later events arrive, the event side alone folds them in as of INGEST_AS_OF, and an
    incremental run as of AS_OF advances from there (on Spark the state models advance as
    state_table models), so history, lifecycle events, the sync's change detection (with two
    columns added to it) and the incremental state are compared too. Before the second run one
    event rule of b2b_default gets other points: both engines rebuild that model's rule state
    alone (on Spark, which cannot delete, by leaving its stored rows out) and advance the others."""
    work = tmp_path_factory.mktemp("parity")
    project = copy_project(work / "project")
    add_rules_language_cases(project / "seeds")
    db_path = work / "duck.duckdb"
    run_cli(["generate", "--leads", "400", "--seed", "5", "--bad-rate", "0.03", "--as-of", AS_OF], db_path,
            project_dir=project)
    con = duckdb.connect(str(db_path))
    con.execute(f"create table raw.later_events as select * from raw.events where loaded_at > timestamp '{FIRST_AS_OF}'")
    con.execute(f"delete from raw.events where loaded_at > timestamp '{FIRST_AS_OF}'")
    con.close()
    # the first run builds what the second one reads back (state, history, sync), models only
    first = ["build", "--as-of", FIRST_AS_OF, "--select", "+lead_score_sync +lead_lifecycle_events",
             *MODELS_ONLY]
    run_cli(first, db_path, project_dir=project, target_dir=work / "target_duck")
    load_raw_on_spark(db_path, work / "raw", project, work / "target_spark")
    run_cli([*first, "--target", "spark"], db_path, project_dir=project, target_dir=work / "target_spark")

    con = duckdb.connect(str(db_path))
    con.execute("insert into raw.events select * from raw.later_events")
    con.execute("drop table raw.later_events")
    con.close()
    load_raw_on_spark(db_path, work / "raw", project, work / "target_spark", tables=("events",))
    # the event side alone in between (selector ingest), at an as-of before the second run's
    ingest = ["build", "--as-of", INGEST_AS_OF, "--selector", "ingest", *MODELS_ONLY]
    run_cli(ingest, db_path, project_dir=project, target_dir=work / "target_duck")
    ingested = run_cli([*ingest, "--target", "spark"], db_path, project_dir=project, target_dir=work / "target_spark")
    assert "full rebuild" not in ingested.stdout, ingested.stdout[-3000:]
    # the same seed files and checks as the first run: the seed checks' table is kept, not computed
    kept = "int_scoring_config_errors: kept, stored from the same seed files and checks"
    assert kept in ingested.stdout, ingested.stdout[-3000:]
    # the second run also sends two lead columns more (var sync_extra_columns grown on a synced table)
    grown = ["--vars", "{sync_extra_columns: [company, employees]}"]
    # and scores one event rule of b2b_default with other points, which changes the model's config_hash
    edit_csv(project / "seeds" / "scoring_rules.csv", lambda rows: next(
        row for row in rows if row["rule_id"] == "eng_click_decision_maker").update(points="4"))
    rebuilt = "int_event_rule_state: rebuilding models b2b_default, because their event rules changed"
    duck = run_cli(["build", "--as-of", AS_OF, "--calibration", *grown], db_path, project_dir=project,
                   target_dir=work / "target_duck")
    assert rebuilt in duck.stdout, duck.stdout[-3000:]
    # dbt's own generic tests (140 of them, see docs/spark.md) are left to the DuckDB build: the
    # comparison below checks every mart against it. The project's own tests (its generic test
    # macros, the singular tests) and every unit test also run on Spark, for the SQL they render.
    second = run_cli(["build", "--target", "spark", "--as-of", AS_OF, "--calibration", *grown,
                      "--exclude", " ".join(f"test_name:{name}" for name in DBT_BUILTIN_TESTS)],
                     db_path, project_dir=project, target_dir=work / "target_spark", env=WITH_UNIT_TESTS)
    # the second Spark run advanced its state instead of rebuilding it, b2b_default's rule state aside;
    # it checked the edited points table again
    assert "full rebuild" not in second.stdout and rebuilt in second.stdout, second.stdout[-3000:]
    assert kept not in second.stdout, second.stdout[-3000:]
    # what ran on Spark: every unit test and the project's own data tests, none of dbt's built-ins
    manifest = json.loads((work / "target_spark" / "manifest.json").read_text())["nodes"]
    ran = [n["unique_id"] for n in json.loads((work / "target_spark" / "run_results.json").read_text())["results"]]
    kinds = [(manifest[i].get("test_metadata") or {}).get("name", "singular") for i in ran if i.startswith("test.")]
    assert any(i.startswith("unit_test.") for i in ran) and "expression_is_true" in kinds and "singular" in kinds, kinds
    assert not set(kinds) & set(DBT_BUILTIN_TESTS), kinds
    spark_dir = work / "spark_out"
    run_in_project([PYTHON, str(SPARK_BENCHMARK), "--export-child", str(spark_dir), *[f"main.{m}" for m in MARTS]],
                   "export of the Spark marts", db_path, project, True, work / "target_spark", None)
    return db_path, spark_dir


def test_spark_builds_the_same_marts_as_duckdb(both_builds):
    db_path, spark_dir = both_builds
    con = duckdb.connect(str(db_path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    problems = []
    for mart, keys in MARTS.items():
        columns = con.execute(f"select column_name, data_type from information_schema.columns "
                              f"where table_schema = 'main' and table_name = '{mart}' order by ordinal_position").fetchall()
        spark = f"read_parquet('{spark_dir}/{mart}.parquet/*.parquet')"
        duck_n = con.execute(f"select count(*) from main.{mart}").fetchone()[0]
        spark_n = con.execute(f"select count(*) from {spark}").fetchone()[0]
        if duck_n != spark_n:
            problems.append(f"{mart}: {duck_n} rows on DuckDB, {spark_n} on Spark")
            continue
        assert duck_n > 0, mart
        if keys is None:
            cols = ", ".join(f"cast({c} as varchar)" for c, _ in columns)
            diff = con.execute(f"select count(*) from ((select {cols} from main.{mart} except all select {cols} from {spark}) "
                               f"union all (select {cols} from {spark} except all select {cols} from main.{mart}))").fetchone()[0]
            if diff:
                problems.append(f"{mart}: {diff} rows differ")
            continue
        on = " and ".join(f"d.{k} = s.{k}" for k in keys)
        unmatched = con.execute(f"select count(*) from main.{mart} d left join {spark} s on {on} "
                                f"where s.{keys[0]} is null").fetchone()[0]
        if unmatched:
            problems.append(f"{mart}: {unmatched} keys only on DuckDB")
        for column, data_type in columns:
            if column in keys or column in RUN_STAMPS or f"{mart}.{column}" in RUN_STAMPS:
                continue
            if data_type.startswith(NUMERIC):
                condition = f"not (abs(cast(d.{column} as double) - cast(s.{column} as double)) <= 0.01 " \
                            f"or (d.{column} is null and s.{column} is null))"
            elif data_type.startswith("TIMESTAMP"):
                condition = f"cast(d.{column} as timestamp) is distinct from cast(s.{column} as timestamp)"
            else:
                condition = f"cast(d.{column} as varchar) is distinct from cast(s.{column} as varchar)"
            bad = con.execute(f"select count(*), min(d.{keys[0]}) from main.{mart} d join {spark} s on {on} "
                              f"where {condition}").fetchone()
            if bad[0]:
                problems.append(f"{mart}.{column}: {bad[0]} rows differ (e.g. {keys[0]}={bad[1]})")
    con.close()
    assert not problems, "\n".join(problems)


def test_spark_advances_state_and_syncs_the_same_changes(both_builds):
    """The second Spark run kept the stored state rows it did not replace (state_rows), and its
    sync moved updated_at on exactly the rows whose synced fields changed on DuckDB too - not on
    every row, as a sync table rebuilt from scratch would."""
    db_path, spark_dir = both_builds
    compiled = db_path.parent / "target_spark" / "compiled" / "lead_scoring" / "models"
    for model in ("staging/raw/base_raw__events", "intermediate/event_state/int_event_rule_state",
                  "intermediate/event_state/int_lead_event_state", "marts/history/lead_lifecycle_events",
                  "marts/history/lead_score_sync"):
        assert " as stored" in (compiled / f"{model}.sql").read_text(), model
    con = duckdb.connect(str(db_path), read_only=True)
    changed = {}
    for engine, relation in (("duckdb", "main.lead_score_sync"),
                             ("spark", f"read_parquet('{spark_dir}/lead_score_sync.parquet/*.parquet')")):
        rows = con.execute(f"select lead_id, model, updated_at = max(updated_at) over () from {relation}").fetchall()
        changed[engine] = {(lead_id, model) for lead_id, model, latest in rows if latest}
        assert 0 < len(changed[engine]) < len(rows), (engine, len(changed[engine]), len(rows))
    con.close()
    assert changed["duckdb"] == changed["spark"]


def test_spark_benchmark_compares_lead_scores_row_by_row(both_builds, tmp_path):
    """The Spark benchmark's parity(), on this fixture's lead_scores from both engines: every row
    matched, then a copy of Spark's with one lead's total score moved by 0.01 and one row left out."""
    db_path, spark_dir = both_builds
    changed = tmp_path / "lead_scores.parquet"
    changed.mkdir()
    con = duckdb.connect()
    spark = f"read_parquet('{spark_dir}/lead_scores.parquet/*.parquet')"
    first, last = con.execute(f"select min(lead_id), max(lead_id) from {spark}").fetchone()
    models = con.execute(f"select count(*) from {spark} where lead_id = ?", [first]).fetchone()[0]
    con.execute(f"copy (select * replace (case when lead_id = '{first}' then total_score + 0.01 else total_score end "
                f"as total_score) from {spark} where not (lead_id = '{last}' and model = 'b2b_default')) "
                f"to '{changed}/part-0.parquet' (format parquet)")
    con.close()
    compare = ("import json, sys; from pathlib import Path; import spark_benchmark; "
               "print(json.dumps([spark_benchmark.parity(Path(sys.argv[1]), Path(d)) for d in sys.argv[2:]]))")
    result = subprocess.run([PYTHON, "-c", compare, str(db_path), str(spark_dir), str(tmp_path)],
                            capture_output=True, text=True, cwd=SPARK_BENCHMARK.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    same, differs = json.loads(result.stdout)
    assert same["duckdb_rows"] == same["spark_rows"] > 0, same
    assert same["rows_on_one_side_only"] == same["rows_that_differ"] == 0 and same["max_abs_diff_total_score"] < 1e-6
    assert differs["spark_rows"] == same["spark_rows"] - 1 and differs["rows_on_one_side_only"] == 1, differs
    assert differs["rows_that_differ"] == models and abs(differs["max_abs_diff_total_score"] - 0.01) < 1e-9, differs


def test_spark_refuses_config_errors_stored_from_other_seeds(both_builds):
    """On Spark int_scoring_config_errors is a table: a dbt user who reloads an edited seed and
    builds only a model downstream of it must not be checked against the table of the old seeds
    (it would find nothing, and the bad points would be cast to null). That a table stamped from
    today's seeds passes, the builds of both_builds show; that a rebuilt table names the bad value,
    test_config_errors (the same model as a view). Run last: it edits the fixture's points table."""
    db_path, _ = both_builds
    project, target = db_path.parent / "project", db_path.parent / "target_spark"
    rules = project / "seeds" / "scoring_rules.csv"
    rules.write_text(rules.read_text().replace(",fit,role,attribute,seniority,in,c_level|vp|owner|founder,,25,",
                                               ",fit,role,attribute,seniority,in,c_level|vp|owner|founder,,ten,", 1))
    as_of = {"LEAD_SCORING_AS_OF": AS_OF}
    stale = run_dbt(["build", "--target", "spark", "--select", "scoring_rules int_scoring_rules", *MODELS_ONLY],
                    db_path, project_dir=project, check=False, target_dir=target, env=as_of)
    assert stale.returncode == 1, stale.stdout[-3000:]
    assert ("int_scoring_config_errors was built from other seed files than those in seeds/ now, so its checks "
            "may be stale. Fix: build it again before int_scoring_rules") in stale.stdout, stale.stdout[-3000:]


def test_spark_benchmark_prints_its_figures(tmp_path):
    """The Spark benchmark builds the same generated data on both engines, then a day of new events
    on both and a full refresh on Spark: here at a tiny scale and on the staging models only (the
    parity fixture builds everything on Spark; the test above checks its comparison of
    lead_scores, which this selection does not build), only its shape is checked, never a time."""
    result = subprocess.run([PYTHON, str(SPARK_BENCHMARK), "--leads", "300",
                             "--work", str(tmp_path / "work"), "--shuffle-partitions", "2",
                             "--select", "+staging_reconciliation", "--days", "1"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["leads"] == 300 and figures["events"] > 0
    assert figures["spark_settings"]["spark.sql.shuffle.partitions"] == 2
    assert figures["select"] == "+staging_reconciliation"
    for phase in ("generate", "duckdb_build", "spark_load_raw", "spark_build"):
        assert figures[phase]["seconds"] > 0 and figures[phase]["peak_rss_gib"] > 0, phase
    day, = figures["daily_runs"]
    assert day["as_of"] == "2026-07-01 00:00:00" and day["new_events"] == int(figures["events"] * 0.01) > 0, day
    assert day["spark_load_events"]["seconds"] > 0
    builds = [figures["duckdb_build"], figures["spark_build"], day["duckdb_build"], day["spark_build"],
              figures["spark_full_refresh_at_last_day"]]
    for build in builds:
        slowest = build["slowest_models"]
        assert build["seconds"] > 0 and build["peak_rss_gib"] > 0
        assert 0 < len(slowest) <= 8 and list(slowest.values()) == sorted(slowest.values(), reverse=True)
        assert all(name.startswith(("base_raw__", "stg_raw__", "quarantined_", "staging_")) for name in slowest), slowest
    # the daily Spark run advanced the stored events instead of staging them all again, as the
    # full refresh after it did
    day_log = (tmp_path / "work" / "spark_day1.log").read_text(errors="replace")
    assert "base_raw__events" in day_log and "full rebuild" not in day_log, day_log[-3000:]
    assert figures["parity"] is None  # lead_scores was not built
    # Spark's metastore and tables stay in the work folder's copy of the project
    assert (tmp_path / "work" / "project" / "metastore_db").is_dir()
