"""The leadscore command: each command, each exit code, the user-error messages, and validation
catching deliberately corrupted marts."""

import contextlib
import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess

import duckdb
import pytest

from conftest import AS_OF, PROJECT_DIR, PYTHON, run_cli, run_dbt

from leadscore import dbt, timeutil
from leadscore.errors import UsageError


@pytest.mark.parametrize("command", ["generate", "build", "validate", "run", "calibrate", "train", "report"])
def test_every_command_has_help(command, tmp_path):
    result = run_cli([command, "--help"], tmp_path / "x.duckdb")
    assert "usage: leadscore" in result.stdout and "--" in result.stdout


def test_run_generates_builds_validates_and_reports(tmp_path):
    db_path = tmp_path / "run.duckdb"
    result = run_cli(["run", "--leads", "800", "--top", "3"], db_path, target_dir=tmp_path / "target")
    out = result.stdout
    assert "no raw data in run.duckdb: generating a demo dataset (800 leads)" in out
    # a build as of now measures the sources' freshness first, and validate reads dbt's result
    assert "freshness: raw.events pass (newest load " in out
    assert "build summary" in out and "validation: 34 expectations, 0 failed" in out
    assert "== b2b_default: top 3 leads ==" in out and "band counts: " in out and "matrix cells: " in out
    summary = json.loads((tmp_path / "target" / "run_summary.json").read_text())
    assert summary["exit_code"] == 0 and summary["generated_demo_data"] is True
    assert summary["validation"]["success"] is True
    con = duckdb.connect(str(db_path), read_only=True)
    n_scores = con.execute("select count(*) from main.lead_scores").fetchone()[0]
    con.close()
    assert summary["row_counts"]["lead_scores"] == n_scores > 0
    # the calibration analyses (tag calibration) are on demand, not part of the daily build
    assert summary["row_counts"]["score_backtest"] is None and summary["row_counts"]["attribute_close_rates"] is None
    assert summary["row_counts"]["lead_conversion_probability"] == summary["row_counts"]["lead_features"]
    # a view is computed when read: listed, not counted
    assert "lead_score_reasons" in summary["views_not_counted"] and "lead_score_reasons" not in summary["row_counts"]
    # exposures and saved queries (the semantic layer's) are listed by dbt build as no-op nodes
    statuses = {n["status"] for n in summary["build"]["nodes"] if n["resource_type"] not in ("exposure", "saved_query")}
    assert statuses <= {"success", "pass"} and len(summary["build"]["nodes"]) > 100
    report = json.loads((tmp_path / "target" / "validation_result.json").read_text())
    assert [f["source"] for f in report["freshness"]] == ["raw.events"]
    assert {r["table"] for r in report["results"]} >= {"lead_scores", "source_freshness", "score_drift", "mql_share"}
    # a second run keeps the raw data it finds
    again = run_cli(["run", "--top", "1"], db_path, target_dir=tmp_path / "target")
    assert "generating a demo dataset" not in again.stdout


