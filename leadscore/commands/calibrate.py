"""leadscore calibrate: the closing-rate method as a reviewable change. Builds the backtest as of
--as-of (in the analysis schemas: production outputs stay as they are), then writes
<out-dir>/<model>_calibrated/ with the model's rules re-pointed by the evidence (rule_close_rates),
strong signals no rule covers yet (attribute_close_rates), the model and threshold rows for the
new model with its MQL and band thresholds re-fitted on the same backtest (the proposal is built
in a copy of the project for that), and diff.md - never the user's own seeds."""

from __future__ import annotations

import tempfile
from pathlib import Path

from leadscore import dbt, relations, seeds, thresholds, timeutil, warehouse
from leadscore.dbt import NO_TESTS, Build, Project
from leadscore.errors import EXIT_OK, UsageError


def rate(x) -> str:
    return f"{100 * x:.1f}%"


def proposal_project(dest: Path, out_dir: Path) -> Path:
    """A copy of the dbt project whose seeds also hold the proposal's rows (out_dir's CSVs)."""
    dbt.copy_project(dest)
    for proposal in sorted(out_dir.glob("*.csv")):
        header, rows = seeds.read_csv(dest / "seeds" / proposal.name)
        seeds.write_csv(dest / "seeds" / proposal.name, header, rows + seeds.read_csv(proposal)[1])
    return dest


def share_text(cut) -> str:
    if cut is None:
        return "no lead"
    precision = "-" if cut.precision is None else rate(cut.precision)
    recall = "-" if cut.recall is None else rate(cut.recall)
    return f"{rate(cut.share)} | {precision} | {recall}"


def refit_thresholds(out_dir: Path, current_cuts, proposed_cuts) -> list[str]:
    """Writes the re-fitted MQL and total-band thresholds into the proposal; the diff's lines."""
    _, models = seeds.read_csv(out_dir / "scoring_models.csv")
    header, bands = seeds.read_csv(out_dir / "score_thresholds.csv")
    current_mql = float(models[0]["mql_threshold"])
    current = thresholds.at(current_cuts, current_mql)
    kept = thresholds.keeping_share(proposed_cuts, current.share if current else 0.0)
    best = thresholds.best_f1(proposed_cuts, current.precision if current and current.precision else 0.0)
    lines = ["| threshold | current | proposed | MQL / band share | precision | recall |", "|---|---|---|---|---|---|",
             f"| MQL (current model) | {current_mql:g} | - | {share_text(current)} |"]
    if kept is not None:
        models[0]["mql_threshold"] = f"{kept.threshold:g}"
        lines.append(f"| MQL, keeping the current MQL share (proposed) | {current_mql:g} | {kept.threshold:g} | "
                     f"{share_text(kept)} |")
    if best is not None:
        lines.append(f"| MQL, best F1 at least as precise as the current model (alternative) | {current_mql:g} | "
                     f"{best.threshold:g} | {share_text(best)} |")
    totals = sorted((r for r in bands if r["dimension"].strip().lower() == "total"), key=lambda r: -float(r["min_score"]))
    previous = None
    for band in totals:
        old = float(band["min_score"])
        if old <= 0:
            continue
        held = thresholds.at(current_cuts, old)
        fitted = thresholds.keeping_share(proposed_cuts, held.share if held else 0.0)
        if fitted is None or (previous is not None and fitted.threshold >= previous) or fitted.threshold <= 0:
            lines.append(f"| band {band['label']} | {old:g} | {old:g} (kept: no distinct threshold keeps its share) | "
                         f"{share_text(held)} |")
            previous = old
            continue
        band["min_score"] = f"{fitted.threshold:g}"
        previous = fitted.threshold
        lines.append(f"| band {band['label']} and above | {old:g} | {fitted.threshold:g} | {share_text(fitted)} |")
    seeds.write_csv(out_dir / "scoring_models.csv", list(models[0]), models)
    seeds.write_csv(out_dir / "score_thresholds.csv", header, bands)
    return lines


# the share of backtest leads whose fit points may fall outside the 0-100 scale at either end
SCALE_QUANTILES = (0.01, 0.99)


