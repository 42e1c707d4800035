"""Great Expectations checks on the marts and quarantine tables (leadscore validate).

The tables are read from the warehouse into pandas DataFrames (GX's SQL route through
duckdb-engine is known to break) and checked with GX 1.x suites. Each expectation carries a
plain-words description and a severity: a failed `failure` expectation fails the validation, a
failed `warning` is reported only. Results go to target/validation_result.json and GX's data
docs to target/gx/.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# GX is chatty (progress bars, analytics); keep the console for our own report. Set before the
# import, which reads it.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass
class Limits:
    quarantine_warn: float = 0.02
    quarantine_fail: float = 0.05
    freshness_days: float = 7.0
    # var score_customers_as_upsell: customers may be MQLs
    customers_as_upsell: bool = False
    mql_share_min: float = 0.001
    mql_share_max: float = 0.5


@dataclass
class Check:
    """One expectation with the words a person reads when it fails."""

    expectation: object
    words: str
    severity: str = "failure"


@dataclass
class Dataset:
    name: str
    frame: object
    keys: list[str]
    checks: list[Check] = field(default_factory=list)


def load_datasets(con: duckdb.DuckDBPyConnection, names, limits: Limits) -> list[Dataset]:
    """The tables to check (names: leadscore.relations.Relations) and their expectations."""
    E = gx.expectations
    frame = lambda sql: con.execute(sql).df()  # noqa: E731

    scores = frame(f"""
        select s.*, m.mql_threshold,
               s.total_score >= m.mql_threshold and not s.is_disqualified
               {'' if limits.customers_as_upsell else 'and not s.is_customer'} as is_mql_expected
        from {names['lead_scores']} s join {names['stg_scoring_config__models']} m using (model)""")
    labels = {dim: sorted(con.execute(f"select distinct label from {names['stg_scoring_config__thresholds']} where dimension = ?",
                                      [dim]).df()["label"].tolist())
              for dim in ("fit", "engagement", "total")}
    score_checks = [Check(E.ExpectTableRowCountToBeBetween(min_value=1),
                          "there are leads to score: lead_scores has rows (it has none when raw.leads is empty "
                          "or every lead row was quarantined)"),
                    Check(E.ExpectCompoundColumnsToBeUnique(column_list=["lead_id", "model"]),
                          "there is one row per (lead_id, model)")]
    for col in ("lead_id", "model", "scored_at", "fit_points", "engagement_points", "fit_score", "engagement_score",
                "total_score", "is_mql", "is_disqualified"):
        score_checks.append(Check(E.ExpectColumnValuesToNotBeNull(column=col), f"{col} is never null"))
    for col in ("fit_score", "engagement_score", "total_score"):
        score_checks.append(Check(E.ExpectColumnValuesToBeBetween(column=col, min_value=0, max_value=100),
                                  f"{col} lies between 0 and 100"))
    for col, dim in (("fit_grade", "fit"), ("engagement_grade", "engagement"), ("score_band", "total")):
        score_checks.append(Check(E.ExpectColumnValuesToBeInSet(column=col, value_set=labels[dim]),
                                  f"{col} is one of the {dim} labels in score_thresholds ({', '.join(labels[dim])})"))
    score_checks.append(Check(E.ExpectColumnPairValuesToBeEqual(column_A="is_mql", column_B="is_mql_expected"),
                              "is_mql agrees with total_score >= mql_threshold, not disqualified"
                              + ("" if limits.customers_as_upsell else " and not a customer")))

    reason_sums = frame(f"""
        with sums as (
            select lead_id, model,
                   sum(case when dimension = 'fit' then points else 0 end) as fit_sum,
                   sum(case when dimension = 'engagement' then points else 0 end) as engagement_sum
            from {names['lead_score_reasons']} group by 1, 2)
        select s.lead_id, s.model,
               cast(s.fit_points - coalesce(sums.fit_sum, 0) as double) as fit_difference,
               cast(s.engagement_points - coalesce(sums.engagement_sum, 0) as double) as engagement_difference
        from {names['lead_scores']} s left join sums using (lead_id, model)""")
    reason_checks = [Check(E.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=0),
                           f"lead_score_reasons add up exactly to {c.split('_')[0]}_points")
                     for c in ("fit_difference", "engagement_difference")]

    reconciliation = frame(f"select * from {names['staging_reconciliation']}")
    reconciliation["accounted_rows"] = (reconciliation["staged_rows"] + reconciliation["quarantined_rows"]
                                        + reconciliation["superseded_rows"])
    quarantine_checks = [
        Check(E.ExpectColumnPairValuesToBeEqual(column_A="raw_rows", column_B="accounted_rows"),
              "every raw row is staged, quarantined or superseded"),
        Check(E.ExpectColumnValuesToBeBetween(column="quarantine_share", max_value=limits.quarantine_fail),
              f"at most {limits.quarantine_fail:.1%} of a table's raw rows are quarantined"),
        Check(E.ExpectColumnValuesToBeBetween(column="quarantine_share", max_value=limits.quarantine_warn),
              f"at most {limits.quarantine_warn:.1%} of a table's raw rows are quarantined", "warning"),
    ]
    quarantined = []
    for table, key in (("quarantined_leads", "lead_id"), ("quarantined_events", "event_id"),
                       ("quarantined_conversions", "lead_id"), ("quarantined_sales_activities", "activity_id"),
                       ("quarantined_sales_outcomes", "lead_id"), ("quarantined_owners", "owner_id")):
        quarantined.append(Dataset(table, frame(f"select * from {names[table]}"), [key], [
            Check(E.ExpectColumnValuesToNotBeNull(column="quarantine_reason"), "every quarantined row has a reason")]))

    freshness = frame(f"""
        select 'events' as source_table,
               (epoch((select max(scored_at) from {names['lead_scores']})) - epoch(max(occurred_at))) / 86400.0
                   as newest_event_age_days
        from {names['int_events_as_of']}""")
    mql_share = frame("select model, avg(case when is_mql then 1.0 else 0.0 end) as mql_share "
                      f"from {names['lead_scores']} group by model")

    probabilities = frame("select lead_id, model, logit, conversion_probability "
                          f"from {names['lead_conversion_probability']}")
    probability_checks = [
        Check(E.ExpectCompoundColumnsToBeUnique(column_list=["lead_id", "model"]),
              "there is one row per (lead_id, predictive model)"),
        Check(E.ExpectColumnValuesToNotBeNull(column="conversion_probability"), "conversion_probability is never null"),
        Check(E.ExpectColumnValuesToBeBetween(column="conversion_probability", min_value=0, max_value=1),
              "conversion_probability lies between 0 and 1"),
    ]

    # MQLs no routing rule or active owner took wait in the fallback queue (docs/handoff.md)
    queue = frame(f"select lead_id, model, team, routing_status from {names['lead_assignments']} "
                  "where owner_id is null")

    return [
        Dataset("lead_scores", scores, ["lead_id", "model"], score_checks),
        Dataset("routing_queue", queue, ["lead_id", "model"], [
            Check(E.ExpectTableRowCountToEqual(value=0),
                  "no MQL waits in the fallback queue of lead_assignments (add a routing rule that matches it, "
                  "or an active owner to its team)", "warning")]),
        Dataset("lead_conversion_probability", probabilities, ["lead_id", "model"], probability_checks),
        Dataset("lead_score_reasons_sums", reason_sums, ["lead_id", "model"], reason_checks),
        Dataset("staging_reconciliation", reconciliation, ["source_table"], quarantine_checks),
        *quarantined,
        Dataset("freshness", freshness, ["source_table"], [
            Check(E.ExpectColumnValuesToBeBetween(column="newest_event_age_days", max_value=limits.freshness_days),
                  f"the newest event is at most {limits.freshness_days:g} days older than the as-of time",
                  "warning")]),
        Dataset("mql_share", mql_share, ["model"], [
            Check(E.ExpectColumnValuesToBeBetween(column="mql_share", min_value=limits.mql_share_min,
                                                  max_value=limits.mql_share_max),
                  f"each model qualifies between {limits.mql_share_min:.1%} and {limits.mql_share_max:.1%} of "
                  "leads as MQL (many MQLs that rarely convert mean the thresholds are wrong)")]),
    ]


def run_suites(datasets: list[Dataset], gx_root: Path) -> list[dict]:
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_or_update_pandas("warehouse")
    outcomes = []
    for ds in datasets:
        try:
            asset = source.get_asset(ds.name)
        except LookupError:
            asset = source.add_dataframe_asset(ds.name)
        try:
            batch = asset.get_batch_definition("whole_table")
        except (LookupError, KeyError):
            batch = asset.add_batch_definition_whole_dataframe("whole_table")
        for i, check in enumerate(ds.checks):
            check.expectation.meta = {"words": check.words, "severity": check.severity, "index": i}
        suite = context.suites.add_or_update(gx.ExpectationSuite(
            name=ds.name, expectations=[c.expectation for c in ds.checks]))
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=ds.name, data=batch, suite=suite))
        checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
            name=ds.name, validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ds.keys}))
        result = checkpoint.run(batch_parameters={"dataframe": ds.frame})
        for run_result in result.run_results.values():
            for r in run_result.results:
                meta = r.expectation_config.meta or {}
                index_list = r.result.get("unexpected_index_list") or []
                # the keys of the first offending rows, with the value that failed
                offending = [{k: _plain(row[k]) for k in sorted(row, key=lambda k: (k not in ds.keys, k))}
                             for row in index_list[:5] if isinstance(row, dict)]
                outcomes.append({
                    "table": ds.name,
                    "expectation": r.expectation_config.type,
                    "words": meta.get("words"),
                    "severity": meta.get("severity", "failure"),
                    "success": bool(r.success),
                    "unexpected_count": r.result.get("unexpected_count"),
                    "observed_value": _plain(r.result.get("observed_value")),
                    "offending_keys": offending,
                })
    return outcomes


def _plain(value):
    """Make numpy / pandas scalars JSON-friendly."""
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def validate(con: duckdb.DuckDBPyConnection, names, target_dir: Path, limits: Limits) -> dict:
    datasets = load_datasets(con, names, limits)
    queue = next(d.frame for d in datasets if d.name == "routing_queue")
    outcomes = run_suites(datasets, target_dir / "gx")
    failures = [o for o in outcomes if not o["success"] and o["severity"] == "failure"]
    warnings = [o for o in outcomes if not o["success"] and o["severity"] == "warning"]
    summary = {
        "success": not failures,
        "expectations": len(outcomes),
        "failures": len(failures),
        "warnings": len(warnings),
        "unrouted_mqls": {str(k): int(v) for k, v in queue.groupby("routing_status").size().items()},
        "data_docs": str(target_dir / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"),
        "results": outcomes,
    }
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "validation_result.json").write_text(json.dumps(summary, indent=2, default=str))
    return summary


def report_lines(summary: dict) -> list[str]:
    lines = []
    for o in summary["results"]:
        if o["success"]:
            continue
        label = "FAILED" if o["severity"] == "failure" else "WARNING"
        detail = ""
        if o["unexpected_count"]:
            detail = f" ({o['unexpected_count']} rows"
            if o["offending_keys"]:
                keys = "; ".join(", ".join(f"{k}={v}" for k, v in row.items()) for row in o["offending_keys"])
                detail += f", e.g. {keys}"
            detail += ")"
        lines.append(f"{label}: {o['table']}: expected {o['words']}{detail}")
    unrouted = summary.get("unrouted_mqls") or {}
    if unrouted:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(unrouted.items()))
        lines.append(f"routing: {sum(unrouted.values())} MQLs wait in the fallback queue ({reasons})")
    lines.append(f"validation: {summary['expectations']} expectations, {summary['failures']} failed, "
                 f"{summary['warnings']} warnings -> {'PASSED' if summary['success'] else 'FAILED'}")
    return lines