def test_build_with_the_ingest_selector_runs_the_event_side_only(tmp_path):
    db_path = tmp_path / "ingest.duckdb"
    run_cli(["generate", "--leads", "200", "--as-of", "2026-06-30"], db_path)
    run_cli(["build", "--selector", "ingest", "--as-of", "2026-06-30"], db_path, target_dir=tmp_path / "target")
    nodes = json.loads((tmp_path / "target" / "run_summary.json").read_text())["build"]["nodes"]
    built = {n["name"] for n in nodes if n["resource_type"] == "model"}
    assert {"base_raw__events", "int_event_rule_state", "int_lead_event_state"} <= built
    assert not {"base_raw__leads", "int_lead_scores", "lead_scores"} & built
    assert {n["status"] for n in nodes} <= {"success", "pass"} and any(n["resource_type"] == "test" for n in nodes)
    # dbt would ignore --select next to --selector: the runner refuses the pair
    both = run_cli(["build", "--selector", "ingest", "--select", "lead_scores"], db_path, check=False)
    assert both.returncode == 2
    assert "error: --selector cannot be combined with --select, --exclude or --calibration" in both.stderr
    # a plain dbt user is stopped too, by the on-run-start hook, before any node runs
    target = tmp_path / "target_dbt"
    plain = run_dbt(["build", "--selector", "ingest", "--exclude", "resource_type:test"], db_path, check=False,
                    target_dir=target)
    assert plain.returncode == 2, plain.stdout[-3000:]
    assert ("dbt ignores --exclude resource_type:test next to --selector ingest and would run the whole selector. "
            "Fix: use either --selector or --select/--exclude; to leave the tests out, add --exclude-resource-type "
            "test unit_test, which dbt honours next to --selector") in plain.stdout, plain.stdout[-3000:]
    assert " START " not in plain.stdout and not (target / "run_results.json").exists()
    # --exclude-resource-type is honoured next to it: the same models, no test
    run_cli(["build", "--selector", "ingest", "--exclude-resource-type", "test", "unit_test", "--as-of", "2026-06-30"],
            db_path, target_dir=tmp_path / "target")
    untested = json.loads((tmp_path / "target" / "run_summary.json").read_text())["build"]["nodes"]
    assert {n["name"] for n in untested if n["resource_type"] == "model"} == built
    assert {n["resource_type"] for n in untested} == {"model", "seed", "operation"}  # operation: on-run-start


