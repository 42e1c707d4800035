"""The project on warehouses it did not create: no input ever becomes SQL, values that must not be
scored are quarantined, `dbt build` passes on any raw tables that meet the input contract (typed,
plain text, optional columns missing, empty), custom columns need nothing but the vars, and a
raw column retyped between runs is noticed."""

from __future__ import annotations

import csv
import json
import re

import duckdb
import pytest
import yaml

from conftest import AS_OF, MODELS_ONLY, PROJECT_DIR, WITH_UNIT_TESTS, copy_project, query, run_cli, run_dbt

NASTY = {
    "quote": "x'y",
    "statement": "x'; drop table raw.leads; --",
    "hyphen": "a-b",
    "space": "a b",
    "long": "a" * 10_000,
}
# every var that names something or is a value rendered into SQL (score_as_of has its own hook,
# and event_types takes any text as a value: tested below)
SCALAR_VARS = ["raw_schema", "events_loaded_at_column", "min_plausible_timestamp", "sync_score_step",
               "account_engaged_min_score", "backtest_horizon_days", "close_rate_min_support",
               "close_rate_window_days", "calibration_max_points", "calibration_method", "rebuild_history",
               "schema_prefix", "routing_fallback_team", "sla_lookback_days", "trigger_max_event_age_days",
               "events_freshness_warn_hours", "events_freshness_error_hours"]
LIST_VARS = ["lead_attribute_columns", "lead_numeric_attribute_columns", "sync_extra_columns",
             "predictive_excluded_columns", "feature_windows_days"]


