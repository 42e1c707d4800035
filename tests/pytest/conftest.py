"""Shared fixtures: a small generated dataset built once per session, in a temporary DuckDB file
and target folder so the tests never touch the user's lead_scoring.duckdb."""

from __future__ import annotations

import atexit
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from leadscore import dbt
from leadscore.dbt import NO_TESTS

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
AS_OF = "2026-06-30 00:00:00"
# build arguments (dbt's and the runner's) that build models (and seeds) only: no data tests, no unit
# tests, as the runner's multi-build commands; unlike --exclude, also honoured next to --selector
MODELS_ONLY = ["--exclude-resource-type", *NO_TESTS]
# The builds of these tests leave dbt's unit tests out (dbt reads DBT_EXCLUDE_RESOURCE_TYPES; an
# explicit --exclude-resource-type wins): they check the SQL on fixed inputs, whatever a test's data,
# so they run where they are the subject - the plain dbt build on raw tables of every shape
# (test_real_warehouses), the Spark build, and scripts/test.sh's build before pytest - which opt in
# with WITH_UNIT_TESTS. A full build of a small dataset is about a third shorter for it.
UNIT_TESTS_RUN_ELSEWHERE = {"DBT_EXCLUDE_RESOURCE_TYPES": "unit_test"}
WITH_UNIT_TESTS = {"DBT_EXCLUDE_RESOURCE_TYPES": None}
# No dbt.log: no test reads it (a failing command's output is in the assertion), and writing every
# event at debug level costs every command CPU (docs/testing.md).
NO_LOG_FILE = {"DBT_LOG_LEVEL_FILE": "none"}


# The test files that take longest, longest first (measured; docs/testing.md): with --dist loadgroup
# --no-loadscope-reorder the workers take the files in this order, so what is left for the end,
# when one worker may wait for the other, is short. Files not named follow in their own order.
LONGEST_FIRST = ("test_real_warehouses", "test_calibrate", "test_handoff", "test_isolation", "test_config_errors",
                 "test_runner", "test_history_sync", "test_data_stack", "test_incremental", "test_user_mistakes",
                 "test_public_dataset")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """For --dist loadgroup (scripts/test.sh): each test file's tests in one group, so one worker
    runs them and builds the file's module fixtures once (as --dist loadfile would), except that
    the files reading the session fixture built_db form one group, so only one worker builds it;
    the groups in LONGEST_FIRST's order."""
    shared = {item.module.__name__ for item in items if "built_db" in item.fixturenames}

    def group(item):
        return "built_db" if item.module.__name__ in shared else item.module.__name__

    rank = {module: n for n, module in enumerate(LONGEST_FIRST)}
    first = {}  # a group's rank: its earliest file's
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group(item)))
        first[group(item)] = min(first.get(group(item), len(rank)), rank.get(item.module.__name__, len(rank)))
    items.sort(key=lambda item: first[group(item)])


