"""dbt from Python: the project, the profile and target a command runs on, `dbt build` through
dbt's Python API (dbtRunner), and the DuckDB warehouse the profile points at.

Everything a command reads or writes is the relation dbt built: the DuckDB file comes from the
resolved profile and target (env_var rendered as dbt renders it), relation names from dbt's
manifest (leadscore.relations). Point-in-time analysis builds (report --as-of, calibrate, train,
backfill) go to schemas of their own (var schema_prefix = ANALYSIS_PREFIX) with a target folder
of their own, so production outputs never move.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import datetime as dt
import json
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from leadscore import timeutil, warehouse
from leadscore.errors import EXIT_BUILD_FAILED, EXIT_OK, EXIT_USAGE, UsageError


def _project_dir() -> Path:
    """The dbt project: LEAD_SCORING_PROJECT_DIR, else the folder this package sits in (a clone
    installed with pip install -e .), else the working directory."""
    chosen = os.environ.get("LEAD_SCORING_PROJECT_DIR")
    if chosen:
        return Path(os.path.abspath(chosen))  # as given: a symlinked folder keeps its name
    beside = Path(__file__).resolve().parent.parent
    return beside if (beside / "dbt_project.yml").is_file() else Path.cwd()


PROJECT_DIR = _project_dir()
# what the multi-build commands leave out: they build models (and seeds) only
NO_TESTS = ["test", "unit_test"]
AS_OF_ENV = "LEAD_SCORING_AS_OF"
# the caller's own LEAD_SCORING_AS_OF: what a build without --as-of uses, also after other builds
# of this process (backfill, calibrate) set theirs
CALLER_AS_OF = os.environ.get(AS_OF_ENV)
# the schema prefix of point-in-time analysis builds: analysis_main, analysis_staging, ...
ANALYSIS_PREFIX = "analysis"


# set while project_dir_of works on a copy: the copy's own target folder, so its manifest and
# partial-parse file never stand in for the project's
_TARGET_BASE: Path | None = None


def target_dir(analysis: bool = False) -> Path:
    base = _TARGET_BASE or PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")
    return base / ANALYSIS_PREFIX if analysis else base


def profiles_dir(arg: str | None) -> str:
    chosen = arg or os.environ.get("DBT_PROFILES_DIR") or str(PROJECT_DIR)
    if not (Path(chosen) / "profiles.yml").is_file():
        raise UsageError(f"no profiles.yml in {chosen}: pass --profiles-dir or set DBT_PROFILES_DIR")
    return chosen


@dataclass
class Target:
    """The profile output a command runs on."""

    name: str
    type: str
    duckdb_path: Path | None = None
    # the profile's DuckDB settings of warehouse.MEMORY_SETTINGS, as written there
    duckdb_memory: dict = field(default_factory=dict)


def resolve_target(directory: str, target: str | None) -> Target:
    """The target that will run, rendered by dbt's own profile code (env_var and all), so the
    DuckDB file is the one dbt writes. A missing profile or target is a usage error."""
    # dbt's profile classes read its global flags and invocation context, which a dbtRunner
    # invocation sets up; outside one they are set here (importing dbt costs a second or two,
    # so only commands that need the profile pay it)
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context
    from dbt_common.exceptions import DbtBaseException

    profile_name = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["profile"]
    profiles_path = Path(directory) / "profiles.yml"
    try:
        profiles = yaml.safe_load(profiles_path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{profiles_path} cannot be read as YAML: {' '.join(str(exc).split())[:200]}") from None
    raw_profile = profiles.get(profile_name) if isinstance(profiles, dict) else None
    if not isinstance(raw_profile, dict) or not isinstance(raw_profile.get("outputs"), dict) or not raw_profile["outputs"]:
        raise UsageError(f"{profiles_path} has no profile '{profile_name}' with outputs: add it (see the README)")
    chosen = target or raw_profile.get("target")
    if chosen not in raw_profile["outputs"]:
        raise UsageError(f"unknown target '{chosen}': {profiles_path} defines {', '.join(sorted(raw_profile['outputs']))}")
    set_invocation_context(os.environ)
    set_from_args(argparse.Namespace(), None)
    try:
        raw = read_profile(directory)
        profile = Profile.from_raw_profiles(raw, profile_name, ProfileRenderer({}), target_override=target)
    except DbtBaseException as exc:
        raise UsageError(f"{profiles_path}: {one_line(str(exc))}") from None
    credentials = profile.credentials
    path = None
    if credentials.type == "duckdb":
        text = str(getattr(credentials, "path", "") or "")
        for attached in getattr(credentials, "attach", None) or []:
            # the project's profile attaches the file under the database name (see profiles.yml)
            if text == ":memory:" and getattr(attached, "alias", None) == credentials.database:
                text = str(attached.path or "")
        if not text or text == ":memory:" or text.startswith("md:"):
            raise UsageError(f"target '{profile.target_name}' keeps DuckDB at '{text or ':memory:'}': the runner needs a "
                             "DuckDB file; set path in the profile")
        path = Path(text)
        path = path if path.is_absolute() else PROJECT_DIR / path
        settings = getattr(credentials, "settings", None) or {}
        memory = {key: str(settings[key]) for key in warehouse.MEMORY_SETTINGS if settings.get(key)}
        return Target(profile.target_name, credentials.type, path, memory)
    return Target(profile.target_name, credentials.type, path)


def problem_lines(message: str) -> list[str]:
    """A dbt error as the lines that state the problem: without its 'Compilation Error in ...'
    header, its '> in macro' trail and indentation (the project's checks put one problem on each
    line)."""
    lines = [line.strip() for line in str(message).splitlines()]
    kept = [line for line in lines if line and not line.startswith(">")
            and line not in ("Compilation Error", "Runtime Error", "Parsing Error")
            and not line.startswith(("Compilation Error in ", "Runtime Error in ", "Parsing Error in "))]
    return kept or [line for line in lines if line]


def one_line(message: str) -> str:
    return " ".join(problem_lines(message))


def check_seeds() -> None:
    """Seeds must at least be readable CSV with a full header; their contents are checked in SQL."""
    for path in sorted((PROJECT_DIR / "seeds").glob("*.csv")):
        try:
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            raw = path.read_bytes()
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise UsageError(f"seeds/{path.name} cannot be read: {exc}") from None
        if b"\r\n" in raw and raw.replace(b"\r\n", b"").count(b"\n"):
            raise UsageError(f"seeds/{path.name} mixes Windows (CRLF) and Unix (LF) line endings, which the CSV "
                             "loader cannot read. Fix: save the file with one kind of line ending")
        if not rows or not all(h.strip() for h in rows[0]):
            raise UsageError(f"seeds/{path.name}: the header row is missing or has a blank column name")
        for number, row in enumerate(rows[1:], start=2):
            if row and len(row) != len(rows[0]):
                raise UsageError(f"seeds/{path.name} line {number}: {len(row)} fields, the header has {len(rows[0])}. "
                                 "Fix: quote values that contain commas, or add the missing fields")


def parse_vars(text: str | None) -> dict:
    """--vars as a mapping (YAML, like dbt's own --vars)."""
    if not text:
        return {}
    try:
        variables = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"--vars is not valid YAML: {' '.join(str(exc).split())[:200]}") from None
    if not isinstance(variables, dict):
        raise UsageError("--vars must be a mapping, e.g. --vars '{score_as_of: \"2026-06-30\"}'")
    return variables


