"""leadscore train: fits a predictive model on a time split - backtest_features as of each
training as-of (each one's horizon ending on or before --as-of; by default every --every back to
the first lead, at most --train-as-ofs of them, so every lead age is represented) against the
held-out as-of --as-of. --kind regression (the default): a logistic regression, its
regularisation strength chosen by a time-ordered cross-validation over the training as-ofs unless
--c is given, written to seeds/predictive_weights.csv; --kind gbm: gradient-boosted trees, the
number of trees chosen the same way unless --trees is given, written to seeds/predictive_trees.csv
(other models' rows kept). Writes a model card, then builds lead_conversion_probability and the
backtest at --as-of and checks that SQL gives the probabilities scikit-learn gave; a mismatch
restores the previous seed. Every build is an analysis build: production outputs stay as they are
until the next plain build applies the new model."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import sklearn

from leadscore import gbm, predictive, relations, seeds, timeutil, warehouse
from leadscore.dbt import NO_TESTS, PROJECT_DIR, Build, Project
from leadscore.errors import EXIT_BUILD_FAILED, EXIT_OK, UsageError


def training_as_ofs(args, test_as_of: dt.datetime, first_lead_at: dt.datetime | None) -> list[dt.datetime]:
    horizon = dt.timedelta(days=args.horizon)
    if args.train_at:
        points = sorted(timeutil.parse_utc_time(t, "--train-at") for t in args.train_at.split(","))
    else:
        # the latest as-of whose outcomes end by --as-of, then every step back while leads existed
        step = timeutil.parse_every(args.every)
        points = [test_as_of - horizon - k * step for k in range(args.train_as_ofs)]
        points = sorted(p for p in points if first_lead_at is None or p > first_lead_at) or points[:1]
    late = [p for p in points if p + horizon > test_as_of]
    if late:  # its labels would look into the held-out period
        raise UsageError(f"training as-of {timeutil.format_time(late[-1])} + {args.horizon} days is after --as-of "
                         f"{args.as_of}: training outcomes must end by the held-out as-of")
    return points


# the regularisation strength when --c is not given and the training as-ofs allow no cross-validation
DEFAULT_C = 0.1


def first_lead_at(project: Project, path: Path) -> dt.datetime | None:
    """When the first lead of raw.leads was created (the source's name from dbt's manifest)."""
    leads = relations.Relations.load(project, analysis=True)["raw.leads"]
    with warehouse.connect(path) as con:
        [(first,)] = con.execute(f"select min(try_cast(created_at as timestamp)) from {leads}").fetchall()
    return first


def run(args, project: Project, summary: dict) -> int:
    seeds.check_model_name(args.model)
    test_as_of = timeutil.parse_utc_time(args.as_of, "--as-of")
    if args.train_as_ofs < 1:
        raise UsageError("--train-as-ofs must be at least 1")
    if not 1 <= args.horizon <= 3650:
        raise UsageError("--horizon must be a number of days from 1 to 3650")
    if args.c is not None and not args.c > 0:
        raise UsageError("--c must be a positive number")
    if args.model in {(r.get("model") or "").strip() for r in seeds.read_seed("scoring_models")[1]}:
        raise UsageError(f"--model {args.model!r} is a rules model in seeds/scoring_models.csv: choose another name")
    if args.trees is not None and not 1 <= args.trees <= 2000:
        raise UsageError("--trees must be a number from 1 to 2000")
    kind, other_kind = (gbm, predictive) if args.kind == "gbm" else (predictive, gbm)
    other_seed = other_kind.SEED_NAME
    if (PROJECT_DIR / "seeds" / f"{other_seed}.csv").exists() and args.model in {
            (r.get("model") or "").strip() for r in seeds.read_seed(other_seed)[1]}:
        raise UsageError(f"--model {args.model!r} is already a model of the other kind in seeds/{other_seed}.csv: "
                         "choose another name, or delete its rows there first")
    training_as_ofs(args, test_as_of, None)  # a bad --every or --train-at is refused before any work
    path = project.require_duckdb("train")
    train_points = training_as_ofs(args, test_as_of, None if args.train_at else first_lead_at(project, path))

    def build(as_of: dt.datetime, select: str) -> int:
        return project.build(Build(select=select, calibration=True, exclude_resource_type=NO_TESTS,
                                   as_of=timeutil.format_time(as_of), analysis=True,
                                   vars={"backtest_horizon_days": args.horizon}), {})

    def features() -> pd.DataFrame:
        names = relations.Relations.load(project, analysis=True)
        with warehouse.connect(path) as con:
            return con.execute(f"select * from {names['backtest_features']} order by lead_id").df()

    frames, pairs = [], None
    for number, as_of in enumerate(train_points, start=1):
        print(f"== train {number}/{len(train_points)}: features as of {timeutil.format_time(as_of)}", flush=True)
        code = build(as_of, "+backtest_features")
        if code != EXIT_OK:
            return code
        frame = features()
        if pairs is None:  # declared interactions: the regression's (the trees find their own)
            try:
                declared = seeds.read_seed("predictive_interactions")[1] if args.kind == "regression" and (
                    PROJECT_DIR / "seeds" / "predictive_interactions.csv").exists() else []
                pairs = predictive.interactions(declared, args.model, frame)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        frames.append(predictive.add_interactions(frame, pairs))
    train = pd.concat(frames, ignore_index=True)
    if train.empty:
        raise UsageError("no leads at the training as-ofs: choose as-ofs after the first leads were created")
    try:
        if args.kind == "gbm":
            selection = None if args.trees else gbm.choose_trees(frames, train_points, dt.timedelta(days=args.horizon),
                                                                 args.min_level_support)
            size = args.trees or (selection["chosen"] or gbm.DEFAULT_TREES)
            terms, model = gbm.fit(train, size, args.min_level_support)
            new_rows = gbm.seed_rows(args.model, model, terms)
        else:
            selection = None if args.c is not None else predictive.choose_c(
                frames, train_points, dt.timedelta(days=args.horizon), args.min_level_support, args.penalty)
            size = args.c if args.c is not None else (selection["chosen"] or DEFAULT_C)
            terms, model = predictive.fit(train, size, args.min_level_support, args.penalty)
            new_rows = predictive.seed_rows(args.model, model, terms)
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    seed_name = kind.SEED_NAME
    seed_path = PROJECT_DIR / "seeds" / f"{seed_name}.csv"
    previous = seed_path.read_bytes() if seed_path.exists() else None
    kept = [r for r in seeds.read_seed(seed_name)[1] if r["model"].strip() != args.model] if previous else []
    seeds.write_csv(seed_path, kind.SEED_HEADER, kept + new_rows)

    print(f"== held out: as of {timeutil.format_time(test_as_of)}", flush=True)
    code = build(test_as_of, "+backtest_features +score_backtest +score_calibration")
    difference = None
    if code == EXIT_OK:
        held_out = predictive.add_interactions(features(), pairs)
        names = relations.Relations.load(project, analysis=True)
        with warehouse.connect(path) as con:
            sql = con.execute(f"select lead_id, conversion_probability from {names['lead_conversion_probability']} "
                              "where model = ?", [args.model]).df()
            side_by_side = warehouse.fetch_dicts(con, f"select scorer, model, roc_auc from {names['score_backtest']} "
                                                      "order by scorer, model")
        expected = pd.Series(model.predict_proba(kind.encode(held_out, terms))[:, 1], index=held_out["lead_id"])
        got = sql.set_index("lead_id")["conversion_probability"].reindex(expected.index)
        difference = float((got - expected).abs().max()) if got.notna().all() else float("inf")
    if difference is None or difference > 1e-9:
        if previous is None:
            seed_path.unlink()
        else:
            seed_path.write_bytes(previous)
        problem = "the held-out build failed" if difference is None else \
            f"SQL and scikit-learn probabilities differ by up to {difference:.3g}"
        print(f"error: {problem}; seeds/{seed_name}.csv restored", file=sys.stderr)
        return EXIT_BUILD_FAILED

    evaluate = kind.evaluate
    card = {"model": args.model, "kind": args.kind,
            "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__, "horizon_days": args.horizon,
            "candidate_terms": len(terms), "min_level_support": args.min_level_support,
            "train_as_ofs": [timeutil.format_time(p) for p in train_points],
            "test_as_of": timeutil.format_time(test_as_of),
            "train": {k: v for k, v in evaluate(model, terms, train).items() if k != "calibration"},
            "held_out": evaluate(model, terms, held_out),
            "sql_max_abs_difference": difference, "side_by_side": side_by_side}
    if args.kind == "gbm":
        card.update(trees=size, tree_selection=selection, params=gbm.PARAMS,
                    splits_per_feature=gbm.importance(new_rows))
        text, described = gbm.model_card(card), f"{size} trees, {len(terms)} candidate columns"
    else:
        card.update(c=size, c_selection=selection, penalty=args.penalty,
                    terms=sorted(((t.name, float(w)) for t, w in zip(terms, model.coef_[0]) if w != 0),
                                 key=lambda x: -abs(x[1])))
        text, described = predictive.model_card(card), f"{len(card['terms'])} of {len(terms)} terms"
    out_dir = Path(args.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{args.model}_model_card.json").write_text(json.dumps(card, indent=2) + "\n")
    (out_dir / f"{args.model}_model_card.md").write_text(text)
    summary["train"] = {k: card[k] for k in ("model", "kind", "train_as_ofs", "test_as_of", "sql_max_abs_difference")}
    summary["train"]["held_out_roc_auc"] = card["held_out"]["roc_auc"]
    held = card["held_out"]
    auc_text = "n/a (no converters held out)" if held["roc_auc"] is None else f"{held['roc_auc']:.3f}"
    loss_text = "n/a" if held["log_loss"] is None else f"{held['log_loss']:.4f}"
    print(f"{args.model}: {described} from {len(train)} lead snapshots; held-out ROC AUC {auc_text}, "
          f"log-loss {loss_text}; model in seeds/{seed_name}.csv, model card in "
          f"{out_dir / (args.model + '_model_card.md')}")
    return EXIT_OK