def build_proposal(project: Project, path: Path, out_dir: Path, args, as_of: str, new_model: str):
    """Builds the backtest with the proposal in a copy of the project: the current model's and the
    proposal's total-score cuts and the proposal's fit points at SCALE_QUANTILES (or the build's
    exit code)."""
    with tempfile.TemporaryDirectory() as tmp, dbt.project_dir_of(proposal_project(Path(tmp) / "project", out_dir)):
        code = project.build(Build(select="+int_backtest_leads", exclude_resource_type=NO_TESTS, as_of=as_of,
                                   analysis=True, vars={"backtest_horizon_days": args.horizon}), {})
        if code != EXIT_OK:
            return code
        names = relations.Relations.load(project, analysis=True)
        with warehouse.connect(path) as con:
            current_cuts = thresholds.cuts(con, names["int_backtest_leads"], args.model)
            proposed_cuts = thresholds.cuts(con, names["int_backtest_leads"], new_model)
            low, high = con.execute(f"""
                select quantile_cont(scores.fit_points, ?), quantile_cont(scores.fit_points, ?)
                from {names['int_lead_scores']} as scores
                inner join {names['int_backtest_leads']} as leads
                    on scores.lead_id = leads.lead_id and scores.model = leads.model
                where scores.model = ?""", [*SCALE_QUANTILES, new_model]).fetchone()
    return current_cuts, proposed_cuts, (None, None) if low is None else (float(low), float(high))


def rescale(out_dir: Path, new_model: str, low, high) -> list[str]:
    """Scores are clamped to 0-100 per dimension and stop ranking there: when the proposal's fit
    points run past that scale for more than SCALE_QUANTILES of the backtest leads (closing-rate
    points are relative to the average lead, so the average sits at 0 and half the leads below
    it), the fit points are multiplied by s = min(1, 100 / (high - min(low, 0))) and a base rule on
    days_since_created >= 0 (every lead) adds -s x low: the ranking is kept and nearly every lead
    scores within 0-100. The diff's lines (none when no rescale is needed)."""
    if low is None or (low >= 0 and high <= 100):
        return []
    factor = min(1.0, 100 / (high - min(low, 0)))
    base = max(0, round(-factor * low))
    header, rules = seeds.read_csv(out_dir / "scoring_rules.csv")
    fit_groups = set()
    for rule in rules:
        if (rule.get("dimension") or "").strip().lower() == "fit" and (rule.get("disqualify") or "").strip() != "true":
            fit_groups.add((rule.get("rule_group") or "").strip())
            for column in ("points", "max_points"):
                if (rule.get(column) or "").strip():
                    rule[column] = str(round(factor * float(rule[column])))
    if base:
        rules.append({**dict.fromkeys(header, ""), "model": new_model, "rule_id": "cal_base", "dimension": "fit",
                      "source": "attribute", "field": "days_since_created", "operator": "gte", "value": "0",
                      "points": str(base), "disqualify": "false",
                      "description": "Calibrated: every lead's base, so that scores stay within 0-100"})
    seeds.write_csv(out_dir / "scoring_rules.csv", header, rules)
    group_header, groups = seeds.read_csv(out_dir / "scoring_groups.csv")
    for group in groups:  # the caps of the groups of fit rules
        if (group.get("rule_group") or "").strip() in fit_groups - {""} and (group.get("max_points") or "").strip():
            group["max_points"] = str(round(factor * float(group["max_points"])))
    seeds.write_csv(out_dir / "scoring_groups.csv", group_header, groups)
    return ["## Scale", "",
            f"On the backtest the proposal's fit points ran from {low:g} to {high:g} (1st to 99th percentile), past "
            "the 0-100 scale where scores are clamped and stop ranking. So its fit points (and fit group caps) are "
            f"multiplied by {factor:.3g}, rounded, and the rule cal_base gives every lead {base} points: the ranking "
            "is kept and nearly every lead scores within 0-100. The table above shows the points before this.", ""]


def points_text(rule: dict) -> str:
    """A rule's points as the diff shows them: with the cap of an event rule."""
    cap = (rule.get("max_points") or "").strip()
    return f"{rule['points']} (max {cap})" if cap and (rule.get("source") or "").strip().lower() == "event" else rule["points"]