def pass_as_of(as_of: str | None, variables: dict) -> None:
    """Hands --as-of (else the caller's LEAD_SCORING_AS_OF) to dbt as LEAD_SCORING_AS_OF, checked
    and normalised, not as var score_as_of: dbt re-parses the whole project whenever --vars change,
    not when an environment variable only read while executing does (macros/config/score_as_of.sql)."""
    if "score_as_of" in variables and str(variables["score_as_of"] or "").strip().lower() not in ("", "now", "none"):
        timeutil.parse_utc_time(str(variables["score_as_of"]), "var score_as_of")  # dbt checks it too
    if as_of:
        variables.pop("score_as_of", None)
        text, source = as_of, "--as-of"
    else:
        text, source = CALLER_AS_OF, AS_OF_ENV
    if text is None or text.strip().lower() in ("", "now"):
        os.environ.pop(AS_OF_ENV, None)
        return
    os.environ[AS_OF_ENV] = timeutil.format_time(timeutil.parse_utc_time(text, source))


@dataclass
class Build:
    """One `dbt build`: what to select, the as-of, more vars, and whether it is an analysis build
    (schemas prefixed with ANALYSIS_PREFIX, its own target folder)."""

    select: str | None = None
    selector: str | None = None
    exclude: str | None = None
    exclude_resource_type: list[str] | None = None
    full_refresh: bool = False
    calibration: bool = False
    as_of: str | None = None
    vars: dict = field(default_factory=dict)
    analysis: bool = False


