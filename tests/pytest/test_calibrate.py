"""The closing-rate method end to end: calibrate on an earlier as-of, adopt the proposal as a
second model, and compare both on a later as-of the calibration never saw."""

from __future__ import annotations

import csv
import hashlib

import duckdb

from conftest import copy_project, run_cli


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_calibrated_rules_are_proposed_reviewed_and_hold_up_later(tmp_path):
    project = copy_project(tmp_path / "project")
    db_path = tmp_path / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "3000", "--seed", "21", "--as-of", "2026-06-30"], db_path, project_dir=project)
    seeds_before = digest(project / "seeds")

    result = run_cli(["calibrate", "--as-of", "2026-01-01", "--horizon", "90", "--method", "difference"], db_path,
                     project_dir=project, target_dir=tmp_path / "target")
    assert "b2b_default_calibrated:" in result.stdout
    assert digest(project / "seeds") == seeds_before  # the user's rules are never touched
    out = project / "calibration" / "b2b_default_calibrated"
    with (out / "scoring_rules.csv").open(newline="") as f:
        proposed = list(csv.DictReader(f))
    with (project / "seeds" / "scoring_rules.csv").open(newline="") as f:
        current = [r for r in csv.DictReader(f) if r["model"] == "b2b_default"]
    assert {r["model"] for r in proposed} == {"b2b_default_calibrated"}
    assert {r["rule_id"] for r in current} <= {r["rule_id"] for r in proposed}
    diff = (out / "diff.md").read_text()
    for rule in current:  # rule by rule: current points, suggested points, evidence
        assert f"| {rule['rule_id']} | {rule['points']} | " in diff
    assert "converted:" in diff and "overall (95% " in diff
    # disqualifying rules are policy: kept as they are
    for rule in current:
        if rule["disqualify"] == "true":
            assert next(r for r in proposed if r["rule_id"] == rule["rule_id"])["points"] == rule["points"]

    # adopt it side by side and judge both on a later as-of
    for seed in ("scoring_rules", "scoring_models", "score_thresholds", "scoring_groups"):
        rows = (out / f"{seed}.csv").read_text().splitlines()[1:]
        with (project / "seeds" / f"{seed}.csv").open("a") as f:
            f.write("".join(row + "\n" for row in rows))
    run_cli(["build", "--as-of", "2026-03-31", "--calibration", "--exclude", "resource_type:test resource_type:unit_test"], db_path,
            project_dir=project, target_dir=tmp_path / "target")
    con = duckdb.connect(str(db_path), read_only=True)
    auc = dict(con.execute("select model, roc_auc from main.score_backtest").fetchall())
    con.close()
    assert auc["b2b_default"] > 0.7
    assert auc["b2b_default_calibrated"] >= auc["b2b_default"], auc


def test_bad_method_is_a_usage_error(tmp_path):
    result = run_cli(["calibrate", "--as-of", "2026-01-01", "--method", "guess"], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2 and "invalid choice: 'guess'" in result.stderr
