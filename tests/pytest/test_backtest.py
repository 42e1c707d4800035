"""The backtest on generated data: scores as of T against conversions in the 90 days after T.

The generator draws conversions from a hidden propensity that depends on fit and engagement, so
the shipped rules must rank converters well above chance - and the SQL statistics must equal
the same statistics computed here in Python."""

from __future__ import annotations

import math

import duckdb
import pytest

from conftest import auc, run_cli

AS_OF = "2026-03-01 00:00:00"  # four months before the generated history ends: outcomes exist


def wilson(successes: int, trials: int) -> tuple[float, float]:
    z = 1.96
    p = successes / trials
    centre = p + z * z / (2 * trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return (centre - half) / (1 + z * z / trials), (centre + half) / (1 + z * z / trials)


@pytest.fixture(scope="module")
def backtest_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("backtest")
    db_path = work / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "1500", "--seed", "21", "--as-of", "2026-06-30"], db_path)
    run_cli(["build", "--as-of", AS_OF, "--calibration"], db_path,
            target_dir=work / "target")
    con = duckdb.connect(str(db_path), read_only=True)
    yield con
    con.close()


def test_wilson_reference_value():
    lower, upper = wilson(1, 4)
    assert round(lower, 4) == 0.0456 and round(upper, 4) == 0.6994


def test_auc_and_rates_match_python(backtest_db):
    for model, leads, converters, base_rate, roc_auc, mqls, precision in backtest_db.execute(
            "select model, leads, converters, base_rate, roc_auc, mqls, mql_precision from main.score_backtest").fetchall():
        rows = backtest_db.execute("select total_score, converted, is_mql from intermediate.int_backtest_leads "
                                   "where model = ?", [model]).fetchall()
        assert leads == len(rows) and converters == sum(r[1] for r in rows) > 0
        assert math.isclose(base_rate, converters / leads, rel_tol=1e-12)
        assert math.isclose(roc_auc, auc([(float(s), y) for s, y, _ in rows]), rel_tol=1e-12)
        mql_rows = [r for r in rows if r[2]]
        assert mqls == (None if all(r[2] is None for r in rows) else len(mql_rows))  # None: a regression scorer
        if mql_rows:
            assert math.isclose(precision, sum(r[1] for r in mql_rows) / len(mql_rows), rel_tol=1e-12)


def test_calibration_intervals_match_python(backtest_db):
    rows = backtest_db.execute("select leads, converters, conversion_rate_lower, conversion_rate_upper "
                               "from main.score_calibration").fetchall()
    assert rows
    for leads, converters, lower, upper in rows:
        want_lower, want_upper = wilson(converters, leads)
        assert math.isclose(lower, want_lower, abs_tol=1e-12) and math.isclose(upper, want_upper, abs_tol=1e-12)
    # deciles split each model's leads into ten groups of (almost) equal size
    sizes = backtest_db.execute("select model, max(leads) - min(leads), count(*) from main.score_calibration "
                                "where group_kind = 'score_decile' group by model").fetchall()
    assert all(spread <= 1 and groups == 10 for _, spread, groups in sizes)


def test_the_rules_recover_the_hidden_signal(backtest_db):
    aucs = dict(backtest_db.execute("select model, roc_auc from main.score_backtest").fetchall())
    assert aucs["b2b_default"] > 0.7, aucs
    lift = backtest_db.execute("select mql_lift from main.score_backtest where model = 'b2b_default'").fetchone()[0]
    assert lift > 1.5
