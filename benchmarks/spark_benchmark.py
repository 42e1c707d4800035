"""Spark benchmark: the same generated data built on DuckDB and on the local Spark target.

Generates --leads leads into a DuckDB file, builds the models there (a full build), copies the raw
tables to Spark through Parquet, builds the same models on the `spark` target (dbt-spark's session
method, a local pyspark), then compares Spark's lead_scores with DuckDB's row by row. Prints one
JSON document: seconds and peak RSS of each phase (the largest process of its tree: Spark's JVM
too), both builds' slowest models, the Spark settings used and
the parity figures. Everything, Spark's metastore and tables too, stays in --work (replaced), in a
copy of the project made there.

    python benchmarks/spark_benchmark.py --leads 100000 --work spark-bench

--select builds part of the project on both engines; lead_scores is compared when it is among it
(else "parity" is null). With --days N it then runs N daily builds on both engines, each after
--new-events (1%) new events (benchmark.py's, loaded to Spark too), then a --full-refresh at the
last day's as-of on Spark: what the incremental state saves there. Parity is then checked on the
last daily run. The test checks the script's shape on the staging models alone and its comparison
on the Spark parity test's lead_scores.

The Spark settings that matter are environment variables read by profiles.yml:
LEAD_SCORING_SPARK_DRIVER_MEMORY (default 4g) and LEAD_SCORING_SPARK_SHUFFLE_PARTITIONS (default
4); this script passes --driver-memory and --shuffle-partitions through them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

# benchmark.py beside this script (the script's folder is on the import path when it runs)
from benchmark import add_new_events, day_as_of, slowest_models
from leadscore import dbt
from leadscore.synthetic import sql_text

RAW_TABLES = ("leads", "events", "conversions", "sales_activities", "sales_outcomes", "owners")
# lead_scores' columns compared: numbers within TOLERANCE, the rest equal
NUMBERS = ("total_score", "fit_score", "engagement_score")
LABELS = ("score_band", "fit_grade", "engagement_grade", "is_mql", "is_disqualified")
TOLERANCE = 1e-6


def timed(command: list[str], env: dict, cwd: Path, log: Path) -> dict:
    """Runs command in cwd, its output to log; wall seconds and the peak RSS of the largest process
    of its tree (Spark's JVM is a child of the dbt process; each one's VmHWM, sampled twice a
    second, and wait4's figure for those it waited for)."""
    started = time.time()
    peak_kib = 0
    with log.open("wb") as err:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=err, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kib = max([peak_kib, *(peak_rss_kib(p) for p in process_tree(proc.pid))])
            time.sleep(0.5)
    seconds = time.time() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[2:])} failed: {log.read_text(errors='replace')[-3000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_gib": round(max(peak_kib, usage.ru_maxrss) / 1024 / 1024, 2)}


def process_tree(root: int) -> list[int]:
    """root and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def peak_rss_kib(pid: int) -> int:
    """A process's peak resident set size so far (VmHWM), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def export_child(out_dir: str, tables: list[str]) -> int:
    """Child process, run in the project folder that holds Spark's metastore_db/: writes each Spark
    table (schema.name) to out_dir/<name>.parquet, a Spark output folder. The Spark parity test
    exports its marts with it too."""
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.appName("lead-scoring-export").enableHiveSupport()
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    try:
        for table in tables:
            spark.table(table).write.mode("overwrite").parquet(f"{out_dir}/{table.split('.')[-1]}.parquet")
    finally:
        spark.stop()
    return 0


def parity(db_path: Path, parquet_dir: Path) -> dict:
    """Spark's lead_scores against DuckDB's: rows on each side, rows missing from either, and the
    rows whose numbers differ by more than TOLERANCE or whose labels differ."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        # the folder is the user's: a bound parameter, never SQL
        files = {"files": str(parquet_dir / "lead_scores.parquet" / "*.parquet")}
        spark = "read_parquet($files)"
        differs = " or ".join([f"abs(d.{c} - s.{c}) > {TOLERANCE}" for c in NUMBERS]
                              + [f"d.{c} is distinct from s.{c}" for c in LABELS])
        duck_rows, spark_rows = con.execute(
            f"select (select count(*) from main.lead_scores), (select count(*) from {spark})", files).fetchone()
        missing, differing, max_diff = con.execute(f"""
            select sum(case when d.lead_id is null or s.lead_id is null then 1 else 0 end),
                   sum(case when d.lead_id is not null and s.lead_id is not null and ({differs}) then 1 else 0 end),
                   max(abs(d.total_score - s.total_score))
            from main.lead_scores d
            full join {spark} s on d.lead_id = s.lead_id and d.model = s.model""", files).fetchone()
    finally:
        con.close()
    return {"duckdb_rows": duck_rows, "spark_rows": spark_rows, "rows_on_one_side_only": int(missing or 0),
            "rows_that_differ": int(differing or 0), "max_abs_diff_total_score": float(max_diff or 0)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=100000, help="leads to generate (default: %(default)s)")
    parser.add_argument("--work", default="spark-bench",
                        help="folder for the DuckDB file, the Parquet copies and Spark's metastore and tables; "
                             "replaced (default: %(default)s)")
    parser.add_argument("--as-of", default="2026-06-30 00:00:00", help="as-of time (default: %(default)s)")
    parser.add_argument("--driver-memory", default=os.environ.get("LEAD_SCORING_SPARK_DRIVER_MEMORY", "4g"),
                        help="Spark driver memory (default: %(default)s)")
    parser.add_argument("--shuffle-partitions", type=int,
                        default=int(os.environ.get("LEAD_SCORING_SPARK_SHUFFLE_PARTITIONS", "4")),
                        help="spark.sql.shuffle.partitions (default: %(default)s)")
    parser.add_argument("--select", help="dbt selection to build on both engines; lead_scores is compared when "
                                         "it is among it (default: every model of a plain build)")
    parser.add_argument("--days", type=int, default=0,
                        help="daily builds after the first, each after --new-events new events, then a Spark "
                             "--full-refresh at the last as-of (default: %(default)s)")
    parser.add_argument("--new-events", type=float, default=0.01,
                        help="share of new events each day (default: %(default)s)")
    args = parser.parse_args(argv)

    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "raw").mkdir(parents=True)
    # the runner works in the project's folder, where dbt-spark's session keeps its metastore and
    # tables: a copy of the project in the work folder keeps them out of the user's
    project = dbt.copy_project(work / "project")
    db_path = work / "bench.duckdb"
    duck_target = work / "target_duckdb"
    env = dict(os.environ, LEAD_SCORING_DUCKDB_PATH=str(db_path), LEAD_SCORING_PROJECT_DIR=str(project),
               DBT_PROFILES_DIR=str(project),
               DBT_TARGET_PATH=str(duck_target), DBT_LOG_PATH=str(duck_target),
               LEAD_SCORING_SPARK_DRIVER_MEMORY=args.driver_memory,
               LEAD_SCORING_SPARK_SHUFFLE_PARTITIONS=str(args.shuffle_partitions))
    leadscore = [sys.executable, "-m", "leadscore"]
    # a full build of the models (or of --select), no tests, on each engine
    models_args = ["--exclude-resource-type", *dbt.NO_TESTS, *(["--select", args.select] if args.select else [])]
    build_args = ["--full-refresh", *models_args]

    result = {"leads": args.leads, "as_of": args.as_of, "cores": os.cpu_count(), "select": args.select,
              "spark_settings": {"spark.driver.memory": args.driver_memory,
                                 "spark.sql.shuffle.partitions": args.shuffle_partitions}}
    result["generate"] = timed([*leadscore, "generate", "--leads", str(args.leads),
                                "--as-of", args.as_of.split(" ")[0]], env, work, work / "generate.log")
    con = duckdb.connect(str(db_path), read_only=True)
    result["events"] = con.execute("select count(*) from raw.events").fetchone()[0]
    con.close()

    def duckdb_build(as_of: str, options: list[str], log: str) -> dict:
        figures = timed([*leadscore, "build", "--as-of", as_of, *options], env, work, work / log)
        figures["slowest_models"] = slowest_models(summary=duck_target / "run_summary.json")
        return figures

    result["duckdb_build"] = duckdb_build(args.as_of, build_args, "duckdb_build.log")

    spark_target = work / "target_spark"
    spark_env = dict(env, DBT_TARGET_PATH=str(spark_target), DBT_LOG_PATH=str(spark_target))

    def load_on_spark(tables: tuple[str, ...], log: str) -> dict:
        """Copies the DuckDB file's raw tables (those named) to Spark's through Parquet files."""
        con = duckdb.connect(str(db_path), read_only=True)
        for table in tables:
            # COPY takes no parameter for its file: the path as a quoted literal
            con.execute(f"copy raw.{table} to {sql_text(str(work / 'raw' / table) + '.parquet')} (format parquet)")
        con.close()
        load_args = json.dumps({"directory": str(work / "raw"), "tables": list(tables)})
        return timed([sys.executable, "-m", "dbt.cli.main", "run-operation", "load_raw_from_parquet",
                      "--project-dir", str(project), "--target", "spark", "--args", load_args],
                     spark_env, project, work / log)

    def spark_build(as_of: str, options: list[str], log: str) -> dict:
        figures = timed([*leadscore, "build", "--target", "spark", "--as-of", as_of, *options], spark_env, project,
                        work / log)
        figures["slowest_models"] = slowest_models(summary=spark_target / "run_summary.json")
        return figures

    result["spark_load_raw"] = load_on_spark(RAW_TABLES, "spark_load_raw.log")
    result["spark_build"] = spark_build(args.as_of, build_args, "spark_build.log")
    result["spark_to_duckdb"] = round(result["spark_build"]["seconds"] / result["duckdb_build"]["seconds"], 2)

    # --days: daily builds on both engines (incremental: no --full-refresh), each after new events
    result["daily_runs"] = []
    as_of = args.as_of
    for day in range(1, args.days + 1):
        as_of = day_as_of(args.as_of, day)
        run = {"as_of": as_of, "new_events": add_new_events(db_path, args.new_events, as_of, day)}
        run["duckdb_build"] = duckdb_build(as_of, models_args, f"duckdb_day{day}.log")
        run["spark_load_events"] = load_on_spark(("events",), f"spark_load_day{day}.log")
        run["spark_build"] = spark_build(as_of, models_args, f"spark_day{day}.log")
        run["spark_to_duckdb"] = round(run["spark_build"]["seconds"] / run["duckdb_build"]["seconds"], 2)
        result["daily_runs"].append(run)

    result["parity"] = None
    if "lead_scores" in slowest_models(count=None, summary=duck_target / "run_summary.json"):
        exported = timed([sys.executable, __file__, "--export-child", str(work / "spark_out"), "main.lead_scores"],
                         env, project, work / "export.log")
        result["parity"] = parity(db_path, work / "spark_out")
        result["parity"]["export_seconds"] = exported["seconds"]
    if args.days:
        # what the last daily run would have cost without the stored state
        result["spark_full_refresh_at_last_day"] = spark_build(as_of, build_args, "spark_full_refresh.log")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--export-child"]:
        sys.exit(export_child(sys.argv[2], sys.argv[3:]))
    sys.exit(main())