def copy_project(dest: Path) -> Path:
    """A copy of the dbt project in dest (config, selectors, profiles, models, macros, seeds, the dbt
    tests; not the Python tests): where calibrate builds a proposal, and benchmarks and tests run."""
    dest.mkdir(parents=True)
    for name in ("dbt_project.yml", "selectors.yml", "profiles.yml"):
        if (PROJECT_DIR / name).is_file():
            shutil.copy(PROJECT_DIR / name, dest / name)
    for name in ("models", "macros", "seeds", "tests"):
        shutil.copytree(PROJECT_DIR / name, dest / name, ignore=shutil.ignore_patterns("pytest", "__pycache__"))
    return dest


@contextlib.contextmanager
def project_dir_of(path: Path):
    """For the duration, builds, parses, manifests and seed checks of this process work on the dbt
    project at path (a copy: calibrate builds its proposal there, never in the user's seeds)."""
    global PROJECT_DIR, _TARGET_BASE
    saved = PROJECT_DIR, _TARGET_BASE
    PROJECT_DIR, _TARGET_BASE = path, path / "target"
    try:
        yield path
    finally:
        PROJECT_DIR, _TARGET_BASE = saved


def freshness_results(path: Path) -> tuple[dt.datetime, list[dict]]:
    """dbt source freshness's result (sources.json): when dbt measured it (UTC) and one row per
    source - its name (raw.events), status and the newest load's age in hours. Raises OSError,
    ValueError, KeyError or TypeError for a file that cannot be read as one."""
    report = json.loads(path.read_text())
    measured = dt.datetime.fromisoformat(report["metadata"]["generated_at"].replace("Z", "+00:00"))
    rows = []
    for r in report["results"]:
        age = r.get("max_loaded_at_time_ago_in_s")
        rows.append({"source": r.get("unique_id", "").removeprefix("source.").split(".", 1)[-1],
                     "status": str(r.get("status", "runtime error")),
                     "newest_load_hours_ago": None if age is None else round(age / 3600.0, 2)})
    return measured.replace(tzinfo=measured.tzinfo or dt.timezone.utc), rows


def release_duckdb() -> None:
    """Closes the DuckDB instance dbt-duckdb keeps open after an invocation in this process: the
    profile attaches the warehouse file to an in-memory database (profiles.yml), which dbt-duckdb
    keeps open between runs, and the runner opens the file itself next."""
    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    if connections is None:
        return
    manager = connections.DuckDBConnectionManager
    with manager._LOCK:
        if manager._ENV is not None:
            manager._ENV.close()
            manager._ENV = None


