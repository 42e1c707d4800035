"""The report's charts: Altair (Vega-Lite) specifications rendered to static SVG by vl-convert, so
the report stays one offline file with no scripts. Every chart has a title, axis titles, readable
ticks (round values, labels that do not overlap) and its legend below it.

Each function takes plain records (dicts) and returns the SVG as text, tagged with
class="chart" and data-chart=<name> for the report test.
"""

from __future__ import annotations

import re

import altair as alt
import vl_convert

WIDTH, HEIGHT = 600, 260
FONT = "DejaVu Sans, Verdana, sans-serif"


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (chart.configure(font=FONT, padding={"left": 8, "right": 24, "top": 8, "bottom": 8})
            .configure_axis(labelFontSize=11, titleFontSize=12, labelOverlap="greedy", labelFlush=True,
                            titlePadding=10, labelLimit=260, gridColor="#eee", domainColor="#888")
            # a band axis (categories) keeps its first and last labels centred on their bands
            .configure_axisBand(labelFlush=False)
            .configure_legend(orient="bottom", labelFontSize=11, titleFontSize=12, columns=4, labelLimit=260)
            .configure_title(fontSize=13, anchor="start", offset=12)
            .configure_view(stroke=None))


def to_svg(chart: alt.TopLevelMixin, name: str) -> str:
    """The chart as inline SVG (no namespace declarations: inline SVG in HTML needs none, and the
    report names no URL)."""
    svg = vl_convert.vegalite_to_svg(vl_spec=_configured(chart).to_dict())
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg, count=2)
    return svg.replace('class="marks"', f'class="marks chart" data-chart="{name}" role="img"', 1)


def _axis_format(kind: str) -> dict:
    return {"percent": {"format": ".0%"}, "share": {"format": ".1%"}, "count": {"format": ",d", "tickMinStep": 1},
            "number": {"format": ",.2~f"}}[kind]


def grouped_bars(name: str, records: list[dict], category: str, value: str, series: str, *, title: str,
                 category_title: str, value_title: str, value_kind: str = "count", interval=None,
                 horizontal: bool = False, sort=None) -> str:
    """Bars of `value` per `category`, one bar per `series` side by side; interval: (lower, upper)
    fields drawn as whiskers."""
    data = alt.Data(values=records)
    cat = alt.X(f"{category}:N", title=category_title, sort=sort, axis=alt.Axis(labelAngle=0)) if not horizontal \
        else alt.Y(f"{category}:N", title=category_title, sort=sort)
    val_axis = alt.Axis(**_axis_format(value_kind))
    scale = alt.Scale(domain=[0, 1]) if value_kind == "percent" else alt.Undefined
    val = (alt.Y if not horizontal else alt.X)(f"{value}:Q", title=value_title, axis=val_axis, scale=scale)
    offset = {"xOffset" if not horizontal else "yOffset": alt.XOffset(f"{series}:N") if not horizontal
              else alt.YOffset(f"{series}:N")}
    color = alt.Color(f"{series}:N", title=None)
    size = {"width": WIDTH, "height": HEIGHT} if not horizontal else \
        {"width": WIDTH - 260, "height": alt.Step(12 * max(1, len({r[series] for r in records})))}
    layers = [alt.Chart(data).mark_bar().encode(**({"x": cat, "y": val} if not horizontal else {"y": cat, "x": val}),
                                                  color=color, **offset)]
    if interval:
        low, high = interval
        whisker = {"y": alt.Y(f"{low}:Q"), "y2": alt.Y2(f"{high}:Q"), "x": cat} if not horizontal else \
            {"x": alt.X(f"{low}:Q"), "x2": alt.X2(f"{high}:Q"), "y": cat}
        layers.append(alt.Chart(data).mark_rule(color="#222").encode(**whisker, **offset))
    return to_svg(alt.layer(*layers).properties(title=title, **size), name)


def stacked_bars(name: str, records: list[dict], category: str, value: str, stack: str, *, title: str,
                 category_title: str, value_title: str, normalize: bool = False, horizontal: bool = False,
                 facet: str | None = None, stack_order: list | None = None) -> str:
    data = alt.Data(values=records)
    cat_enc = (alt.Y if horizontal else alt.X)(f"{category}:N", title=category_title,
                                                **({} if horizontal else {"axis": alt.Axis(labelAngle=0)}))
    val_enc = (alt.X if horizontal else alt.Y)(f"{value}:Q", title=value_title, stack="normalize" if normalize else True,
                                                axis=alt.Axis(**_axis_format("percent" if normalize else "count")))
    color = alt.Color(f"{stack}:N", title=None, sort=stack_order)
    chart = alt.Chart(data).mark_bar().encode(
        **({"y": cat_enc, "x": val_enc} if horizontal else {"x": cat_enc, "y": val_enc}), color=color,
        order=alt.Order("stack_rank:Q") if stack_order else alt.Undefined)
    if stack_order:
        chart = chart.transform_calculate(
            stack_rank=" + ".join(f"(datum['{stack}'] == {i!r} ? {n} : 0)" for n, i in enumerate(stack_order)))
    height = alt.Step(18) if horizontal else HEIGHT
    if facet:
        chart = chart.properties(width=WIDTH - 80, height=160).facet(row=alt.Row(f"{facet}:N", title=None))
        return to_svg(chart.properties(title=title), name)
    return to_svg(chart.properties(title=title, width=WIDTH - (260 if horizontal else 0), height=height), name)


def ranked_bars(name: str, records: list[dict], label: str, value: str, color: str, *, title: str,
                value_title: str, value_kind: str = "number") -> str:
    """One horizontal bar per `label`, the largest on top, coloured by `color`."""
    chart = alt.Chart(alt.Data(values=records)).mark_bar().encode(
        y=alt.Y(f"{label}:N", title=None, sort=alt.EncodingSortField(field=value, order="descending")),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(**_axis_format(value_kind))),
        color=alt.Color(f"{color}:N", title=None))
    return to_svg(chart.properties(title=title, width=WIDTH - 260, height=alt.Step(18)), name)


def lines(name: str, records: list[dict], x: str, y: str, series: str, *, title: str, x_title: str, y_title: str,
          x_kind: str = "ordinal", y_kind: str = "count", diagonal: bool = False, points: bool = True) -> str:
    """A line per `series`; x_kind ordinal (labels such as dates or months, in order) or rate (0-1);
    diagonal: the line of random order from (0, 0) to (1, 1)."""
    data = alt.Data(values=records)
    if x_kind == "rate":
        x_enc = alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    else:
        x_enc = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[0, 1]) if y_kind == "percent" else alt.Undefined
    y_enc = alt.Y(f"{y}:Q", title=y_title, scale=y_scale, axis=alt.Axis(**_axis_format(y_kind)))
    layers = [alt.Chart(data).mark_line(point=points, strokeWidth=2).encode(
        x=x_enc, y=y_enc, color=alt.Color(f"{series}:N", title=None))]
    if diagonal:
        layers.insert(0, alt.Chart(alt.Data(values=[{"a": 0, "b": 0}, {"a": 1, "b": 1}])).mark_line(
            color="#aaa", strokeDash=[4, 4]).encode(x="a:Q", y="b:Q"))
    return to_svg(alt.layer(*layers).properties(title=title, width=WIDTH, height=HEIGHT), name)
