"""The runner works on the warehouse the user's dbt profile points at, and point-in-time work
(report --as-of, calibrate, train, backfill) never moves production outputs: after all of them,
every production mart, the sync table and the export watermark are as they were (backfill adds
its history rows, by design), and the next plain build and export behave as if they had not run.
Also: an orchestrator's split run (three dbt invocations) equals one dbt build."""

from __future__ import annotations

from conftest import MODELS_ONLY, PROJECT_DIR, copy_project, query, run_cli, run_dbt, table_checksums

T1 = "2026-06-30 00:00:00"
T2 = "2026-07-01 00:00:00"
PROFILE = """lead_scoring:
  target: prod
  outputs:
    prod:
      type: duckdb
      path: "{{ env_var('MY_WAREHOUSE') }}"
      threads: 2
      schema: main
      settings:
        TimeZone: UTC
"""


def checksums(db_path, schemas=("main",), skip_columns=()) -> dict:
    return {name: value["md5"] for name, value in table_checksums(db_path, schemas, skip_columns).items()}


def duckdb_files(*folders) -> set:
    return {p for folder in folders for p in folder.rglob("*.duckdb")}


def test_commands_use_the_profile_and_analyses_leave_production_alone(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(PROFILE)
    warehouse = tmp_path / "warehouse" / "scores.duckdb"
    warehouse.parent.mkdir()
    decoy = tmp_path / "decoy" / "lead_scoring.duckdb"  # what LEAD_SCORING_DUCKDB_PATH says: never opened
    # a copy of the project: train writes its weights into the project's seeds
    project = copy_project(tmp_path / "project")
    env = {"MY_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(profiles)}
    before_files = duckdb_files(PROJECT_DIR, tmp_path)
    target = tmp_path / "target"

    def cli(*args, check=True, warehouse_path=warehouse):
        return run_cli(list(args), decoy, project_dir=project, check=check, target_dir=target,
                       env={**env, "MY_WAREHOUSE": str(warehouse_path)})

    cli("generate", "--leads", "1500", "--seed", "2", "--as-of", T1)
    cli("build", "--as-of", T1, *MODELS_ONLY)  # models only: scripts/test.sh runs the data tests
    validated = cli("validate")
    assert "Warning" not in validated.stderr and "Skipping" not in validated.stdout  # no third-party noise
    cli("export", "--out", str(tmp_path / "first.csv"))
    control = tmp_path / "control" / warehouse.name
    control.parent.mkdir()
    control.write_bytes(warehouse.read_bytes())
    production = checksums(warehouse, ("main", "exports"))
    assert "main.lead_scores" in production and "exports.sync_watermarks" in production

    report = cli("report", "--as-of", "2026-03-31", "--out", str(tmp_path / "report.html"))
    assert (tmp_path / "report.html").is_file(), report.stdout[-2000:]
    cli("calibrate", "--as-of", "2025-12-31", "--out-dir", str(tmp_path / "calibration"))
    trained = cli("train", "--as-of", "2026-03-31", "--train-as-ofs", "1", "--out-dir", str(tmp_path / "card"))
    assert "FutureWarning" not in trained.stderr and "held-out ROC AUC" in trained.stdout
    assert checksums(warehouse, ("main", "exports")) == production
    # the analyses built in their own schemas
    analysis = {r[0] for r in query(warehouse, "select distinct table_schema from information_schema.tables")}
    assert {"analysis_main", "analysis_staging", "analysis_intermediate"} <= analysis

    # the next day behaves as if no analysis had run (the control warehouse never saw one)
    for path in (warehouse, control):
        cli("build", "--as-of", T2, *MODELS_ONLY, warehouse_path=path)
    exported = {}
    for path in (warehouse, control):
        out = tmp_path / f"{path.parent.name}.csv"
        cli("export", "--out", str(out), warehouse_path=path)
        exported[path] = sorted(line.split(",", 1)[0] for line in out.read_text().splitlines()[1:])
    assert exported[warehouse] == exported[control] and exported[warehouse]
    skip = ("updated_at", "processed_at", "first_processed_at", "generation", "lead_actions.created_at")
    ours, theirs = (checksums(p, ("main", "exports"), skip + ("watermark", "exported_at", "file"))
                    for p in (warehouse, control))
    assert ours == theirs

    # backfill writes history (and the lifecycle events drawn from it) and nothing else
    production = checksums(warehouse, ("main", "exports"))
    cli("backfill", "--from", "2026-05-01", "--to", "2026-05-08", "--every", "7d")
    after_backfill = checksums(warehouse, ("main", "exports"))
    changed = {name for name in production if after_backfill[name] != production[name]}
    assert changed == {"main.lead_score_history", "main.lead_lifecycle_events"}
    as_ofs = [str(r[0]) for r in query(warehouse, "select distinct scored_at from main.lead_score_history order by 1")]
    assert as_ofs == ["2026-05-01 00:00:00", "2026-05-08 00:00:00", T1, T2]

    assert not decoy.exists() and duckdb_files(PROJECT_DIR, tmp_path) - before_files == {warehouse, control}


def test_a_run_split_in_three_invocations_equals_one_build(tmp_path):
    """Orchestrators (Airflow with Cosmos, Dagster) build one model or group per task: the same day
    built as three dbt invocations sharing LEAD_SCORING_AS_OF equals one dbt build, and stays
    incremental (lifecycle events appended, not rebuilt)."""
    project = copy_project(tmp_path / "project")
    one = tmp_path / "one" / "lead_scoring.duckdb"
    one.parent.mkdir()
    run_cli(["generate", "--leads", "600", "--seed", "4", "--as-of", T2], one, project_dir=project)
    run_cli(["build", "--as-of", T1, *MODELS_ONLY], one, project_dir=project, target_dir=tmp_path / "t1")
    split = tmp_path / "split" / one.name
    split.parent.mkdir()
    split.write_bytes(one.read_bytes())

    day = {"LEAD_SCORING_AS_OF": T2}
    run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], one, project_dir=project,
            target_dir=tmp_path / "t1", env=day)
    logs = []
    # the event side; everything up to the history summary; the rest of the daily build (the
    # lifecycle events among it, in another invocation than the summary they advance from)
    for selection in (["--selector", "ingest"], ["--select", "+int_lead_history_summary", "--exclude", "tag:ingest"],
                      ["--select", "fqn:*", "--exclude", "+int_lead_history_summary", "tag:calibration"]):
        result = run_dbt(["build", *selection, "--exclude-resource-type", "test", "unit_test"], split,
                         project_dir=project, target_dir=tmp_path / "t2", env=day)
        logs.append(result.stdout)
    assert "lead_lifecycle_events: full rebuild" not in logs[2]
    skip = ("updated_at", "processed_at", "first_processed_at", "generation", "lead_actions.created_at")
    assert checksums(split, ("main",), skip) == checksums(one, ("main",), skip)
    # without the shared as-of, a part of a run is refused before it scores anything
    refused = run_dbt(["build", "--select", "int_lead_scores"], split, project_dir=project, check=False,
                      target_dir=tmp_path / "t2")
    assert refused.returncode == 2 and "with no as-of, so its models that score as of T (int_lead_scores)" \
        in refused.stdout and "START sql" not in refused.stdout
