"""leadscore: run the lead-scoring dbt project.

Commands:
  generate  write synthetic raw data into the DuckDB file (never overwrites a user's raw tables)
  build     run `dbt build` through dbt's Python API, with a summary table at the end
  validate  Great Expectations checks on the marts and quarantine tables
  run       the main job: generate demo data if there is no raw data, build, validate, print the
            top leads with their strongest reasons and the count per band and matrix cell
  backfill  re-score as of each point of a date range (--from, --to, --every 1d|7d) into
            lead_score_history, point in time, then rebuild lead_lifecycle_events
  export    write the lead_score_sync rows changed since the last successful export to CSV,
            Parquet or JSON Lines, atomically; the watermark lives in exports.sync_watermarks
  calibrate backtest as of --as-of and write a proposed points table (<model>_calibrated, in the
            seed format, under calibration/) with a rule-by-rule diff; never edits seeds/
  train     fit a logistic regression on backtest_features at earlier as-ofs, hold out --as-of,
            write its rows into seeds/predictive_weights.csv and a model card under calibration/
  report    one self-contained HTML file (inline SVG charts) on scores, conversion and signals

Exit codes: 0 success, 1 validation failed, 2 bad usage or configuration, 3 build failed.
Every command that builds or validates writes target/run_summary.json.

The DuckDB file is LEAD_SCORING_DUCKDB_PATH (default lead_scoring.duckdb in the project folder);
profiles are found the dbt way: --profiles-dir, DBT_PROFILES_DIR, else the project's own.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

EXIT_OK = 0
EXIT_VALIDATION_FAILED = 1
EXIT_USAGE = 2
EXIT_BUILD_FAILED = 3


class UsageError(Exception):
    """A mistake the user can fix (bad option, missing file): printed as one line, no traceback."""


def duckdb_path() -> Path:
    path = Path(os.environ.get("LEAD_SCORING_DUCKDB_PATH", "lead_scoring.duckdb"))
    return path if path.is_absolute() else PROJECT_DIR / path


def profiles_dir(arg: str | None) -> str:
    chosen = arg or os.environ.get("DBT_PROFILES_DIR") or str(PROJECT_DIR)
    if not (Path(chosen) / "profiles.yml").is_file():
        raise UsageError(f"no profiles.yml in {chosen}: pass --profiles-dir or set DBT_PROFILES_DIR")
    return chosen


def cmd_generate(args, summary: dict | None = None) -> int:
    import duckdb
    import generate_data

    try:
        as_of = generate_data.parse_as_of(args.as_of)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    con = duckdb.connect(str(duckdb_path()))
    try:
        if generate_data.raw_tables_present(con) and not generate_data.is_generated(con) and not args.replace:
            raise UsageError(f"{duckdb_path().name} already has raw tables that were not generated here; "
                             "pass --replace to overwrite them")
        started = time.time()
        bar = None
        if args.leads >= 100_000:  # a progress bar where it takes long enough to matter
            from tqdm import tqdm

            bar = tqdm(total=len(generate_data.STEPS), desc="generating", unit="step")
            started_steps = []

            def progress(label):
                if started_steps:  # a step starts when the previous one is done
                    bar.update(1)
                started_steps.append(label)
                bar.set_postfix_str(label)
        else:
            def progress(label):
                print(f"  generating {label} ...", flush=True)
        counts = generate_data.generate(con, args.leads, args.seed, args.bad_rate, as_of, progress=progress)
        if bar is not None:
            bar.update(1)
            bar.close()
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        con.close()
    print(f"generated {counts['leads']:,} lead rows, {counts['events']:,} event rows, "
          f"{counts['conversions']:,} conversions in {time.time() - started:.1f}s")
    return EXIT_OK


MARTS = ["lead_scores", "lead_score_reasons", "lead_features", "lead_conversion_probability", "lead_score_history",
         "lead_lifecycle_events", "account_scores", "lead_score_sync", "score_backtest", "score_calibration",
         "rule_close_rates", "attribute_close_rates", "backtest_features", "quarantined_leads",
         "quarantined_events", "quarantined_conversions", "staging_reconciliation"]
# Failures of these nodes come from the project's own config checks: a usage error, not a bug.
CONFIG_ERROR_MARKERS = ("The scoring seeds have", "It is part of the input contract", "var events_loaded_at_column",
                        "No table ", "var score_as_of")


def target_dir() -> Path:
    return PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")


def chosen_output(directory: str, target: str | None) -> tuple[str, dict]:
    """The target that will run and its profile output; a missing profile or target is a usage
    error, not a dbt traceback."""
    import yaml

    profile_name = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["profile"]
    path = Path(directory) / "profiles.yml"
    try:
        profiles = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}") from exc
    profile = profiles.get(profile_name)
    if not isinstance(profile, dict) or not profile.get("outputs"):
        raise UsageError(f"{path} has no profile '{profile_name}' with outputs: add it (see the README)")
    chosen = target or profile.get("target")
    if chosen not in profile["outputs"]:
        raise UsageError(f"unknown target '{chosen}': {path} defines {', '.join(sorted(profile['outputs']))}")
    return chosen, profile["outputs"][chosen] or {}


def check_profile(directory: str, target: str | None) -> str:
    return chosen_output(directory, target)[0]


def require_duckdb_target(args) -> None:
    """calibrate, train and report read what they built from the DuckDB file."""
    chosen, output = chosen_output(profiles_dir(args.profiles_dir), args.target)
    kind = output.get("type")
    if kind != "duckdb":
        raise UsageError(f"{args.command} reads its results from the DuckDB file, but target '{chosen}' is {kind}: "
                         "run it on a duckdb target (the models themselves build on any target)")


def check_seeds() -> None:
    """Seeds must at least be readable CSV with a full header; their contents are checked in SQL."""
    for path in sorted((PROJECT_DIR / "seeds").glob("*.csv")):
        try:
            with path.open(newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise UsageError(f"seeds/{path.name} cannot be read: {exc}") from exc
        raw = path.read_bytes()
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
    import yaml

    if not text:
        return {}
    try:
        variables = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"--vars is not valid YAML: {' '.join(str(exc).split())}") from exc
    if not isinstance(variables, dict):
        raise UsageError("--vars must be a mapping, e.g. --vars '{score_as_of: \"2026-06-30\"}'")
    return variables


def dbt_build(args, summary: dict) -> int:
    from dbt.cli.main import dbtRunner

    profiles = profiles_dir(args.profiles_dir)
    summary["target"] = check_profile(profiles, args.target)
    check_seeds()
    cli = ["build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", profiles]
    if args.target:
        cli += ["--target", args.target]
    exclude = getattr(args, "exclude", None)  # the multi-build commands have no --exclude
    selector = getattr(args, "selector", None)
    if selector:
        # dbt ignores --select/--exclude next to --selector: refuse rather than drop them
        if args.select or exclude or getattr(args, "calibration", False):
            raise UsageError("--selector cannot be combined with --select, --exclude or --calibration")
        cli += ["--selector", selector]
    elif args.select:
        cli += ["--select", args.select]
    elif getattr(args, "calibration", False):
        cli += ["--select", "fqn:*"]
    else:
        # as the default selector (selectors.yml) does; dbt drops it as soon as --exclude is given
        exclude = " ".join(filter(None, [exclude, "tag:calibration"]))
    if exclude:
        cli += ["--exclude", exclude]
    if getattr(args, "exclude_resource_type", None):
        # unlike --exclude, dbt honours this next to --selector too
        cli += ["--exclude-resource-type", *args.exclude_resource_type]
    if args.full_refresh:
        cli += ["--full-refresh"]
    variables = parse_vars(args.vars)
    pass_as_of(args.as_of, variables)
    if variables:
        cli += ["--vars", json.dumps(variables)]
    started = time.time()
    # dbt prints live progress per node ("k of N ... OK in s"); the summary table follows.
    result = dbtRunner().invoke(cli)
    if result.exception is not None:
        raise UsageError(f"dbt could not start: {result.exception}")
    nodes = []
    for r in getattr(result.result, "results", None) or []:
        nodes.append({"unique_id": r.node.unique_id, "name": r.node.name, "resource_type": str(r.node.resource_type),
                      "status": str(r.status), "seconds": round(r.execution_time or 0.0, 3),
                      "message": r.message if str(r.status) in ("error", "fail") else None})
    summary["build"] = {"success": bool(result.success), "seconds": round(time.time() - started, 2), "nodes": nodes}
    print_build_table(nodes)
    if result.success:
        return EXIT_OK
    failed = [n for n in nodes if n["status"] in ("error", "fail")]
    if failed and all(any(m in (n["message"] or "") for m in CONFIG_ERROR_MARKERS) for n in failed):
        print("error: the project configuration has problems (listed above): fix them and run again", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_BUILD_FAILED


# what the multi-build commands leave out: they build models (and seeds) only
NO_TESTS = ["test", "unit_test"]
AS_OF_ENV = "LEAD_SCORING_AS_OF"
# the caller's own LEAD_SCORING_AS_OF: what a build without --as-of uses, also after other builds
# of this process (backfill, calibrate) set theirs
CALLER_AS_OF = os.environ.get(AS_OF_ENV)


def pass_as_of(as_of: str | None, variables: dict) -> None:
    """Hands --as-of (else the caller's LEAD_SCORING_AS_OF) to dbt as LEAD_SCORING_AS_OF, checked
    and normalised, not as var score_as_of: dbt re-parses the whole project whenever --vars change
    (about 7 s instead of 3.5 s at each new as-of), not when an environment variable only read
    while executing does (macros/score_as_of.sql)."""
    if as_of:
        variables.pop("score_as_of", None)
        text, source = as_of, "--as-of"
    else:
        text, source = CALLER_AS_OF, AS_OF_ENV
    if text is None or text.strip().lower() in ("", "now"):
        os.environ.pop(AS_OF_ENV, None)
        return
    parsed = parse_time(text, source)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    os.environ[AS_OF_ENV] = parsed.strftime("%Y-%m-%d %H:%M:%S")


def build_with(args, summary: dict, **options) -> int:
    """dbt_build with some of the command's options replaced (a step of a multi-build command;
    never a full refresh)."""
    return dbt_build(argparse.Namespace(**{**vars(args), "full_refresh": False, **options}), summary)


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


def row_counts() -> dict:
    import duckdb

    counts = {}
    con = duckdb.connect(str(duckdb_path()))
    try:
        for mart in MARTS:
            try:
                counts[mart] = con.execute(f"select count(*) from main.{mart}").fetchone()[0]
            except duckdb.Error:
                counts[mart] = None
        try:
            as_of = con.execute("select max(scored_at) from main.lead_scores").fetchone()[0]
        except duckdb.Error:
            as_of = None
    finally:
        con.close()
    return {"row_counts": counts, "scored_as_of": as_of.isoformat(sep=" ") if as_of else None}


def write_summary(summary: dict, code: int) -> None:
    summary["exit_code"] = code
    summary["finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if summary.get("build") or summary.get("validation"):
        try:
            summary.update(row_counts())
        except Exception as exc:  # the summary must still be written when the warehouse is unreadable
            summary["row_counts_error"] = str(exc)
    out = target_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / "run_summary.json").write_text(json.dumps(summary, indent=2, default=str))


def run_validation(args, summary: dict) -> int:
    import validate_outputs

    limits = validate_outputs.Limits(quarantine_warn=args.quarantine_warn, quarantine_fail=args.quarantine_fail,
                                     freshness_days=args.freshness_days, mql_share_min=args.mql_share_min,
                                     mql_share_max=args.mql_share_max)
    if not duckdb_path().exists():
        raise UsageError(f"{duckdb_path().name} does not exist: run build first")
    try:
        result = validate_outputs.validate(duckdb_path(), target_dir(), limits)
    except Exception as exc:
        if "does not exist" in str(exc):
            raise UsageError(f"the marts are not built yet ({str(exc).splitlines()[0]}): run build first") from exc
        raise
    for line in validate_outputs.report_lines(result):
        print(line)
    print(f"validation report: {target_dir() / 'validation_result.json'}; data docs: {result['data_docs']}")
    summary["validation"] = {k: result[k] for k in ("success", "expectations", "failures", "warnings")}
    return EXIT_OK if result["success"] else EXIT_VALIDATION_FAILED


def print_summary(top: int) -> None:
    import duckdb

    # not read_only: dbt-duckdb keeps its own instance of the file open in this process, and
    # DuckDB refuses a second connection with a different configuration
    con = duckdb.connect(str(duckdb_path()))
    try:
        models = [r[0] for r in con.execute("select distinct model from main.lead_scores order by 1").fetchall()]
        for model in models:
            print(f"\n== {model}: top {top} leads ==")
            rows = con.execute("""
                with top_leads as (
                    select * from main.lead_scores where model = ?
                    order by total_score desc, lead_id limit ?
                ),
                reasons as (
                    select lead_id, rule_id, points,
                           row_number() over (partition by lead_id order by points desc, rule_id) as rn
                    from main.lead_score_reasons
                    where model = ? and reason_type = 'rule' and points > 0
                )
                select t.lead_id, t.total_score, t.fit_score, t.engagement_score, t.score_band, t.score_matrix,
                       t.is_mql,
                       string_agg(r.rule_id || ' +' || cast(r.points as varchar), ', ' order by r.rn) as reasons
                from top_leads t left join reasons r on t.lead_id = r.lead_id and r.rn <= 3
                group by all
                order by t.total_score desc, t.lead_id
            """, [model, top, model]).fetchall()
            print(f"{'lead_id':<12} {'total':>6} {'fit':>6} {'eng':>6} {'band':<8} {'cell':<4} mql  strongest reasons")
            for lead_id, total, fit, eng, band, cell, mql, reasons in rows:
                print(f"{lead_id:<12} {total:>6} {fit:>6} {eng:>6} {band or '-':<8} {cell or '-':<4} "
                      f"{'yes' if mql else 'no ':<4} {reasons or ''}")
            bands = con.execute("""select coalesce(score_band, '(none)'), count(*), sum(case when is_mql then 1 else 0 end)
                                   from main.lead_scores where model = ? group by 1 order by 2 desc""",
                                [model]).fetchall()
            print("band counts: " + ", ".join(f"{b}={n:,} (mql {m:,})" for b, n, m in bands))
            cells = con.execute("""select coalesce(score_matrix, '-'), count(*) from main.lead_scores
                                   where model = ? group by 1 order by 1""", [model]).fetchall()
            print("matrix cells: " + ", ".join(f"{c}={n:,}" for c, n in cells))
    finally:
        con.close()


def cmd_run(args, summary: dict) -> int:
    import duckdb
    import generate_data

    con = duckdb.connect(str(duckdb_path()))
    try:
        present = generate_data.raw_tables_present(con)
    finally:
        con.close()
    if not present:
        print(f"no raw data in {duckdb_path().name}: generating a demo dataset ({args.leads:,} leads)")
        summary["generated_demo_data"] = True
        cmd_generate(argparse.Namespace(as_of=None, leads=args.leads, seed=args.seed, bad_rate=args.bad_rate,
                                        replace=False))
    elif len(present) < 3:
        raise UsageError(f"raw schema has only {', '.join(present)}: leads, events and conversions are all required")
    code = dbt_build(args, summary)
    if code:
        print("build failed: see the errors above", file=sys.stderr)
        return code
    code = run_validation(args, summary)
    print_summary(args.top)
    return code


def parse_every(text: str) -> dt.timedelta:
    import re

    match = re.fullmatch(r"(\d+)d", text.strip())
    if not match or int(match.group(1)) < 1:
        raise UsageError(f"--every {text!r}: give a number of days such as 1d or 7d")
    return dt.timedelta(days=int(match.group(1)))


def parse_time(text: str, option: str) -> dt.datetime:
    import generate_data  # the grammar dbt's score_as_of accepts, shared with generate

    try:
        return generate_data.parse_utc_time(text, option)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_backfill(args, summary: dict) -> int:
    """Re-scores as of each point from --from to --to (inclusive) so lead_score_history holds
    them all: point in time, because scoring ignores events after each as-of. Builds only what
    history needs per point (tests excluded), then lead_lifecycle_events once at the end."""
    start, end = parse_time(args.date_from, "--from"), parse_time(args.date_to, "--to")
    step = parse_every(args.every)
    if end < start:
        raise UsageError(f"--to {args.date_to} is before --from {args.date_from}")
    points = []
    while start <= end:
        points.append(start)
        start += step
    summary["backfill"] = {"as_of": [], "seconds": 0.0}
    started = time.time()
    for number, as_of in enumerate(points, start=1):
        text = as_of.strftime("%Y-%m-%d %H:%M:%S")
        print(f"== backfill {number}/{len(points)}: as of {text}", flush=True)
        code = build_with(args, {}, as_of=text, select="+lead_score_history", exclude_resource_type=NO_TESTS)
        if code != EXIT_OK:
            return code
        summary["backfill"]["as_of"].append(text)
    code = build_with(args, summary, as_of=points[-1].strftime("%Y-%m-%d %H:%M:%S"), select="lead_lifecycle_events",
                      exclude=None)
    summary["backfill"]["seconds"] = round(time.time() - started, 2)
    print(f"backfilled {len(points)} as-ofs into lead_score_history; lead_lifecycle_events rebuilt. "
          "lead_scores is re-scored by the next build.")
    return code


EXPORT_FORMATS = {"csv": "(format csv, header)", "parquet": "(format parquet)", "jsonl": "(format json)"}


def write_export(con, query: str, fmt: str, path: Path) -> None:
    """Writes the query result to path (the temporary file; publish() moves it into place)."""
    con.execute(f"copy ({query}) to '{path}' {EXPORT_FORMATS[fmt]}")


def publish(temporary: Path, out: Path) -> None:
    """Atomic on one file system: readers see the old file or the whole new one."""
    os.replace(temporary, out)


def cmd_export(args, summary: dict) -> int:
    """Writes the lead_score_sync rows changed since the last successful export (its watermark is
    kept in exports.sync_watermarks) to --out, atomically; the watermark only moves after the
    file is in place, so a crash exports the same rows again next time."""
    import duckdb

    out = Path(args.out).resolve()
    fmt = args.format or {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".json": "jsonl"}.get(out.suffix)
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--out {args.out}: say --format csv, parquet or jsonl")
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: folder {out.parent} does not exist")
    path = duckdb_path()
    if not path.exists():
        raise UsageError(f"no DuckDB file at {path}: run `leadscore.py build` first")
    con = duckdb.connect(str(path))
    try:
        exists = con.execute("select count(*) from information_schema.tables "
                             "where table_schema = 'main' and table_name = 'lead_score_sync'").fetchone()[0]
        if not exists:
            raise UsageError("main.lead_score_sync does not exist: run `leadscore.py build` first")
        con.execute("create schema if not exists exports")
        con.execute("create table if not exists exports.sync_watermarks (export_name varchar primary key, "
                    "watermark timestamp, exported_at timestamp, exported_rows bigint, file varchar)")
        stored = con.execute("select watermark from exports.sync_watermarks where export_name = ?",
                             [args.name]).fetchone()
        since = parse_time(args.since, "--since") if args.since else (stored[0] if stored else None)
        where = f"updated_at > timestamp '{since:%Y-%m-%d %H:%M:%S.%f}'" if since else "true"
        query = f"select * from main.lead_score_sync where {where} order by sync_key"
        rows, watermark = con.execute(f"select count(*), max(updated_at) from main.lead_score_sync where {where}").fetchone()
        summary["export"] = {"name": args.name, "since": str(since) if since else None, "rows": rows,
                             "format": fmt, "out": out.name, "dry_run": bool(args.dry_run)}
        described = f"since {since}" if since else "(first export: every row)"
        if args.dry_run:
            print(f"{rows} rows changed {described}; dry run, nothing written")
            return EXIT_OK
        if rows == 0:
            print(f"no rows changed {described}; no file written, watermark unchanged")
            return EXIT_OK
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            write_export(con, query, fmt, temporary)
            publish(temporary, out)
        finally:
            temporary.unlink(missing_ok=True)
        con.execute("insert or replace into exports.sync_watermarks values (?, ?, now(), ?, ?)",
                    [args.name, watermark, rows, out.name])
        summary["export"]["watermark"] = str(watermark)
        print(f"exported {rows} rows changed {described} to {out} ({fmt}); watermark now {watermark}")
        return EXIT_OK
    finally:
        con.close()


def slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")[:40] or "value"


def read_seed(name: str) -> tuple[list[str], list[dict]]:
    with (PROJECT_DIR / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")  # like the shipped seeds
        writer.writeheader()
        writer.writerows(rows)


def cmd_calibrate(args, summary: dict) -> int:
    """The closing-rate method as a reviewable change: builds the backtest as of --as-of, then
    writes <out-dir>/<model>_calibrated/ with the model's rules re-pointed by the evidence
    (rule_close_rates), strong signals no rule covers yet (attribute_close_rates), the model and
    threshold rows for the new model, and diff.md - never the user's own seeds."""
    require_duckdb_target(args)
    import duckdb

    header, all_rules = read_seed("scoring_rules")
    rules = [r for r in all_rules if r["model"].strip() == args.model]
    if not rules:
        raise UsageError(f"seeds/scoring_rules.csv has no rules for model {args.model!r}")
    new_model = f"{args.model}_calibrated"
    code = build_with(args, summary, select="+rule_close_rates +attribute_close_rates", exclude_resource_type=NO_TESTS,
                      vars=json.dumps({**parse_vars(args.vars), "backtest_horizon_days": args.horizon,
                                       "calibration_method": args.method}))
    if code != EXIT_OK:
        return code
    con = duckdb.connect(str(duckdb_path()))  # not read_only: dbt-duckdb still holds the file in this process
    try:
        evidence = {row[0]: row for row in con.execute(
            "select rule_id, leads_matched, converters_matched, close_rate, overall_close_rate, close_rate_lower, "
            "close_rate_upper, is_supported, suggested_points from main.rule_close_rates where model = ?",
            [args.model]).fetchall()}
        signals = con.execute(
            "select signal_kind, field, signal_value, operator, value, value_to, leads_with, converters_with, close_rate, "
            "overall_close_rate, close_rate_lower, close_rate_upper, suggested_points from main.attribute_close_rates "
            "where is_supported and suggested_points is not null and abs(suggested_points) >= ? "
            "order by abs(suggested_points) desc, field, signal_value", [args.min_points]).fetchall()
    finally:
        con.close()

    def rate(x):
        return f"{100 * x:.1f}%"

    proposed, lines = [], []
    for rule in rules:
        row = dict(rule, model=new_model)
        found = evidence.get(rule["rule_id"])
        if rule.get("disqualify", "").strip().lower() == "true":
            note = "kept: a disqualifying rule is a policy, not a points question"
        elif found is None:
            note = "kept: the rule matched no lead in the backtest"
        elif not found[7]:
            note = f"kept: only {found[1]} leads matched (support below close_rate_min_support)"
        else:
            row["points"] = str(found[8])
            note = "changed" if float(found[8]) != float(rule["points"] or 0) else "unchanged"
        proposed.append(row)
        if found:
            evidence_text = (f"{found[1]} leads, {found[2]} converted: {rate(found[3])} vs {rate(found[4])} overall "
                             f"(95% {rate(found[5])}-{rate(found[6])})")
        else:
            evidence_text = "no match"
        lines.append(f"| {rule['rule_id']} | {rule['points']} | {row['points']} | {evidence_text} | {note} |")

    used = {(r["field"].strip().lower(), (r.get("value") or "").strip().lower()) for r in rules}
    used_fields = {field for field, _ in used}
    added = []
    for kind, field, signal_value, operator, value, value_to, n, x, close, overall, low, high, points in signals:
        if field in used_fields or (operator is None and kind != "event"):
            continue  # a current rule speaks for this field, or the signal cannot be written as a rule
        source = "event" if kind == "event" else "attribute"
        row = {h: "" for h in header}
        row.update({"model": new_model, "rule_id": f"cal_{slug(field)}_{slug(signal_value)}",
                    "dimension": "engagement" if source == "event" else "fit", "source": source, "field": field,
                    "operator": operator or "", "value": value or "", "value_to": "" if value_to is None else repr(value_to),
                    "points": str(points), "disqualify": "false",
                    "description": f"Calibrated: {field} {signal_value} closed at {rate(close)} vs {rate(overall)}"})
        if source == "event":
            row["max_points"] = str(abs(points))  # the signal is having the event, not how often
        if row["rule_id"] in {r["rule_id"] for r in proposed}:
            continue
        proposed.append(row)
        added.append(row)
        lines.append(f"| {row['rule_id']} (new) | - | {points} | {n} leads, {x} converted: {rate(close)} vs "
                     f"{rate(overall)} overall (95% {rate(low)}-{rate(high)}) | new signal |")

    out_dir = Path(args.out_dir).resolve() / new_model
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "scoring_rules.csv", header, proposed)
    for seed in ("scoring_models", "score_thresholds", "scoring_groups"):
        seed_header, seed_rows = read_seed(seed)
        write_csv(out_dir / f"{seed}.csv", seed_header,
                  [dict(r, model=new_model) for r in seed_rows if r["model"].strip() == args.model])
    (out_dir / "diff.md").write_text("\n".join([
        f"# {new_model}: {args.model} re-pointed by the closing-rate method",
        "",
        f"As of {args.as_of}, outcome = a conversion within {args.horizon} days after; method `{args.method}` "
        f"(capped at var calibration_max_points). Review it like code; to run it side by side with "
        f"{args.model}, append each CSV's rows to the seed of the same name and `leadscore.py build`.",
        "",
        "| rule | current points | suggested points | evidence | note |",
        "|---|---|---|---|---|",
        *lines, ""]))
    changed = sum(1 for line in lines if line.endswith("| changed |"))
    summary["calibrate"] = {"model": new_model, "rules": len(proposed), "changed": changed, "new": len(added),
                            "out_dir": str(out_dir.relative_to(Path.cwd())) if out_dir.is_relative_to(Path.cwd()) else out_dir.name}
    print(f"{new_model}: {len(proposed)} rules ({changed} re-pointed, {len(added)} new) in {out_dir}; "
          f"see {out_dir / 'diff.md'}")
    return EXIT_OK


