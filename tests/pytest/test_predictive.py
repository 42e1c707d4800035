"""The regression and the boosted trees of `leadscore train` on hand-made frames (no warehouse):
numeric features are clipped to their training range, so leads far outside it are not
extrapolated; the regularisation strength and the number of trees are chosen by a time-ordered
cross-validation that never trains on the outcomes of the period it validates; the trees'
seed rows, walked, give scikit-learn's probabilities."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

from leadscore import gbm, predictive

from conftest import walk_trees


def leads(rng, n, as_of="2026-01-01", far_share=0.0):
    """Leads whose conversion rises with the log of days_active, up to the most active tenth of
    them, and with source = referral. A far_share of them is 1,000 times as active as any other
    and converts like the most active ones (the relation levels off) from a source never seen."""
    days = rng.lognormal(mean=2.0, sigma=0.8, size=n)
    source = rng.choice(["ads", "referral", "event"], size=n)
    far = rng.random(n) < far_share
    days = np.where(far, days * 1000, days)
    source = np.where(far, "a source training never saw", source)
    logit = -2.5 + 1.2 * (np.minimum(np.log1p(days), 3.5) - 2.0) + 0.8 * (source == "referral")
    converted = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"lead_id": [f"{as_of}-{i}" for i in range(n)], "as_of": as_of,
                         "days_active": days, "lead_source": source, "converted": converted})


def test_leads_far_outside_the_training_range_are_not_extrapolated():
    rng = np.random.default_rng(7)
    train = leads(rng, 4000)
    terms, model = predictive.fit(train, c=1.0, min_level_support=30)
    [days_term] = [t for t in terms if t.feature == "days_active"]
    assert days_term.clip_low == train["days_active"].quantile(0.01)
    assert days_term.clip_high == train["days_active"].quantile(0.99)
    trained = model.predict_proba(predictive.encode(train, terms))[:, 1]

    # held out: the same leads, but a tenth of them 1,000 times as active as any training lead
    held_out = leads(rng, 3000, far_share=0.1)
    far = (held_out["days_active"] > train["days_active"].max()).to_numpy()
    assert far.sum() > 200
    probabilities = model.predict_proba(predictive.encode(held_out, terms))[:, 1]
    assert trained.min() <= probabilities.min() and probabilities.max() <= trained.max()
    labels = held_out["converted"].astype(int)
    base_rate = np.full(len(labels), labels.mean())
    assert log_loss(labels, probabilities) < log_loss(labels, base_rate)
    # the far leads score as the most active training leads of their source did, not beyond
    assert probabilities[far].max() <= trained.max()


def test_seed_rows_carry_the_clip_bounds_sql_applies():
    rng = np.random.default_rng(3)
    terms, model = predictive.fit(leads(rng, 2000), c=1.0, min_level_support=30)
    rows = {r["feature"]: r for r in predictive.seed_rows("m", model, terms)}
    assert list(rows["days_active"]) == predictive.SEED_HEADER
    assert float(rows["days_active"]["clip_low"]) < float(rows["days_active"]["clip_high"])
    assert rows["(intercept)"]["clip_low"] == "" and rows["lead_source"]["clip_high"] == ""


def test_c_is_chosen_by_a_time_ordered_cross_validation():
    rng = np.random.default_rng(11)
    start = dt.datetime(2025, 1, 1)
    as_ofs = [start + dt.timedelta(days=30 * k) for k in range(5)]
    frames = [leads(rng, 1500, as_of=str(t.date())) for t in as_ofs]
    selection = predictive.choose_c(frames, as_ofs, dt.timedelta(days=90), 30, "l1")
    # with a 90-day horizon, as-of 4 trains on as-of 1, as-of 5 on as-ofs 1 and 2: two folds
    assert selection["folds"] == 2
    assert set(selection["mean_log_loss"]) == set(predictive.C_GRID)
    best = min(selection["mean_log_loss"].values())
    assert selection["chosen"] in predictive.C_GRID and selection["mean_log_loss"][selection["chosen"]] == best
    # a strength that zeroes every term (C very small) predicts the base rate and loses to the choice
    assert selection["mean_log_loss"][min(predictive.C_GRID)] > best


def test_too_few_as_ofs_choose_nothing():
    rng = np.random.default_rng(5)
    as_ofs = [dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1)]
    selection = predictive.choose_c([leads(rng, 500), leads(rng, 500)], as_ofs, dt.timedelta(days=90), 30, "l1")
    assert selection["folds"] == 0 and selection["chosen"] is None


def test_folds_without_both_outcomes_are_skipped():
    rng = np.random.default_rng(9)
    as_ofs = [dt.datetime(2025, 1, 1) + dt.timedelta(days=30 * k) for k in range(6)]
    frames = [leads(rng, 800) for _ in as_ofs]
    frames[0] = frames[0].iloc[0:0]  # an as-of before the first lead: no rows
    frames[4] = frames[4].assign(converted=False)  # nobody converted in its horizon
    selection = predictive.choose_c(frames, as_ofs, dt.timedelta(days=90), 30, "l1")
    # as-of 4 trains on as-of 1 (empty: skipped), as-of 5 validates nobody converting (skipped),
    # as-of 6 trains on 1-3: one fold, too few to choose
    assert selection["folds"] == 1 and selection["chosen"] is None


def test_gbm_seed_rows_walked_give_scikit_learns_probabilities_and_contributions_add_up():
    """The predictive_trees rows, walked as int_lead_probabilities__gbm walks them, give exactly
    the probabilities scikit-learn predicts; a lead's contributions and the baseline (the roots'
    values) add up to its log-odds; text levels are 1 / 0 columns and nulls stay missing."""
    rng = np.random.default_rng(11)
    train = leads(rng, 3000)
    train.loc[train.index[::9], "days_active"] = np.nan
    columns, model = gbm.fit(train, trees=30, min_level_support=30)
    assert [c.name for c in columns] == ["days_active", "lead_source = ads", "lead_source = event",
                                         "lead_source = referral"]
    rows = gbm.seed_rows("g", model, columns)
    assert list(rows[0]) == gbm.SEED_HEADER and rows[0]["tree"] == "0" and rows[0]["feature"] == ""
    assert max(int(r["depth"]) for r in rows) <= gbm.PARAMS["max_depth"] <= gbm.MAX_DEPTH
    bias = sum(float(r["value"]) for r in rows if r["node"] == "0")
    held_out = leads(rng, 500, far_share=0.05)
    held_out.loc[held_out.index[::7], "days_active"] = np.nan
    expected = gbm.predict(model, columns, held_out)
    for lead, probability in zip(held_out.to_dict("records"), expected):
        logit, contributions = walk_trees(rows, lead)
        assert abs(1 / (1 + np.exp(-logit)) - probability) <= 1e-12
        assert abs(bias + sum(contributions.values()) - logit) <= 1e-9
    # trees do not extrapolate: leads far beyond the training range score within what training saw
    trained = gbm.predict(model, columns, train)
    assert trained.min() <= expected.min() and expected.max() <= trained.max()


def test_gbm_number_of_trees_is_chosen_on_later_as_ofs():
    rng = np.random.default_rng(5)
    as_ofs = [dt.datetime(2025, 1, 1) + dt.timedelta(days=30 * k) for k in range(4)]
    frames = [leads(rng, 1500, as_of=str(t.date())) for t in as_ofs]
    result = gbm.choose_trees(frames, as_ofs, dt.timedelta(days=30), min_level_support=30, grid=(5, 20, 80))
    assert result["folds"] == 3 and set(result["mean_log_loss"]) == {5, 20, 80}
    assert result["chosen"] == min(result["mean_log_loss"], key=result["mean_log_loss"].get)


def test_declared_interactions_become_text_columns_of_both_values():
    frame = pd.DataFrame({"lead_id": ["a", "b", "c"], "seniority": ["vp", "vp", None],
                          "department": ["sales", "finance", "sales"], "employees": [1.0, 2.0, 3.0]})
    rows = [{"model": "p", "feature": "Seniority ", "other_feature": "department"},
            {"model": "other", "feature": "employees", "other_feature": "seniority"}]
    pairs = predictive.interactions(rows, "p", frame)
    assert pairs == [("seniority", "department")]
    combined = predictive.add_interactions(frame, pairs)["seniority*department"].tolist()
    assert combined == ["vp | sales", "vp | finance", None]
    try:
        predictive.interactions(rows, "other", frame)
    except ValueError as exc:  # a numeric column is no text pair: the row and the fix
        assert str(exc).startswith("seeds/predictive_interactions.csv row 3: employees x seniority is not a pair")
    else:
        raise AssertionError("a numeric column was taken as a text column")
