"""The calibration report of `leadscore report`: one self-contained HTML file (static SVG charts
drawn by Altair through leadscore.charts, inline CSS, no scripts, no external files) read from the
marts of a DuckDB build.

The numbers come from the warehouse (score_backtest, score_calibration, attribute_close_rates,
lead_score_history, ...); only the ROC and gains curves are drawn here from int_backtest_leads.
"""

from __future__ import annotations

import datetime as dt
import html

from leadscore import charts


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def percent(x, digits=1) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f}%"


def number(x, digits=3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def curves(rows: list[tuple]) -> tuple[list, list]:
    """ROC and gains points of one scorer from (score, converters, leads) rows, one per distinct
    score (the warehouse groups them, so a tie is one step of the curve)."""
    rows = sorted(rows, key=lambda r: -r[0])
    positives = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    negatives = total - positives
    roc, gains = [(0.0, 0.0)], [(0.0, 0.0)]
    tp = seen = 0
    for _, converters, leads in rows:
        tp += converters
        seen += leads
        roc.append(((seen - tp) / negatives if negatives else 0.0, tp / positives if positives else 0.0))
        gains.append((seen / total, tp / positives if positives else 0.0))
    return thin(roc), thin(gains)


def thin(points: list, keep: int = 200) -> list:
    """At most about `keep` points (a curve over 1M leads need not draw 1M vertices)."""
    if len(points) <= keep:
        return points
    step = len(points) / keep
    return [points[int(k * step)] for k in range(keep)] + [points[-1]]


def collect(con, names) -> dict:
    """Everything the report shows, read from the warehouse (names: leadscore.relations.Relations)."""
    def rows(sql, params=None):
        # {name} in the SQL is the relation dbt built for that model
        return con.execute(sql.format_map(names), params or []).fetchall()

    data = {}
    data["backtest"] = rows("select scorer, model, scored_at, horizon_days, leads, converters, base_rate, roc_auc, "
                            "mqls, mql_precision, mql_recall, mql_lift from {score_backtest} order by scorer, model")
    data["bands"] = rows("select model, score_band, count(*), min(total_score) from {lead_scores} "
                         "group by model, score_band order by model, min(total_score)")
    data["calibration"] = rows("select model, group_kind, group_value, leads, converters, conversion_rate, "
                               "conversion_rate_lower, conversion_rate_upper, min_total_score from {score_calibration} "
                               "where scorer = 'rules' and group_kind in ('band', 'matrix_cell') "
                               "order by model, group_kind, min_total_score, group_value")
    data["backtest_leads"] = rows("select scorer, model, total_score, sum(case when converted then 1 else 0 end), count(*) "
                                  "from {int_backtest_leads} group by scorer, model, total_score")
    data["mql_history"] = rows("select model, scored_at, sum(case when is_mql then 1 else 0 end), count(*) "
                               "from {lead_score_history} group by model, scored_at order by model, scored_at")
    data["mql_to_customer"] = rows("""
        with mql as (
            select lead_id, model, occurred_at from {lead_lifecycle_events} where event_type = 'became_mql'
        ),
        converted as (
            select lead_id, min(converted_at) as converted_at from {stg_raw__conversions} group by lead_id
        )
        select
            mql.model,
            strftime(date_trunc('month', mql.occurred_at), '%Y-%m') as month,
            count(*) as mqls,
            sum(case when converted.converted_at >= mql.occurred_at then 1 else 0 end) as customers
        from mql
        left join converted on mql.lead_id = converted.lead_id
        group by 1, 2
        order by 1, 2""")
    data["signals"] = rows("select signal_kind, field, signal_value, leads_with, converters_with, close_rate, "
                           "overall_close_rate, lift_ratio, close_rate_lower, close_rate_upper, suggested_points "
                           "from {attribute_close_rates} where is_supported "
                           "order by abs(difference_pp) desc, field, signal_value limit 15")
    data["quarantine"] = rows("""
        select 'leads', quarantine_reason, count(*) from {quarantined_leads} group by 2
        union all select 'events', quarantine_reason, count(*) from {quarantined_events} group by 2
        union all select 'conversions', quarantine_reason, count(*) from {quarantined_conversions} group by 2
        union all select 'sales_activities', quarantine_reason, count(*) from {quarantined_sales_activities} group by 2
        union all select 'sales_outcomes', quarantine_reason, count(*) from {quarantined_sales_outcomes} group by 2
        union all select 'owners', quarantine_reason, count(*) from {quarantined_owners} group by 2
        order by 1, 3 desc""")
    data["funnel"] = rows("""
        select model, strftime(date_trunc('month', became_mql_at), '%Y-%m') as month, count(*) as mqls,
               count(became_sal_at), count(became_sql_at), count(became_customer_at)
        from {lead_stages} where became_mql_at is not null group by 1, 2 order by 1, 2""")
    data["sla"] = rows("""
        select model, team, sum(mqls), sum(met), sum(breached), sum(open_mqls),
               sum(met) / nullif(sum(met) + sum(breached), 0)
        from {mql_sla_daily} group by 1, 2 order by 1, 2""")
    data["band_history"] = rows("select model, scored_at, score_band, count(*), min(total_score) "
                                "from {lead_score_history} group by model, scored_at, score_band "
                                "order by model, scored_at, min(total_score)")
    # what the rules gave the MQLs as of T: each rule's points summed over the MQLs it scored
    data["rule_mqls"] = rows("""
        with contributions as (
            select reasons.model, reasons.rule_id, coalesce(reasons.description, reasons.rule_id) as rule_label,
                   count(*) as mqls, sum(reasons.points) as points
            from {lead_score_reasons} as reasons
            join {lead_scores} as scores on reasons.lead_id = scores.lead_id and reasons.model = scores.model
            where scores.is_mql and reasons.reason_type = 'rule' and reasons.points > 0
            group by 1, 2, 3
        ),
        ranked as (
            select *, row_number() over (partition by model order by points desc, rule_id) as rank_in_model
            from contributions
        )
        select model, rule_id, rule_label, mqls, points from ranked where rank_in_model <= 8
        order by model, points desc, rule_id""")
    data["staged"] = rows("select 'leads', count(*) from {stg_raw__leads} union all "
                          "select 'events', count(*) from {stg_raw__events} union all "
                          "select 'conversions', count(*) from {stg_raw__conversions} union all "
                          "select 'sales_activities', count(*) from {stg_raw__sales_activities} union all "
                          "select 'sales_outcomes', count(*) from {stg_raw__sales_outcomes} union all "
                          "select 'owners', count(*) from {stg_raw__owners}")
    return data


def ordered_categories(rows, category_index: int) -> list:
    seen = []
    for row in rows:
        if row[category_index] not in seen:
            seen.append(row[category_index])
    return seen


def render(data: dict, title: str = "Lead scoring: scores and conversion") -> str:
    backtest = data["backtest"]
    as_of = backtest[0][2] if backtest else None
    horizon = backtest[0][3] if backtest else None
    sections = []

    sections.append(("How well each scorer ranks who converted", (
        f"<p>Leads scored as of {esc(as_of)} and not converted by then; a lead counts as converted with a "
        f"conversion in the {esc(horizon)} days after. ROC AUC 0.5 is chance, 1.0 a perfect ranking.</p>"
        + table(["scorer", "model", "leads", "converters", "base rate", "ROC AUC", "MQLs", "MQL precision",
                 "MQL recall", "MQL lift"],
                [[s, m, n, c, percent(b), number(a), "-" if q is None else q, percent(p), percent(r), number(lift, 2)]
                 for s, m, _, _, n, c, b, a, q, p, r, lift in backtest]))))

    bands = ordered_categories(data["bands"], 1)
    sections.append(("Score distribution by band", charts.grouped_bars(
        "score_distribution", [{"model": m, "band": str(b), "leads": n} for m, b, n, _ in data["bands"]],
        "band", "leads", "model", title="Leads per band as of the scoring time",
        category_title="band (lowest score first)", value_title="leads", sort=[str(b) for b in bands])))

    history_bands = ordered_categories(sorted(data["band_history"], key=lambda r: (r[4] is None, r[4])), 2)
    sections.append(("Score distribution over time (lead_score_history)", charts.stacked_bars(
        "score_distribution_over_time",
        [{"model": m, "as_of": str(t)[:10], "band": str(b), "leads": n} for m, t, b, n, _ in data["band_history"]],
        "as_of", "leads", "band", title="Share of leads per band at each scored as-of", category_title="as-of",
        value_title="share of leads", normalize=True, facet="model", stack_order=[str(b) for b in history_bands])
        + "<p>One bar per scored as-of; <code>leadscore backfill</code> fills in past as-ofs.</p>"))

    for kind, heading in (("band", "Conversion rate by band"), ("matrix_cell", "Conversion rate by fit x engagement cell")):
        rows = [r for r in data["calibration"] if r[1] == kind]
        # bands from the lowest score up; cells in reading order (A1, A2, ..., D4)
        categories = ordered_categories(rows, 2) if kind == "band" else sorted(ordered_categories(rows, 2), key=str)
        sections.append((heading, "<p>Whiskers: Wilson 95% interval; a wide one means too few leads to trust.</p>"
                         + charts.grouped_bars(
                             f"conversion_by_{kind}",
                             [{"model": r[0], "group": str(r[2]), "rate": r[5], "lower": r[6], "upper": r[7]}
                              for r in rows],
                             "group", "rate", "model", title=f"{heading} within the outcome window",
                             category_title="band" if kind == "band" else "fit grade x engagement grade",
                             value_title="converted", value_kind="percent", interval=("lower", "upper"),
                             sort=[str(c) for c in categories])))

    by_scorer = {}
    for scorer, model, score, converters, leads in data["backtest_leads"]:
        by_scorer.setdefault(f"{model} ({scorer})", []).append((float(score), int(converters), int(leads)))
    roc, gains = [], []
    for name in sorted(by_scorer):
        roc_points, gains_points = curves(by_scorer[name])
        roc += [{"scorer": name, "x": x, "y": y} for x, y in roc_points]
        gains += [{"scorer": name, "x": x, "y": y} for x, y in gains_points]
    sections.append(("ROC curve per scorer", charts.lines(
        "roc", roc, "x", "y", "scorer", title="ROC curve: converters found against non-converters flagged",
        x_title="non-converters flagged (false positive rate)", y_title="converters found (true positive rate)",
        x_kind="rate", y_kind="percent", diagonal=True, points=False)))
    sections.append(("Gains curve per scorer", "<p>Working the leads from the highest score down: the share of "
                     "converters reached after contacting a given share of leads. The diagonal is random order.</p>"
                     + charts.lines("gains", gains, "x", "y", "scorer", title="Gains: converters reached by leads contacted",
                                    x_title="leads contacted, highest score first", y_title="converters reached",
                                    x_kind="rate", y_kind="percent", diagonal=True, points=False)))

    sections.append(("MQL volume over time (lead_score_history)", charts.lines(
        "mql_volume", [{"model": m, "as_of": str(t)[:10], "mqls": n} for m, t, n, _ in data["mql_history"]],
        "as_of", "mqls", "model", title="MQLs at each scored as-of", x_title="as-of", y_title="MQLs")))
    sections.append(("MQL-to-customer rate by month the lead became MQL", charts.lines(
        "mql_to_customer", [{"model": m, "month": month, "rate": c / n if n else 0.0}
                            for m, month, n, c in data["mql_to_customer"]],
        "month", "rate", "model", title="Share of new MQLs that became customers", x_title="month the lead became MQL",
        y_title="became a customer", y_kind="percent")
        + table(["model", "month", "new MQLs", "customers since"], [list(r) for r in data["mql_to_customer"]])))

    stages = ["MQL", "SAL (accepted)", "SQL (opportunity)", "customer"]
    funnel_totals = {}
    for model, _, *counts in data["funnel"]:
        totals = funnel_totals.setdefault(model, [0, 0, 0, 0])
        funnel_totals[model] = [t + c for t, c in zip(totals, counts)]
    sections.append(("MQL-to-SAL-to-won funnel (lead_stages)", charts.grouped_bars(
        "funnel", [{"model": m, "stage": stage, "leads": n} for m, counts in funnel_totals.items()
                   for stage, n in zip(stages, counts)],
        "stage", "leads", "model", title="Leads that became MQLs, and how far sales took them",
        category_title="stage reached", value_title="leads", sort=stages)
        + "<p>Leads that became MQLs, and how many of them sales accepted, turned into an opportunity and won, "
          "by the month they first became MQLs.</p>"
        + table(["model", "month became MQL", "MQLs", "SAL", "SQL", "customers"], [list(r) for r in data["funnel"]])))

    sla = data["sla"]
    sections.append(("SLA: first sales touch of new MQLs (mql_sla_daily)", charts.stacked_bars(
        "sla", [{"queue": f"{m} / {t or 'no team'}", "status": status, "mqls": n}
                for m, t, _, met, breached, open_, _ in sla
                for status, n in (("met", met), ("breached", breached), ("open", open_))],
        "queue", "mqls", "status", title="MQLs by first-touch SLA status", category_title="model / team",
        value_title="MQLs", horizontal=True, stack_order=["met", "breached", "open"])
        + table(["model", "team", "MQLs", "met", "breached", "open", "met rate"],
                [[m, t, n, met, breached, open_, percent(rate)] for m, t, n, met, breached, open_, rate in sla])))

    sections.append(("What the rules give the MQLs (lead_score_reasons)", charts.ranked_bars(
        "rule_contribution", [{"model": m, "rule": f"{m}: {label}", "points": float(points)}
                              for m, _, label, _, points in data["rule_mqls"]],
        "rule", "points", "model", title="Points each rule adds to the MQLs, eight largest per model",
        value_title="points summed over the MQLs")
        + table(["model", "rule", "MQLs it scored", "points over the MQLs"],
                [[m, f"{label} ({rule})", n, number(float(p), 1)] for m, rule, label, n, p in data["rule_mqls"]])))

    signals = data["signals"]
    labels = [f"{field} = {value}" for _, field, value, *_ in signals]
    sections.append(("Top signals (attribute_close_rates, the closing-rate method)", charts.grouped_bars(
        "top_signals", [{"signal": labels[i], "series": "close rate with the signal", "rate": r[5],
                         "lower": r[8], "upper": r[9]} for i, r in enumerate(signals)],
        "signal", "rate", "series", title="Close rate of the leads with each signal (Wilson 95% interval)",
        category_title=None, value_title="close rate", value_kind="percent", interval=("lower", "upper"),
        horizontal=True, sort=labels)
        + table(["#", "signal", "leads", "converted", "close rate (95%)", "overall", "lift", "suggested points"],
                [[i + 1, labels[i], r[3], r[4], f"{percent(r[5])} ({percent(r[8])}-{percent(r[9])})", percent(r[6]),
                  number(r[7], 2), r[10]] for i, r in enumerate(signals)])))

    staged = dict(data["staged"])
    quarantine = data["quarantine"]
    totals = {}
    for table_name, _, n in quarantine:
        totals[table_name] = totals.get(table_name, 0) + n
    tables = ["leads", "events", "conversions", "sales_activities", "sales_outcomes", "owners"]
    sections.append(("Quarantine summary", charts.grouped_bars(
        "quarantine", [{"table": t, "series": "quarantined", "share": totals.get(t, 0) / max(totals.get(t, 0)
                                                                                           + staged.get(t, 0), 1)}
                       for t in tables],
        "table", "share", "series", title="Share of each raw table's rows quarantined", category_title="raw table",
        value_title="share of raw rows", value_kind="share", sort=tables)
        + table(["table", "reason", "rows"], [list(r) for r in quarantine])))

    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(f'<section><h2>{esc(h)}</h2>{content}</section>' for h, content in sections)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 980px; color: #222; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; }}
table {{ border-collapse: collapse; margin: 8px 0; }} td, th {{ border: 1px solid #ddd; padding: 3px 8px; }}
th {{ background: #f4f4f4; }} svg.chart {{ display: block; margin: 8px 0; max-width: 100%; height: auto; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>As of {esc(as_of)}, outcome window {esc(horizon)} days. Generated {generated} by <code>leadscore report</code>.</p>
{body}
</body></html>
"""
