"""leadscore build: `dbt build` through dbt's Python API, with a summary table at the end. A build
as of now first runs `dbt source freshness` (validate reads its result); a build as of a past
time does not (its inputs are judged by its own data, not by today's loads)."""

from __future__ import annotations

from leadscore.dbt import Build, Project


def build_of(args) -> Build:
    return Build(select=args.select, selector=args.selector, exclude=args.exclude,
                 exclude_resource_type=args.exclude_resource_type, full_refresh=args.full_refresh,
                 calibration=args.calibration, as_of=args.as_of)


def run(args, project: Project, summary: dict) -> int:
    return project.build(build_of(args), summary, freshness=args.as_of is None and not args.calibration)