def read_table(query: str, params=None):
    """A DataFrame from the DuckDB file (not read_only: dbt-duckdb still holds it in this process)."""
    import duckdb

    con = duckdb.connect(str(duckdb_path()))
    try:
        return con.execute(query, params or []).df()
    finally:
        con.close()


def cmd_train(args, summary: dict) -> int:
    """Fits the predictive model on a time split - backtest_features as of each training as-of
    (each one's horizon ending on or before --as-of) against the held-out as-of --as-of - writes
    its rows into seeds/predictive_weights.csv (other models' rows kept) and a model card, then
    builds lead_conversion_probability and the backtest at --as-of and checks that SQL gives the
    probabilities scikit-learn gave. A mismatch restores the previous seed."""
    require_duckdb_target(args)
    import pandas as pd
    import sklearn

    import predictive

    test_as_of = parse_time(args.as_of, "--as-of")
    step = parse_every(args.every)
    if args.train_as_ofs < 1:
        raise UsageError("--train-as-ofs must be at least 1")
    if args.model in {r["model"].strip() for r in read_seed("scoring_models")[1]}:
        raise UsageError(f"--model {args.model!r} is a rules model in seeds/scoring_models.csv: choose another name")
    horizon = dt.timedelta(days=args.horizon)
    if args.train_at:
        train_points = sorted(parse_time(t, "--train-at") for t in args.train_at.split(","))
    else:
        train_points = [test_as_of - horizon - k * step for k in reversed(range(args.train_as_ofs))]
    late = [p for p in train_points if p + horizon > test_as_of]
    if late:  # its labels would look into the held-out period
        raise UsageError(f"training as-of {late[-1]:%Y-%m-%d %H:%M:%S} + {args.horizon} days is after --as-of "
                         f"{args.as_of}: training outcomes must end by the held-out as-of")
    base_vars = {**parse_vars(args.vars), "backtest_horizon_days": args.horizon}

    def build(as_of: dt.datetime, select: str) -> int:
        return build_with(args, {}, as_of=as_of.strftime("%Y-%m-%d %H:%M:%S"), select=select, calibration=True,
                          exclude_resource_type=NO_TESTS, vars=json.dumps(base_vars))

    frames = []
    for number, as_of in enumerate(train_points, start=1):
        print(f"== train {number}/{len(train_points)}: features as of {as_of:%Y-%m-%d %H:%M:%S}", flush=True)
        code = build(as_of, "+backtest_features")
        if code != EXIT_OK:
            return code
        frames.append(read_table("select * from main.backtest_features order by lead_id"))
    train = pd.concat(frames, ignore_index=True)
    try:
        terms, model = predictive.fit(train, args.c, args.min_level_support, args.penalty)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc

    seed_path = PROJECT_DIR / "seeds" / "predictive_weights.csv"
    previous = seed_path.read_bytes() if seed_path.exists() else None
    kept = [r for r in read_seed("predictive_weights")[1] if r["model"].strip() != args.model] if previous else []
    write_csv(seed_path, predictive.SEED_HEADER, kept + predictive.seed_rows(args.model, model, terms))

    print(f"== held out: as of {test_as_of:%Y-%m-%d %H:%M:%S}", flush=True)
    code = build(test_as_of, "+backtest_features +score_backtest +score_calibration")
    difference = None
    if code == EXIT_OK:
        held_out = read_table("select * from main.backtest_features order by lead_id")
        sql = read_table("select lead_id, conversion_probability from main.lead_conversion_probability "
                         "where model = ?", [args.model])
        expected = pd.Series(model.predict_proba(predictive.encode(held_out, terms))[:, 1], index=held_out["lead_id"])
        got = sql.set_index("lead_id")["conversion_probability"].reindex(expected.index)
        difference = float((got - expected).abs().max()) if got.notna().all() else float("inf")
    if difference is None or difference > 1e-9:
        if previous is None:
            seed_path.unlink()
        else:
            seed_path.write_bytes(previous)
        problem = "the held-out build failed" if difference is None else \
            f"SQL and scikit-learn probabilities differ by up to {difference:.3g}"
        print(f"error: {problem}; seeds/predictive_weights.csv restored", file=sys.stderr)
        return EXIT_BUILD_FAILED

    side_by_side = read_table("select scorer, model, roc_auc from main.score_backtest order by scorer, model")
    card = {"model": args.model, "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__, "c": args.c, "penalty": args.penalty, "horizon_days": args.horizon,
            "candidate_terms": len(terms),
            "min_level_support": args.min_level_support,
            "train_as_ofs": [f"{p:%Y-%m-%d %H:%M:%S}" for p in train_points],
            "test_as_of": f"{test_as_of:%Y-%m-%d %H:%M:%S}",
            "train": {k: v for k, v in predictive.evaluate(model, terms, train).items() if k != "calibration"},
            "held_out": predictive.evaluate(model, terms, held_out),
            "sql_max_abs_difference": difference,
            "side_by_side": side_by_side.to_dict("records"),
            "terms": sorted(((t.name, float(w)) for t, w in zip(terms, model.coef_[0]) if w != 0), key=lambda x: -abs(x[1]))}
    out_dir = Path(args.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{args.model}_model_card.json").write_text(json.dumps(card, indent=2) + "\n")
    (out_dir / f"{args.model}_model_card.md").write_text(predictive.model_card(card))
    summary["train"] = {k: card[k] for k in ("model", "train_as_ofs", "test_as_of", "sql_max_abs_difference")}
    summary["train"]["held_out_roc_auc"] = card["held_out"]["roc_auc"]
    print(f"{args.model}: {len(card['terms'])} of {len(terms)} terms from {len(train)} lead snapshots; held-out ROC AUC "
          f"{card['held_out']['roc_auc']:.3f}, log-loss {card['held_out']['log_loss']:.4f}; weights in "
          f"seeds/predictive_weights.csv, model card in {out_dir / (args.model + '_model_card.md')}")
    return EXIT_OK


REPORT_TABLES = ("score_backtest", "score_calibration", "attribute_close_rates", "lead_scores", "lead_score_history",
                 "lead_lifecycle_events", "quarantined_leads")


def cmd_report(args, summary: dict) -> int:
    """Writes the HTML report (scripts/report.py) from the current build; with --as-of, first
    builds everything (calibration included, tests left out) as of that time."""
    require_duckdb_target(args)
    import duckdb

    import report

    if args.as_of:
        code = build_with(args, summary, select=None, calibration=True, exclude_resource_type=NO_TESTS,
                          vars=json.dumps({**parse_vars(args.vars), "backtest_horizon_days": args.horizon}))
        if code != EXIT_OK:
            return code
    con = duckdb.connect(str(duckdb_path()))  # not read_only: dbt-duckdb may still hold the file in this process
    try:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                             "where table_schema = 'main'").fetchall()}
        missing = [t for t in REPORT_TABLES if t not in present]
        if missing:
            raise UsageError(f"{', '.join(missing)} not built in {duckdb_path().name}: pass --as-of (at least a horizon "
                             "in the past) or run 'leadscore.py build --calibration --as-of T' first")
        page = report.render(report.collect(con))
    finally:
        con.close()
    out = Path(args.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    size = len(page.encode("utf-8"))
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text(page, encoding="utf-8")
    publish(temporary, out)
    summary["report"] = {"out": out.name, "bytes": size}
    print(f"report: {out} ({size / 1024:.0f} KiB, self-contained)")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="leadscore", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add_dbt_options(sp):
        sp.add_argument("--target", help="dbt target (default: the profile's, duckdb)")
        sp.add_argument("--vars", help="more dbt vars, as YAML")
        sp.add_argument("--profiles-dir", help="folder holding profiles.yml")

    def add_build_options(sp):
        add_dbt_options(sp)
        sp.add_argument("--select", help="dbt node selection")
        sp.add_argument("--selector", help="a named selector of selectors.yml, e.g. ingest (the event side alone)")
        sp.add_argument("--exclude", help="dbt nodes to leave out")
        sp.add_argument("--exclude-resource-type", nargs="+", metavar="TYPE",
                        help="resource types to leave out, e.g. test unit_test (models and seeds only); "
                        "unlike --exclude, allowed next to --selector")
        sp.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
        sp.add_argument("--calibration", action="store_true",
                        help="also build the calibration analyses (tag calibration), which a plain build leaves out")
        sp.add_argument("--as-of", help="score as of this UTC time, YYYY-MM-DD[ HH:MM[:SS]] (dbt gets it as "
                        "LEAD_SCORING_AS_OF; var score_as_of in --vars does the same)")

    def add_generate_options(sp):
        sp.add_argument("--leads", type=int, default=10000, help="number of leads (default: %(default)s)")
        sp.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
        sp.add_argument("--bad-rate", type=float, default=0.01, help="share of bad rows (default: %(default)s)")

    g = sub.add_parser("generate", help="write synthetic raw data")
    add_generate_options(g)
    g.add_argument("--as-of", help="end of the generated history, UTC (default: today 00:00)")
    g.add_argument("--replace", action="store_true", help="overwrite raw tables not generated here")
    g.set_defaults(func=cmd_generate)

    def add_validate_options(sp):
        sp.add_argument("--quarantine-warn", type=float, default=0.02,
                        help="warn when a table quarantines more than this share of rows (default: %(default)s)")
        sp.add_argument("--quarantine-fail", type=float, default=0.05,
                        help="fail when a table quarantines more than this share of rows (default: %(default)s)")
        sp.add_argument("--freshness-days", type=float, default=7.0,
                        help="warn when the newest event is older than this before the as-of (default: %(default)s)")
        sp.add_argument("--mql-share-min", type=float, default=0.001, help="minimum MQL share per model (default: %(default)s)")
        sp.add_argument("--mql-share-max", type=float, default=0.5, help="maximum MQL share per model (default: %(default)s)")

    b = sub.add_parser("build", help="run dbt build")
    add_build_options(b)
    b.set_defaults(func=dbt_build)

    v = sub.add_parser("validate", help="Great Expectations checks on the marts")
    add_validate_options(v)
    v.set_defaults(func=run_validation)

    r = sub.add_parser("run", help="generate if needed, build, validate, print the top leads")
    add_build_options(r)
    add_generate_options(r)
    add_validate_options(r)
    r.add_argument("--top", type=int, default=10, help="leads to print per model (default: %(default)s)")
    r.set_defaults(func=cmd_run)

    bf = sub.add_parser("backfill", help="re-score as of each point of a date range into lead_score_history")
    bf.add_argument("--from", dest="date_from", required=True, help="first as-of, UTC (YYYY-MM-DD[ HH:MM[:SS]])")
    bf.add_argument("--to", dest="date_to", required=True, help="last as-of, UTC (included)")
    bf.add_argument("--every", default="1d", help="step between as-ofs: Nd, e.g. 1d or 7d (default: %(default)s)")
    add_dbt_options(bf)
    bf.set_defaults(func=cmd_backfill)

    e = sub.add_parser("export", help="write the lead_score_sync rows changed since the last export")
    e.add_argument("--out", required=True, help="file to write (replaced atomically)")
    e.add_argument("--format", choices=sorted(EXPORT_FORMATS), help="csv, parquet or jsonl (default: from --out)")
    e.add_argument("--since", help="export rows updated after this UTC time instead of after the watermark")
    e.add_argument("--dry-run", action="store_true", help="print how many rows would be exported, write nothing")
    e.add_argument("--name", default="crm", help="export name; each name keeps its own watermark (default: %(default)s)")
    e.set_defaults(func=cmd_export)

    c = sub.add_parser("calibrate", help="propose a points table from conversion history (closing-rate method)")
    c.add_argument("--as-of", required=True, help="score as of this UTC time; outcomes are the conversions after it")
    c.add_argument("--horizon", type=int, default=90, help="days after the as-of that count as converting (default: %(default)s)")
    c.add_argument("--method", choices=["difference", "ratio"], default="difference",
                   help="difference: points = close-rate difference in percentage points; ratio: points = close-rate "
                        "ratio (default: %(default)s)")
    c.add_argument("--model", default="b2b_default", help="model to calibrate (default: %(default)s)")
    c.add_argument("--min-points", type=int, default=3,
                   help="smallest suggestion worth a new rule for an uncovered signal (default: %(default)s)")
    c.add_argument("--out-dir", default="calibration", help="where to write <model>_calibrated/ (default: %(default)s)")
    add_dbt_options(c)
    c.set_defaults(func=cmd_calibrate)

    t = sub.add_parser("train", help="fit the logistic regression on a time split; write predictive_weights and a model card")
    t.add_argument("--as-of", required=True, help="the held-out as-of, UTC; training as-ofs end a horizon before it")
    t.add_argument("--horizon", type=int, default=90, help="days after an as-of that count as converting (default: %(default)s)")
    t.add_argument("--train-as-ofs", type=int, default=3, help="how many training as-ofs (default: %(default)s)")
    t.add_argument("--every", default="30d", help="step between training as-ofs, Nd (default: %(default)s)")
    t.add_argument("--train-at", help="explicit training as-ofs, comma-separated (instead of --train-as-ofs/--every)")
    t.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength (default: %(default)s)")
    t.add_argument("--penalty", choices=["l1", "l2"], default="l1",
                   help="l1 keeps only the terms that carry signal; l2 keeps all, shrunk (default: %(default)s)")
    t.add_argument("--min-level-support", type=int, default=30,
                   help="training leads a text level needs to get a term (default: %(default)s)")
    t.add_argument("--model", default="predictive", help="name of the predictive model (default: %(default)s)")
    t.add_argument("--out-dir", default="calibration", help="where to write the model card (default: %(default)s)")
    add_dbt_options(t)
    t.set_defaults(func=cmd_train)

    rp = sub.add_parser("report", help="write the self-contained HTML report on scores, conversion and signals")
    rp.add_argument("--out", default="target/lead_scoring_report.html", help="HTML file to write (default: %(default)s)")
    rp.add_argument("--as-of", help="build everything as of this UTC time first (at least a horizon in the past)")
    rp.add_argument("--horizon", type=int, default=90, help="days after the as-of that count as converting (default: %(default)s)")
    add_dbt_options(rp)
    rp.set_defaults(func=cmd_report)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    os.chdir(PROJECT_DIR)
    summary = {"command": args.command, "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "as_of": getattr(args, "as_of", None), "duckdb_path": duckdb_path().name}
    try:
        code = args.func(args, summary)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_USAGE
    if args.command != "generate":
        write_summary(summary, code)
    return code


if __name__ == "__main__":
    sys.exit(main())
