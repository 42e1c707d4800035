"""target/run_summary.json: what a build, validate or run did - command, as-of, target, per-node
status and seconds, row counts of every mart stored as a table (a view is computed when read, so
counting the marts' views would compute them after every run: they are listed, not counted), the
validation outcome and the exit code.

Each run writes its own file under target/runs/ and then replaces target/run_summary.json with
it in one step, so runs side by side never write into the same file and a reader never sees half
of one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from leadscore import dbt, relations, warehouse

KEEP_RUNS = 50


def row_counts(project: dbt.Project) -> dict:
    counts, views = {}, []
    names = relations.Relations.load(project)
    with warehouse.connect(project.target.duckdb_path) as con:
        kinds = {(schema, name): kind for schema, name, kind in con.execute(
            "select table_schema, table_name, table_type from information_schema.tables").fetchall()}
        for mart in names.marts():
            kind = kinds.get((names.schema(mart), names.alias(mart)))
            if kind == "VIEW":
                views.append(mart)
                continue
            try:
                counts[mart] = con.execute(f"select count(*) from {names[mart]}").fetchone()[0] if kind else None
            except Exception:  # noqa: BLE001 - a mart that is not built (yet) has no count
                counts[mart] = None
        try:
            as_of = con.execute(f"select max(scored_at) from {names['lead_scores']}").fetchone()[0]
        except Exception:  # noqa: BLE001
            as_of = None
    return {"row_counts": counts, "views_not_counted": views,
            "scored_as_of": as_of.isoformat(sep=" ") if as_of else None}


def write_summary(summary: dict, code: int, project: dbt.Project | None) -> Path:
    summary["exit_code"] = code
    summary["finished_at"] = dbt.utc_now_text()
    target = project.resolved_target if project is not None else None  # never resolved just for this
    summary["duckdb_path"] = target.duckdb_path.name if target and target.duckdb_path else None
    if project is not None and (summary.get("build") or summary.get("validation")):
        try:
            if project.target.type == "duckdb":
                summary.update(row_counts(project))
        except Exception as exc:  # noqa: BLE001 - the summary must still be written when the warehouse is unreadable
            summary["row_counts_error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    out = dbt.target_dir()
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = summary["started_at"].replace(":", "").replace("-", "").replace("+0000", "Z")
    own = runs / f"{stamp}_{summary['command']}_{os.getpid()}.json"
    own.write_text(json.dumps(summary, indent=2, default=str))
    temporary = out / f".run_summary.{os.getpid()}.tmp"
    temporary.write_text(own.read_text())
    os.replace(temporary, out / "run_summary.json")
    for old in sorted(runs.glob("*.json"))[:-KEEP_RUNS]:
        old.unlink(missing_ok=True)
    return own
