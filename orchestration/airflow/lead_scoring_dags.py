"""Airflow DAGs for the lead-scoring project (astronomer-cosmos).

- `lead_scoring_daily` (05:00 UTC): every node of the daily selector (all but the calibration
  analyses, tag calibration) as one Airflow task each, read from dbt's manifest; each task is
  `dbt build` of its node (the node and its tests), in dbt's order; then `dbt source freshness`
  and `leadscore validate` (a source past its error threshold fails the task), then
  `leadscore export` of the sync rows changed since the last export;
- `lead_scoring_ingest` (hourly at minute 15): the `ingest` selector (the event side, whose cost
  follows the new events), its tests cautious as in selectors.yml.

Every task of a run gets the same as-of (var score_as_of), in UTC: the run's logical date (the
schedule's tick, or the date a manual run or backfill names), else when a manual run without one
was triggered - docs/incremental.md, split runs.

DuckDB allows one writer per file, so the DAGs run one task at a time (max_active_tasks=1) and the
file's path is absolute (Cosmos runs dbt in a copy of the project). On Spark, raise it.

    pip install -e '.[orchestration]'
    dbt parse          # when deploying: the manifest is read when Airflow parses this file
    cp orchestration/airflow/lead_scoring_dags.py "$AIRFLOW_HOME/dags/"   # or point dags_folder here

LEAD_SCORING_PROJECT_DIR names the project when the file is copied elsewhere.
"""

import os
import sys
from pathlib import Path

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import InvocationMode, LoadMode, TestBehavior

PROJECT_DIR = Path(os.environ.get("LEAD_SCORING_PROJECT_DIR", Path(__file__).resolve().parents[2]))
TARGET_DIR = PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")
DUCKDB_PATH = Path(os.environ.get("LEAD_SCORING_DUCKDB_PATH", PROJECT_DIR / "lead_scoring.duckdb")).resolve()
EXPORT_DIR = Path(os.environ.get("LEAD_SCORING_EXPORT_DIR", PROJECT_DIR / "exports"))

# the run's as-of as dbt's var score_as_of takes it (Airflow keeps its dates in UTC)
AS_OF = "{{ (logical_date or dag_run.run_after).strftime('%Y-%m-%d %H:%M:%S') }}"
ENV = {"DBT_PROFILES_DIR": str(PROJECT_DIR), "LEAD_SCORING_DUCKDB_PATH": str(DUCKDB_PATH)}

project_config = ProjectConfig(dbt_project_path=PROJECT_DIR, manifest_path=TARGET_DIR / "manifest.json",
                               project_name="lead_scoring")
profile_config = ProfileConfig(profile_name="lead_scoring", target_name="duckdb",
                               profiles_yml_filepath=PROJECT_DIR / "profiles.yml")
execution_config = ExecutionConfig(invocation_mode=InvocationMode.SUBPROCESS,
                                   dbt_executable_path=str(Path(sys.executable).with_name("dbt")))
# both DAGs: one run and one task at a time (one DuckDB writer), no catch-up of missed ticks
DAG_ARGS = {"catchup": False, "max_active_runs": 1, "max_active_tasks": 1, "default_args": {"retries": 0},
            "tags": ["lead_scoring"]}
# exposures and the on-run-start hooks get no task of their own (the hooks run in every task)
NO_TASK = ["resource_type:exposure", "resource_type:operation"]


def dbt_group(group_id: str, select: list[str], exclude: list[str], cmd_flags: list[str]) -> DbtTaskGroup:
    """The selected nodes of the manifest, one `dbt build` task each, all at the run's as-of."""
    return DbtTaskGroup(
        group_id=group_id,
        project_config=project_config,
        profile_config=profile_config,
        execution_config=execution_config,
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, select=select, exclude=exclude + NO_TASK,
                                   test_behavior=TestBehavior.BUILD),
        operator_args={"vars": {"score_as_of": AS_OF}, "env": ENV, "append_env": True,
                       "dbt_cmd_flags": cmd_flags, "install_deps": False},
    )


def runner(task_id: str, command: str) -> BashOperator:
    """A command of the runner (or dbt) in the project; a non-zero exit fails the task with the
    runner's own lines (docs/runner.md exit codes)."""
    return BashOperator(task_id=task_id, bash_command=command, cwd=str(PROJECT_DIR),
                        env={**ENV, "LEAD_SCORING_AS_OF": AS_OF}, append_env=True)


python = f'"{sys.executable}" -m'

with DAG(dag_id="lead_scoring_daily", schedule="0 5 * * *", doc_md=__doc__, **DAG_ARGS) as daily:
    scoring = dbt_group("scoring", select=[], exclude=["tag:calibration"], cmd_flags=[])
    validate = runner("validate", f"{python} dbt.cli.main source freshness --quiet && {python} leadscore validate")
    export = runner("export", f'mkdir -p "{EXPORT_DIR}" && {python} leadscore export --out '
                              f'"{EXPORT_DIR}/lead_scores_{{{{ ts_nodash }}}}.csv"')
    scoring >> validate >> export

with DAG(dag_id="lead_scoring_ingest", schedule="15 * * * *", **DAG_ARGS) as ingest:
    # selectors.yml's ingest: the tag's nodes with their parents, and the raw columns it records
    dbt_group("ingest", select=["+tag:ingest", "base_raw__events_columns"], exclude=[],
              cmd_flags=["--indirect-selection", "cautious"])
