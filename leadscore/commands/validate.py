"""leadscore validate: the Great Expectations suites (leadscore.validate) on aggregates of the marts
and on the freshness dbt measured."""

from __future__ import annotations

from leadscore import dbt, relations, warehouse
from leadscore import validate as checks
from leadscore.dbt import Project
from leadscore.errors import EXIT_OK, EXIT_VALIDATION_FAILED, UsageError


def run(args, project: Project, summary: dict) -> int:
    path = project.require_duckdb("validate")
    warehouse.check_readable(path)
    limits = checks.Limits(quarantine_warn=args.quarantine_warn, quarantine_fail=args.quarantine_fail,
                           mql_share_min=args.mql_share_min, mql_share_max=args.mql_share_max,
                           drift_max_points=args.drift_max_points, drift_max_mql_share=args.drift_max_mql_share,
                           customers_as_upsell=bool(project.var("score_customers_as_upsell", False)))
    names = relations.Relations.load(project)
    with warehouse.connect(path) as con:
        missing = [m for m in ("lead_scores", "staging_reconciliation")
                   if not warehouse.table_exists(con, names.schema(m), names.alias(m))]
        if missing:
            raise UsageError(f"{', '.join(missing)} not built in {path.name}: run `leadscore build` first")
        result = checks.validate(con, names, dbt.target_dir(), limits)
    for line in checks.report_lines(result):
        print(line)
    print(f"validation report: {dbt.target_dir() / 'validation_result.json'}")
    summary["validation"] = {k: result[k] for k in ("success", "expectations", "failures", "warnings")}
    return EXIT_OK if result["success"] else EXIT_VALIDATION_FAILED
