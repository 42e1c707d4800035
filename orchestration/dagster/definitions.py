"""Dagster definitions for the lead-scoring project (dagster-dbt).

- every node of the `daily` selector (all but the calibration analyses) is an asset, read from
  dbt's manifest; dbt tests become asset checks;
- the job `daily_scoring` builds them as of the schedule's tick, then `validated_scores` runs
  `dbt source freshness` and `leadscore validate`, then `crm_export` writes the sync rows changed
  since the last export; a schedule runs it every day at 05:00 UTC;
- the job `ingest` runs the `ingest` selector (the event side, whose cost follows the new events)
  every hour at minute 15.

Every dbt invocation of a run gets the same as-of (var score_as_of): the tick of the schedule, or
the time the run was created when it is launched by hand (docs/incremental.md, split runs).

    pip install -e '.[orchestration]'
    dagster dev -f orchestration/dagster/definitions.py     # parses the project itself (dev)

In production, run `dbt parse` when deploying (the manifest is read when the code loads).
"""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, build_schedule_from_dbt_selection, dbt_assets, \
    get_asset_key_for_model

PROJECT_DIR = Path(__file__).resolve().parents[2]
EXPORT_DIR = Path(os.environ.get("LEAD_SCORING_EXPORT_DIR", PROJECT_DIR / "exports"))

project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR,
                     target_path=Path(os.environ.get("DBT_TARGET_PATH", "target")))
project.prepare_if_dev()


def run_as_of(context) -> str:
    """The as-of of the whole run, in UTC: the schedule's tick, else when the run was created."""
    tick = context.run.tags.get("dagster/scheduled_execution_time")
    if tick:
        moment = dt.datetime.fromisoformat(tick)
    else:
        record = context.instance.get_run_record_by_id(context.run_id)
        moment = record.create_timestamp if record else dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dbt_assets(manifest=project.manifest_path, selector="daily", project=project)
def lead_scoring_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    as_of = run_as_of(context)
    context.log.info(f"scoring as of {as_of} UTC")
    yield from dbt.cli(["build", "--vars", json.dumps({"score_as_of": as_of})], context=context).stream()


def leadscore(context, *args: str) -> str:
    """A command of the runner (or dbt) in the project, its output logged; a non-zero exit fails
    the asset with the runner's own lines."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    result = subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        context.log.info(line)
    if result.returncode != 0:
        raise dg.Failure(description=(result.stderr or result.stdout).strip()[-2000:],
                         metadata={"exit_code": result.returncode})
    return result.stdout


@dg.asset(deps=[get_asset_key_for_model([lead_scoring_dbt], name)
                for name in ("lead_scores", "lead_score_reasons", "staging_reconciliation", "lead_assignments")],
          group_name="quality")
def validated_scores(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """dbt source freshness, then `leadscore validate`: distributions, drift and freshness."""
    leadscore(context, "dbt.cli.main", "source", "freshness", "--quiet")
    out = leadscore(context, "leadscore", "validate")
    return dg.MaterializeResult(metadata={"validation": out.strip().splitlines()[-2] if out.strip() else ""})


@dg.asset(deps=[validated_scores, get_asset_key_for_model([lead_scoring_dbt], "lead_score_sync")], group_name="sync")
def crm_export(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The lead_score_sync rows changed since the last export, as one CSV file per run."""
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = EXPORT_DIR / f"lead_scores_{run_as_of(context).replace(' ', 'T').replace(':', '')}.csv"
    out = leadscore(context, "leadscore", "export", "--out", str(path))
    return dg.MaterializeResult(metadata={"file": str(path), "export": out.strip()})


daily_scoring = dg.define_asset_job(
    "daily_scoring", selection=dg.AssetSelection.assets(lead_scoring_dbt, validated_scores, crm_export))

defs = dg.Definitions(
    assets=[lead_scoring_dbt, validated_scores, crm_export],
    jobs=[daily_scoring],
    schedules=[
        dg.ScheduleDefinition(job=daily_scoring, cron_schedule="0 5 * * *", execution_timezone="UTC"),
        # the ingest selector's nodes (selectors.yml); dagster-dbt cannot resolve its cautious
        # indirect selection, so they are spelled as a selection
        build_schedule_from_dbt_selection([lead_scoring_dbt], job_name="ingest", cron_schedule="15 * * * *",
                                          dbt_select="+tag:ingest base_raw__events_columns",
                                          execution_timezone="UTC"),
    ],
    resources={"dbt": DbtCliResource(project_dir=project, profiles_dir=str(PROJECT_DIR))},
)
