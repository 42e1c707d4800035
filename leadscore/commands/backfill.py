"""leadscore backfill: re-score as of each point of a range into lead_score_history, point in
time (scoring ignores events after each as-of), then rebuild lead_lifecycle_events.

Each as-of is scored in the analysis schemas (dbt.ANALYSIS_PREFIX), so lead_scores, the sync
table and the event state stay as production left them; the history rows of the backfilled
as-ofs are then copied into production's lead_score_history by the dbt operation
publish_backfilled_history (replacing rows of the same as-ofs), the one production output a
backfill writes by design."""

from __future__ import annotations

import time

from leadscore import timeutil
from leadscore.dbt import ANALYSIS_PREFIX, NO_TESTS, Build, Project
from leadscore.errors import EXIT_OK, UsageError


def run(args, project: Project, summary: dict) -> int:
    start = timeutil.parse_utc_time(args.date_from, "--from")
    end = timeutil.parse_utc_time(args.date_to, "--to")
    step = timeutil.parse_every(args.every)
    if end < start:
        raise UsageError(f"--to {args.date_to} is before --from {args.date_from}")
    points = []
    while start <= end:
        points.append(timeutil.format_time(start))
        start += step
    if len(points) > 1000:
        raise UsageError(f"--from/--to/--every give {len(points)} as-ofs: backfill at most 1000 at a time")
    summary["backfill"] = {"as_of": [], "seconds": 0.0}
    started = time.time()
    for number, as_of in enumerate(points, start=1):
        print(f"== backfill {number}/{len(points)}: as of {as_of}", flush=True)
        code = project.build(Build(select="+lead_score_history", exclude_resource_type=NO_TESTS, as_of=as_of,
                                   analysis=True), {})
        if code != EXIT_OK:
            return code
        summary["backfill"]["as_of"].append(as_of)
    code = project.run_operation("publish_backfilled_history", {"as_ofs": points, "prefix": ANALYSIS_PREFIX})
    if code != EXIT_OK:
        return code
    code = project.build(Build(select="lead_lifecycle_events", as_of=points[-1]), summary)
    summary["backfill"]["seconds"] = round(time.time() - started, 2)
    print(f"backfilled {len(points)} as-ofs into lead_score_history; lead_lifecycle_events rebuilt. "
          "lead_scores is re-scored by the next build.")
    return code
