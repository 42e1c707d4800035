"""leadscore: run the lead-scoring dbt project.

Commands:
  generate  write synthetic raw data into the DuckDB file (never overwrites a user's raw tables)
  build     run `dbt build` through dbt's Python API
  run       the main job: generate demo data if there is no raw data, build, print the top leads
            with their strongest reasons and the count per band and matrix cell

The DuckDB file is LEAD_SCORING_DUCKDB_PATH (default lead_scoring.duckdb in the project folder);
profiles are found the dbt way: --profiles-dir, DBT_PROFILES_DIR, else the project's own.
"""

from __future__ import annotations

import argparse
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


def cmd_generate(args) -> int:
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
        counts = generate_data.generate(con, args.leads, args.seed, args.bad_rate, as_of,
                                        progress=lambda label: print(f"  generating {label} ...", flush=True))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        con.close()
    print(f"generated {counts['leads']:,} lead rows, {counts['events']:,} event rows, "
          f"{counts['conversions']:,} conversions in {time.time() - started:.1f}s")
    return EXIT_OK


def dbt_build(args) -> int:
    from dbt.cli.main import dbtRunner

    cli = ["build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", profiles_dir(args.profiles_dir)]
    if args.target:
        cli += ["--target", args.target]
    if args.select:
        cli += ["--select", args.select]
    if args.exclude:
        cli += ["--exclude", args.exclude]
    if args.full_refresh:
        cli += ["--full-refresh"]
    variables = args.vars or ""
    if args.as_of:
        as_of = f"score_as_of: '{args.as_of}'"
        variables = "{" + as_of + (", " + variables.strip().lstrip("{").rstrip("}") if variables.strip() else "") + "}"
    if variables:
        cli += ["--vars", variables]
    result = dbtRunner().invoke(cli)
    if result.exception is not None:
        print(f"error: dbt could not run: {result.exception}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if result.success else EXIT_BUILD_FAILED


def cmd_build(args) -> int:
    return dbt_build(args)


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


def cmd_run(args) -> int:
    import duckdb
    import generate_data

    con = duckdb.connect(str(duckdb_path()))
    try:
        present = generate_data.raw_tables_present(con)
    finally:
        con.close()
    if not present:
        print(f"no raw data in {duckdb_path().name}: generating a demo dataset ({args.leads:,} leads)")
        code = cmd_generate(argparse.Namespace(as_of=None, leads=args.leads, seed=args.seed,
                                               bad_rate=args.bad_rate, replace=False))
        if code:
            return code
    elif len(present) < 3:
        raise UsageError(f"raw schema has only {', '.join(present)}: leads, events and conversions are all required")
    code = dbt_build(args)
    if code:
        print("build failed: see the errors above", file=sys.stderr)
        return code
    print_summary(args.top)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="leadscore", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add_build_options(sp):
        sp.add_argument("--target", help="dbt target (default: the profile's, duckdb)")
        sp.add_argument("--select", help="dbt node selection")
        sp.add_argument("--exclude", help="dbt nodes to leave out")
        sp.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
        sp.add_argument("--as-of", help="score as of this UTC time (sets var score_as_of)")
        sp.add_argument("--vars", help="more dbt vars, as YAML")
        sp.add_argument("--profiles-dir", help="folder holding profiles.yml")

    def add_generate_options(sp):
        sp.add_argument("--leads", type=int, default=10000, help="number of leads (default: %(default)s)")
        sp.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
        sp.add_argument("--bad-rate", type=float, default=0.01, help="share of bad rows (default: %(default)s)")

    g = sub.add_parser("generate", help="write synthetic raw data")
    add_generate_options(g)
    g.add_argument("--as-of", help="end of the generated history, UTC (default: today 00:00)")
    g.add_argument("--replace", action="store_true", help="overwrite raw tables not generated here")
    g.set_defaults(func=cmd_generate)

    b = sub.add_parser("build", help="run dbt build")
    add_build_options(b)
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("run", help="generate if needed, build, print the top leads")
    add_build_options(r)
    add_generate_options(r)
    r.add_argument("--top", type=int, default=10, help="leads to print per model (default: %(default)s)")
    r.set_defaults(func=cmd_run)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    os.chdir(PROJECT_DIR)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
