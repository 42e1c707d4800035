"""leadscore: run the lead-scoring dbt project.

Commands:
  generate  write synthetic raw data into the DuckDB file (never overwrites a user's raw tables)
  build     run `dbt build` through dbt's Python API, with a summary table at the end
  validate  Great Expectations checks on the marts and quarantine tables
  run       the main job: generate demo data if there is no raw data, build, validate, print the
            top leads with their strongest reasons and the count per band and matrix cell
  backfill  re-score as of each point of a date range (--from, --to, --every 1d|7d) into
            lead_score_history, point in time, then rebuild lead_lifecycle_events
  export    write the lead_score_sync rows changed (--table lead_actions: the actions emitted)
            since the last successful export to CSV,
            Parquet or JSON Lines, atomically; the watermark lives in exports.sync_watermarks
  calibrate backtest as of --as-of and write a proposed points table (<model>_calibrated, in the
            seed format, under calibration/) with a rule-by-rule diff; never edits seeds/
  train     fit a logistic regression (or, --kind gbm, boosted trees) on backtest_features at
            earlier as-ofs, hold out --as-of, write its rows into seeds/predictive_weights.csv
            (seeds/predictive_trees.csv) and a model card under calibration/
  report    one self-contained HTML file (inline SVG charts) on scores, conversion and signals

Exit codes: 0 success, 1 validation failed, 2 bad usage or configuration, 3 build failed,
4 unexpected error (a bug: the traceback is in the run summary).
Every command but generate writes target/run_summary.json.

The warehouse is the one the dbt profile and target point at (the project's profiles.yml keeps
DuckDB in lead_scoring.duckdb, or LEAD_SCORING_DUCKDB_PATH); profiles are found the dbt way:
--profiles-dir, DBT_PROFILES_DIR, else the project's own. calibrate, train, report --as-of and
backfill build in schemas of their own (analysis_*), never over production outputs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import traceback

from leadscore import dbt, runlog
from leadscore.errors import EXIT_USAGE, UsageError

EXIT_UNEXPECTED = 4
EXPORT_FORMATS = ("csv", "jsonl", "parquet")
# commands whose module imports take longer than dbt's profile code: the target resolves in
# another process meanwhile (Project.resolve_target_ahead)
RESOLVE_TARGET_AHEAD = ("validate", "train")


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

    def add_validate_options(sp):
        sp.add_argument("--quarantine-warn", type=float, default=0.02,
                        help="warn when a table quarantines more than this share of rows (default: %(default)s)")
        sp.add_argument("--quarantine-fail", type=float, default=0.05,
                        help="fail when a table quarantines more than this share of rows (default: %(default)s)")
        sp.add_argument("--drift-max-points", type=float, default=10.0,
                        help="warn when a model's mean total score moved more than this since the previous run "
                        "(default: %(default)s)")
        sp.add_argument("--drift-max-mql-share", type=float, default=0.05,
                        help="warn when a model's MQL share moved more than this since the previous run "
                        "(default: %(default)s)")
        sp.add_argument("--mql-share-min", type=float, default=0.001, help="minimum MQL share per model (default: %(default)s)")
        sp.add_argument("--mql-share-max", type=float, default=0.5, help="maximum MQL share per model (default: %(default)s)")

    g = sub.add_parser("generate", help="write synthetic raw data")
    add_generate_options(g)
    g.add_argument("--as-of", help="end of the generated history, UTC (default: today 00:00)")
    g.add_argument("--replace", action="store_true", help="overwrite raw tables not generated here")
    add_dbt_options(g)

    b = sub.add_parser("build", help="run dbt build")
    add_build_options(b)

    v = sub.add_parser("validate", help="Great Expectations checks on the marts")
    add_validate_options(v)
    add_dbt_options(v)

    r = sub.add_parser("run", help="generate if needed, build, validate, print the top leads")
    add_build_options(r)
    add_generate_options(r)
    add_validate_options(r)
    r.add_argument("--top", type=int, default=10, help="leads to print per model (default: %(default)s)")

    bf = sub.add_parser("backfill", help="re-score as of each point of a date range into lead_score_history")
    bf.add_argument("--from", dest="date_from", required=True, help="first as-of, UTC (YYYY-MM-DD[ HH:MM[:SS]])")
    bf.add_argument("--to", dest="date_to", required=True, help="last as-of, UTC (included)")
    bf.add_argument("--every", default="1d", help="step between as-ofs: Nd, e.g. 1d or 7d (default: %(default)s)")
    add_dbt_options(bf)

    e = sub.add_parser("export", help="write the lead_score_sync rows changed (or the lead_actions emitted) since the last export")
    e.add_argument("--out", required=True, help="file to write (replaced atomically)")
    e.add_argument("--table", choices=["lead_score_sync", "lead_actions"], default="lead_score_sync",
                   help="what to export: the changed score rows or the actions of the outbox (default: %(default)s)")
    e.add_argument("--format", choices=EXPORT_FORMATS, help="csv, parquet or jsonl (default: from --out)")
    e.add_argument("--since", help="export rows updated after this UTC time instead of after the watermark")
    e.add_argument("--dry-run", action="store_true", help="print how many rows would be exported, write nothing")
    e.add_argument("--name", default="crm", help="export name; each name keeps its own watermark (default: %(default)s)")
    add_dbt_options(e)

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

    t = sub.add_parser("train", help="fit a logistic regression or boosted trees on a time split; write their seed and "
                                     "a model card")
    t.add_argument("--kind", choices=["regression", "gbm"], default="regression",
                   help="regression: a logistic regression (seeds/predictive_weights.csv); gbm: gradient-boosted trees "
                        "(seeds/predictive_trees.csv) (default: %(default)s)")
    t.add_argument("--as-of", required=True, help="the held-out as-of, UTC; training as-ofs end a horizon before it")
    t.add_argument("--horizon", type=int, default=90, help="days after an as-of that count as converting (default: %(default)s)")
    t.add_argument("--train-as-ofs", type=int, default=12,
                   help="at most this many training as-ofs, every --every back from a horizon before --as-of to the "
                        "first lead (default: %(default)s)")
    t.add_argument("--every", default="30d", help="step between training as-ofs, Nd (default: %(default)s)")
    t.add_argument("--train-at", help="explicit training as-ofs, comma-separated (instead of --train-as-ofs/--every)")
    t.add_argument("--c", type=float, help="inverse regularisation strength (default: chosen by a time-ordered "
                                           "cross-validation over the training as-ofs)")
    t.add_argument("--trees", type=int, help="--kind gbm: the number of trees (default: chosen by a time-ordered "
                                             "cross-validation over the training as-ofs)")
    t.add_argument("--penalty", choices=["l1", "l2"], default="l1",
                   help="l1 keeps only the terms that carry signal; l2 keeps all, shrunk (default: %(default)s)")
    t.add_argument("--min-level-support", type=int, default=30,
                   help="training leads a text level needs to get a term (default: %(default)s)")
    t.add_argument("--model", default="predictive", help="name of the predictive model (default: %(default)s)")
    t.add_argument("--out-dir", default="calibration", help="where to write the model card (default: %(default)s)")
    add_dbt_options(t)

    rp = sub.add_parser("report", help="write the self-contained HTML report on scores, conversion and signals")
    rp.add_argument("--out", default="target/lead_scoring_report.html", help="HTML file to write (default: %(default)s)")
    rp.add_argument("--as-of", help="build everything as of this UTC time first (at least a horizon in the past)")
    rp.add_argument("--horizon", type=int, default=90, help="days after the as-of that count as converting (default: %(default)s)")
    add_dbt_options(rp)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    # imports (GX, scikit-learn, dbt) and dbt's parse create millions of objects and few cycles:
    # collecting every 700 allocations, Python's default, costs a command a tenth of its start-up
    gc.set_threshold(100_000, 50, 100)
    os.chdir(dbt.PROJECT_DIR)
    summary = {"command": args.command, "started_at": dbt.utc_now_text(), "as_of": getattr(args, "as_of", None)}
    project = None
    try:
        project = dbt.Project.from_args(args)
        if args.command in RESOLVE_TARGET_AHEAD:
            project.resolve_target_ahead()
        # the command's module only: validate pulls in Great Expectations, train scikit-learn, and
        # every other command should not pay for their import
        gc.disable()
        try:
            command = importlib.import_module(f"leadscore.commands.{args.command}")
        finally:
            gc.enable()
        # what the imports created lives as long as the process: the collector stops walking it
        gc.freeze()
        code = command.run(args, project, summary)
    except UsageError as exc:
        for line in str(exc).splitlines() or [""]:  # one problem a line
            print(f"error: {line}", file=sys.stderr)
        code = EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a bug, not a user mistake: one line here, the traceback kept
        summary["traceback"] = traceback.format_exc()
        print(f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
              "(a bug; the traceback is in target/run_summary.json)", file=sys.stderr)
        code = EXIT_UNEXPECTED
    if args.command != "generate":
        runlog.write_summary(summary, code, project)
    if project is not None:
        project.close()
    return code
