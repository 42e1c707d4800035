"""leadscore export: the lead_score_sync rows changed since the last successful export (or, with
--table lead_actions, the actions of the outbox emitted since then), written atomically to CSV,
Parquet or JSON Lines; the watermark lives in exports.sync_watermarks and moves only after the file
is in place, so a crash exports the same rows again next time, and each row ships once."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from leadscore import relations, timeutil, warehouse
from leadscore.dbt import Project
from leadscore.errors import EXIT_OK, UsageError

# COPY options per format (the formats leadscore.cli offers); the file name is always a bound parameter
EXPORT_FORMATS = {"csv": "(format csv, header)", "parquet": "(format parquet)", "jsonl": "(format json)"}
SUFFIX_FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".json": "jsonl"}
# per exportable table: the column that moves when a row is new or changed, and the row key
EXPORT_TABLES = {"lead_score_sync": ("updated_at", "sync_key"), "lead_actions": ("created_at", "action_id")}


def write_export(con, query: str, params: list, fmt: str, path: Path) -> None:
    """Writes the query result to path (the temporary file; publish() moves it into place)."""
    con.execute(f"copy ({query}) to ? {EXPORT_FORMATS[fmt]}", [*params, str(path)])


def publish(temporary: Path, out: Path) -> None:
    """Atomic on one file system: readers see the old file or the whole new one."""
    os.replace(temporary, out)


def temporary_for(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.tmp")


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files an export killed mid-write left behind (their process is gone)."""
    for stale in out.parent.glob(f".{out.name}.*.tmp"):
        pid = stale.name[len(out.name) + 2:-len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run(args, project: Project, summary: dict) -> int:
    out = Path(args.out).resolve()
    fmt = args.format or SUFFIX_FORMATS.get(out.suffix.lower())
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--out {out.name}: say --format csv, parquet or jsonl")
    if out.is_dir():
        raise UsageError(f"--out {args.out} is a folder: name a file in it")
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: folder {out.parent} does not exist")
    since = timeutil.parse_utc_time(args.since, "--since") if args.since else None
    path = project.require_duckdb("export")
    warehouse.check_readable(path)
    names = relations.Relations.load(project)
    table = getattr(args, "table", "lead_score_sync")
    moved, key = EXPORT_TABLES[table]
    relation = names[table]
    # the sync keeps the export name as its watermark key (as before the outbox existed)
    watermark_name = args.name if table == "lead_score_sync" else f"{args.name}/{table}"
    with warehouse.connect(path) as con:
        if not warehouse.table_exists(con, names.schema(table), names.alias(table)):
            raise UsageError(f"{table} does not exist: run `leadscore build` first")
        con.execute("create schema if not exists exports")
        con.execute("create table if not exists exports.sync_watermarks (export_name varchar primary key, "
                    "watermark timestamp, exported_at timestamp, exported_rows bigint, file varchar)")
        if since is None:
            stored = con.execute("select watermark from exports.sync_watermarks where export_name = ?",
                                 [watermark_name]).fetchone()
            since = stored[0] if stored else None
        where, params = (f"{moved} > ?", [since]) if since else ("true", [])
        rows, watermark = con.execute(f"select count(*), max({moved}) from {relation} where {where}",
                                      params).fetchone()
        summary["export"] = {"name": args.name, "table": table, "since": str(since) if since else None, "rows": rows,
                             "format": fmt, "out": out.name, "dry_run": bool(args.dry_run)}
        described = f"since {since}" if since else "(first export: every row)"
        if args.dry_run:
            print(f"{rows} rows changed {described}; dry run, nothing written")
            return EXIT_OK
        if rows == 0:
            print(f"no rows changed {described}; no file written, watermark unchanged")
            return EXIT_OK
        remove_stale_temporaries(out)
        temporary = temporary_for(out)
        try:
            write_export(con, f"select * from {relation} where {where} order by {key}", params, fmt, temporary)
            publish(temporary, out)
        except (OSError, duckdb.Error) as exc:
            raise UsageError(f"--out {args.out} cannot be written: {str(exc).splitlines()[0]}") from None
        finally:
            temporary.unlink(missing_ok=True)
        con.execute("insert or replace into exports.sync_watermarks values (?, ?, now(), ?, ?)",
                    [watermark_name, watermark, rows, out.name])
    summary["export"]["watermark"] = str(watermark)
    print(f"exported {rows} {table} rows changed {described} to {out} ({fmt}); watermark now {watermark}")
    return EXIT_OK
