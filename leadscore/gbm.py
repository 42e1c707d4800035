"""The gradient-boosted trees behind `leadscore train --kind gbm`: the feature encoding, the fit,
the number of trees chosen on a time split, and the predictive_trees rows that
int_lead_probabilities__gbm walks in SQL.

scikit-learn's HistGradientBoostingClassifier, on the backtest_features columns as they are:
- a numeric column is used as is, a null stays missing (each split learns which side missing
  values take), and nothing is scaled or clipped: a tree never extrapolates;
- a text column becomes one 0/1 column per level held by at least `min_level_support` training
  leads (a null or a rarer level is 0 in all of them), as in the regression.

Each fitted tree becomes rows (tree, node, feature, level, threshold, missing_left, left_node,
right_node, value); tree 0 is a single leaf holding the baseline log-odds, so the log-odds of a
lead is the sum of the leaves it reaches. A split node's value is the mean leaf value of the
training leads beneath it, so the change from a node to the child a lead takes is that split's
contribution, attributed to the split's feature: a lead's contributions and the baseline add up to
its log-odds (Saabas' path attribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss

from leadscore.predictive import (ID_COLUMNS, held_out_lines, is_text, metrics, selection_lines, split_lines,
                                  supported_levels, time_folds)

# the seed this kind of model is written to, and its columns
SEED_NAME = "predictive_trees"
SEED_HEADER = ["model", "tree", "node", "depth", "feature", "level", "threshold", "missing_left", "left_node",
               "right_node", "value"]
# the deepest tree the SQL walks (int_lead_probabilities__gbm unrolls this many steps)
MAX_DEPTH = 6
PARAMS = {"learning_rate": 0.05, "max_depth": 3, "max_leaf_nodes": 8, "min_samples_leaf": 40,
          "l2_regularization": 1.0}
# the numbers of trees the time-ordered cross-validation compares, and the one used without it
TREE_GRID = (25, 50, 100, 200, 400)
DEFAULT_TREES = 100


@dataclass(frozen=True)
class Column:
    feature: str
    level: str | None = None  # a text level: the column is 1 where the feature equals it

    @property
    def name(self) -> str:
        return self.feature if self.level is None else f"{self.feature} = {self.level}"


def choose_columns(train: pd.DataFrame, min_level_support: int) -> list[Column]:
    columns = []
    for column in train.columns:
        if column in ID_COLUMNS:
            continue
        values = train[column]
        if is_text(values):
            columns.extend(Column(column, level) for level in supported_levels(values, min_level_support))
        elif values.astype(float).notna().any():
            columns.append(Column(column))
    return columns


def encode(frame: pd.DataFrame, columns: list[Column]) -> np.ndarray:
    """The matrix the trees split, built as int_lead_probabilities__gbm reads the features."""
    out = []
    for column in columns:
        values = frame[column.feature]
        if column.level is None:
            out.append(values.astype(float).to_numpy())
        else:
            out.append((values.astype(object) == column.level).to_numpy(dtype=float))
    return np.column_stack(out) if out else np.zeros((len(frame), 0))


def classifier(trees: int) -> HistGradientBoostingClassifier:
    # no early stopping: its validation split is random, not by time; the number of trees is
    # chosen by choose_trees instead
    return HistGradientBoostingClassifier(max_iter=trees, early_stopping=False, random_state=0, **PARAMS)


def fit(train: pd.DataFrame, trees: int, min_level_support: int):
    labels = train["converted"].astype(int).to_numpy()
    if labels.min() == labels.max():
        raise ValueError("the training leads are all converters or all non-converters: choose as-ofs "
                         "with conversions in their horizon (earlier --as-of, more --train-as-ofs)")
    columns = choose_columns(train, min_level_support)
    if not columns:
        raise ValueError("backtest_features has no feature column with values at the training as-ofs")
    model = classifier(trees).fit(encode(train, columns), labels)
    return columns, model


def choose_trees(frames: list[pd.DataFrame], as_ofs: list, horizon, min_level_support: int,
                 grid=TREE_GRID) -> dict:
    """The number of trees by a time-ordered cross-validation, as predictive.choose_c does for C:
    each fold validates one training as-of on the as-ofs whose outcomes ended by it; one fit of the
    largest size per fold, scored after each size of the grid (the first n trees of a boosted model
    are the model with n trees). Fewer than two usable folds: no choice (chosen None)."""
    folds = time_folds(frames, as_ofs, horizon)
    result = {"grid": list(grid), "folds": len(folds), "mean_log_loss": {}, "chosen": None}
    if len(folds) < 2:
        return result
    losses = {n: [] for n in grid}
    for train, validation in folds:
        columns, model = fit(train, max(grid), min_level_support)
        labels = validation["converted"].astype(int)
        for n, probabilities in enumerate(model.staged_predict_proba(encode(validation, columns)), start=1):
            if n in losses:
                losses[n].append(log_loss(labels, probabilities[:, 1], labels=[0, 1]))
    result["mean_log_loss"] = {n: float(np.mean(v)) for n, v in losses.items()}
    result["chosen"] = min(grid, key=lambda n: (result["mean_log_loss"][n], n))
    return result


def predict(model, columns: list[Column], frame: pd.DataFrame) -> np.ndarray:
    return model.predict_proba(encode(frame, columns))[:, 1]


def evaluate(model, columns: list[Column], frame: pd.DataFrame) -> dict:
    return metrics(frame, predict(model, columns, frame))


def tree_rows(nodes) -> list[dict]:
    """One fitted tree's nodes with every split's value replaced by the mean leaf value of the
    training leads beneath it (count-weighted), so values change along a path by contributions."""
    rows = [dict(node=i, depth=int(n["depth"]), is_leaf=bool(n["is_leaf"]), feature_idx=int(n["feature_idx"]),
                 threshold=float(n["num_threshold"]), missing_left=bool(n["missing_go_to_left"]),
                 left=int(n["left"]), right=int(n["right"]), count=int(n["count"]), value=float(n["value"]))
            for i, n in enumerate(nodes)]

    def mean_below(i: int) -> tuple[float, int]:
        row = rows[i]
        if not row["is_leaf"]:
            (left, n_left), (right, n_right) = mean_below(row["left"]), mean_below(row["right"])
            row["count"] = n_left + n_right
            row["value"] = (left * n_left + right * n_right) / row["count"] if row["count"] else 0.0
        return row["value"], row["count"]

    mean_below(0)
    return rows


def seed_rows(model_name: str, model, columns: list[Column]) -> list[dict]:
    """The predictive_trees rows: repr() keeps every digit, so SQL walks the trees Python did."""
    if any(n["is_categorical"] for tree in model._predictors for n in tree[0].nodes):
        raise ValueError("a categorical split cannot be written as a threshold")  # none: text is one-hot
    blank = dict.fromkeys(SEED_HEADER, "")
    rows = [{**blank, "model": model_name, "tree": "0", "node": "0", "depth": "0",
             "value": repr(float(model._baseline_prediction.ravel()[0]))}]
    for tree_number, [predictor] in enumerate(model._predictors, start=1):
        for row in tree_rows(predictor.nodes):
            out = {**blank, "model": model_name, "tree": str(tree_number), "node": str(row["node"]),
                   "depth": str(row["depth"]), "value": repr(row["value"])}
            if not row["is_leaf"]:
                column = columns[row["feature_idx"]]
                out.update(feature=column.feature, level=column.level or "", threshold=repr(row["threshold"]),
                           missing_left="true" if row["missing_left"] else "false",
                           left_node=str(row["left"]), right_node=str(row["right"]))
            rows.append(out)
    return rows


def importance(rows: list[dict]) -> list[tuple[str, int]]:
    """Splits per feature across the trees, most used first (for the model card)."""
    counts: dict[str, int] = {}
    for row in rows:
        if row["feature"]:
            name = row["feature"] if not row["level"] else f"{row['feature']} = {row['level']}"
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def model_card(card: dict) -> str:
    """The model card of a boosted-trees model as Markdown (the same facts are in the JSON)."""
    params = ", ".join(f"{k} {v}" for k, v in card["params"].items())
    return "\n".join([
        f"# Model card: {card['model']}",
        "",
        f"Trained {card['trained_at']} by `leadscore train --kind gbm`: gradient-boosted trees (scikit-learn "
        f"{card['sklearn_version']} HistGradientBoostingClassifier, {params}) predicting a conversion within "
        f"{card['horizon_days']} days of the as-of, applied in SQL by int_lead_probabilities__gbm.",
        "",
        *split_lines(card),
        "",
        "## Number of trees",
        *selection_lines(card["tree_selection"], f"{card['trees']} trees", "--trees", "trees"),
        "",
        *held_out_lines(card),
        f"## Splits per feature ({card['candidate_terms']} candidate columns; text levels held by >= "
        f"{card['min_level_support']} training leads)",
        "",
        "| feature | splits |",
        "|---|---|",
        *[f"| {name} | {count} |" for name, count in card["splits_per_feature"]],
        "",
        "## Reading it",
        "- A lead's top factors in lead_conversion_probability are the features whose splits moved its "
        "log-odds most along its paths through the trees; they and the baseline add up to its log-odds.",
        "- Trees do not extrapolate: a lead beyond the training range scores as the most extreme training leads.",
        "",
    ])