def test_unknown_target_and_missing_profile_are_usage_errors(tmp_path):
    result = run_cli(["build", "--target", "nowhere"], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: unknown target 'nowhere'") and "Traceback" not in result.stderr
    result = run_cli(["build", "--profiles-dir", str(tmp_path)], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2 and "error: no profiles.yml in" in result.stderr


def test_a_target_resolved_ahead_in_another_process_is_the_same_target_and_the_same_error(monkeypatch, tmp_path):
    # validate and train resolve the profile in a forked process while they import GX or
    # scikit-learn (Project.resolve_target_ahead): the result, and the mistake, are the ones the
    # command would have met in its own process
    monkeypatch.setenv("LEAD_SCORING_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    memory = {"memory_limit": "1GB", "block_allocator_memory": "512MB"}
    for setting, value in memory.items():
        monkeypatch.setenv(f"LEAD_SCORING_DUCKDB_{setting.upper()}", value)
    ahead = dbt.Project(str(PROJECT_DIR))
    ahead.resolve_target_ahead()
    assert ahead.resolved_target is None  # not yet collected
    expected = dbt.Target("duckdb", "duckdb", tmp_path / "w.duckdb", memory)
    assert ahead.target == expected == dbt.Project(str(PROJECT_DIR)).target
    wrong = dbt.Project(str(PROJECT_DIR), "nowhere")
    wrong.resolve_target_ahead()
    with pytest.raises(UsageError, match="^unknown target 'nowhere': .* defines duckdb, spark$"):
        wrong.target


def test_bad_vars_are_a_usage_error(tmp_path):
    result = run_cli(["build", "--vars", "score_as_of: [1"], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2 and result.stderr.startswith("error: --vars is not valid YAML: ")
    assert len(result.stderr.strip().splitlines()) == 1
    result = run_cli(["build", "--vars", "7"], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2 and "error: --vars must be a mapping" in result.stderr


@pytest.mark.parametrize("text, expected", [
    ("2026-06-30", "2026-06-30 00:00:00"),
    ("2026-06-30 12:05", "2026-06-30 12:05:00"),
    ("2026-06-30T12:05:09Z", "2026-06-30 12:05:09"),
    ("2026-06-30 12:05:09+00:00", "2026-06-30 12:05:09"),
])
def test_as_of_grammar_is_the_one_dbt_accepts(text, expected):
    # the same forms as macros/config/score_as_of.sql; every command's time options go through it
    assert timeutil.parse_utc_time(text, "--as-of").strftime("%Y-%m-%d %H:%M:%S") == expected


@pytest.mark.parametrize("command, text", [
    (["build", "--as-of"], "2026-06-30 12:00+02:00"),  # fromisoformat took it, then dropped the offset
    (["build", "--as-of"], "2026-06-30 12:00:00.5"),
    (["build", "--as-of"], "2026-02-30"),
    (["generate", "--leads", "10", "--as-of"], "2026-06-30 12:00+02:00"),
    (["backfill", "--from", "2026-06-01", "--to"], "2026-06-03T00:00-05:00"),
])
def test_times_outside_the_grammar_are_usage_errors(command, text, tmp_path):
    result = run_cli([*command, text], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{command[-1]} '{text}' is not a UTC time: use YYYY-MM-DD[ HH:MM[:SS]]" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_unreadable_seed_is_a_usage_error_naming_the_line(project_copy, tmp_path):
    with open(project_copy / "seeds" / "scoring_groups.csv", "a") as f:
        f.write("b2b_default,extra,10,a description, with a comma\n")
    result = run_cli(["build"], tmp_path / "x.duckdb", project_dir=project_copy, check=False)
    assert result.returncode == 2
    lines = sum(1 for _ in open(project_copy / "seeds" / "scoring_groups.csv"))
    assert f"error: seeds/scoring_groups.csv line {lines}: 5 fields, the header has 4" in result.stderr


def test_invalid_seed_values_are_a_usage_error(project_copy, tmp_path):
    path = project_copy / "seeds" / "scoring_models.csv"
    rows = list(csv.reader(open(path)))
    rows[1][5] = "sixty"
    csv.writer(open(path, "w", newline="")).writerows(rows)
    result = run_cli(["build", "--select", "+int_scoring_rules", "--exclude", "resource_type:test"],
                     tmp_path / "x.duckdb", project_dir=project_copy, check=False)
    assert result.returncode == 2
    assert "mql_threshold is not a number from 0 to 100" in result.stdout
    assert "error: the project configuration has problems" in result.stderr


def test_broken_model_is_a_build_failure(project_copy, tmp_path):
    db_path = tmp_path / "x.duckdb"
    run_cli(["generate", "--leads", "100", "--as-of", AS_OF], db_path, project_dir=project_copy)
    (project_copy / "models" / "marts" / "scoring" / "lead_features.sql").write_text("select no_such_column from nowhere")
    result = run_cli(["build", "--as-of", AS_OF], db_path, project_dir=project_copy, check=False,
                     target_dir=tmp_path / "target")
    assert result.returncode == 3
    assert "ERROR: model.lead_scoring.lead_features" in result.stdout
    summary = json.loads((tmp_path / "target" / "run_summary.json").read_text())
    assert summary["exit_code"] == 3
    failed = [n for n in summary["build"]["nodes"] if n["status"] == "error"]
    assert [n["name"] for n in failed] == ["lead_features"]


def test_validate_before_build_is_a_usage_error(tmp_path):
    result = run_cli(["validate"], tmp_path / "missing.duckdb", check=False)
    assert result.returncode == 2
    assert "error: no DuckDB file at " in result.stderr and "run `leadscore build`" in result.stderr


@pytest.fixture()
def corrupted_db(built_db, tmp_path):
    path = tmp_path / "copy" / built_db.name
    (path.parent / "target").mkdir(parents=True)
    shutil.copy(built_db, path)
    # the manifest of its build, beside it as beside built_db (see built_target)
    shutil.copy(built_db.parent / "target" / "manifest.json", path.parent / "target" / "manifest.json")
    return path


def built_target(db_path, target):
    """A new target folder holding the manifest of db_path's build (in target/ beside it), as a
    build leaves it: validate reads relation names from it instead of parsing the project first
    (which tests of a fresh folder check)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(db_path.parent / "target" / "manifest.json", target / "manifest.json")
    return target


def validate(db_path, tmp_path):
    return run_cli(["validate"], db_path, check=False, target_dir=built_target(db_path, tmp_path / "target"))


def test_validation_passes_on_a_clean_build(corrupted_db, tmp_path):
    result = validate(corrupted_db, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "0 failed" in result.stdout


def test_validation_catches_a_score_of_150(corrupted_db, tmp_path):
    con = duckdb.connect(str(corrupted_db))
    lead = con.execute("select lead_id from main.lead_scores where model = 'b2b_default' order by lead_id limit 1").fetchone()[0]
    con.execute("update main.lead_scores set total_score = 150 where lead_id = ? and model = 'b2b_default'", [lead])
    con.close()
    result = validate(corrupted_db, tmp_path)
    assert result.returncode == 1
    assert (f"FAILED: lead_scores: expected total_score lies between 0 and 100 (1 rows, e.g. lead_id={lead}, "
            f"model=b2b_default, total_score=150.0)") in result.stdout
    report = json.loads((tmp_path / "target" / "validation_result.json").read_text())
    assert report["success"] is False
    assert {(r["table"], r["expectation"]) for r in report["results"] if not r["success"]} >= {
        ("lead_scores", "expect_column_values_to_be_between")}


def test_validation_catches_a_probability_above_one(corrupted_db, tmp_path):
    con = duckdb.connect(str(corrupted_db))
    lead = con.execute("select min(lead_id) from main.lead_conversion_probability").fetchone()[0]
    con.execute("update main.lead_conversion_probability set conversion_probability = 1.5 where lead_id = ?", [lead])
    con.close()
    result = validate(corrupted_db, tmp_path)
    assert result.returncode == 1
    assert ("FAILED: lead_conversion_probability: expected conversion_probability lies between 0 and 1 (1 rows, "
            f"e.g. lead_id={lead}") in result.stdout


def test_validation_catches_a_duplicate_key(corrupted_db, tmp_path):
    con = duckdb.connect(str(corrupted_db))
    lead = con.execute("select min(lead_id) from main.lead_scores").fetchone()[0]
    con.execute("insert into main.lead_scores select * from main.lead_scores where lead_id = ? and model = 'b2b_default'",
                [lead])
    con.close()
    result = validate(corrupted_db, tmp_path)
    assert result.returncode == 1
    assert f"FAILED: lead_scores: expected there is one row per (lead_id, model) (2 rows, e.g. lead_id={lead}" in result.stdout


def test_validation_catches_reasons_that_do_not_add_up(corrupted_db, tmp_path):
    con = duckdb.connect(str(corrupted_db))
    lead, model, rule = con.execute("""select lead_id, model, rule_id from main.lead_score_reasons
                                        where dimension = 'fit' and reason_type = 'rule' and source = 'attribute'
                                        order by lead_id, model, rule_id limit 1""").fetchone()
    # lead_score_reasons is a view: its rule rows are the stored attribute matches
    con.execute("update intermediate.int_attribute_rule_matches set contribution = contribution + 1 "
                "where lead_id = ? and model = ? and rule_id = ?",
                [lead, model, rule])
    con.close()
    result = validate(corrupted_db, tmp_path)
    assert result.returncode == 1
    assert (f"FAILED: lead_score_reasons_sums: expected lead_score_reasons add up exactly to fit_points "
            f"(1 rows, e.g. lead_id={lead}, model={model}, fit_difference=-1.0)") in result.stdout


def test_quarantine_share_warns_then_fails(corrupted_db, tmp_path):
    con = duckdb.connect(str(corrupted_db), read_only=True)
    share = con.execute("select max(quarantine_share) from main.staging_reconciliation").fetchone()[0]
    con.close()
    warn = run_cli(["validate", "--quarantine-warn", str(share / 2)], corrupted_db, check=False,
                   target_dir=built_target(corrupted_db, tmp_path / "t1"))
    assert warn.returncode == 0 and "WARNING: staging_reconciliation: expected at most" in warn.stdout
    fail = run_cli(["validate", "--quarantine-fail", str(share / 2)], corrupted_db, check=False,
                   target_dir=built_target(corrupted_db, tmp_path / "t2"))
    assert fail.returncode == 1 and "FAILED: staging_reconciliation: expected at most" in fail.stdout


def test_mql_share_outside_bounds_fails(corrupted_db, tmp_path):
    result = run_cli(["validate", "--mql-share-max", "0.0001"], corrupted_db, check=False,
                     target_dir=built_target(corrupted_db, tmp_path / "t"))
    assert result.returncode == 1
    assert "FAILED: mql_share: expected each model qualifies between 0.1% and 0.0% of leads" in result.stdout


def test_benchmark_prints_its_figures(tmp_path):
    """The benchmark is a script that prints figures; here only its shape is checked, never a time."""
    result = subprocess.run([PYTHON, str(PROJECT_DIR / "benchmarks" / "benchmark.py"), "--leads", "300",
                             "--days", "2", "--pairs", "1", "--db", str(tmp_path / "bench.duckdb")],
                            capture_output=True, text=True,
                            env=dict(os.environ, DBT_TARGET_PATH=str(tmp_path / "target")))
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["leads"] == 300 and figures["events"] > 0
    assert figures["new_events"] == int(figures["events"] * 0.01)
    for phase in ("generate", "full_build", "incremental_run", "floor"):
        assert figures[phase]["seconds"] > 0 and figures[phase]["peak_rss_gib"] > 0
    for phase in ("full_build", "incremental_run"):
        slowest = figures[phase]["slowest_models"]
        assert 0 < len(slowest) <= 8 and all(seconds >= 0 for seconds in slowest.values())
        assert list(slowest.values()) == sorted(slowest.values(), reverse=True)
    assert figures["generate"]["slowest_models"] == {}, "generate runs no dbt nodes"
    # --days 2: a second daily run after its own new events; the floor is computed at its as-of
    [later] = figures["later_runs"]
    assert later["as_of"] == "2026-07-02 00:00:00" and figures["incremental_run"]["as_of"] == "2026-07-01 00:00:00"
    assert later["new_events"] >= figures["new_events"] and later["seconds"] > 0
    # a third day split in two: the event side alone, then the build that scores every lead
    split = figures["split_run"]
    assert split["as_of"] == "2026-07-03 00:00:00" and split["new_events"] >= later["new_events"]
    ingest, scoring = split["ingest"], split["scoring_after_ingest"]
    assert ingest["seconds"] > 0 and scoring["seconds"] > 0
    # (its slowest nodes: no lead restaged or scored)
    assert ingest["slowest_models"] and "base_raw__leads" not in ingest["slowest_models"]
    assert not any(name.startswith(("lead_", "int_lead_score")) for name in ingest["slowest_models"])
    assert figures["validate"]["seconds"] > 0 and figures["validate"]["peak_rss_gib"] > 0
    # the hand-written floor statement is an independent implementation: it must agree exactly
    assert figures["floor"]["rows"] == figures["floor"]["lead_scores_rows"] > 0
    assert figures["floor"]["mismatched_rows"] == 0, figures["floor"]
    # so must the scoring floor, which reads the stored event state instead of the staged events
    scoring_floor = figures["scoring_floor"]
    assert scoring_floor["rows"] == scoring_floor["lead_scores_rows"] == figures["floor"]["rows"]
    assert scoring_floor["mismatched_rows"] == 0, scoring_floor
    assert scoring_floor["seconds"] > 0 and scoring_floor["share_of_full_build"] > 0
    # the scoring build's node seconds: int_lead_scores and what it reads, and every other node
    by_output = scoring["node_seconds"]
    assert by_output["scores"]["nodes"] > 30 and by_output["other_outputs"]["nodes"] > 0
    assert by_output["scores"]["seconds"] > 0 and by_output["other_outputs"]["seconds"] > 0
    assert scoring_floor["scores_nodes_ratio"] == round(by_output["scores"]["seconds"] / scoring_floor["seconds"], 2)
    assert scoring_floor["publishing_day_ratio"] == round(
        (ingest["seconds"] + scoring["seconds"]) / scoring_floor["seconds"], 2)
    # the full build's node seconds split the same way, its score nodes against the floor
    full_nodes = figures["full_build"]["node_seconds"]
    assert full_nodes["scores"]["nodes"] > 30 and full_nodes["other_outputs"]["nodes"] > 0
    assert full_nodes["scores"]["seconds"] + full_nodes["other_outputs"]["seconds"] <= figures["full_build"]["seconds"]
    assert figures["floor"]["scores_nodes_ratio"] == round(full_nodes["scores"]["seconds"] / figures["floor"]["seconds"], 2)
    # --pairs 1: one more full build and floor, on a fresh copy of the generated data at --as-of
    [pair] = figures["full_build_pairs"]["runs"]
    assert figures["full_build_pairs"]["as_of"] == "2026-06-30 00:00:00"
    assert pair["ratio"] == round(pair["full_build_seconds"] / pair["floor_seconds"], 2)
    assert pair["ratio"] > 0
    assert figures["full_build_pairs"]["median_ratio"] == pair["ratio"]
    assert 0 < pair["scores_nodes_seconds"] < pair["full_build_seconds"]
    assert pair["scores_nodes_ratio"] == round(pair["scores_nodes_seconds"] / pair["floor_seconds"], 2)
    assert figures["full_build_pairs"]["median_scores_nodes_ratio"] == pair["scores_nodes_ratio"]
    assert not (tmp_path / "bench-generated.duckdb").exists()
    # each phase's seconds per million generated events, the figure compared across scales
    per_million = figures["seconds_per_million_events"]
    assert per_million["full_build"] == round(figures["full_build"]["seconds"] / (figures["events"] / 1e6), 2)
    assert per_million["ingest"] == round(ingest["seconds"] / (figures["events"] / 1e6), 2)
    assert set(per_million) == {"full_build", "daily_run", "ingest", "scoring_after_ingest", "validate",
                                "floor", "scoring_floor"} and all(v > 0 for v in per_million.values())


def test_benchmark_puts_the_scales_side_by_side(tmp_path):
    """With several --leads the benchmark runs each scale on its own file and lists each phase's
    seconds per million events by scale (the runs are replaced here by figures made up for it)."""
    spec = importlib.util.spec_from_file_location("benchmark", PROJECT_DIR / "benchmarks" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert benchmark.scale_db(str(tmp_path / "b.duckdb"), 300, 1) == tmp_path / "b.duckdb"
    assert benchmark.scale_db(str(tmp_path / "b.duckdb"), 300, 2) == tmp_path / "b-300.duckdb"
    runs = {}

    def run_scale(args, leads, db_path):
        runs[leads] = db_path
        result = {"leads": leads, "events": leads * 50, "full_build": {"seconds": leads / 1000},
                  "incremental_run": {"seconds": 2.0},
                  "split_run": {"ingest": {"seconds": 1.0}, "scoring_after_ingest": {"seconds": 1.5}},
                  "validate": {"seconds": 0.5}, "floor": {"seconds": leads / 4000},
                  "scoring_floor": {"seconds": 0.25}}
        result["seconds_per_million_events"] = benchmark.seconds_per_million_events(result)
        return result

    benchmark.run_scale = run_scale
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert benchmark.main(["--leads", "20000", "40000", "--db", str(tmp_path / "b.duckdb")]) == 0
    figures = json.loads(out.getvalue())
    assert runs == {20000: tmp_path / "b-20000.duckdb", 40000: tmp_path / "b-40000.duckdb"}
    assert [scale["leads"] for scale in figures["scales"]] == [20000, 40000]
    growth = figures["seconds_per_million_events"]
    # 1,000,000 and 2,000,000 events: a linear phase stays flat, a fixed cost halves
    assert growth["full_build"] == {"20000": 20.0, "40000": 20.0}
    assert growth["floor"] == {"20000": 5.0, "40000": 5.0}
    assert growth["daily_run"] == {"20000": 2.0, "40000": 1.0}
    assert growth["ingest"] == {"20000": 1.0, "40000": 0.5}