def raw_fingerprint(db_path) -> dict:
    """Every raw table's columns, row count and a checksum of its rows."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'raw' order by 1").fetchall()]
        return {t: (con.execute(f"select column_name, data_type from information_schema.columns where "
                                f"table_schema = 'raw' and table_name = '{t}' order by ordinal_position").fetchall(),
                    con.execute(f"select count(*), sum(hash(t)) from raw.{t} as t").fetchone())
                for t in tables}
    finally:
        con.close()


def execute(db_path, *statements):
    con = duckdb.connect(str(db_path))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def reconciled(db_path) -> list:
    """Tables of staging_reconciliation whose raw rows are not staged + quarantined + superseded."""
    return query(db_path, "select source_table from main.staging_reconciliation "
                          "where raw_rows <> staged_rows + quarantined_rows + superseded_rows")


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """300 generated leads (bad rows included), not built."""
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    run_cli(["generate", "--leads", "300", "--seed", "3", "--bad-rate", "0.02", "--as-of", AS_OF], path)
    return path


@pytest.fixture()
def fresh_db(small_db, tmp_path):
    """A copy of small_db to change."""
    path = tmp_path / "db" / small_db.name
    path.parent.mkdir()
    path.write_bytes(small_db.read_bytes())
    return path


@pytest.mark.parametrize("kind", sorted(NASTY))
def test_no_var_value_becomes_sql(kind, fresh_db, tmp_path):
    """Every var set to a quote, a statement, a hyphen, a space or 10,000 characters at once: one
    refusal line per var, before any node runs, and the raw tables untouched."""
    before = raw_fingerprint(fresh_db)
    value = NASTY[kind]
    names = SCALAR_VARS + LIST_VARS
    # 10,000 characters in every var at once would pass the 128 KiB a single argument may have
    batches = [names[i:i + 7] for i in range(0, len(names), 7)] if kind == "long" else [names]
    for batch in batches:
        variables = {name: [value] if name in LIST_VARS else value for name in batch}
        result = run_cli(["build", "--as-of", AS_OF, "--vars", json.dumps(variables)], fresh_db, check=False,
                         target_dir=tmp_path / "target")
        assert result.returncode == 2, result.stdout[-2000:]
        errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        assert "Traceback" not in result.stdout + result.stderr
        for name in batch:
            [line] = [e for e in errors if e.startswith(f"error: var {name} ")]
            assert "Fix: set it (in dbt_project.yml or --vars) to " in line and len(line) < 400
        assert "START sql" not in result.stdout and "START seed" not in result.stdout  # no node ran
    assert raw_fingerprint(fresh_db) == before


def test_score_as_of_and_runner_options_refuse_what_they_cannot_read(fresh_db, tmp_path):
    """The runner refuses each value in one line before dbt starts; plain dbt's on-run-start hook
    refuses a bad score_as_of before any node runs."""
    before = raw_fingerprint(fresh_db)
    for value in NASTY.values():
        for args in (["build", "--vars", json.dumps({"score_as_of": value})], ["build", "--as-of", value],
                     ["export", "--out", str(tmp_path / "x.csv"), "--since", value],
                     ["calibrate", "--as-of", AS_OF, "--model", value], ["train", "--as-of", AS_OF, "--model", value],
                     ["backfill", "--from", value, "--to", AS_OF], ["train", "--as-of", AS_OF, "--every", value]):
            result = run_cli(args, fresh_db, check=False, target_dir=tmp_path / "target")
            out = result.stdout + result.stderr
            assert result.returncode == 2 and "Traceback" not in out, (args[0], value[:20], out[-1500:])
            assert [line for line in result.stderr.splitlines() if line.startswith("error: ")], out[-1500:]
            assert "Running with dbt" not in out  # refused before dbt started
    plain = run_dbt(["build", "--vars", json.dumps({"score_as_of": NASTY["statement"]})], fresh_db, check=False,
                    target_dir=tmp_path / "target")
    assert plain.returncode == 2 and "var score_as_of = 'x'; drop table raw.leads; --' is not a UTC timestamp" \
        in plain.stdout and "START sql" not in plain.stdout
    assert raw_fingerprint(fresh_db) == before


def test_event_types_are_values_and_export_paths_are_data(fresh_db, tmp_path):
    """Event types may hold any text: it is compared as a quoted value and named as a column by its
    letters and digits. An export path or name with a statement in it is a file name and a key."""
    odd = "o'brien; drop table raw.leads; --"
    execute(fresh_db, f"""insert into raw.events select 'odd-1', 'L00000001', '{odd.replace("'", "''")}', null,
                          timestamp '{AS_OF}' - interval 1 day, timestamp '{AS_OF}' - interval 1 day""")
    before = raw_fingerprint(fresh_db)
    vocabulary = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["event_types"]
    run_cli(["build", "--as-of", AS_OF, *MODELS_ONLY, "--vars", json.dumps({"event_types": [*vocabulary, odd]})],
            fresh_db, target_dir=tmp_path / "target")
    columns = [r[0] for r in query(fresh_db, "select column_name from information_schema.columns where "
                                             "table_name = 'lead_features_custom' order by ordinal_position")]
    assert columns == ["lead_id", *[f"{t}_{d}d" for t in [*vocabulary, "o_brien_drop_table_raw_leads"]
                                    for d in (7, 30, 90)], "features_as_of"]
    assert query(fresh_db, "select lead_id, o_brien_drop_table_raw_leads_7d from main.lead_features_custom "
                           "where o_brien_drop_table_raw_leads_7d > 0") == [("L00000001", 1)]
    assert query(fresh_db, "select sum(page_view_7d) from main.lead_features_custom")[0][0] > 0

    out = tmp_path / "x.csv' (format csv); drop table raw.leads; --.csv"
    result = run_cli(["export", "--out", str(out), "--name", odd], fresh_db, target_dir=tmp_path / "target")
    assert out.is_file() and "exported" in result.stdout
    assert query(fresh_db, "select export_name from exports.sync_watermarks") == [(odd,)]
    plain = tmp_path / "o'brien.csv"
    run_cli(["export", "--out", str(plain), "--since", "2000-01-01"], fresh_db, target_dir=tmp_path / "target")
    with plain.open(newline="") as f:
        assert len(list(csv.DictReader(f))) == query(fresh_db, "select count(*) from main.lead_score_sync")[0][0]
    assert raw_fingerprint(fresh_db) == before


def test_seed_text_is_data(fresh_db, tmp_path):
    """A model named with a quote and a statement, and a 10,000-character description: built and
    stored as written, also when a changed event rule makes the state rebuild that model alone."""
    project = copy_project(tmp_path / "project")
    name = "o'brien; drop table raw.leads; --"
    long_description = "It's; drop table raw.leads; --" + "x" * 10_000
    seeds = project / "seeds"

    def edit(seed, change):
        with (seeds / seed).open(newline="") as f:
            reader = csv.DictReader(f)
            header, rows = reader.fieldnames, list(reader)
        rows = change(rows)
        with (seeds / seed).open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    # the same name in upper case: its wide sync columns need a prefix of their own
    twin = name.upper()
    for seed in ("scoring_models.csv", "scoring_rules.csv", "scoring_groups.csv", "score_thresholds.csv",
                 "scoring_conditions.csv"):
        edit(seed, lambda rows: rows + [dict(r, model=m) for m in (name, twin) for r in rows if r["model"] == "b2b_default"])
    edit("scoring_rules.csv", lambda rows: [dict(r, description=long_description) if r["rule_id"] == "fit_country_target"
                                            and r["model"] == name else r for r in rows])
    before = raw_fingerprint(fresh_db)
    run_cli(["build", "--as-of", AS_OF, *MODELS_ONLY], fresh_db, project_dir=project, target_dir=tmp_path / "t")
    assert query(fresh_db, "select count(*) from main.lead_scores where model = ?", [name])[0][0] == \
        query(fresh_db, "select count(*) from main.lead_scores where model = 'b2b_default'")[0][0] > 0
    assert query(fresh_db, "select description from intermediate.int_scoring_rules where model = ? "
                           "and rule_id = 'fit_country_target'", [name]) == [(long_description,)]
    # the wide sync view names the model's columns by a prefix of safe characters only
    prefix = re.sub("[^a-z0-9_]", "_", name.lower())[:40]
    assert query(fresh_db, f'select count("{prefix}__total_score") from main.lead_score_sync_wide') == \
        query(fresh_db, "select count(*) from main.lead_score_sync where model = ?", [name])
    # its upper-case twin, the same prefix once lower-cased, got one with _2 after it
    assert query(fresh_db, f'select count("{prefix}_2__total_score") from main.lead_score_sync_wide') == \
        query(fresh_db, "select count(*) from main.lead_score_sync where model = ?", [twin])
    # a changed event rule of that model: the event state rebuilds it alone (its name in SQL, quoted)
    edit("scoring_rules.csv", lambda rows: [dict(r, points="7") if r["model"] == name and r["rule_id"] == "eng_pricing_page"
                                            else r for r in rows])
    result = run_cli(["build", "--as-of", "2026-07-01", *MODELS_ONLY], fresh_db, project_dir=project,
                     target_dir=tmp_path / "t")
    assert f"int_event_rule_state: rebuilding models {name}, because their event rules changed" in result.stdout
    assert raw_fingerprint(fresh_db) == before


def test_values_that_must_not_be_scored_are_quarantined(fresh_db, tmp_path):
    """NaN, infinities and 1e400 in typed and text numbers, and times with offsets in text and typed
    timestamptz columns: quarantined with a reason, or converted to UTC."""
    execute(
        fresh_db,
        "alter table raw.leads alter employees type double using try_cast(employees as double)",
        "update raw.leads set employees = 'NaN' where lead_id = 'L00000001'",
        "update raw.leads set employees = 'inf' where lead_id = 'L00000002'",
        "update raw.leads set annual_revenue = '1e400' where lead_id = 'L00000003'",
        "update raw.leads set annual_revenue = '-inf' where lead_id = 'L00000004'",
        "update raw.conversions set deal_value = 'Infinity' where lead_id = (select min(lead_id) from raw.conversions "
        "where lead_id like 'L%')",
        "update raw.leads set created_at = '2026-01-01 10:00:00+02:00' where lead_id = 'L00000010'",
        "update raw.leads set created_at = '2026-01-01 10:00:00-05:00' where lead_id = 'L00000011'",
        "update raw.leads set created_at = '2026-01-01T10:00:00Z' where lead_id = 'L00000012'",
        "alter table raw.events alter occurred_at type timestamptz using occurred_at",
        "insert into raw.events select 'tz-1', 'L00000010', 'page_view', null, "
        "timestamptz '2026-06-01 10:00:00+02:00', timestamp '2026-06-02'",
    )
    run_cli(["build", "--as-of", AS_OF], fresh_db, target_dir=tmp_path / "target")
    assert query(fresh_db, "select lead_id, quarantine_reason from main.quarantined_leads where lead_id in "
                           "('L00000001', 'L00000002', 'L00000003', 'L00000004') order by 1") == [
        ("L00000001", "unparseable_employees"), ("L00000002", "unparseable_employees"),
        ("L00000003", "unparseable_annual_revenue"), ("L00000004", "unparseable_annual_revenue")]
    assert query(fresh_db, "select count(*) from main.quarantined_conversions "
                           "where deal_value = 'Infinity' and quarantine_reason = 'unparseable_deal_value'") == [(1,)]
    assert [str(r[0]) for r in query(fresh_db, "select created_at from staging.stg_raw__leads where lead_id in "
                                               "('L00000010', 'L00000011', 'L00000012') order by lead_id")] == [
        "2026-01-01 08:00:00", "2026-01-01 15:00:00", "2026-01-01 10:00:00"]
    assert [str(r[0]) for r in query(fresh_db, "select occurred_at from staging.stg_raw__events where event_id = 'tz-1'")] \
        == ["2026-06-01 08:00:00"]
    assert not reconciled(fresh_db)


def test_an_empty_warehouse_builds_and_fails_validation(fresh_db, tmp_path):
    execute(fresh_db, "delete from raw.leads", "delete from raw.events", "delete from raw.conversions")
    run_cli(["build", "--as-of", AS_OF], fresh_db, target_dir=tmp_path / "target")
    result = run_cli(["validate"], fresh_db, check=False, target_dir=tmp_path / "target")
    assert result.returncode == 1
    assert "FAILED: lead_scores: expected there are leads to score" in result.stdout


def test_a_retyped_raw_column_restages_the_events(fresh_db, tmp_path):
    run_cli(["build", "--as-of", AS_OF, *MODELS_ONLY], fresh_db, target_dir=tmp_path / "target")
    execute(fresh_db, "alter table raw.events alter occurred_at type bigint using epoch(occurred_at)")
    result = run_cli(["build", "--as-of", AS_OF, *MODELS_ONLY], fresh_db, target_dir=tmp_path / "target")
    assert ("base_raw__events: full rebuild, because the columns of raw.events changed since the last build "
            "(occurred_at timestamp -> bigint)") in result.stdout
    staged, quarantined = query(fresh_db, "select count(*) filter (where quarantine_reason is null), "
                                          "count(*) filter (where quarantine_reason = 'unparseable_occurred_at') "
                                          "from staging.base_raw__events")[0]
    assert staged == 0 and quarantined > 0  # epoch seconds are not a time the contract accepts
    assert not reconciled(fresh_db)


RAW_SHAPES = {
    # all text, with columns the contract does not know
    "text": ["alter table raw.events alter occurred_at type varchar", "alter table raw.events alter loaded_at type varchar",
             "alter table raw.leads add column utm_campaign varchar default 'spring'",
             "alter table raw.events add column payload varchar default '{}'"],
    # typed: integers, doubles, timestamps, timestamps with time zone
    "typed": ["alter table raw.leads alter employees type integer using try_cast(employees as integer)",
              "alter table raw.leads alter annual_revenue type double using try_cast(annual_revenue as double)",
              "alter table raw.leads alter created_at type timestamp using try_cast(created_at as timestamp)",
              "alter table raw.leads alter updated_at type timestamptz using try_cast(updated_at as timestamp)",
              "alter table raw.events alter occurred_at type timestamptz using occurred_at",
              "alter table raw.conversions alter converted_at type timestamp using try_cast(converted_at as timestamp)",
              "alter table raw.conversions alter deal_value type double using try_cast(deal_value as double)"],
    # no load-time column (var events_loaded_at_column ''), no event_detail
    "no_optional_columns": ["alter table raw.events drop column loaded_at",
                            "alter table raw.events drop column event_detail"],
    "empty": ["delete from raw.leads", "delete from raw.events", "delete from raw.conversions"],
}


@pytest.mark.parametrize("shape", sorted(RAW_SHAPES))
def test_plain_dbt_build_passes_on_raw_tables_of_any_contract_shape(shape, fresh_db, tmp_path):
    """dbt itself, unit tests included: a user's raw tables never decide whether the project's own
    tests pass."""
    execute(fresh_db, *RAW_SHAPES[shape])
    args = ["build"]
    if shape == "no_optional_columns":
        args += ["--vars", "{events_loaded_at_column: ''}"]
    result = run_dbt(args, fresh_db, check=False, target_dir=tmp_path / "target",
                     env={"LEAD_SCORING_AS_OF": AS_OF, **WITH_UNIT_TESTS})
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert {r["status"] for r in results} <= {"success", "pass", "no-op"}  # no-op: the exposures
    assert sum(r["unique_id"].startswith("unit_test.") for r in results) >= 20
    assert not reconciled(fresh_db)


def test_custom_columns_need_only_the_vars(fresh_db, tmp_path):
    """Two text and two numeric custom columns named in vars alone: the build (tests included) is
    green, the contracted marts keep their columns, the values are in lead_features_custom."""
    execute(fresh_db,
            "alter table raw.leads add column plan_interest varchar default 'Enterprise'",
            "alter table raw.leads add column persona_note varchar default 'churned before'",
            "alter table raw.leads add column seats integer default 12",
            "alter table raw.leads add column arr varchar default '1000.5'")
    variables = {"lead_attribute_columns": ["plan_interest", "persona_note"],
                 "lead_numeric_attribute_columns": ["seats", "arr"]}
    run_cli(["build", "--as-of", AS_OF, "--vars", json.dumps(variables)], fresh_db, target_dir=tmp_path / "target")
    leads = query(fresh_db, "select count(*) from main.lead_features")[0][0]
    assert query(fresh_db, "select count(*), min(plan_interest), min(persona_note), min(seats), min(arr) "
                           "from main.lead_features_custom") == [(leads, "Enterprise", "churned before", 12.0, 1000.5)]
    custom = {"plan_interest", "persona_note", "seats", "arr"}
    for mart in ("lead_features", "quarantined_leads"):
        columns = {r[0] for r in query(fresh_db, "select column_name from information_schema.columns "
                                                 "where table_schema = 'main' and table_name = ?", [mart])}
        assert columns and not columns & custom
