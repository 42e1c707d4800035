"""Threshold choices on a hand-made score distribution (leadscore.thresholds), and the rescale that
keeps a calibrated proposal within the 0-100 scale (leadscore.commands.calibrate)."""

from leadscore.thresholds import Cut, at, best_f1, keeping_share

# 100 leads, 10 converters; thresholds from the top: (threshold, leads at or above, converters among them)
CUTS = [Cut(t, flagged, hits, 100, 10) for t, flagged, hits in
        [(90.0, 2, 2), (80.0, 5, 4), (70.0, 10, 6), (60.0, 20, 8), (50.0, 40, 9), (0.0, 100, 10)]]


def test_at_is_the_leads_at_or_above_a_threshold():
    assert at(CUTS, 75.0).threshold == 80.0 and at(CUTS, 75.0).flagged == 5
    assert at(CUTS, 95.0) is None


def test_keeping_share_is_the_lowest_threshold_flagging_no_more():
    assert keeping_share(CUTS, 0.10).threshold == 70.0  # exactly 10%
    assert keeping_share(CUTS, 0.15).threshold == 70.0  # 20% would be more
    assert keeping_share(CUTS, 0.01) is None


def test_best_f1_among_thresholds_at_least_as_precise():
    # F1: 90 -> 4/12, 80 -> 8/15, 70 -> 12/20, 60 -> 16/30, 50 -> 18/50
    assert best_f1(CUTS, 0.0).threshold == 70.0
    assert best_f1(CUTS, 0.7).threshold == 80.0  # 70 is only 60% precise
    assert best_f1(CUTS, 1.01) is None
    assert CUTS[2].precision == 0.6 and CUTS[2].recall == 0.6 and CUTS[2].share == 0.1


def test_rescale_keeps_the_proposal_within_the_scale(tmp_path):
    """Fit points from -60 to 140 (1st-99th percentile) span 200: fit rules and the caps of their
    groups are halved and a base rule gives every lead 30, so -60 maps to 0 and 140 to 100;
    engagement and disqualifying rules keep their points. Within the scale: nothing changes."""
    from leadscore import seeds
    from leadscore.commands.calibrate import rescale

    header = ["model", "rule_id", "dimension", "rule_group", "source", "field", "operator", "value", "points",
              "max_points", "disqualify", "description"]
    rules = [dict(model="m", rule_id="fit_a", dimension="fit", rule_group="size", points="25", max_points="",
                  disqualify="false"),
             dict(model="m", rule_id="fit_b", dimension="fit", rule_group="", points="-15", max_points="",
                  disqualify="false"),
             dict(model="m", rule_id="dq", dimension="fit", rule_group="", points="-100", max_points="",
                  disqualify="true"),
             dict(model="m", rule_id="eng", dimension="engagement", rule_group="web", points="8", max_points="24",
                  disqualify="false")]
    seeds.write_csv(tmp_path / "scoring_rules.csv", header, rules)
    seeds.write_csv(tmp_path / "scoring_groups.csv", ["model", "rule_group", "max_points", "description"],
                    [dict(model="m", rule_group="size", max_points="40", description=""),
                     dict(model="m", rule_group="web", max_points="30", description="")])
    assert rescale(tmp_path, "m", 0.0, 95.0) == []
    lines = rescale(tmp_path, "m", -60.0, 140.0)
    assert any("multiplied by 0.5" in line and "gives every lead 30 points" in line for line in lines)
    points = {r["rule_id"]: (r["points"], r["max_points"]) for r in seeds.read_csv(tmp_path / "scoring_rules.csv")[1]}
    assert points == {"fit_a": ("12", ""), "fit_b": ("-8", ""), "dq": ("-100", ""), "eng": ("8", "24"),
                      "cal_base": ("30", "")}
    groups = {g["rule_group"]: g["max_points"] for g in seeds.read_csv(tmp_path / "scoring_groups.csv")[1]}
    assert groups == {"size": "20", "web": "30"}