def run(args, project: Project, summary: dict) -> int:
    seeds.check_model_name(args.model)
    as_of = timeutil.format_time(timeutil.parse_utc_time(args.as_of))
    if not 1 <= args.horizon <= 3650:
        raise UsageError("--horizon must be a number of days from 1 to 3650")
    path = project.require_duckdb("calibrate")
    header, all_rules = seeds.read_seed("scoring_rules")
    rules = [r for r in all_rules if (r.get("model") or "").strip() == args.model]
    if not rules:
        raise UsageError(f"seeds/scoring_rules.csv has no rules for model {args.model!r}")
    new_model = f"{args.model}_calibrated"
    code = project.build(Build(select="+rule_close_rates +attribute_close_rates", exclude_resource_type=NO_TESTS,
                               as_of=as_of, analysis=True,
                               vars={"backtest_horizon_days": args.horizon, "calibration_method": args.method}),
                         summary)
    if code != EXIT_OK:
        return code
    names = relations.Relations.load(project, analysis=True)
    with warehouse.connect(path) as con:
        evidence = {row["rule_id"]: row for row in warehouse.fetch_dicts(con, f"""
            select rule_id, leads_matched, converters_matched, close_rate, overall_close_rate, close_rate_lower,
                   close_rate_upper, is_supported, suggested_points
            from {names['rule_close_rates']} where model = ?""", [args.model])}
        signals = warehouse.fetch_dicts(con, f"""
            select signal_kind, field, signal_value, operator, value, value_to, leads_with, converters_with, close_rate,
                   overall_close_rate, close_rate_lower, close_rate_upper, suggested_points
            from {names['attribute_close_rates']}
            where is_supported and suggested_points is not null and abs(suggested_points) >= ?
            order by abs(suggested_points) desc, field, signal_value""", [args.min_points])
        converters = con.execute(f"select count(*) from {names['int_backtest_outcomes']} "
                                 "where converted_in_horizon and not converted_before").fetchone()[0]
    if not converters:
        raise UsageError(f"no conversions to calibrate on as of {as_of}: the backtest found no lead with an outcome "
                         f"in the {args.horizon} days after it (pass an --as-of at least --horizon days before the "
                         "newest conversion)")

    proposed, lines = [], []
    for rule in rules:
        row = dict(rule, model=new_model)
        found = evidence.get(rule["rule_id"])
        if (rule.get("disqualify") or "").strip().lower() == "true":
            note = "kept: a disqualifying rule is a policy, not a points question"
        elif found is None:
            note = "kept: the rule matched no lead in the backtest"
        elif not found["is_supported"]:
            note = f"kept: only {found['leads_matched']} leads matched (support below close_rate_min_support)"
        elif (rule.get("source") or "").strip().lower() == "event":
            # the evidence is per lead (having the event), so the rule becomes per lead: the
            # suggested points for a first event, and a cap that keeps it there
            suggested = found["suggested_points"]
            row["points"], row["max_points"] = str(suggested), str(abs(suggested))
            same = float(suggested) == float(rule["points"] or 0) and str(abs(suggested)) == (rule.get("max_points") or "").strip()
            note = "unchanged" if same else "changed (per lead: capped at the suggested points)"
        else:
            row["points"] = str(found["suggested_points"])
            note = "changed" if float(found["suggested_points"]) != float(rule["points"] or 0) else "unchanged"
        proposed.append(row)
        if found:
            evidence_text = (f"{found['leads_matched']} leads, {found['converters_matched']} converted: "
                             f"{rate(found['close_rate'])} vs {rate(found['overall_close_rate'])} overall "
                             f"(95% {rate(found['close_rate_lower'])}-{rate(found['close_rate_upper'])})")
        else:
            evidence_text = "no match"
        current, proposal = points_text(rule), points_text(row)
        lines.append(f"| {rule['rule_id']} | {current} | {proposal} | {evidence_text} | {note} |")

    used_fields = {(r.get("field") or "").strip().lower() for r in rules}
    added = []
    for signal in signals:
        if signal["field"] in used_fields or (signal["operator"] is None and signal["signal_kind"] != "event"):
            continue  # a current rule speaks for this field, or the signal cannot be written as a rule
        if signal["close_rate_lower"] <= signal["overall_close_rate"] <= signal["close_rate_upper"]:
            continue  # its 95% interval holds the overall rate: no evidence it differs
        source = "event" if signal["signal_kind"] == "event" else "attribute"
        points = signal["suggested_points"]
        row = {h: "" for h in header}
        row.update({"model": new_model, "rule_id": f"cal_{seeds.slug(signal['field'])}_{seeds.slug(signal['signal_value'])}",
                    "dimension": "engagement" if source == "event" else "fit", "source": source,
                    "field": signal["field"], "operator": signal["operator"] or "", "value": signal["value"] or "",
                    "value_to": "" if signal["value_to"] is None else repr(signal["value_to"]),
                    "points": str(points), "disqualify": "false",
                    "description": f"Calibrated: {signal['field']} {signal['signal_value']} closed at "
                                   f"{rate(signal['close_rate'])} vs {rate(signal['overall_close_rate'])}"})
        if source == "event":
            row["max_points"] = str(abs(points))  # the signal is having the event, not how often
        if row["rule_id"] in {r["rule_id"] for r in proposed}:
            continue
        proposed.append(row)
        added.append(row)
        lines.append(f"| {row['rule_id']} (new) | - | {points} | {signal['leads_with']} leads, "
                     f"{signal['converters_with']} converted: {rate(signal['close_rate'])} vs "
                     f"{rate(signal['overall_close_rate'])} overall (95% {rate(signal['close_rate_lower'])}-"
                     f"{rate(signal['close_rate_upper'])}) | new signal |")

    out_dir = Path(args.out_dir).resolve() / new_model
    out_dir.mkdir(parents=True, exist_ok=True)
    seeds.write_csv(out_dir / "scoring_rules.csv", header, proposed)
    for seed in ("scoring_models", "score_thresholds", "scoring_groups", "scoring_conditions"):
        seed_header, seed_rows = seeds.read_seed(seed)
        seeds.write_csv(out_dir / f"{seed}.csv", seed_header,
                        [dict(r, model=new_model) for r in seed_rows if (r.get("model") or "").strip() == args.model])
    # the proposal's scores on the same backtest leads, built in a copy of the project; when its
    # fit points run past the 0-100 scale, rescaled and built again
    built = build_proposal(project, path, out_dir, args, as_of, new_model)
    if isinstance(built, int):
        return built
    scale_lines = rescale(out_dir, new_model, *built[2])
    if scale_lines:
        built = build_proposal(project, path, out_dir, args, as_of, new_model)
        if isinstance(built, int):
            return built
    current_cuts, proposed_cuts, _ = built
    threshold_lines = refit_thresholds(out_dir, current_cuts, proposed_cuts)
    (out_dir / "diff.md").write_text("\n".join([
        f"# {new_model}: {args.model} re-pointed by the closing-rate method",
        "",
        f"As of {as_of}, outcome = a conversion within {args.horizon} days after; method `{args.method}` "
        f"(capped at var calibration_max_points). Review it like code; to run it side by side with "
        f"{args.model}, append each CSV's rows to the seed of the same name and `leadscore build`.",
        "",
        "| rule | current points | suggested points | evidence | note |",
        "|---|---|---|---|---|",
        *lines,
        "",
        *scale_lines,
        f"## Thresholds, re-fitted on the same backtest ({proposed_cuts[0].leads if proposed_cuts else 0} leads)",
        "",
        "The proposed MQL threshold keeps the current model's MQL share, so sales gets as many leads as "
        "today; the alternative has the best F1 among thresholds at least as precise as the current model. "
        "Band thresholds keep each band's share.",
        "",
        *threshold_lines, ""]))
    changed = sum(1 for line in lines if "| changed" in line)
    summary["calibrate"] = {"model": new_model, "rules": len(proposed), "changed": changed, "new": len(added),
                            "out_dir": str(out_dir.relative_to(Path.cwd())) if out_dir.is_relative_to(Path.cwd())
                            else out_dir.name}
    print(f"{new_model}: {len(proposed)} rules ({changed} re-pointed, {len(added)} new) in {out_dir}; "
          f"see {out_dir / 'diff.md'}")
    return EXIT_OK
