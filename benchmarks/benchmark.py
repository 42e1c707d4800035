"""Benchmark: generate data at a scale, build it in full, add 1% new events, run incrementally.

Prints one JSON document: generation and full build seconds, the incremental run a day later
after 1% new events (a tenth of them late-arriving: occurred 60 days earlier) - with --days N,
N such daily runs, each after its own 1% (history and the state grow as in production) - then
one more day split in two: the event side alone (selector ingest) and the build that scores
every lead after it; the single hand-written DuckDB statement computing the same total scores
(the floor for this engine, with its largest difference from lead_scores) and two ratios - the
full build to it, and the full build's node seconds of int_lead_scores and what it reads; the
same total scores from the stored event state (the scoring floor: the least a run that re-scores
every lead at T can cost here) with its share of the full build and two ratios - the publishing
day (ingest plus scoring build) to it, and the scoring build's node seconds of int_lead_scores and
what it reads (the work the floor does; the other nodes write the other outputs) to it;
`leadscore validate` on the last
build; with --pairs N, N more pairs of a full build and the floor on fresh copies of the generated
data, alternating, and the median of their ratios; peak RSS of each phase (measured
per child process with wait4), events per second and each phase's seconds per million events.
With several --leads, one such run per scale and the seconds per million events side by side, to
show how the cost grows. Each dbt phase runs the leadscore command in
its own process against its own DuckDB file, so nothing here is timed inside the test suite.

    python benchmarks/benchmark.py --leads 1000000 --db bench.duckdb --pairs 3
    python benchmarks/benchmark.py --leads 100000 300000 1000000 --db bench.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from leadscore import dbt

HERE = Path(__file__).resolve().parent


def timed(args: list[str], env: dict, ok_codes=(0,)) -> dict:
    """Run the leadscore command with args; wall seconds and the child's own peak RSS (ok_codes:
    the exit codes that are a result, not a failure)."""
    run_summary().unlink(missing_ok=True)  # generate writes none: no stale figures
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "leadscore", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.time() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in ok_codes:
        raise SystemExit(f"leadscore {' '.join(args)} failed with exit code {code}: "
                         f"{proc.stderr.read().decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_gib": round(usage.ru_maxrss / 1024 / 1024, 2),
            "slowest_models": slowest_models()}


def run_summary() -> Path:
    """The runner's run_summary.json (in its target directory, DBT_TARGET_PATH honoured)."""
    return dbt.target_dir() / "run_summary.json"


def slowest_models(count: int | None = 8, summary: Path | None = None) -> dict:
    """The slowest models of the build just run (the runner's per-node seconds in summary, by
    default this process's run_summary()), in seconds; count None: every model it built."""
    summary = summary or run_summary()
    if not summary.exists():
        return {}
    nodes = [n for n in json.loads(summary.read_text()).get("build", {}).get("nodes", [])
             if n["resource_type"] == "model"]
    ranked = sorted(nodes, key=lambda n: n["seconds"], reverse=True)[:count]
    return {n["name"]: round(n["seconds"], 1) for n in ranked}


# the model the total scores come from: it and the nodes it reads do the work the scoring floor
# does; the rest of a publishing build writes what the floor does not (probabilities, reasons,
# history, sync, features, the hand-off)
SCORES_MODEL = "model.lead_scoring.int_lead_scores"


def node_seconds_by_output(summary: Path | None = None) -> dict:
    """The per-node seconds of the build just run (summary, by default this process's
    run_summary()), summed over SCORES_MODEL and every node it reads (dbt's manifest), and over
    the other nodes."""
    summary = summary or run_summary()
    parents = json.loads((summary.parent / "manifest.json").read_text())["parent_map"]
    upstream, todo = set(), [SCORES_MODEL]
    while todo:
        node = todo.pop()
        if node not in upstream:
            upstream.add(node)
            todo.extend(parents.get(node, []))
    nodes = json.loads(summary.read_text())["build"]["nodes"]
    scores = [n["seconds"] for n in nodes if n["unique_id"] in upstream]
    others = [n["seconds"] for n in nodes if n["unique_id"] not in upstream]
    return {"scores": {"nodes": len(scores), "seconds": round(sum(scores), 2)},
            "other_outputs": {"nodes": len(others), "seconds": round(sum(others), 2)}}


