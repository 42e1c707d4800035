"""Threshold choices on a hand-made score distribution (leadscore.thresholds)."""

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
