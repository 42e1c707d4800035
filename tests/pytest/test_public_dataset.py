"""A second proof on data this project did not design: the CoIL 2000 "Caravan" direct-marketing
dataset (5,822 customers of a Dutch insurer, 85 socio-demographic and product-ownership
attributes, 348 bought a caravan policy), shipped inside the ISLP package.

It is explicit (fit) scoring only - no events, no timestamps - so it is laid out as two cohorts:
even rows created 2025-01-01, odd rows 2025-07-01, a purchase 30 days after creation. The
pipeline then does what a user would: a marketer's guess of a points table (caravan_guess),
`calibrate` as of 2025-01-10 (first cohort), `train` on that as-of and hold out 2025-07-10.
The scorers are compared on the second cohort only, whose outcomes no scorer has seen."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import duckdb
import pytest

from conftest import auc, copy_project, run_cli

# Caravan column -> lead column: text columns are codes, numeric ones ordinal levels or counts
TEXT_COLUMNS = {"MOSTYPE": "customer_subtype", "MOSHOOFD": "customer_main_type"}
NUMERIC_COLUMNS = {"MGEMLEEF": "age_band", "MKOOPKLA": "purchasing_power", "MINKGEM": "income_level",
                   "MHKOOP": "home_owner_level", "MAUT1": "one_car_level", "PPERSAUT": "car_policy_level",
                   "APERSAUT": "car_policies", "PBRAND": "fire_policy_level", "PWAPART": "third_party_level",
                   "APLEZIER": "boat_policies", "ALEVEN": "life_policies", "MOPLHOOG": "high_education_level"}
GUESS = [  # what a marketer might write before looking at the data
    ("guess_car_policy", "car_policy_level", "gte", "5", 25),
    ("guess_two_cars", "car_policies", "gte", "2", 10),
    ("guess_purchasing_power", "purchasing_power", "gte", "6", 15),
    ("guess_income", "income_level", "gte", "5", 10),
    ("guess_boat", "boat_policies", "gte", "1", 20),
    ("guess_fire", "fire_policy_level", "gte", "3", 5),
]


def caravan_csv() -> Path:
    spec = importlib.util.find_spec("ISLP")  # locates the package without importing it (it imports torch)
    if spec is None:
        pytest.fail("the ISLP package is missing: scripts/setup.sh --dev installs it (--no-deps)")
    return Path(spec.origin).parent / "data" / "Caravan.csv"


def prepare_project(project: Path) -> None:
    """The Caravan attributes as custom lead columns (the vars are the only step), and the guessed
    model in the seeds."""
    config = (project / "dbt_project.yml").read_text()
    config = config.replace("    - lead_source\n", "    - lead_source\n" + "".join(
        f"    - {c}\n" for c in TEXT_COLUMNS.values()), 1)
    config = config.replace("    - annual_revenue\n", "    - annual_revenue\n" + "".join(
        f"    - {c}\n" for c in NUMERIC_COLUMNS.values()), 1)
    (project / "dbt_project.yml").write_text(config)
    seeds = project / "seeds"
    with (seeds / "scoring_models.csv").open("a") as f:
        f.write("caravan_guess,A marketer's guess for caravan insurance prospects,30,1,0,50,\n")
    with (seeds / "score_thresholds.csv").open("a") as f:
        for dimension, labels in (("fit", [("A", 70), ("B", 45), ("C", 20), ("D", 0)]),
                                  ("engagement", [("1", 60), ("2", 0)]),
                                  ("total", [("hot", 70), ("warm", 50), ("nurture", 25), ("cold", 0)])):
            f.writelines(f"caravan_guess,{dimension},{label},{score}\n" for label, score in labels)
    with (seeds / "scoring_rules.csv").open("a") as f:
        f.writelines(f"caravan_guess,{rule_id},fit,,attribute,{field},{operator},{value},,{points},,,,,,false,Guess\n"
                     for rule_id, field, operator, value, points in GUESS)


def load_caravan(db_path: Path, project: Path) -> int:
    """Raw tables in the input contract: one lead per customer, no events, a conversion per purchase."""
    run_cli(["generate", "--leads", "10", "--as-of", "2025-01-01"], db_path, project_dir=project)  # the raw schema
    with caravan_csv().open(newline="") as f:
        customers = list(csv.DictReader(f))
    con = duckdb.connect(str(db_path))
    try:
        con.execute("delete from raw.events")
        con.execute("delete from raw.conversions")
        con.execute("delete from raw.leads")
        for c in list(TEXT_COLUMNS.values()) + list(NUMERIC_COLUMNS.values()):
            con.execute(f"alter table raw.leads add column {c} varchar")
        columns = [r[0] for r in con.execute("select column_name from information_schema.columns where table_schema = 'raw' "
                                             "and table_name = 'leads' order by ordinal_position").fetchall()]
        leads, conversions = [], []
        for n, customer in enumerate(customers):
            created = "2025-01-01 00:00:00" if n % 2 == 0 else "2025-07-01 00:00:00"
            lead = {"lead_id": f"C{n:05d}", "email": f"customer{n:05d}@caravan-prospects.nl", "first_name": "Customer",
                    "last_name": f"Number {n}", "country": "NL", "lead_source": "direct_mail",
                    "created_at": created, "updated_at": created}
            lead.update({name: customer[source] for source, name in {**TEXT_COLUMNS, **NUMERIC_COLUMNS}.items()})
            leads.append([lead.get(c) for c in columns])
            if customer["Purchase"] == "Yes":
                converted = "2025-01-31 00:00:00" if n % 2 == 0 else "2025-07-31 00:00:00"
                conversions.append([lead["lead_id"], converted, "1000"])
        con.executemany(f"insert into raw.leads ({', '.join(columns)}) values ({', '.join('?' * len(columns))})", leads)
        con.executemany("insert into raw.conversions (lead_id, converted_at, deal_value) values (?, ?, ?)", conversions)
    finally:
        con.close()
    return len(customers)


@pytest.fixture(scope="module")
def caravan(tmp_path_factory):
    work = tmp_path_factory.mktemp("caravan")
    project = copy_project(work / "project")
    prepare_project(project)
    db_path = work / "caravan.duckdb"
    customers = load_caravan(db_path, project)
    run_cli(["calibrate", "--model", "caravan_guess", "--as-of", "2025-01-10", "--horizon", "90"], db_path,
            project_dir=project, target_dir=work / "target")
    out = project / "calibration" / "caravan_guess_calibrated"
    for seed in ("scoring_rules", "scoring_models", "score_thresholds", "scoring_groups", "scoring_conditions"):
        rows = (out / f"{seed}.csv").read_text().splitlines()[1:]
        with (project / "seeds" / f"{seed}.csv").open("a") as f:
            f.write("".join(row + "\n" for row in rows))
    run_cli(["train", "--model", "caravan_regression", "--as-of", "2025-07-10", "--train-at", "2025-01-10",
             "--horizon", "90", "--min-level-support", "20"], db_path, project_dir=project, target_dir=work / "target")
    con = duckdb.connect(str(db_path), read_only=True)
    try:  # the held-out backtest train built, in the analysis schemas
        rows = con.execute("select model, lead_id, total_score, converted from analysis_intermediate.int_backtest_leads "
                           "where model in ('caravan_guess', 'caravan_guess_calibrated', 'caravan_regression')").fetchall()
    finally:
        con.close()
    second_cohort = {}
    for model, lead_id, score, converted in rows:
        if int(lead_id[1:]) % 2 == 1:
            second_cohort.setdefault(model, []).append((float(score), bool(converted)))
    return {"customers": customers, "cohort": second_cohort, "project": project}


def test_caravan_is_scored_end_to_end(caravan):
    cohort = caravan["cohort"]
    assert caravan["customers"] == 5822
    assert {len(rows) for rows in cohort.values()} == {2911}  # every second-cohort customer, for every scorer
    assert {sum(y for _, y in rows) for rows in cohort.values()} == {179}  # their purchases (odd rows of the CSV)


def test_the_scorers_rank_real_buyers_above_chance(caravan):
    """On this data (README: guess 0.77, calibrated 0.72, regression 0.77) every scorer ranks the
    unseen cohort's buyers well above chance and the regression beats the closing-rate proposal;
    the guess is not beaten by the proposal here - see the README for why."""
    aucs = {model: auc(rows) for model, rows in caravan["cohort"].items()}
    print(f"caravan held-out cohort ROC AUC: {aucs}")
    assert all(value > 0.65 for value in aucs.values()), aucs
    assert aucs["caravan_regression"] >= aucs["caravan_guess_calibrated"], aucs
