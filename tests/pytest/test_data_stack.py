"""How the project fits the tools around it: slim CI against production's manifest, source
freshness, the semantic layer and the orchestration examples."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest
from conftest import MODELS_ONLY, edit_csv, query, run_cli, run_dbt


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