def auc(scores_and_labels) -> float:
    """Mann-Whitney: P(random converter outscores random non-converter), ties count half - the
    reference the SQL and the report are checked against."""
    positives = [s for s, y in scores_and_labels if y]
    negatives = [s for s, y in scores_and_labels if not y]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def query(db_path, sql, params=None) -> list:
    """The rows of one query on the DuckDB file, read-only, the connection closed whatever happens."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def table_checksums(db_path, schemas=("main",), skip_columns=()) -> dict:
    """{schema.table: rows, columns and an md5 of its sorted rows} for every table and view of the
    schemas; floats to 6 decimals (DuckDB's parallel float sums may differ in the last bits).
    skip_columns: names left out of every table ('updated_at') or of one ('lead_actions.created_at')."""
    def normalised(value):
        return round(value, 6) if isinstance(value, float) else value

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables where table_schema in "
                             f"({', '.join('?' for _ in schemas)}) order by 1, 2", list(schemas)).fetchall()
        sums = {}
        for schema, table in tables:
            columns = [r[0] for r in con.execute("select column_name from information_schema.columns where "
                                                 "table_schema = ? and table_name = ? order by ordinal_position",
                                                 [schema, table]).fetchall()
                       if r[0] not in skip_columns and f"{table}.{r[0]}" not in skip_columns]
            rows = con.execute(f'select {", ".join(columns)} from "{schema}"."{table}"').fetchall()
            text = "\n".join(sorted(repr(tuple(normalised(v) for v in row)) for row in rows))
            sums[f"{schema}.{table}"] = {"rows": len(rows), "columns": columns,
                                         "md5": hashlib.md5(text.encode()).hexdigest()}
        return sums
    finally:
        con.close()


# dbt parses the whole project again when a command's target folder has no partial-parse
# file, or when the project's folder or the profile it renders has changed, and the DuckDB file's
# path is part of that profile. So a command reaches its project and its file through two folder
# links fixed for this pytest process, pointed at the project (or a test's copy of it) and at the
# file's folder just before it runs (the file, its lock and its WAL stay where they are), and a new
# target folder starts from the partial-parse file the last command with the same file name, --vars
# and --target left (dbt checks that file as always and parses again what differs: a copy's edited
# seeds, other vars).
_LINKS = Path(tempfile.mkdtemp(prefix="leadscore-tests-"))
atexit.register(shutil.rmtree, _LINKS, True)
PARSE_FILE = "partial_parse.msgpack"


def _point_link(name: str, folder: Path) -> Path:
    """The link _LINKS/name, pointed at folder."""
    link = _LINKS / name
    link.unlink(missing_ok=True)
    link.symlink_to(Path(folder).absolute(), target_is_directory=True)
    return link


def _parse_files(db_path, target_dir, command):
    """(a target folder's partial-parse file, where the last one of its kind is kept) pairs: the
    runner's own target folder and its analysis folder."""
    given = [b for a, b in zip(command, command[1:]) if a in ("--vars", "--target")]
    kind = hashlib.md5("\0".join((Path(db_path).name, *given)).encode()).hexdigest()
    return [(Path(target_dir) / sub / PARSE_FILE, _LINKS / "parses" / kind / sub / PARSE_FILE)
            for sub in ("", "analysis")]


def cli_env(db_path, project_dir=PROJECT_DIR, target_dir=None, env=None):
    """The environment a runner or dbt subprocess gets: this DuckDB file, the project (its profiles
    too; a plain dbt command finds it through DBT_PROJECT_DIR), both through their links (see
    _LINKS), target_dir for dbt's target, no unit tests in a build (UNIT_TESTS_RUN_ELSEWHERE) and
    no dbt.log (NO_LOG_FILE); env adds environment variables, a None value unsets one."""
    db_path = Path(db_path).absolute()
    project = str(_point_link("project", project_dir))
    env = {**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(_point_link("warehouse", db_path.parent) / db_path.name),
           "DBT_PROFILES_DIR": project, "LEAD_SCORING_PROJECT_DIR": project, "DBT_PROJECT_DIR": project,
           **UNIT_TESTS_RUN_ELSEWHERE, **NO_LOG_FILE, **(env or {})}
    env = {key: value for key, value in env.items() if value is not None}  # None: unset (WITH_UNIT_TESTS)
    if target_dir:
        env["DBT_TARGET_PATH"] = str(target_dir)
        env["DBT_LOG_PATH"] = str(target_dir)
    return env


# The leadscore and dbt commands run as `python -m` would, in processes forked from one that has
# imported dbt already (forkserver.py, one per pytest process), so no command pays for dbt's import
# (docs/testing.md). Spark commands start their own interpreter (and JVM), as before.
FORKED_MODULES = ("leadscore", "dbt.cli.main")
_FORK_SERVER: subprocess.Popen | None = None


def _fork_server() -> subprocess.Popen:
    global _FORK_SERVER
    if _FORK_SERVER is None or _FORK_SERVER.poll() is not None:
        _FORK_SERVER = subprocess.Popen([PYTHON, str(Path(__file__).with_name("forkserver.py"))], cwd=PROJECT_DIR,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        atexit.register(_FORK_SERVER.kill)
    return _FORK_SERVER


def _run_forked(command, env, cwd) -> subprocess.CompletedProcess:
    server = _fork_server()
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        request = {"module": command[2], "args": command[3:], "env": env, "cwd": str(cwd),
                   "stdout": str(out), "stderr": str(err)}
        try:
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
            reply = server.stdout.readline()
        except BaseException:
            server.kill()  # interrupted: its reply would answer the next request
            raise
        if not reply:
            raise RuntimeError(f"the fork server stopped (exit {server.wait()}) running {command[2:]}")
        return subprocess.CompletedProcess(command, json.loads(reply)["returncode"],
                                           out.read_text(errors="replace"), err.read_text(errors="replace"))


def run_in_project(command, label, db_path, project_dir, check, target_dir, env):
    """Run a command in project_dir with cli_env's environment; check: fail with its output."""
    env = cli_env(db_path, project_dir, target_dir, env)
    project_dir = env["DBT_PROJECT_DIR"]  # its link
    parse_files = _parse_files(db_path, target_dir, command) if target_dir else []
    for used, kept in parse_files:
        if kept.is_file() and not used.exists():
            used.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(kept, used)
    if command[:2] == [PYTHON, "-m"] and command[2] in FORKED_MODULES and not on_spark(command):
        result = _run_forked(command, env, project_dir)
    else:
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=project_dir)
    for used, kept in parse_files:
        if used.is_file():
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(used, kept)
    if check and result.returncode != 0:
        raise AssertionError(f"{label} exited {result.returncode}\n"
                             f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return result


def on_spark(command) -> bool:
    """Whether the command runs on the spark target (--target spark)."""
    return any(a == "--target" and b == "spark" for a, b in zip(command, command[1:]))


def run_cli(args, db_path, project_dir=PROJECT_DIR, check=True, target_dir=None, env=None):
    """Run the leadscore command in a subprocess (dbt-duckdb keeps the file open in-process); env
    adds environment variables."""
    return run_in_project([PYTHON, "-m", "leadscore", *args],
                          f"leadscore {' '.join(args)}", db_path, project_dir, check, target_dir, env)


def run_dbt(args, db_path, project_dir=PROJECT_DIR, check=True, target_dir=None, env=None):
    """Run dbt itself in a subprocess, as a dbt user would (no runner in between)."""
    return run_in_project([PYTHON, "-m", "dbt.cli.main", *args], f"dbt {' '.join(args)}",
                          db_path, project_dir, check, target_dir, env)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """3,000 generated leads with 3% bad rows (enough bad conversions for every kind), built as of AS_OF."""
    work = tmp_path_factory.mktemp("build")
    db_path = work / "test.duckdb"
    run_cli(["generate", "--leads", "3000", "--seed", "7", "--bad-rate", "0.03", "--as-of", AS_OF], db_path)
    run_cli(["build", "--as-of", AS_OF], db_path, target_dir=work / "target")
    return db_path


@pytest.fixture()
def db(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    yield con
    con.close()


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project (config, models, macros, seeds, dbt tests) in dest; the leadscore
    command runs on it through LEAD_SCORING_PROJECT_DIR (cli_env)."""
    return dbt.copy_project(dest)


def edit_csv(path, change):
    """Rewrites a seed file: change(rows) edits the list of row dicts in place (or returns a new
    list); columns it leaves out of a new row are blank, the header and its order are kept."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = list(reader.fieldnames)
    rows = change(rows) or rows
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def full_refresh_copy(db_path: Path, folder: Path, as_of: str, args=(), project_dir=PROJECT_DIR):
    """A copy of db_path in folder, rebuilt with --full-refresh as of as_of (args: more build
    options): what an incremental build must equal. The copy keeps the file name, because DuckDB
    names the catalog after it and the views refer to that name."""
    copy = folder / db_path.name
    folder.mkdir()
    shutil.copyfile(db_path, copy)
    result = run_cli(["build", "--as-of", as_of, "--full-refresh", *args], copy, project_dir=project_dir,
                     target_dir=folder / "target")
    return copy, result


@pytest.fixture()
def project_copy(tmp_path):
    """A copy of the project to break on purpose."""
    return copy_project(tmp_path / "project")


def walk_trees(rows: list[dict], lead) -> tuple[float, dict]:
    """An independent reading of predictive_trees rows (one model): the log-odds of a lead (a
    mapping of feature to value; None or NaN is missing) and each feature's contribution (the
    change of value at the splits on it along the lead's paths)."""
    nodes = {(int(r["tree"]), int(r["node"])): r for r in rows}
    logit, contributions = 0.0, {}
    for tree in sorted({t for t, _ in nodes}):
        node = nodes[(tree, 0)]
        while node["feature"]:
            raw = lead.get(node["feature"])
            if node["level"]:
                value = 1.0 if raw == node["level"] else 0.0
            else:
                value = None if raw is None or raw != raw else float(raw)
            if value is None:
                child = node["left_node"] if node["missing_left"] == "true" else node["right_node"]
            else:
                child = node["left_node"] if value <= float(node["threshold"]) else node["right_node"]
            nxt = nodes[(tree, int(child))]
            contributions[node["feature"]] = contributions.get(node["feature"], 0.0) + float(nxt["value"]) - float(node["value"])
            node = nxt
        logit += float(node["value"])
    return logit, contributions


# a small boosted-trees model in the predictive_trees format: a baseline, a numeric split with
# missing values to the right, a text-level split above a split with missing values to the left
EXAMPLE_TREES = [
    dict(tree="0", node="0", depth="0", value="-3"),
    dict(tree="1", node="0", depth="0", feature="employees", threshold="100", missing_left="false", left_node="1",
         right_node="2", value="0"),
    dict(tree="1", node="1", depth="1", value="-0.5"),
    dict(tree="1", node="2", depth="1", value="0.5"),
    dict(tree="2", node="0", depth="0", feature="industry", level="software", threshold="0.5", missing_left="false",
         left_node="1", right_node="2", value="0.1"),
    dict(tree="2", node="1", depth="1", feature="days_since_last_activity", threshold="10", missing_left="true",
         left_node="3", right_node="4", value="-0.1"),
    dict(tree="2", node="2", depth="1", value="0.8"),
    dict(tree="2", node="3", depth="2", value="0.2"),
    dict(tree="2", node="4", depth="2", value="-0.3"),
]


def add_example_trees(seeds: Path, model: str = "boosted_example") -> None:
    edit_csv(seeds / "predictive_trees.csv", lambda rows: rows.extend(dict(r, model=model) for r in EXAMPLE_TREES))
