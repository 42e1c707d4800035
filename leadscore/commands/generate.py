"""leadscore generate: synthetic raw.leads, raw.events and raw.conversions in the target's DuckDB
file; raw tables a user loaded are never overwritten without --replace."""

from __future__ import annotations

import time

from tqdm import tqdm

from leadscore import synthetic, timeutil, warehouse
from leadscore.dbt import Project
from leadscore.errors import EXIT_OK, UsageError


def run(args, project: Project, summary: dict) -> int:
    path = project.require_duckdb("generate")
    as_of = timeutil.parse_utc_time(args.as_of) if args.as_of else timeutil.today_utc()
    if args.leads < 1:
        raise UsageError("--leads must be at least 1")
    if not 0 <= args.bad_rate <= 0.5:
        raise UsageError("--bad-rate must be between 0 and 0.5")
    warehouse.check_openable(path)
    with warehouse.connect(path, must_exist=False) as con:
        if synthetic.raw_tables_present(con) and not synthetic.is_generated(con) and not args.replace:
            raise UsageError(f"{path.name} already has raw tables that were not generated here; "
                             "pass --replace to overwrite them")
        started = time.time()
        bar = None
        if args.leads >= 100_000:  # a progress bar where it takes long enough to matter
            bar = tqdm(total=len(synthetic.STEPS), desc="generating", unit="step")
            started_steps = []

            def progress(label):
                if started_steps:  # a step starts when the previous one is done
                    bar.update(1)
                started_steps.append(label)
                bar.set_postfix_str(label)
        else:
            def progress(label):
                print(f"  generating {label} ...", flush=True)
        counts = synthetic.generate(con, args.leads, args.seed, args.bad_rate, as_of, progress=progress,
                                    memory=project.target.duckdb_memory)
        if bar is not None:
            bar.update(1)
            bar.close()
    summary["generated"] = counts
    print(f"generated {counts['leads']:,} lead rows, {counts['events']:,} event rows, "
          f"{counts['conversions']:,} conversions in {time.time() - started:.1f}s")
    return EXIT_OK
