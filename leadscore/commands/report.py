"""leadscore report: the self-contained HTML report (leadscore.report) on scores, conversion and
signals. With --as-of it first builds everything (calibration included, tests left out) as of
that time in the analysis schemas and reports from there, leaving production outputs as they are;
without, it reports from the production build (`leadscore build --calibration`)."""

from __future__ import annotations

import os
from pathlib import Path

from leadscore import relations, report, timeutil, warehouse
from leadscore.dbt import NO_TESTS, Build, Project
from leadscore.errors import EXIT_OK, UsageError

REPORT_TABLES = ("score_backtest", "score_calibration", "attribute_close_rates", "lead_scores", "lead_score_history",
                 "lead_lifecycle_events", "quarantined_leads", "lead_stages", "mql_sla_daily")


def run(args, project: Project, summary: dict) -> int:
    path = project.require_duckdb("report")
    out = Path(args.out).resolve()
    if out.is_dir():
        raise UsageError(f"--out {args.out} is a folder: name an HTML file")
    analysis = bool(args.as_of)
    if analysis:
        as_of = timeutil.format_time(timeutil.parse_utc_time(args.as_of))
        code = project.build(Build(calibration=True, exclude_resource_type=NO_TESTS, as_of=as_of, analysis=True,
                                   vars={"backtest_horizon_days": args.horizon}), summary)
        if code != EXIT_OK:
            return code
    else:
        warehouse.check_readable(path)
    names = relations.Relations.load(project, analysis=analysis)
    with warehouse.connect(path) as con:
        missing = [t for t in REPORT_TABLES if not warehouse.table_exists(con, names.schema(t), names.alias(t))]
        if missing:
            raise UsageError(f"{', '.join(missing)} not built in {path.name}: pass --as-of (at least a horizon "
                             "in the past) or run 'leadscore build --calibration --as-of T' first")
        page = report.render(report.collect(con, names))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, out)
    except OSError as exc:
        raise UsageError(f"--out {args.out} cannot be written: {exc.strerror or exc}") from None
    size = len(page.encode("utf-8"))
    summary["report"] = {"out": out.name, "bytes": size}
    print(f"report: {out} ({size / 1024:.0f} KiB, self-contained)")
    return EXIT_OK