def day_as_of(as_of: str, day: int) -> str:
    """The as-of `day` days after as_of."""
    return (dt.datetime.fromisoformat(as_of) + dt.timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S")


def add_new_events(db_path: Path, share: float, as_of: str, day: int = 1) -> int:
    """Appends share * events new events loaded after everything staged, in the day before
    as_of; a tenth of them late-arriving (occurred 60 days before as_of). Event ids carry the
    day, so each day's events are new."""
    con = duckdb.connect(str(db_path))
    try:
        total = con.execute("select count(*) from raw.events").fetchone()[0]
        n = int(total * share)
        con.execute(f"""
            insert into raw.events
            select 'NEW{day}-' || lpad(cast(range as varchar), 10, '0'),
                   'L' || lpad(cast(hash(range, 'lead') % (select leads from raw._generator_info) as varchar), 8, '0'),
                   case range % 4 when 0 then 'page_view' when 1 then 'email_open' when 2 then 'email_click'
                        else 'meeting_booked' end,
                   case range % 4 when 0 then 'pricing' else null end,
                   timestamp '{as_of}' - case when range % 10 = 0 then interval 60 day
                                              else to_seconds(range % 86400) end,
                   (select max(loaded_at) from raw.events) + interval 1 hour
            from range({n})""")
        return n
    finally:
        con.close()


def keyboard_runs() -> str:
    """The keyboard-run pattern of macros/scoring/spam_patterns.sql, written again: a run of 5+
    letters along one of six rows, or a word that is a run of 4."""
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn")
    fives = sorted({row[i:i + 5] for row in rows for i in range(len(row) - 4)})
    fours = sorted({row[i:i + 4] for row in rows for i in range(len(row) - 3)})
    return f"({'|'.join(fives)})|(^|[^\\pL])({'|'.join(fours)})([^\\pL]|$)"


def floor_child(db_path: str, sql_path: str, memory_limit: str) -> int:
    """Child process of floor(): runs the statement once and compares it with lead_scores."""
    sql = Path(sql_path).read_text()
    # the settings as connection config: the memory limit (an argument) never becomes SQL; blocks
    # are kept up to the limit, as the profile keeps them
    con = duckdb.connect(db_path, config={"memory_limit": memory_limit, "preserve_insertion_order": False,
                                          "block_allocator_memory": memory_limit})
    try:
        con.execute("set TimeZone = 'UTC'")
        started = time.time()
        con.execute("create or replace temp table floor_scores as " + sql)
        seconds = time.time() - started
        rows, max_diff, mismatched = con.execute("""
            select count(*), max(abs(f.total_score - s.total_score)),
                   sum(case when s.lead_id is null or f.total_score <> s.total_score then 1 else 0 end)
            from floor_scores f
            left join main.lead_scores s on f.lead_id = s.lead_id and f.model = s.model""").fetchone()
        scored = con.execute("select count(*) from main.lead_scores").fetchone()[0]
    finally:
        con.close()
    print(json.dumps({"seconds": round(seconds, 2), "rows": rows, "lead_scores_rows": scored,
                      "max_abs_diff_total_score": float(max_diff or 0), "mismatched_rows": int(mismatched or 0)}))
    return 0


# a marked part of a floor statement: "-- section NAME ..." up to "-- end section NAME"
SECTION = re.compile(r"^[ \t]*-- section (\w+)\b.*?^[ \t]*-- end section \1[ \t]*\n", re.M | re.S)


def floor_sql(as_of: str, from_state: bool = False) -> str:
    """benchmarks/floor.sql filled in for as_of; from_state: with each section of
    floor_from_state.sql in place of the section of the same name (the scoring floor)."""
    sql = (HERE / "floor.sql").read_text()
    if from_state:
        state_sql = (HERE / "floor_from_state.sql").read_text()
        replacements = {match.group(1): match.group(0) for match in SECTION.finditer(state_sql)}
        sql = SECTION.sub(lambda match: replacements.pop(match.group(1), match.group(0)), sql)
        if replacements:
            raise SystemExit(f"benchmarks/floor.sql has no section {', '.join(replacements)} "
                             "to replace with that of floor_from_state.sql")
    sql = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return sql.replace("{as_of}", as_of).replace("{keyboard_runs}", keyboard_runs())


def floor(db_path: Path, as_of: str, memory_limit: str, from_state: bool = False) -> dict:
    """Times the floor statement (one DuckDB statement with memory_limit; from_state: the scoring
    floor, from the stored event state) in a child process and compares its total scores with
    main.lead_scores."""
    name = "scoring_floor" if from_state else "floor"
    sql_file = db_path.with_suffix(f".{name}.sql")
    sql_file.write_text(floor_sql(as_of, from_state))
    proc = subprocess.Popen([sys.executable, __file__, "--floor-child", str(db_path), str(sql_file), memory_limit],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the {name.replace('_', ' ')} statement failed: {err[-2000:]}")
    result = json.loads(out)
    result["peak_rss_gib"] = round(usage.ru_maxrss / 1024 / 1024, 2)
    return result


# the phases whose cost per million events shows how a run grows with the data
GROWTH_PHASES = {
    "full_build": ("full_build",),
    "daily_run": ("incremental_run",),
    "ingest": ("split_run", "ingest"),
    "scoring_after_ingest": ("split_run", "scoring_after_ingest"),
    "validate": ("validate",),
    "floor": ("floor",),
    "scoring_floor": ("scoring_floor",),
}


def seconds_per_million_events(result: dict) -> dict:
    """Each growth phase's seconds per million generated events at one scale."""
    millions = result["events"] / 1_000_000
    figures = {}
    for phase, path in GROWTH_PHASES.items():
        node = result
        for key in path:
            node = node[key]
        figures[phase] = round(node["seconds"] / millions, 2)
    return figures


def growth(results: list[dict]) -> dict:
    """Seconds per million events of each phase at every scale, by phase then leads: flat rows
    mean the cost grows linearly with the data."""
    per_scale = {str(result["leads"]): result["seconds_per_million_events"] for result in results}
    return {phase: {leads: figures[phase] for leads, figures in per_scale.items()} for phase in GROWTH_PHASES}


def scale_db(db: str, leads: int, scales: int) -> Path:
    """The DuckDB file of one scale: db itself for a single scale, else db with -<leads> before
    its suffix."""
    path = Path(db).resolve()
    return path if scales == 1 else path.with_name(f"{path.stem}-{leads}{path.suffix}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[100000],
                        help="leads to generate; several: one run per scale, each on its own file, "
                             "and the seconds per million events of each phase side by side (default: %(default)s)")
    parser.add_argument("--db", default="benchmark.duckdb",
                        help="DuckDB file to use; replaced (several scales: name-<leads>.duckdb) (default: %(default)s)")
    parser.add_argument("--as-of", default="2026-06-30 00:00:00", help="as-of time (default: %(default)s)")
    parser.add_argument("--new-events", type=float, default=0.01, help="share of new events (default: %(default)s)")
    parser.add_argument("--days", type=int, default=1,
                        help="daily incremental runs, each after its own new events (default: %(default)s)")
    # the floors' own limit: a floor is the least the engine needs, so its statement gets the memory
    # its largest aggregation needs not to spill at 1M leads (docs/performance.md, Memory); the
    # scoring floor does not even fit the profile's 3.6GB there (an aggregate that cannot spill)
    parser.add_argument("--floor-memory-limit", default="12GB",
                        help="DuckDB memory limit of the two floor statements; lower it on a machine with "
                             "less than 16 GB of memory (default: %(default)s)")
    parser.add_argument("--pairs", type=int, default=0,
                        help="after the rest, this many more full builds and floors, alternating, each on a "
                             "fresh copy of the generated data at --as-of, with the median of their ratios: "
                             "one pair's ratio moves with the machine's speed (default: %(default)s)")
    args = parser.parse_args(argv)
    results = [run_scale(args, leads, scale_db(args.db, leads, len(args.leads))) for leads in args.leads]
    if len(results) == 1:
        print(json.dumps(results[0], indent=2))
    else:
        print(json.dumps({"scales": results, "seconds_per_million_events": growth(results)}, indent=2))
    return 0


def run_scale(args: argparse.Namespace, leads: int, db_path: Path) -> dict:
    """The whole benchmark at one scale, on its own DuckDB file."""
    for path in (db_path, Path(str(db_path) + ".wal")):
        if path.exists():
            path.unlink()
    env = dict(os.environ, LEAD_SCORING_DUCKDB_PATH=str(db_path))
    models_only = ["--exclude-resource-type", *dbt.NO_TESTS]

    result = {"leads": leads, "as_of": args.as_of, "cores": os.cpu_count()}
    result["generate"] = timed(["generate", "--leads", str(leads), "--as-of", args.as_of.split(" ")[0]], env)
    con = duckdb.connect(str(db_path), read_only=True)
    result["events"] = con.execute("select count(*) from raw.events").fetchone()[0]
    con.close()
    generated = db_path.with_name(db_path.stem + "-generated.duckdb")
    if args.pairs:
        shutil.copyfile(db_path, generated)  # the raw data as generated, for the pairs at the end
    result["full_build"] = timed(["build", "--as-of", args.as_of, *models_only], env)
    result["full_build"]["events_per_second"] = round(result["events"] / result["full_build"]["seconds"])
    result["full_build"]["node_seconds"] = node_seconds_by_output()
    runs = []
    for day in range(1, max(args.days, 1) + 1):
        as_of = day_as_of(args.as_of, day)
        new_events = add_new_events(db_path, args.new_events, as_of, day)
        run = timed(["build", "--as-of", as_of, *models_only], env)
        run.update({"as_of": as_of, "new_events": new_events,
                    "share_of_full_build": round(run["seconds"] / result["full_build"]["seconds"], 3)})
        runs.append(run)
    result["new_events"] = runs[0].pop("new_events")
    result["incremental_run"] = runs[0]
    if len(runs) > 1:
        result["later_runs"] = runs[1:]
    # one more day split in two: the event side alone (selector ingest: base_raw__events and the two
    # event states), then the plain build that scores every lead at the same as-of
    day = len(runs) + 1
    as_of = day_as_of(args.as_of, day)
    new_events = add_new_events(db_path, args.new_events, as_of, day)
    ingest = timed(["build", "--as-of", as_of, "--selector", "ingest", *models_only], env)
    scoring = timed(["build", "--as-of", as_of, *models_only], env)
    scoring["node_seconds"] = node_seconds_by_output()
    for run in (ingest, scoring):
        run["share_of_full_build"] = round(run["seconds"] / result["full_build"]["seconds"], 3)
    result["split_run"] = {"as_of": as_of, "new_events": new_events, "ingest": ingest, "scoring_after_ingest": scoring}
    # validate on the marts of that build (exit 1, a failed expectation, is a result here)
    result["validate"] = timed(["validate"], env, ok_codes=(0, 1))
    result["validate"].pop("slowest_models", None)
    result["floor"] = floor(db_path, as_of, args.floor_memory_limit)
    result["floor"]["full_build_ratio"] = round(result["full_build"]["seconds"] / result["floor"]["seconds"], 2)
    # the full build's nodes that compute the scores (the work the floor does) against it
    result["floor"]["scores_nodes_ratio"] = round(
        result["full_build"]["node_seconds"]["scores"]["seconds"] / result["floor"]["seconds"], 2)
    # the least a run that re-scores every lead at T can cost on this engine, once the day's events
    # are in the state: the same total scores from the state, in one statement
    result["scoring_floor"] = floor(db_path, as_of, args.floor_memory_limit, from_state=True)
    result["scoring_floor"]["share_of_full_build"] = round(
        result["scoring_floor"]["seconds"] / result["full_build"]["seconds"], 3)
    # the publishing build against it: the whole run, and the nodes that compute the scores alone
    result["scoring_floor"]["publishing_day_ratio"] = round(
        (ingest["seconds"] + scoring["seconds"]) / result["scoring_floor"]["seconds"], 2)
    result["scoring_floor"]["scores_nodes_ratio"] = round(
        scoring["node_seconds"]["scores"]["seconds"] / result["scoring_floor"]["seconds"], 2)
    result["seconds_per_million_events"] = seconds_per_million_events(result)
    if args.pairs:
        result["full_build_pairs"] = full_build_pairs(args, generated, db_path, env, models_only)
        generated.unlink()
    return result


def full_build_pairs(args: argparse.Namespace, generated: Path, db_path: Path, env: dict,
                     models_only: list[str]) -> dict:
    """--pairs: a full build (with models_only, as the run's own) and the floor, alternating, each
    pair on a fresh copy of the generated data at --as-of, and the median of their ratios: the
    whole build's, and that of its nodes that compute the scores."""
    pairs = []
    for _ in range(args.pairs):
        shutil.copyfile(generated, db_path)
        Path(str(db_path) + ".wal").unlink(missing_ok=True)
        build = timed(["build", "--as-of", args.as_of, *models_only], env)
        scores_seconds = node_seconds_by_output()["scores"]["seconds"]  # of this build's run summary
        floor_run = floor(db_path, args.as_of, args.floor_memory_limit)
        if floor_run["mismatched_rows"]:
            raise SystemExit(f"the floor differs from lead_scores on {floor_run['mismatched_rows']} rows")
        pairs.append({"full_build_seconds": build["seconds"], "floor_seconds": floor_run["seconds"],
                      "ratio": round(build["seconds"] / floor_run["seconds"], 2),
                      "scores_nodes_seconds": scores_seconds,
                      "scores_nodes_ratio": round(scores_seconds / floor_run["seconds"], 2)})
    return {"as_of": args.as_of, "runs": pairs, "median_ratio": statistics.median(p["ratio"] for p in pairs),
            "median_scores_nodes_ratio": statistics.median(p["scores_nodes_ratio"] for p in pairs)}



if __name__ == "__main__":
    if sys.argv[1:2] == ["--floor-child"]:
        sys.exit(floor_child(*sys.argv[2:5]))
    sys.exit(main())
