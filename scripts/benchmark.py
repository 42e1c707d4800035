"""Benchmark: generate data at a scale, build, add 1% new events (some late-arriving), build again.

Prints one JSON document: generation and build seconds, the rebuild after new events, peak RSS of
each phase (measured per child process with wait4) and rows per second. Each phase runs
scripts/leadscore.py in its own process against its own DuckDB file, so nothing here is timed
inside the test suite.

    python scripts/benchmark.py --leads 1000000 --db /tmp/bench.duckdb

Not measured yet (see the scale issue): an incremental run (scoring is a full rebuild today, so
the "after_new_events" build is a full rebuild too) and the hand-written single-statement DuckDB
floor.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

SCRIPTS = Path(__file__).resolve().parent


def timed(args: list[str], env: dict) -> dict:
    """Run leadscore.py with args; wall seconds and the child's own peak RSS."""
    started = time.time()
    proc = subprocess.Popen([sys.executable, str(SCRIPTS / "leadscore.py"), *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.time() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"leadscore {' '.join(args)} failed with exit code {code}: "
                         f"{proc.stderr.read().decode()[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_gib": round(usage.ru_maxrss / 1024 / 1024, 2)}


def add_new_events(db_path: Path, share: float, as_of: str) -> int:
    """Appends share * events new events; a tenth of them late-arriving (occurred 60 days ago)."""
    con = duckdb.connect(str(db_path))
    try:
        total = con.execute("select count(*) from raw.events").fetchone()[0]
        n = int(total * share)
        con.execute(f"""
            insert into raw.events
            select 'NEW' || lpad(cast(range as varchar), 10, '0'),
                   'L' || lpad(cast(hash(range, 'lead') % (select leads from raw._generator_info) as varchar), 8, '0'),
                   case range % 4 when 0 then 'page_view' when 1 then 'email_open' when 2 then 'email_click'
                        else 'meeting_booked' end,
                   case range % 4 when 0 then 'pricing' else null end,
                   timestamp '{as_of}' - case when range % 10 = 0 then interval 60 day else interval 1 hour end
            from range({n})""")
        return n
    finally:
        con.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=100000, help="leads to generate (default: %(default)s)")
    parser.add_argument("--db", default="benchmark.duckdb", help="DuckDB file to use; replaced (default: %(default)s)")
    parser.add_argument("--as-of", default="2026-06-30 00:00:00", help="as-of time (default: %(default)s)")
    parser.add_argument("--new-events", type=float, default=0.01, help="share of new events (default: %(default)s)")
    args = parser.parse_args(argv)

    db_path = Path(args.db).resolve()
    for path in (db_path, Path(str(db_path) + ".wal")):
        if path.exists():
            path.unlink()
    env = dict(os.environ, LEAD_SCORING_DUCKDB_PATH=str(db_path))
    build = ["build", "--as-of", args.as_of, "--exclude", "resource_type:test resource_type:unit_test"]

    result = {"leads": args.leads, "as_of": args.as_of, "cores": os.cpu_count()}
    result["generate"] = timed(["generate", "--leads", str(args.leads), "--as-of", args.as_of.split(" ")[0]], env)
    con = duckdb.connect(str(db_path), read_only=True)
    result["events"] = con.execute("select count(*) from raw.events").fetchone()[0]
    con.close()
    result["full_build"] = timed(build, env)
    result["full_build"]["events_per_second"] = round(result["events"] / result["full_build"]["seconds"])
    result["new_events"] = add_new_events(db_path, args.new_events, args.as_of)
    result["after_new_events"] = timed(build, env)
    result["after_new_events"]["kind"] = "full rebuild (no incremental models yet)"
    result["after_new_events"]["share_of_full_build"] = round(
        result["after_new_events"]["seconds"] / result["full_build"]["seconds"], 3)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
