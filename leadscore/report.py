"""The calibration report of `leadscore report`: one self-contained HTML file (inline SVG
charts and CSS, no scripts, no external files) read from the marts of a DuckDB build.

The numbers come from the warehouse (score_backtest, score_calibration, attribute_close_rates,
lead_score_history, ...); only the ROC and gains curves are drawn here from int_backtest_leads.
"""

from __future__ import annotations

import datetime as dt
import html

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def percent(x, digits=1) -> str:
    return "-" if x is None else f"{100 * x:.{digits}f}%"


def number(x, digits=3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def legend(names: list[str]) -> str:
    items = "".join(f'<span class="key"><i style="background:{PALETTE[i % len(PALETTE)]}"></i>{esc(n)}</span>'
                    for i, n in enumerate(names))
    return f'<div class="legend">{items}</div>'


def svg(chart_id: str, body: str, y_max: float, y_format, x_axis: str = "", y_label: str = "") -> str:
    """The frame of a chart: y grid with 5 ticks, axis labels, and the marks in body."""
    plot_h = HEIGHT - TOP - BOTTOM
    ticks = []
    for k in range(6):
        value = y_max * k / 5
        y = TOP + plot_h - plot_h * k / 5
        ticks.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{esc(y_format(value))}</text>')
    label = (f'<text class="axis" transform="translate(14,{TOP + plot_h / 2:.0f}) rotate(-90)" '
             f'text-anchor="middle">{esc(y_label)}</text>') if y_label else ""
    return (f'<svg class="chart" data-chart="{esc(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img">{"".join(ticks)}{label}{x_axis}{body}</svg>')


def bar_chart(chart_id: str, categories: list[str], series: dict, intervals: dict | None = None,
              y_format=percent, y_label: str = "", y_limit: float | None = None) -> str:
    """Grouped vertical bars, one group per category and one bar per series; optional whiskers."""
    if not categories or not series:
        return '<p class="empty">No data.</p>'
    names = list(series)
    highs = [v for s in series.values() for v in s if v is not None]
    if intervals:
        highs += [hi for s in intervals.values() for _, hi in s if hi is not None]
    y_max = max(highs + [1e-9]) * 1.1
    if y_limit is not None:
        y_max = min(y_max, y_limit)  # a rate axis stops at 100%
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / len(categories)
    bar_w = group_w * 0.8 / len(names)

    def y_of(v):
        return TOP + plot_h - plot_h * (v / y_max)

    marks, labels = [], []
    for c, category in enumerate(categories):
        x0 = LEFT + c * group_w + group_w * 0.1
        labels.append(f'<text class="tick" x="{LEFT + (c + 0.5) * group_w:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                      f'text-anchor="middle">{esc(category)}</text>')
        for s, name in enumerate(names):
            value = series[name][c]
            if value is None:
                continue
            x = x0 + s * bar_w
            marks.append(f'<rect class="bar" x="{x:.1f}" y="{y_of(value):.1f}" width="{max(bar_w - 2, 1):.1f}" '
                         f'height="{TOP + plot_h - y_of(value):.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                         f'<title>{esc(name)} {esc(category)}: {esc(y_format(value))}</title></rect>')
            if intervals and intervals[name][c][0] is not None:
                lo, hi = intervals[name][c]
                mid = x + (bar_w - 2) / 2
                marks.append(f'<path class="whisker" d="M{mid:.1f},{y_of(lo):.1f}V{y_of(hi):.1f}'
                             f'M{mid - 3:.1f},{y_of(lo):.1f}h6M{mid - 3:.1f},{y_of(hi):.1f}h6"/>')
    return legend(names) + svg(chart_id, "".join(marks), y_max, y_format, "".join(labels), y_label)


def line_chart(chart_id: str, series: dict, x_labels: list[str] | None = None, diagonal: bool = False,
               y_max: float | None = None, y_format=percent, y_label: str = "", x_label: str = "") -> str:
    """Lines with point markers; x in [0, 1] (curves) or the index of x_labels (time)."""
    points = [p for s in series.values() for p in s]
    if not points:
        return '<p class="empty">No data.</p>'
    y_max = y_max or max(max(y for _, y in points) * 1.1, 1e-9)
    x_max = max(len(x_labels) - 1, 1) if x_labels else 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(x, y):
        return LEFT + plot_w * x / x_max, TOP + plot_h - plot_h * y / y_max

    marks = []
    if diagonal:
        (x1, y1), (x2, y2) = xy(0, 0), xy(1, 1)
        marks.append(f'<path class="diagonal" d="M{x1:.1f},{y1:.1f}L{x2:.1f},{y2:.1f}"/>')
    for s, (name, pts) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        path = "".join(("M" if i == 0 else "L") + "{:.1f},{:.1f}".format(*xy(x, y)) for i, (x, y) in enumerate(pts))
        marks.append(f'<path class="line" d="{path}" stroke="{colour}"><title>{esc(name)}</title></path>')
        if len(pts) <= 40:
            marks += [f'<circle cx="{xy(x, y)[0]:.1f}" cy="{xy(x, y)[1]:.1f}" r="3" fill="{colour}"/>' for x, y in pts]
    if x_labels:
        step = max(1, len(x_labels) // 8)
        axis = "".join(f'<text class="tick" x="{xy(i, 0)[0]:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                       f'{esc(label)}</text>' for i, label in enumerate(x_labels) if i % step == 0)
    else:
        axis = "".join(f'<text class="tick" x="{xy(k / 5, 0)[0]:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                       f'text-anchor="middle">{percent(k / 5, 0)}</text>' for k in range(6))
    if x_label:
        axis += f'<text class="axis" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 12}" text-anchor="middle">{esc(x_label)}</text>'
    return legend(list(series)) + svg(chart_id, "".join(marks), y_max, y_format, axis, y_label)


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
    data["staged"] = rows("select 'leads', count(*) from {stg_raw__leads} union all "
                          "select 'events', count(*) from {stg_raw__events} union all "
                          "select 'conversions', count(*) from {stg_raw__conversions} union all "
                          "select 'sales_activities', count(*) from {stg_raw__sales_activities} union all "
                          "select 'sales_outcomes', count(*) from {stg_raw__sales_outcomes} union all "
                          "select 'owners', count(*) from {stg_raw__owners}")
    return data


def grouped(rows, key_index: int, category_index: int, value_index: int, categories: list[str]) -> dict:
    series = {}
    for row in rows:
        series.setdefault(row[key_index], {})[row[category_index]] = row[value_index]
    return {name: [values.get(c) for c in categories] for name, values in series.items()}


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
    sections.append(("Score distribution by band", bar_chart(
        "score_distribution", [str(b) for b in bands], grouped(data["bands"], 0, 1, 2, bands),
        y_format=lambda v: f"{v:,.0f}", y_label="leads")))

    for kind, heading in (("band", "Conversion rate by band"), ("matrix_cell", "Conversion rate by fit x engagement cell")):
        rows = [r for r in data["calibration"] if r[1] == kind]
        # bands from the lowest score up; cells in reading order (A1, A2, ..., D4)
        categories = ordered_categories(rows, 2) if kind == "band" else sorted(ordered_categories(rows, 2), key=str)
        rates = grouped(rows, 0, 2, 5, categories)
        lower, upper = grouped(rows, 0, 2, 6, categories), grouped(rows, 0, 2, 7, categories)
        intervals = {name: list(zip(lower[name], upper[name])) for name in rates}
        sections.append((heading, "<p>Whiskers: Wilson 95% interval; a wide one means too few leads to trust.</p>"
                          + bar_chart(f"conversion_by_{kind}", [str(c) for c in categories], rates, intervals,
                                      y_label="converted", y_limit=1.0)))

    by_scorer = {}
    for scorer, model, score, converters, leads in data["backtest_leads"]:
        by_scorer.setdefault(f"{model} ({scorer})", []).append((float(score), int(converters), int(leads)))
    roc, gains = {}, {}
    for name in sorted(by_scorer):
        roc[name], gains[name] = curves(by_scorer[name])
    sections.append(("ROC curve per scorer", line_chart(
        "roc", roc, diagonal=True, y_max=1.0, y_label="converters found (true positive rate)",
        x_label="non-converters flagged (false positive rate)")))
    sections.append(("Gains curve per scorer", "<p>Working the leads from the highest score down: the share of "
                     "converters reached after contacting a given share of leads. The diagonal is random order.</p>"
                     + line_chart("gains", gains, diagonal=True, y_max=1.0, y_label="converters reached",
                                  x_label="leads contacted, highest score first")))

    times = sorted({str(r[1]) for r in data["mql_history"]})
    volume = {}
    for model, scored_at, mqls, _ in data["mql_history"]:
        volume.setdefault(model, []).append((times.index(str(scored_at)), float(mqls)))
    sections.append(("MQL volume over time (lead_score_history)", line_chart(
        "mql_volume", volume, x_labels=[t[:10] for t in times], y_format=lambda v: f"{v:,.0f}", y_label="MQLs")
        + "<p>One point per scored as-of; <code>leadscore backfill</code> fills in past as-ofs.</p>"))
    months = sorted({r[1] for r in data["mql_to_customer"]})
    rate = {}
    for model, month, mqls, customers in data["mql_to_customer"]:
        rate.setdefault(model, []).append((months.index(month), customers / mqls if mqls else 0.0))
    sections.append(("MQL-to-customer rate by month the lead became MQL", line_chart(
        "mql_to_customer", rate, x_labels=months, y_label="became a customer")
        + table(["model", "month", "new MQLs", "customers since"], [list(r) for r in data["mql_to_customer"]])))

    funnel_totals = {}
    for model, _, *counts in data["funnel"]:
        totals = funnel_totals.setdefault(model, [0, 0, 0, 0])
        funnel_totals[model] = [t + c for t, c in zip(totals, counts)]
    sections.append(("MQL-to-SAL-to-won funnel (lead_stages)", bar_chart(
        "funnel", ["MQL", "SAL (accepted)", "SQL (opportunity)", "customer"], funnel_totals,
        y_format=lambda v: f"{v:,.0f}", y_label="leads")
        + "<p>Leads that became MQLs, and how many of them sales accepted, turned into an opportunity and won, "
          "by the month they first became MQLs.</p>"
        + table(["model", "month became MQL", "MQLs", "SAL", "SQL", "customers"], [list(r) for r in data["funnel"]])))
    sla = data["sla"]
    sla_labels = [f"{model} / {team}" for model, team, *_ in sla]
    sections.append(("SLA: first sales touch of new MQLs (mql_sla_daily)", bar_chart(
        "sla", sla_labels, {"met": [r[3] for r in sla], "breached": [r[4] for r in sla], "open": [r[5] for r in sla]},
        y_format=lambda v: f"{v:,.0f}", y_label="MQLs")
        + table(["model", "team", "MQLs", "met", "breached", "open", "met rate"],
                [[m, t, n, met, breached, open_, percent(rate)] for m, t, n, met, breached, open_, rate in sla])))

    signals = data["signals"]
    labels = [f"{field} {value}" for _, field, value, *_ in signals]
    sections.append(("Top signals (attribute_close_rates, the closing-rate method)", bar_chart(
        "top_signals", [str(i + 1) for i in range(len(signals))],
        {"close rate with the signal": [r[5] for r in signals]},
        {"close rate with the signal": [(r[8], r[9]) for r in signals]}, y_label="close rate", y_limit=1.0)
        + table(["#", "signal", "leads", "converted", "close rate (95%)", "overall", "lift", "suggested points"],
                [[i + 1, labels[i], r[3], r[4], f"{percent(r[5])} ({percent(r[8])}-{percent(r[9])})", percent(r[6]),
                  number(r[7], 2), r[10]] for i, r in enumerate(signals)])))

    staged = dict(data["staged"])
    quarantine = data["quarantine"]
    totals = {}
    for table_name, _, n in quarantine:
        totals[table_name] = totals.get(table_name, 0) + n
    tables = ["leads", "events", "conversions", "sales_activities", "sales_outcomes", "owners"]
    sections.append(("Quarantine summary", bar_chart(
        "quarantine", tables,
        {"share of raw rows quarantined": [totals.get(t, 0) / max(totals.get(t, 0) + staged.get(t, 0), 1)
                                           for t in tables]},
        y_format=lambda v: percent(v, 2), y_label="quarantined")
        + table(["table", "reason", "rows"], [list(r) for r in quarantine])))

    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(f'<section><h2>{esc(h)}</h2>{content}</section>' for h, content in sections)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 980px; color: #222; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; }}
table {{ border-collapse: collapse; margin: 8px 0; }} td, th {{ border: 1px solid #ddd; padding: 3px 8px; }}
th {{ background: #f4f4f4; }} .legend {{ margin: 6px 0; }} .key {{ margin-right: 14px; }}
.key i {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; }}
svg .grid {{ stroke: #eee; }} svg .tick, svg .axis {{ font-size: 11px; fill: #555; }}
svg .line {{ fill: none; stroke-width: 2; }} svg .diagonal {{ stroke: #aaa; stroke-dasharray: 4 4; }}
svg .whisker {{ stroke: #222; }} .empty {{ color: #888; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>As of {esc(as_of)}, outcome window {esc(horizon)} days. Generated {generated} by <code>leadscore report</code>.</p>
{body}
</body></html>
"""