class Project:
    """The dbt project as one command sees it: profiles folder, target, vars from --vars."""

    def __init__(self, profiles: str | None = None, target: str | None = None, variables: str | None = None):
        self.profiles_arg = profiles
        self.target_arg = target
        self.vars = parse_vars(variables)
        self._target: Target | None = None
        self._target_ahead: tuple[concurrent.futures.Executor, concurrent.futures.Future] | None = None

    @classmethod
    def from_args(cls, args) -> "Project":
        return cls(getattr(args, "profiles_dir", None), getattr(args, "target", None), getattr(args, "vars", None))

    @property
    def profiles(self) -> str:
        return profiles_dir(self.profiles_arg)

    def var(self, name: str, default=None):
        """A project var as dbt sees it here: --vars, else dbt_project.yml's vars, else default."""
        if name in self.vars:
            return self.vars[name]
        config = yaml.safe_load((_project_dir() / "dbt_project.yml").read_text()) or {}
        return (config.get("vars") or {}).get(name, default)

    @property
    def resolved_target(self) -> Target | None:
        """The target if a step of the command resolved it already, else None."""
        return self._target

    def resolve_target_ahead(self) -> None:
        """Starts resolving the target in a forked process, so that dbt's profile code (about a
        second) runs on another core while the command imports what it needs (Great Expectations,
        scikit-learn: a second or two); `target` collects the result, or raises the same
        UsageError. Where fork is not available the target resolves when first used."""
        if self._target is not None or self._target_ahead is not None \
                or "fork" not in multiprocessing.get_all_start_methods():
            return
        executor = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        self._target_ahead = executor, executor.submit(resolve_target, self.profiles, self.target_arg)

    def close(self) -> None:
        """Stops a target resolution started ahead that nothing collected (a usage error came first):
        its worker process and thread end here, not at the interpreter's exit, where the executor's
        own exit hook can write to the pipe its thread is closing (a traceback after the error)."""
        if self._target_ahead is not None:
            executor, _ = self._target_ahead
            self._target_ahead = None
            executor.shutdown(wait=True, cancel_futures=True)

    @property
    def target(self) -> Target:
        if self._target is None and self._target_ahead is not None:
            executor, future = self._target_ahead
            self._target_ahead = None
            try:
                self._target = future.result()
            finally:
                executor.shutdown()
        if self._target is None:
            self._target = resolve_target(self.profiles, self.target_arg)
        return self._target

    def require_duckdb(self, command: str) -> Path:
        """The DuckDB file of the target; another engine is refused in one line."""
        target = self.target
        if target.type != "duckdb":
            raise UsageError(f"{command} reads the warehouse through DuckDB, but target '{target.name}' is "
                             f"{target.type}: run it on a duckdb target (the models themselves build on any target)")
        return target.duckdb_path

    def _invoke(self, command: str, args: list[str], variables: dict, analysis: bool):
        """dbt <command> through dbtRunner with this project's profile and target, and variables
        (--vars and the command's own)."""
        # dbt is imported here, not at the top: it costs a second or two, which commands that
        # never run dbt (generate, export) should not pay
        from dbt.cli.main import dbtRunner

        cli = [*command.split(), "--project-dir", str(PROJECT_DIR), "--profiles-dir", self.profiles]
        if not sys.stdout.isatty():
            cli.insert(0, "--no-use-colors")  # no colour codes in cron logs
        if self.target_arg:
            cli += ["--target", self.target_arg]
        variables = dict(variables)
        if analysis:
            variables["schema_prefix"] = ANALYSIS_PREFIX
        cli += ["--target-path", str(target_dir(analysis))]
        if variables:
            cli += ["--vars", json.dumps(variables)]
        try:
            result = dbtRunner().invoke(cli + args)
        finally:
            release_duckdb()
        if result.exception is not None:
            raise UsageError("\n".join(problem_lines(str(result.exception))))
        return result

    def parse(self, analysis: bool = False) -> None:
        """dbt parse: writes the manifest the relation names come from."""
        self._invoke("parse", ["--quiet"], self.vars, analysis)

    def run_operation(self, macro: str, macro_args: dict) -> int:
        """dbt run-operation macro --args (a JSON mapping: values reach the macro as data)."""
        result = self._invoke("run-operation", [macro, "--args", json.dumps(macro_args)], self.vars, False)
        if result.success:
            return EXIT_OK
        print(f"error: {macro} failed (see above)", file=sys.stderr)
        return EXIT_BUILD_FAILED

    def source_freshness(self, summary: dict) -> None:
        """dbt source freshness into the target folder (sources.json, which validate reads), with
        one line per source. A stale source does not stop the run: the scores as of now are still
        right about what has loaded, and validate fails on a source past its error_after."""
        self._invoke("source freshness", ["--quiet"], self.vars, False)
        _, checked = freshness_results(target_dir() / "sources.json")
        summary["freshness"] = checked
        for c in checked:
            age = "no rows" if c["newest_load_hours_ago"] is None else f"newest load {c['newest_load_hours_ago']:g} h ago"
            print(f"freshness: {c['source']} {c['status']} ({age})")

    def build(self, build: Build, summary: dict, freshness: bool = False) -> int:
        """dbt build: live progress per node, then a summary table; freshness: dbt source
        freshness first, once the options are known to be valid."""
        variables = {**self.vars, **build.vars}
        pass_as_of(build.as_of, variables)  # a bad as-of is refused before anything else
        summary["target"] = self.target.name
        check_seeds()
        if self.target.type == "duckdb":
            warehouse.check_openable(self.target.duckdb_path)
        args = []
        exclude = build.exclude
        if build.selector:
            # dbt ignores --select/--exclude next to --selector: refuse rather than drop them
            if build.select or exclude or build.calibration:
                raise UsageError("--selector cannot be combined with --select, --exclude or --calibration")
            args += ["--selector", build.selector]
        elif build.select:
            args += ["--select", build.select]
        elif build.calibration:
            args += ["--select", "fqn:*"]
        else:
            # as the default selector (selectors.yml) does; dbt drops it as soon as --exclude is given
            exclude = " ".join(filter(None, [exclude, "tag:calibration"]))
        if exclude:
            args += ["--exclude", exclude]
        if build.exclude_resource_type:
            # unlike --exclude, dbt honours this next to --selector too
            args += ["--exclude-resource-type", *build.exclude_resource_type]
        if build.full_refresh:
            args += ["--full-refresh"]
        if freshness:
            self.source_freshness(summary)
        started = time.time()
        result = self._invoke("build", args, variables, build.analysis)
        nodes = [{"unique_id": r.node.unique_id, "name": r.node.name, "resource_type": str(r.node.resource_type),
                  "status": str(r.status), "seconds": round(r.execution_time or 0.0, 3),
                  "message": r.message if str(r.status) in ("error", "fail") else None}
                 for r in getattr(result.result, "results", None) or []]
        summary["build"] = {"success": bool(result.success), "seconds": round(time.time() - started, 2), "nodes": nodes}
        print_build_table(nodes)
        if result.success:
            return EXIT_OK
        failed = [n for n in nodes if n["status"] in ("error", "fail")]
        if failed and all(any(m in (n["message"] or "") for m in CONFIG_ERROR_MARKERS) for n in failed):
            print("error: the project configuration has problems (listed above): fix them and run again", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_BUILD_FAILED


# Failures of these nodes come from the project's own config checks: a usage error, not a bug.
CONFIG_ERROR_MARKERS = ("The scoring seeds have", "var score_as_of")


def print_build_table(nodes: list[dict]) -> None:
    if not nodes:
        return
    by_kind: dict[tuple[str, str], list[float]] = {}
    for n in nodes:
        by_kind.setdefault((n["resource_type"], n["status"]), []).append(n["seconds"])
    print("\nbuild summary")
    print(f"  {'resource':<12} {'status':<8} {'nodes':>6} {'seconds':>9}")
    for (kind, status), secs in sorted(by_kind.items()):
        print(f"  {kind:<12} {status:<8} {len(secs):>6} {sum(secs):>9.2f}")
    slowest = sorted(nodes, key=lambda n: -n["seconds"])[:5]
    print("  slowest: " + ", ".join(f"{n['name']} {n['seconds']:.1f}s" for n in slowest))
    for n in nodes:
        if n["status"] in ("error", "fail"):
            first_line = (n["message"] or "").strip().splitlines()[:1]
            print(f"  {n['status'].upper()}: {n['unique_id']}: {first_line[0] if first_line else ''}")


def utc_now_text() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
