"""The logistic regression behind `leadscore train`: the feature encoding, the fit, the
held-out metrics, and the predictive_weights rows that lead_conversion_probability applies in SQL.

The encoding is chosen on the training rows only and written into the seed with the weights, so
SQL reproduces it exactly:
- a text column becomes one 0/1 term per level held by at least `min_level_support` training
  leads (rarer levels and nulls match no term);
- a numeric column is filled where null (days_since_*: the training maximum, as "never" is
  longer ago than any observed time; others: the training median), clipped to its training
  range (winsorised at the 1st and 99th percentiles, so a lead far outside what training saw is
  scored as the most extreme leads it did see, never extrapolated), log1p-transformed when it is
  never negative and goes above 1 (counts, money, days), then standardised with the training
  mean and standard deviation; a constant column is dropped.

The regularisation strength is chosen by a time-ordered cross-validation over the training
as-ofs (choose_c): each fold validates one as-of on the as-ofs whose outcomes ended by it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

# the seed this kind of model is written to, and its columns
SEED_NAME = "predictive_weights"
SEED_HEADER = ["model", "feature", "kind", "level", "transform", "fill_value", "clip_low", "clip_high", "center", "scale",
               "coefficient"]
# the regularisation strengths the cross-validation tries (inverse: small is strong)
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
CLIP_QUANTILES = (0.01, 0.99)
ID_COLUMNS = ("lead_id", "features_as_of", "as_of", "converted")


@dataclass
class Term:
    feature: str
    kind: str  # numeric or category
    level: str | None = None
    transform: str = "none"
    fill_value: float | None = None
    clip_low: float | None = None
    clip_high: float | None = None
    center: float | None = None
    scale: float | None = None

    @property
    def name(self) -> str:
        return f"{self.feature} = {self.level}" if self.kind == "category" else self.feature


def is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values)


def supported_levels(values: pd.Series, min_level_support: int) -> list[str]:
    """A text column's levels held by at least min_level_support training leads, sorted."""
    counts = values.dropna().value_counts()
    return [str(level) for level in sorted(counts[counts >= min_level_support].index)]


def choose_terms(train: pd.DataFrame, min_level_support: int) -> list[Term]:
    terms = []
    for column in train.columns:
        if column in ID_COLUMNS:
            continue
        values = train[column]
        if is_text(values):
            terms.extend(Term(column, "category", level=level) for level in supported_levels(values, min_level_support))
            continue
        values = values.astype(float)
        if values.notna().sum() == 0:
            continue
        fill = float(values.max() if column.startswith("days_since") else values.median())
        low, high = (float(q) for q in values.fillna(fill).quantile(list(CLIP_QUANTILES)))
        filled = values.fillna(fill).clip(low, high)
        transform = "log1p" if filled.min() >= 0 and filled.max() > 1 else "none"
        encoded = np.log1p(filled.clip(lower=0)) if transform == "log1p" else filled
        scale = float(encoded.std(ddof=0))
        if not scale > 1e-12:
            continue  # constant in training: carries no signal
        terms.append(Term(column, "numeric", transform=transform, fill_value=fill, clip_low=low, clip_high=high,
                          center=float(encoded.mean()), scale=scale))
    return terms


def encode(frame: pd.DataFrame, terms: list[Term]) -> np.ndarray:
    """The design matrix, computed exactly as lead_conversion_probability does in SQL."""
    columns = []
    for term in terms:
        values = frame[term.feature]
        if term.kind == "category":
            columns.append((values.astype(object) == term.level).to_numpy(dtype=float))
        else:
            filled = values.astype(float).fillna(term.fill_value)
            if term.clip_low is not None:
                filled = filled.clip(term.clip_low, term.clip_high)
            if term.transform == "log1p":
                filled = np.log1p(filled.clip(lower=0))
            columns.append(((filled - term.center) / term.scale).to_numpy(dtype=float))
    return np.column_stack(columns) if columns else np.zeros((len(frame), 0))


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    return float(roc_auc_score(labels, scores))


def calibration_table(labels: np.ndarray, probabilities: np.ndarray, bins: int = 10) -> list[dict]:
    """Held-out leads in deciles of predicted probability: mean prediction vs observed rate."""
    order = np.argsort(probabilities, kind="stable")
    rows = []
    for number, chunk in enumerate(np.array_split(order, bins), start=1):
        if len(chunk) == 0:
            continue
        rows.append({"decile": number, "leads": int(len(chunk)),
                     "mean_predicted": float(probabilities[chunk].mean()),
                     "observed_rate": float(labels[chunk].mean())})
    return rows


