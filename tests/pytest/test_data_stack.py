"""How the project fits the tools around it: slim CI against production's manifest, source
freshness, the semantic layer and the orchestration examples."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import AS_OF, MODELS_ONLY, PROJECT_DIR, PYTHON, edit_csv, query, run_cli, run_dbt, run_in_project


def dbt_ls(args, db_path, project, target_dir):
    result = run_dbt(["ls", "--quiet", "--resource-type", "model", "--output", "name", *args], db_path,
                     project_dir=project, target_dir=target_dir)
    return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())


def test_slim_ci_on_another_file_selects_only_what_a_seed_edit_changes(project_copy, tmp_path):
    """Production's manifest is written against its warehouse file and CI compiles against
    another: relation names must not carry the file's name, or every source (and every model
    downstream of one) counts as modified."""
    production = tmp_path / "production_state"
    run_dbt(["parse"], tmp_path / "production.duckdb", project_dir=project_copy, target_dir=production)
    ci_db, ci_target = tmp_path / "ci_run.duckdb", tmp_path / "ci_target"
    assert dbt_ls(["--select", "state:modified+", "--state", str(production)], ci_db, project_copy, ci_target) == []

    edit_csv(project_copy / "seeds" / "email_domains.csv", lambda rows: rows[0].update(note="free mail"))
    modified = dbt_ls(["--select", "state:modified+", "--state", str(production)], ci_db, project_copy, ci_target)
    descendants = dbt_ls(["--select", "email_domains+"], ci_db, project_copy, ci_target)
    everything = dbt_ls([], ci_db, project_copy, ci_target)
    assert modified == descendants, set(modified) ^ set(descendants)
    assert "int_email_domain_types" in modified and len(modified) < len(everything)
    # a model the seed does not feed stays out
    assert "stg_raw__conversions" not in modified
    shutil.rmtree(ci_target)


def test_validate_reads_the_freshness_dbt_measured_and_the_drift_since_the_previous_run(tmp_path):
    """A build as of now runs `dbt source freshness`; validate fails on a source past its
    error_after (read from dbt's sources.json, not recomputed) and warns when a model's scores
    moved more than allowed since the previous run in lead_score_history."""
    db_path, target = tmp_path / "fresh.duckdb", tmp_path / "target"
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    today = now.strftime("%Y-%m-%d")
    run_cli(["generate", "--leads", "300", "--seed", "5", "--as-of", today], db_path)
    # the newest load is 5 hours old
    con = duckdb.connect(str(db_path))
    con.execute("delete from raw.events where loaded_at > ?", [now - dt.timedelta(hours=5)])
    newest = con.execute("select max(loaded_at) from raw.events").fetchone()[0]
    con.close()
    week_ago = (now - dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S")
    run_cli(["build", "--as-of", week_ago, *MODELS_ONLY], db_path, target_dir=target)
    assert not (target / "sources.json").exists()  # a past as-of measures no freshness
    stale = json.dumps({"events_freshness_warn_hours": 1, "events_freshness_error_hours": 2})
    built = run_cli(["build", "--vars", stale, *MODELS_ONLY], db_path, target_dir=target)
    assert "freshness: raw.events error (newest load " in built.stdout

    result = run_cli(["validate", "--drift-max-points", "0"], db_path, target_dir=target, check=False)
    assert result.returncode == 1, result.stdout
    hours = json.loads((target / "sources.json").read_text())["results"][0]["max_loaded_at_time_ago_in_s"] / 3600
    assert hours == pytest.approx((now - newest).total_seconds() / 3600, abs=0.5)
    assert (f"FAILED: source_freshness: expected every source is fresher than its error_after (dbt source freshness) "
            f"(1 rows, e.g. source=raw.events, status=error, newest_load_hours_ago={round(hours, 2)}, level=2)") in result.stdout
    report = json.loads((target / "validation_result.json").read_text())
    drift = {r["metric"]: r for r in report["results"] if r["table"] == "score_drift"}
    expected = query(db_path, """
        with runs as (select model, scored_at, avg(total_score) as mean_score,
                             row_number() over (partition by model order by scored_at desc) as recency
                      from main.lead_score_history group by model, scored_at)
        select model, round(abs(max(case when recency = 1 then mean_score end)
                                - max(case when recency = 2 then mean_score end)), 6)
        from runs group by model having count(*) = 2 order by model""")
    assert len(expected) >= 2 and all(change > 0 for _, change in expected)
    # every model moved, so every model is a warning row; decay alone moves the scores in a week
    assert drift["mean_total_score_change"]["success"] is False
    assert drift["mean_total_score_change"]["unexpected_count"] == len(expected)
    assert "WARNING: score_drift: expected each model's mean total_score moved at most 0 points" in result.stdout
    assert drift["mql_share_change"]["severity"] == "warning"


def test_a_lead_that_leaves_is_synced_once_as_deleted_and_the_wide_view_follows(tmp_path):
    """lead_score_sync flags a (lead, model) no longer scored with deleted = true once, at the run
    that found it gone; lead_score_sync_wide has one row per lead with a column set per model."""
    db_path, target = tmp_path / "sync.duckdb", tmp_path / "target"
    run_cli(["generate", "--leads", "200", "--seed", "11", "--bad-rate", "0", "--as-of", "2026-06-30"], db_path)
    run_cli(["build", "--as-of", "2026-06-28", *MODELS_ONLY], db_path, target_dir=target)
    gone = query(db_path, "select min(lead_id) from main.lead_scores")[0][0]
    models = [m for (m,) in query(db_path, "select distinct model from main.lead_scores order by 1")]
    con = duckdb.connect(str(db_path))
    con.execute("delete from raw.leads where lead_id = ?", [gone])
    con.close()
    run_cli(["build", "--as-of", "2026-06-29", *MODELS_ONLY], db_path, target_dir=target)
    deleted = query(db_path, "select model, deleted, updated_at, total_score from main.lead_score_sync "
                             "where lead_id = ? order by model", [gone])
    assert [(m, d) for m, d, _, _ in deleted] == [(m, True) for m in models]
    second_run = deleted[0][2]
    assert all(updated == second_run for _, _, updated, _ in deleted)
    assert query(db_path, "select count(*) from main.lead_score_sync where deleted and lead_id <> ?", [gone]) == [(0,)]
    run_cli(["build", "--as-of", "2026-06-30", *MODELS_ONLY], db_path, target_dir=target)
    # sent once: the third run leaves the deleted rows as they were
    assert query(db_path, "select model, deleted, updated_at, total_score from main.lead_score_sync where lead_id = ? "
                          "order by model", [gone]) == deleted

    wide = duckdb.connect(str(db_path), read_only=True)
    try:
        columns = [r[0] for r in wide.execute("describe main.lead_score_sync_wide").fetchall()]
        assert columns[0] == "lead_id" and columns[-2:] == ["deleted", "updated_at"]
        assert {f"{m}__total_score" for m in models} | {f"{m}__top_reasons" for m in models} <= set(columns)
        n_leads, n_rows = wide.execute("select count(distinct lead_id), count(*) from main.lead_score_sync").fetchone()
        assert wide.execute("select count(*) from main.lead_score_sync_wide").fetchone()[0] == n_leads < n_rows
        row = wide.execute("select deleted, updated_at from main.lead_score_sync_wide where lead_id = ?", [gone]).fetchone()
        assert row == (True, second_run)
        # each model's columns are that model's row of lead_score_sync
        model = models[0]
        mismatched = wide.execute(f"""
            select count(*) from main.lead_score_sync as s
            join main.lead_score_sync_wide as w using (lead_id)
            where s.model = ? and (s.total_score is distinct from w.{model}__total_score
                or s.top_reasons is distinct from w.{model}__top_reasons
                or s.is_mql is distinct from w.{model}__is_mql)""", [model]).fetchone()[0]
        assert mismatched == 0
        assert wide.execute("select max(updated_at) from main.lead_score_sync_wide").fetchone()[0] == \
            wide.execute("select max(updated_at) from main.lead_score_sync").fetchone()[0]
    finally:
        wide.close()


def test_the_semantic_layer_answers_two_metrics_as_the_marts_do(tmp_path):
    """dbt parse produces the semantic models, metrics and saved queries; MetricFlow (dbt-metricflow
    on DuckDB) answers MQLs and the MQL rate per model, and the SLA met rate per team, exactly
    as SQL on the marts does."""
    db_path, target = tmp_path / "semantic.duckdb", tmp_path / "target"
    run_cli(["generate", "--leads", "300", "--seed", "13", "--as-of", AS_OF], db_path)
    run_cli(["build", "--as-of", AS_OF, *MODELS_ONLY], db_path, target_dir=target)
    semantic = json.loads((target / "semantic_manifest.json").read_text())
    assert {m["name"] for m in semantic["semantic_models"]} >= {
        "lead_scores", "lead_score_history", "lead_lifecycle_events", "account_scores"}
    assert {m["name"] for m in semantic["metrics"]} >= {
        "mqls", "mql_rate", "new_mqls", "average_total_score", "conversion_rate", "mql_to_customer_rate",
        "sla_met_rate"}
    assert {q["name"] for q in semantic["saved_queries"]} >= {"mqls_by_model_and_band", "new_mqls_per_day"}

    mf = str(Path(PYTHON).with_name("mf"))

    def metricflow(args, name):
        out = tmp_path / f"{name}.csv"
        run_in_project([mf, "query", *args, "--csv", str(out), "--quiet"], f"mf query {name}", db_path,
                       PROJECT_DIR, True, target, None)
        with open(out, newline="") as f:
            return list(csv.DictReader(f))

    rows = metricflow(["--metrics", "mqls,mql_rate", "--group-by", "lead_score__model"], "mqls")
    answered = {r["lead_score__model"]: (int(float(r["mqls"])), round(float(r["mql_rate"]), 9)) for r in rows}
    expected = {model: (mqls, round(rate, 9)) for model, mqls, rate in query(db_path, """
        select model, sum(case when is_mql then 1 else 0 end), avg(case when is_mql then 1.0 else 0.0 end)
        from main.lead_scores group by model""")}
    assert answered == expected and sum(m for m, _ in expected.values()) > 0

    rows = metricflow(["--saved-query", "sla_by_team"], "sla")
    answered = {(r["mql_episode__model"], r["mql_episode__team"] or None): r["sla_met_rate"] for r in rows}
    expected = query(db_path, """
        select model, team, sum(case when sla_status = 'met' then 1 else 0 end),
               sum(case when sla_status in ('met', 'breached') then 1 else 0 end)
        from main.mql_sla group by model, team""")
    assert len(answered) == len(expected) > 0
    for model, team, met, decided in expected:
        rate = answered[(model, team)]
        assert (rate in ("", None) if decided == 0 else float(rate) == pytest.approx(met / decided, abs=1e-9))


@pytest.fixture(scope="module")
def parsed_target(tmp_path_factory):
    """A target folder holding the project's manifest (dbt parse), as a deployment has it."""
    target = tmp_path_factory.mktemp("orchestration") / "target"
    run_dbt(["parse"], target.parent / "parse.duckdb", target_dir=target)
    return target


def daily_models_and_manifest(target):
    """The names of the daily selector's models (all but tag calibration), and the manifest."""
    manifest = json.loads((target / "manifest.json").read_text())
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    daily = {name for name, node in models.items() if "calibration" not in node["tags"]}
    return daily, manifest


def test_the_dagster_definitions_load_with_their_jobs_schedules_and_downstream_assets(parsed_target, tmp_path):
    """orchestration/dagster/definitions.py loads (Definitions.validate_loadable) from a parsed
    manifest: the daily job holds every model of the daily selector plus validate and export
    after the marts they read, the hourly ingest job only the event side. Nothing is run."""
    target = parsed_target
    script = f"""
import importlib.util, json, os
import dagster as dg
spec = importlib.util.spec_from_file_location("lead_defs", {str(PROJECT_DIR / 'orchestration' / 'dagster' / 'definitions.py')!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
dg.Definitions.validate_loadable(module.defs)
jobs = {{}}
for name in ("daily_scoring", "ingest"):
    layer = module.defs.resolve_job_def(name).asset_layer
    jobs[name] = sorted(k.path[-1] for k in layer.selected_asset_keys)
graph = module.defs.resolve_asset_graph()
upstream = {{name: sorted(k.path[-1] for k in graph.get(dg.AssetKey(name)).parent_keys)
            for name in ("validated_scores", "crm_export")}}
schedules = {{s.name: (s.cron_schedule, s.job_name) for s in module.defs.schedules}}
print(json.dumps({{"jobs": jobs, "upstream": upstream, "schedules": schedules}}))
"""
    result = run_in_project([PYTHON, "-c", script], "load dagster definitions", tmp_path / "dagster.duckdb",
                            PROJECT_DIR, True, target, None)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    daily, ingest = set(loaded["jobs"]["daily_scoring"]), set(loaded["jobs"]["ingest"])
    assert {"lead_scores", "lead_score_sync", "lead_actions", "validated_scores", "crm_export"} <= daily
    assert not any("backtest" in key or "close_rates" in key for key in daily)  # calibration is on demand
    assert daily_models_and_manifest(target)[0] <= daily
    assert "int_event_rule_state" in ingest and "lead_scores" not in ingest and ingest < daily
    assert set(loaded["upstream"]["validated_scores"]) >= {"lead_scores", "staging_reconciliation"}
    assert set(loaded["upstream"]["crm_export"]) == {"validated_scores", "lead_score_sync"}
    assert loaded["schedules"] == {"daily_scoring_schedule": ["0 5 * * *", "daily_scoring"],
                                   "ingest_schedule": ["15 * * * *", "ingest"]}


AIRFLOW_DAGS = PROJECT_DIR / "orchestration" / "airflow" / "lead_scoring_dags.py"


def test_the_airflow_dags_import_with_the_task_graph_of_the_manifest(parsed_target, tmp_path):
    """orchestration/airflow/lead_scoring_dags.py (astronomer-cosmos) imports from a parsed
    manifest: the daily DAG has one `dbt build` task per model of the daily selector in dbt's
    order, then validate, then export; the hourly ingest DAG only the event side, its tests
    cautious; every task's as-of renders from the run's logical date. No scheduler runs."""
    script = f"""
import datetime as dt, importlib.util, json, types
spec = importlib.util.spec_from_file_location("lead_dags", {str(AIRFLOW_DAGS)!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
out = {{}}
for dag in (module.daily, module.ingest):
    out[dag.dag_id] = {{
        "schedule": dag.timetable.expression, "max_active_tasks": dag.max_active_tasks,
        "tasks": {{t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks}},
        "flags": {{t.task_id: list(getattr(t, "dbt_cmd_flags", None) or []) for t in dag.tasks}},
        "commands": {{t.task_id: getattr(t, "bash_command", "") for t in dag.tasks}},
    }}
task = module.daily.get_task("scoring.lead_scores_model_build")
tick = dt.datetime(2026, 3, 31, 5, 0, tzinfo=dt.timezone.utc)
manual = types.SimpleNamespace(run_after=dt.datetime(2026, 4, 2, 9, 30, 15, tzinfo=dt.timezone.utc))
out["as_of"] = [task.render_template(task.vars, {{"logical_date": tick, "dag_run": None}}),
                task.render_template(task.vars, {{"logical_date": None, "dag_run": manual}})]
print(json.dumps(out))
"""
    env = {"AIRFLOW_HOME": str(tmp_path / "airflow"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = run_in_project([PYTHON, "-c", script], "import the airflow dags", tmp_path / "airflow.duckdb",
                            PROJECT_DIR, True, parsed_target, env)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    daily, ingest = loaded["lead_scoring_daily"], loaded["lead_scoring_ingest"]
    assert (daily["schedule"], ingest["schedule"]) == ("0 5 * * *", "15 * * * *")
    assert daily["max_active_tasks"] == ingest["max_active_tasks"] == 1  # one DuckDB writer

    def models(dag, group):
        return {task[len(group) + 1:-len("_model_build")]: task for task in dag["tasks"]
                if task.startswith(group + ".") and task.endswith("_model_build")}

    daily_models, manifest = daily_models_and_manifest(parsed_target)
    scoring = models(daily, "scoring")
    assert set(scoring) == daily_models
    # dbt's order: every model's task waits for the tasks of the models it refs
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] in scoring:
            parents = {manifest["nodes"][parent]["name"] for parent in node["depends_on"]["nodes"]
                       if parent.startswith("model.")}
            assert {scoring[parent] for parent in parents} <= set(daily["tasks"][scoring[node["name"]]])
    # validate (freshness first) after every last dbt task, export after validate
    dbt_tasks = {task for task in daily["tasks"] if task.startswith("scoring.")}
    leaves = dbt_tasks - {parent for task in dbt_tasks for parent in daily["tasks"][task]}
    assert set(daily["tasks"]["validate"]) == leaves and daily["tasks"]["export"] == ["validate"]
    assert "source freshness" in daily["commands"]["validate"] and "leadscore validate" in daily["commands"]["validate"]
    assert "leadscore export --out" in daily["commands"]["export"]

    hourly = models(ingest, "ingest")
    assert {"base_raw__events", "int_event_rule_state", "int_lead_event_state", "base_raw__events_columns"} <= set(hourly)
    assert not set(hourly) & {"lead_scores", "int_lead_scores", "lead_score_sync"} and set(hourly) < daily_models
    assert all(flags == ["--indirect-selection", "cautious"] for flags in ingest["flags"].values())
    assert loaded["as_of"] == [{"score_as_of": "2026-03-31 05:00:00"}, {"score_as_of": "2026-04-02 09:30:15"}]
