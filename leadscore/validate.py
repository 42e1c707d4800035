"""Great Expectations checks on aggregates the warehouse computes (leadscore validate).

Row-level rules are dbt tests (contracts, unique keys, ranges, accepted values); what validate adds
is what a dbt test does not say well: the distributions of a run (MQL share per model, drift of
the scores against the previous run, quarantine share), the freshness dbt measured for the
sources, and a last check of the published marts that names a few offending keys. Every table is
reduced in DuckDB to one small frame - a count of the rows that break each rule, or one row per
model or source - and only those frames reach pandas and GX: at 1M leads validate reads a few
hundred numbers, not the marts. Each expectation carries a plain-words description and a severity:
a failed `failure` fails the validation, a failed `warning` is reported only. The result goes to
target/validation_result.json.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from leadscore import dbt

# GX is chatty (progress bars, analytics); keep the console for our own report. Set before the
# import, which reads it.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

logging.getLogger("great_expectations").setLevel(logging.ERROR)
logging.getLogger("great_expectations").propagate = False

# a freshness result counts for a validation when dbt measured it this close to the as-of
FRESHNESS_RESULT_WINDOW = dt.timedelta(hours=24)
FRESHNESS_LEVEL = {"pass": 0, "warn": 1, "error": 2, "runtime error": 2}


@dataclass
class Limits:
    quarantine_warn: float = 0.02
    quarantine_fail: float = 0.05
    # var score_customers_as_upsell: customers may be MQLs
    customers_as_upsell: bool = False
    mql_share_min: float = 0.001
    mql_share_max: float = 0.5
    # against the previous as-of in lead_score_history (warnings)
    drift_max_points: float = 10.0
    drift_max_mql_share: float = 0.05


@dataclass
class Check:
    """One expectation on a column of the dataset's frame, with the words a person reads when it
    fails. A rule check counts offending rows (`where`: the SQL condition on the dataset's row
    query, which also fetches up to five examples when the count is not 0); a bound check reads
    a value the frame computed (min_value / max_value)."""

    metric: str
    words: str
    severity: str = "failure"
    where: str | None = None
    show: str | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass
class Dataset:
    name: str
    sql: str
    keys: list[str]
    checks: list[Check] = field(default_factory=list)
    # the rows the rule checks count over: the frame is then one row of counts
    rows_sql: str | None = None
    # or rows computed here (the freshness dbt measured)
    records: list[dict] | None = None


def rule_frame_sql(rows_sql: str, checks: list[Check]) -> str:
    """One row: row_count, and per rule check the number of rows its condition holds for."""
    counts = ",\n".join(f"coalesce(sum(case when {c.where} then 1 else 0 end), 0) as {c.metric}"
                        for c in checks if c.where)
    return f"select count(*) as row_count, {counts} from ({rows_sql}) as checked_rows"


def score_datasets(names, limits: Limits) -> list[Dataset]:
    mql_rule = ("total_score >= mql_threshold and not is_disqualified"
                + ("" if limits.customers_as_upsell else " and not is_customer"))
    labels = names["stg_scoring_config__thresholds"]
    scores = f"""
        select s.*, m.mql_threshold,
               count(*) over (partition by s.lead_id, s.model) as key_rows,
               s.fit_grade in (select label from {labels} where dimension = 'fit') as fit_grade_known,
               s.engagement_grade in (select label from {labels} where dimension = 'engagement') as engagement_grade_known,
               s.score_band in (select label from {labels} where dimension = 'total') as score_band_known
        from {names['lead_scores']} as s
        left join {names['stg_scoring_config__models']} as m using (model)"""
    checks = [Check("row_count", "there are leads to score: lead_scores has rows (it has none when raw.leads is "
                    "empty or every lead row was quarantined)", min_value=1),
              Check("duplicate_keys", "there is one row per (lead_id, model)", where="key_rows > 1", show="key_rows")]
    for col in ("lead_id", "model", "scored_at", "fit_points", "engagement_points", "fit_score", "engagement_score",
                "total_score", "is_mql", "is_disqualified"):
        checks.append(Check(f"null_{col}", f"{col} is never null", where=f"{col} is null"))
    for col in ("fit_score", "engagement_score", "total_score"):
        checks.append(Check(f"out_of_range_{col}", f"{col} lies between 0 and 100",
                            where=f"{col} < 0 or {col} > 100", show=col))
    for col, dim in (("fit_grade", "fit"), ("engagement_grade", "engagement"), ("score_band", "total")):
        checks.append(Check(f"unknown_{col}", f"{col} is one of the {dim} labels in score_thresholds",
                            where=f"{col} is not null and not {col}_known", show=col))
    checks.append(Check("mql_disagrees", "is_mql agrees with total_score >= mql_threshold, not disqualified"
                        + ("" if limits.customers_as_upsell else " and not a customer"),
                        where=f"is_mql is distinct from ({mql_rule})", show="is_mql"))

    probabilities = f"""
        select lead_id, model, conversion_probability,
               count(*) over (partition by lead_id, model) as key_rows
        from {names['lead_conversion_probability']}"""
    probability_checks = [
        Check("duplicate_keys", "there is one row per (lead_id, predictive model)", where="key_rows > 1",
              show="key_rows"),
        Check("null_conversion_probability", "conversion_probability is never null",
              where="conversion_probability is null"),
        Check("out_of_range_conversion_probability", "conversion_probability lies between 0 and 1",
              where="conversion_probability < 0 or conversion_probability > 1", show="conversion_probability"),
    ]

    reason_sums = f"""
        with sums as (
            select lead_id, model,
                   sum(case when dimension = 'fit' then points else 0 end) as fit_sum,
                   sum(case when dimension = 'engagement' then points else 0 end) as engagement_sum
            from {names['lead_score_reasons']} group by 1, 2)
        select s.lead_id, s.model,
               cast(s.fit_points - coalesce(sums.fit_sum, 0) as double) as fit_difference,
               cast(s.engagement_points - coalesce(sums.engagement_sum, 0) as double) as engagement_difference
        from {names['lead_scores']} as s left join sums using (lead_id, model)"""
    reason_checks = [Check(f"{dim}_mismatches", f"lead_score_reasons add up exactly to {dim}_points",
                           where=f"{dim}_difference <> 0", show=f"{dim}_difference")
                     for dim in ("fit", "engagement")]

    queue = f"select lead_id, model, team, routing_status from {names['lead_assignments']} where owner_id is null"
    return [
        Dataset("lead_scores", "", ["lead_id", "model"], checks, rows_sql=scores),
        Dataset("routing_queue", "", ["lead_id", "model"], [
            Check("queued_mqls", "no MQL waits in the fallback queue of lead_assignments (add a routing rule that "
                  "matches it, or an active owner to its team)", "warning", where="true", show="routing_status")],
                rows_sql=queue),
        Dataset("lead_conversion_probability", "", ["lead_id", "model"], probability_checks, rows_sql=probabilities),
        Dataset("lead_score_reasons_sums", "", ["lead_id", "model"], reason_checks, rows_sql=reason_sums),
    ]


def distribution_datasets(names, limits: Limits) -> list[Dataset]:
    reconciliation = f"""
        select source_table, quarantine_share,
               raw_rows - (staged_rows + quarantined_rows + superseded_rows) as unaccounted_rows
        from {names['staging_reconciliation']}"""
    unreasoned = " union all ".join(
        f"select '{table}' as quarantine_table, count(*) - count(quarantine_reason) as rows_without_reason "
        f"from {names[table]}"
        for table in ("quarantined_leads", "quarantined_events", "quarantined_conversions",
                      "quarantined_sales_activities", "quarantined_sales_outcomes", "quarantined_owners"))
    mql_share = (f"select model, avg(case when is_mql then 1.0 else 0.0 end) as mql_share "
                 f"from {names['lead_scores']} group by model")
    history = names["lead_score_history"]
    # each model's scores at the as-of against its previous run in the history
    drift = f"""
        with runs as (
            select model, max(scored_at) as scored_at from {names['lead_scores']} group by model
        ),
        previous as (
            select runs.model, max(h.scored_at) as scored_at
            from runs join {history} as h on h.model = runs.model and h.scored_at < runs.scored_at
            group by runs.model
        ),
        compared as (
            select h.model,
                   avg(case when h.scored_at = runs.scored_at then h.total_score end) as mean_total_score,
                   avg(case when h.scored_at = previous.scored_at then h.total_score end) as previous_mean_total_score,
                   avg(case when h.scored_at = runs.scored_at then (case when h.is_mql then 1.0 else 0.0 end) end)
                       as mql_share,
                   avg(case when h.scored_at = previous.scored_at then (case when h.is_mql then 1.0 else 0.0 end) end)
                       as previous_mql_share
            from {history} as h
            join runs on h.model = runs.model
            join previous on h.model = previous.model
            where h.scored_at in (runs.scored_at, previous.scored_at)
            group by h.model
        )
        select model, round(abs(mean_total_score - previous_mean_total_score), 6) as mean_total_score_change,
               round(abs(mql_share - previous_mql_share), 6) as mql_share_change
        from compared
        where mean_total_score is not null and previous_mean_total_score is not null"""
    return [
        Dataset("staging_reconciliation", reconciliation, ["source_table"], [
            Check("unaccounted_rows", "every raw row is staged, quarantined or superseded", min_value=0, max_value=0),
            Check("quarantine_share", f"at most {limits.quarantine_fail:.1%} of a table's raw rows are quarantined",
                  max_value=limits.quarantine_fail),
            Check("quarantine_share", f"at most {limits.quarantine_warn:.1%} of a table's raw rows are quarantined",
                  "warning", max_value=limits.quarantine_warn)]),
        Dataset("quarantine_reasons", unreasoned, ["quarantine_table"], [
            Check("rows_without_reason", "every quarantined row has a reason", max_value=0)]),
        Dataset("mql_share", mql_share, ["model"], [
            Check("mql_share", f"each model qualifies between {limits.mql_share_min:.1%} and "
                  f"{limits.mql_share_max:.1%} of leads as MQL (many MQLs that rarely convert mean the thresholds "
                  "are wrong)", min_value=limits.mql_share_min, max_value=limits.mql_share_max)]),
        Dataset("score_drift", drift, ["model"], [
            Check("mean_total_score_change", f"each model's mean total_score moved at most {limits.drift_max_points:g} "
                  "points since the previous run in lead_score_history", "warning", max_value=limits.drift_max_points),
            Check("mql_share_change", f"each model's MQL share moved at most {limits.drift_max_mql_share:.1%} since "
                  "the previous run in lead_score_history", "warning", max_value=limits.drift_max_mql_share)]),
    ]


def freshness_dataset(con, names, target_dir: Path) -> tuple[Dataset | None, str]:
    """The result of the last `dbt source freshness` (target/sources.json) as a dataset, when dbt
    measured it within a day of the as-of; else None and the reason, for the report."""
    path = target_dir / "sources.json"
    if not path.is_file():
        return None, "not checked: no `dbt source freshness` result in the target folder"
    try:
        measured, rows = dbt.freshness_results(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"not checked: {path.name} cannot be read"
    as_of = con.execute(f"select max(scored_at) from {names['lead_scores']}").fetchone()[0]
    if as_of is None:
        return None, "not checked: nothing is scored"
    as_of = as_of.replace(tzinfo=dt.timezone.utc)
    if abs(measured - as_of) > FRESHNESS_RESULT_WINDOW:
        return None, (f"not checked: dbt measured it at {measured:%Y-%m-%d %H:%M}, not within a day of the as-of "
                      f"{as_of:%Y-%m-%d %H:%M} (a past as-of is judged by its own data, not by today's loads)")
    for row in rows:
        row["level"] = FRESHNESS_LEVEL.get(row["status"], 2)
    return Dataset("source_freshness", "", ["source", "status", "newest_load_hours_ago"], records=rows, checks=[
        Check("level", "every source is fresher than its error_after (dbt source freshness)", max_value=1),
        Check("level", "every source is fresher than its warn_after (dbt source freshness)", "warning", max_value=0),
    ]), "checked"


def frames(con: duckdb.DuckDBPyConnection, datasets: list[Dataset]) -> dict:
    import pandas as pd

    out = {}
    for ds in datasets:
        if ds.records is not None:
            out[ds.name] = pd.DataFrame(ds.records, columns=["source", "status", "level", "newest_load_hours_ago"])
        elif ds.rows_sql is not None:
            out[ds.name] = con.execute(rule_frame_sql(ds.rows_sql, ds.checks)).df()
        else:
            out[ds.name] = con.execute(ds.sql).df()
    return out


def examples(con, ds: Dataset, check: Check) -> list[dict]:
    """Up to five rows that break a rule check: their keys and the value that failed."""
    columns = [*ds.keys, *([check.show] if check.show and check.show not in ds.keys else [])]
    cursor = con.execute(f"select {', '.join(columns)} from ({ds.rows_sql}) as checked_rows where {check.where} "
                         f"order by {', '.join(ds.keys)} limit 5")
    return [{c: _plain(v) for c, v in zip(columns, row)} for row in cursor.fetchall()]


def run_suites(con, datasets: list[Dataset], data: dict) -> list[dict]:
    E = gx.expectations
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("warehouse")
    outcomes = []
    for ds in datasets:
        frame = data[ds.name]
        batch = source.add_dataframe_asset(ds.name).add_batch_definition_whole_dataframe("aggregates").get_batch(
            batch_parameters={"dataframe": frame})
        expectations = []
        for i, check in enumerate(ds.checks):
            bounds = {"min_value": check.min_value, "max_value": check.max_value} if not check.where else \
                {"min_value": 0, "max_value": 0}
            expectations.append(E.ExpectColumnValuesToBeBetween(column=check.metric, **bounds,
                                                                meta={"index": i}))
        suite = gx.ExpectationSuite(name=ds.name, expectations=expectations)
        result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                      "unexpected_index_column_names": [] if ds.rows_sql else ds.keys})
        for r in result.results:
            check = ds.checks[r.expectation_config.meta["index"]]
            success = bool(r.success)
            if ds.rows_sql is not None:
                # one row of counts: the count is the number of offending rows
                count = int(frame[check.metric].iloc[0] or 0) if check.where else None
                observed = _plain(frame[check.metric].iloc[0])
                offending = examples(con, ds, check) if check.where and not success else []
            else:
                index_list = r.result.get("unexpected_index_list") or []
                count = r.result.get("unexpected_count")
                observed = None
                order = {k: i for i, k in enumerate(ds.keys)}
                offending = [{k: _plain(row[k]) for k in sorted(row, key=lambda k: (order.get(k, len(order)), k))}
                             for row in index_list[:5] if isinstance(row, dict)]
            outcomes.append({
                "table": ds.name,
                "metric": check.metric,
                "expectation": r.expectation_config.type,
                "words": check.words,
                "severity": check.severity,
                "success": success,
                "unexpected_count": count,
                "observed_value": observed,
                "offending_keys": offending,
            })
    return outcomes


def _plain(value):
    """Make numpy / pandas scalars and decimals JSON-friendly."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def validate(con: duckdb.DuckDBPyConnection, names, target_dir: Path, limits: Limits) -> dict:
    datasets = score_datasets(names, limits) + distribution_datasets(names, limits)
    freshness, freshness_note = freshness_dataset(con, names, target_dir)
    if freshness is not None:
        datasets.append(freshness)
    data = frames(con, datasets)
    outcomes = run_suites(con, datasets, data)
    failures = [o for o in outcomes if not o["success"] and o["severity"] == "failure"]
    warnings = [o for o in outcomes if not o["success"] and o["severity"] == "warning"]
    queue = con.execute(f"select routing_status, count(*) from {names['lead_assignments']} where owner_id is null "
                        "group by 1 order by 1").fetchall()
    summary = {
        "success": not failures,
        "expectations": len(outcomes),
        "failures": len(failures),
        "warnings": len(warnings),
        "unrouted_mqls": {str(k): int(v) for k, v in queue},
        "freshness": freshness_note if freshness is None else
        [{k: row[k] for k in ("source", "status", "newest_load_hours_ago")} for row in freshness.records],
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
        elif o["observed_value"] is not None:
            detail = f" (observed {o['observed_value']})"
        lines.append(f"{label}: {o['table']}: expected {o['words']}{detail}")
    freshness = summary.get("freshness")
    if isinstance(freshness, str):
        lines.append(f"freshness: {freshness}")
    elif freshness:
        lines.append("freshness: " + ", ".join(f"{f['source']} {f['status']} (newest load {f['newest_load_hours_ago']} "
                                               "h ago)" for f in freshness))
    unrouted = summary.get("unrouted_mqls") or {}
    if unrouted:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(unrouted.items()))
        lines.append(f"routing: {sum(unrouted.values())} MQLs wait in the fallback queue ({reasons})")
    lines.append(f"validation: {summary['expectations']} expectations, {summary['failures']} failed, "
                 f"{summary['warnings']} warnings -> {'PASSED' if summary['success'] else 'FAILED'}")
    return lines
