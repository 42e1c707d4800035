"""Every mistake a user can make with the runner ends as a documented exit code and one line naming
the fix - never a traceback: bad options, a missing, empty, damaged, busy or misplaced warehouse,
unreadable seeds, a missing target, an export to nowhere, too little outcome data, a raw_schema
typo, and seeds that cannot score (an event type outside the vocabulary, a model with no rules
or thresholds)."""

from __future__ import annotations

import csv
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import AS_OF, run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A built warehouse of 300 leads."""
    path = tmp_path_factory.mktemp("mistakes") / "built.duckdb"
    run_cli(["generate", "--leads", "300", "--seed", "5", "--as-of", AS_OF], path)
    run_cli(["build", "--as-of", AS_OF], path, target_dir=path.parent / "target")
    return path


def copy_of(path, folder):
    folder.mkdir()
    copy = folder / path.name
    copy.write_bytes(path.read_bytes())
    return copy


def assert_one_line(result, code, words):
    """Exit code, no traceback, and the error lines (stderr lines starting 'error: ') name words."""
    out = result.stdout + result.stderr
    assert result.returncode == code, f"exit {result.returncode}: {out[-3000:]}"
    assert "Traceback" not in out and "\x1b[" not in out, out[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors and any(words in line for line in errors), out[-3000:]
    assert all(len(line) < 600 for line in errors)


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_cli(["build", "--no-such-option"], tmp_path / "x.duckdb", check=False)
    assert result.returncode == 2 and "unrecognized arguments: --no-such-option" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["validate"], ["export", "--out", "x.csv"], ["report"]])
def test_missing_warehouse(command, tmp_path):
    assert_one_line(run_cli(command, tmp_path / "none.duckdb", check=False, target_dir=tmp_path / "t"), 2,
                    "no DuckDB file at")


@pytest.mark.parametrize("command, words", [(["validate"], "not built in"), (["export", "--out", "x.csv"], "does not exist"),
                                            (["report"], "not built in")])
def test_warehouse_without_marts(command, words, tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    assert_one_line(run_cli(command, path, check=False, target_dir=tmp_path / "t"), 2, words)


@pytest.mark.parametrize("command", [["build", "--as-of", AS_OF], ["validate"], ["generate", "--leads", "10"]])
def test_damaged_file_and_folder_in_its_place(command, tmp_path):
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this is not a database" * 100)
    assert_one_line(run_cli(command, damaged, check=False, target_dir=tmp_path / "t"), 2, "is not a DuckDB database")
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    assert_one_line(run_cli(command, folder, check=False, target_dir=tmp_path / "t"), 2, "is a folder")


def test_warehouse_in_a_missing_folder(tmp_path):
    assert_one_line(run_cli(["build", "--as-of", AS_OF], tmp_path / "no" / "such" / "x.duckdb", check=False), 2,
                    "does not exist")


def test_busy_warehouse(built, tmp_path):
    """Another process (a build still running) holds DuckDB's lock on the file."""
    path = copy_of(built, tmp_path / "busy")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for command in (["validate"], ["export", "--out", str(tmp_path / "x.csv")], ["generate", "--leads", "10"],
                        ["run"], ["build", "--as-of", AS_OF]):
            result = run_cli(command, path, check=False, target_dir=tmp_path / "t")
            assert_one_line(result, 2, f"is in use by another process (process {holder.pid})")
            assert " START " not in result.stdout  # build: refused before dbt started
    finally:
        holder.kill()
        holder.wait()


def test_unreadable_seed(project_copy, tmp_path):
    (project_copy / "seeds" / "scoring_groups.csv").write_bytes(b"model,rule_group\n\xff\xfe broken\n")
    assert_one_line(run_cli(["build", "--as-of", AS_OF], tmp_path / "x.duckdb", project_dir=project_copy, check=False),
                    2, "seeds/scoring_groups.csv cannot be read")


def test_missing_target_and_export_to_nowhere(built, tmp_path):
    assert_one_line(run_cli(["validate", "--target", "nowhere"], built, check=False), 2, "unknown target 'nowhere'")
    assert_one_line(run_cli(["export", "--out", str(tmp_path / "no" / "x.csv")], built, check=False), 2,
                    "does not exist")


def test_too_little_outcome_data(built, tmp_path):
    path = copy_of(built, tmp_path / "no_conversions")
    con = duckdb.connect(str(path))
    con.execute("delete from raw.conversions")
    con.close()
    assert_one_line(run_cli(["train", "--as-of", "2026-03-31", "--train-as-ofs", "1"], path, check=False,
                            target_dir=tmp_path / "t"), 2, "all converters or all non-converters")
    assert_one_line(run_cli(["calibrate", "--as-of", "2025-12-31"], path, check=False, target_dir=tmp_path / "t"), 2,
                    "no conversions to calibrate on")


def test_raw_schema_typo(built, tmp_path):
    assert_one_line(run_cli(["build", "--as-of", AS_OF, "--vars", "{raw_schema: rwa}"], built, check=False,
                            target_dir=tmp_path / "t"), 2, "No table rwa.leads, rwa.events, rwa.conversions")


def edit_seed(project, seed, change):
    path = project / "seeds" / seed
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(rows))


def test_seeds_that_cannot_score(built, project_copy, tmp_path):
    """An event rule on a type outside var event_types; a model with no rules; one with no labels."""
    edit_seed(project_copy, "scoring_rules.csv", lambda rows: [
        dict(r, field="page_veiw") if r["rule_id"] == "eng_pricing_page" and r["model"] == "b2b_default" else r
        for r in rows])
    edit_seed(project_copy, "scoring_models.csv", lambda rows: rows + [dict(rows[0], model="empty_model")])
    edit_seed(project_copy, "score_thresholds.csv", lambda rows: [
        r for r in rows if not (r["model"] == "self_serve_trial" and r["dimension"] == "total")])
    path = copy_of(built, tmp_path / "seeds")
    result = run_cli(["build", "--as-of", AS_OF], path, project_dir=project_copy, check=False,
                     target_dir=tmp_path / "t")
    assert_one_line(result, 2, "the project configuration has problems")
    out = result.stdout
    for line in ("seeds/scoring_rules.csv: model b2b_default, rule eng_pricing_page: field 'page_veiw' is not an "
                 "event type of var event_types (dbt_project.yml)",
                 "seeds/scoring_models.csv: model empty_model, model row: the model has no rules in seeds/scoring_rules.csv",
                 "seeds/scoring_models.csv: model self_serve_trial, model row: the model has no total labels in "
                 "seeds/score_thresholds.csv"):
        assert line in out, f"missing: {line}\n{out[-4000:]}"


def test_interrupted_export_leaves_no_temporary_behind(built, tmp_path):
    """A temporary file of an export that was killed mid-write is removed by the next export."""
    path = copy_of(built, tmp_path / "export")
    out = tmp_path / "scores.csv"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".scores.csv.{dead.pid}.tmp"
    stale.write_text("half a file")
    run_cli(["export", "--out", str(out)], path, target_dir=tmp_path / "t")
    assert out.is_file() and not stale.exists()


def test_each_run_keeps_its_own_summary(built, tmp_path):
    target = tmp_path / "t"
    for _ in range(2):
        run_cli(["validate"], built, target_dir=target)
        time.sleep(1)  # a second apart: the file names carry the start time
    runs = sorted((target / "runs").glob("*_validate_*.json"))
    assert len(runs) == 2 and (target / "run_summary.json").read_text() == runs[-1].read_text()