def fit(train: pd.DataFrame, c: float, min_level_support: int, penalty: str = "l1"):
    """L1 (the default) keeps the terms that carry signal and zeroes the rest - on the generated
    data it beats L2 on held-out leads, as the 66 per-type-and-window event counts are mostly
    noise around a few strong ones - and the result is shorter to read."""
    labels = train["converted"].astype(int).to_numpy()
    if labels.min() == labels.max():
        raise ValueError("the training leads are all converters or all non-converters: choose as-ofs "
                         "with conversions in their horizon (earlier --as-of, more --train-as-ofs)")
    terms = choose_terms(train, min_level_support)
    # l1_ratio 1 is the L1 penalty, 0 the L2 (scikit-learn 1.8 deprecated penalty= for it)
    solver = "liblinear" if penalty == "l1" else "lbfgs"
    model = LogisticRegression(C=c, l1_ratio=1.0 if penalty == "l1" else 0.0, solver=solver, max_iter=5000,
                               random_state=0)
    model.fit(encode(train, terms), labels)
    return terms, model


def time_folds(frames: list[pd.DataFrame], as_ofs: list, horizon) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """The folds of a time-ordered cross-validation: each training as-of validated on the as-ofs at
    least a horizon before it (their outcomes ended by then, so no label of the validation period
    is trained on); a fold needs both outcomes on each side, or it can neither be fitted nor scored."""
    folds = []
    for k, as_of in enumerate(as_ofs):
        earlier = [f for f, t in zip(frames, as_ofs) if t + horizon <= as_of]
        if earlier:
            train = pd.concat(earlier, ignore_index=True)
            if train["converted"].astype(int).nunique() == 2 and frames[k]["converted"].astype(int).nunique() == 2:
                folds.append((train, frames[k]))
    return folds


def choose_c(frames: list[pd.DataFrame], as_ofs: list, horizon, min_level_support: int, penalty: str,
             grid=C_GRID) -> dict:
    """Time-ordered cross-validation of the regularisation strength: each fold validates one
    training as-of on the as-ofs at least a horizon before it (their outcomes ended by then, so
    no label of the validation period is trained on); the C with the lowest mean validation
    log-loss wins. Fewer than two usable folds: no choice is made (chosen None)."""
    folds = time_folds(frames, as_ofs, horizon)
    result = {"grid": list(grid), "folds": len(folds), "mean_log_loss": {}, "chosen": None}
    if len(folds) < 2:
        return result
    for c in grid:
        losses = []
        for train, validation in folds:
            terms, model = fit(train, c, min_level_support, penalty)
            probabilities = model.predict_proba(encode(validation, terms))[:, 1]
            losses.append(log_loss(validation["converted"].astype(int), probabilities, labels=[0, 1]))
        result["mean_log_loss"][c] = float(np.mean(losses))
    result["chosen"] = min(grid, key=lambda c: (result["mean_log_loss"][c], c))
    return result


def metrics(frame: pd.DataFrame, probabilities: np.ndarray) -> dict:
    """The held-out (or training) figures of a model's probabilities for the leads of frame."""
    labels = frame["converted"].astype(int).to_numpy()
    both = len(labels) and labels.min() != labels.max()
    return {"leads": int(len(frame)), "converters": int(labels.sum()),
            "base_rate": float(labels.mean()) if len(labels) else None,
            "roc_auc": auc(labels, probabilities) if both else None,
            "log_loss": float(log_loss(labels, probabilities, labels=[0, 1])) if len(labels) else None,
            "brier": float(brier_score_loss(labels, probabilities)) if len(labels) else None,
            "calibration": calibration_table(labels, probabilities)}


def evaluate(model, terms: list[Term], frame: pd.DataFrame) -> dict:
    return metrics(frame, model.predict_proba(encode(frame, terms))[:, 1])


def seed_rows(model_name: str, model, terms: list[Term]) -> list[dict]:
    """The predictive_weights rows: repr() keeps every digit, so SQL computes what Python did."""
    rows = [{"model": model_name, "feature": "(intercept)", "kind": "intercept", "level": "", "transform": "",
             "fill_value": "", "clip_low": "", "clip_high": "", "center": "", "scale": "",
             "coefficient": repr(float(model.intercept_[0]))}]
    for term, coefficient in zip(terms, model.coef_[0]):
        if coefficient == 0:
            continue  # dropped by the L1 penalty: no term in SQL
        numeric = term.kind == "numeric"
        rows.append({"model": model_name, "feature": term.feature, "kind": term.kind,
                     "level": "" if numeric else term.level, "transform": term.transform if numeric else "",
                     "fill_value": repr(term.fill_value) if numeric else "",
                     "clip_low": repr(term.clip_low) if numeric else "",
                     "clip_high": repr(term.clip_high) if numeric else "",
                     "center": repr(term.center) if numeric else "", "scale": repr(term.scale) if numeric else "",
                     "coefficient": repr(float(coefficient))})
    return rows


def selection_lines(selection: dict | None, chosen: str, option: str, column: str) -> list[str]:
    """How a setting (C, the number of trees) was chosen, for the model card: given by option, the
    default, or the cross-validation's grid and its mean validation log-loss."""
    if selection is None:
        return [f"- {chosen}, given by {option}."]
    if selection["chosen"] is None:
        return [f"- {chosen} (the default): the training as-ofs give {selection['folds']} cross-validation "
                "fold(s), fewer than the two a choice needs (more --train-as-ofs, or an earlier --every)."]
    return [f"- {chosen}, chosen by a time-ordered cross-validation over {selection['folds']} folds (each training "
            "as-of validated on the as-ofs whose outcomes ended by it): the lowest mean validation log-loss.",
            "",
            f"| {column} | mean validation log-loss |",
            "|---|---|",
            *[f"| {value} | {loss:.4f} |" for value, loss in selection["mean_log_loss"].items()]]


def split_lines(card: dict) -> list[str]:
    """The model card's data section: the training as-ofs and the held-out one."""
    held_out, train = card["held_out"], card["train"]
    return [
        "## Data and split (by time)",
        f"- Training as-ofs: {', '.join(card['train_as_ofs'])} - {train['leads']} lead snapshots, "
        f"{train['converters']} converted (base rate {number(train['base_rate'])}).",
        f"- Held-out as-of: {card['test_as_of']} - {held_out['leads']} leads, {held_out['converters']} converted "
        f"(base rate {number(held_out['base_rate'])}). Every training label ends on or before it: no leakage.",
    ]


def number(x, digits=3) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def held_out_lines(card: dict) -> list[str]:
    """The model card's held-out section: metrics, the SQL check, the scorers side by side and
    the calibration by decile (the same for both kinds of model)."""
    held_out, train = card["held_out"], card["train"]
    return [
        "## Held-out metrics",
        f"- ROC AUC {number(held_out['roc_auc'])} (training {number(train['roc_auc'])}), "
        f"log-loss {number(held_out['log_loss'], 4)}, Brier {number(held_out['brier'], 4)}.",
        f"- SQL check: lead_conversion_probability differs from scikit-learn by at most "
        f"{card['sql_max_abs_difference']:.2e} on the held-out leads.",
        "",
        "| scorer | model | ROC AUC on the held-out leads |",
        "|---|---|---|",
        *[f"| {r['scorer']} | {r['model']} | {number(r['roc_auc'])} |" for r in card["side_by_side"]],
        "",
        "Calibration (held-out leads in deciles of predicted probability):",
        "",
        "| decile | leads | mean predicted | observed |",
        "|---|---|---|---|",
        *[f"| {r['decile']} | {r['leads']} | {number(r['mean_predicted'])} | {number(r['observed_rate'])} |"
          for r in held_out["calibration"]],
        "",
    ]


def model_card(card: dict) -> str:
    """The model card as Markdown (the same facts are in the JSON next to it)."""
    lines = [
        f"# Model card: {card['model']}",
        "",
        f"Trained {card['trained_at']} by `leadscore train`: a logistic regression (scikit-learn "
        f"{card['sklearn_version']}, {card['penalty'].upper()} penalty, C = {card['c']}) predicting a conversion "
        f"within {card['horizon_days']} days of the as-of.",
        "",
        *split_lines(card),
        "- Leads already converted at an as-of are left out of it, as in the backtest.",
        "",
        "## Regularisation",
        *selection_lines(card.get("c_selection"), f"C = {card['c']}", "--c", "C"),
        "",
        *held_out_lines(card),
        f"## Features ({len(card['terms'])} terms with a non-zero coefficient, of {card['candidate_terms']} "
        f"candidates; text levels held by >= {card['min_level_support']} training leads)",
        "",
        "| term | coefficient (per standard deviation, or for having the level) |",
        "|---|---|",
        *[f"| {name} | {coefficient:+.3f} |" for name, coefficient in card["terms"]],
        "",
        "## Limits",
        "- Retrain when the market, the forms or the tracking change; compare the held-out AUC with the "
        "rules models above before trusting it over them.",
        "- Coefficients of correlated features share the signal between them: read the top factors per lead, "
        "not a single coefficient, as the explanation.",
        "",
    ]
    return "\n".join(lines)


def interactions(rows: list[dict], model_name: str, frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The pairs of text features the predictive_interactions rows declare for this model, each
    checked against the text columns of backtest_features (a mistake names the row and the fix)."""
    text = {c for c in frame.columns if c not in ID_COLUMNS and is_text(frame[c])}
    pairs = []
    for number, row in enumerate(rows, start=2):
        if (row.get("model") or "").strip() != model_name:
            continue
        pair = ((row.get("feature") or "").strip().lower(), (row.get("other_feature") or "").strip().lower())
        if not set(pair) <= text or pair[0] == pair[1]:
            raise ValueError(f"seeds/predictive_interactions.csv row {number}: {pair[0] or '(blank)'} x "
                             f"{pair[1] or '(blank)'} is not a pair of two different text columns of backtest_features. "
                             f"Fix: use two of {', '.join(sorted(text))}")
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def add_interactions(frame: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Each declared pair as a text column 'a*b' whose value is 'value of a | value of b' (none where
    either is missing), as int_lead_probabilities__regression builds it in SQL."""
    out = frame.copy()
    for first, second in pairs:
        both = out[first].notna() & out[second].notna()
        combined = out[first].astype(str) + " | " + out[second].astype(str)
        out[f"{first}*{second}"] = combined.where(both, None).astype(object)
    return out
