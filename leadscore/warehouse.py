"""The DuckDB file of the target, opened with every failure a user can cause (a busy file, a
folder, a file that is not a DuckDB database, a missing folder) turned into one line naming the
fix.

Connections are not read-only: dbt-duckdb keeps its own instance of the file open in this
process after a build, and DuckDB refuses a second connection with a different configuration.
Close each connection before another process opens the file (DuckDB holds a file lock).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import duckdb

from leadscore.errors import UsageError

# the DuckDB settings of a dbt profile that the runner's own DuckDB work (the generator) follows too
MEMORY_SETTINGS = ("memory_limit", "block_allocator_memory")


def _problem(path: Path, exc: Exception) -> str:
    text = str(exc)
    if "lock" in text.lower():
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return (f"{path} is in use by another process{holder}, e.g. a build still running: wait for it to finish "
                "or stop it, then run again")
    if "not a valid DuckDB database" in text or "Serialization" in type(exc).__name__:
        return (f"{path} is not a DuckDB database this DuckDB can read (a damaged file, another format, or one "
                "written by a newer DuckDB): point the profile (or LEAD_SCORING_DUCKDB_PATH) at another file, "
                "or move this one away")
    return f"{path} cannot be opened ({text.splitlines()[0][:200]}): check the path in the profile"


def check_openable(path: Path) -> None:
    """Before dbt starts: the file can be created or opened (dbt would print a long traceback)."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a DuckDB file: set path in the profile (or "
                         "LEAD_SCORING_DUCKDB_PATH) to a file")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist: create it, or set path in the profile (or "
                         "LEAD_SCORING_DUCKDB_PATH) to a file in an existing folder")
    if path.exists():
        with connect(path):
            pass


def check_readable(path: Path) -> None:
    """Before the manifest is read (parsing the project can take seconds): the file exists and
    opens, else the one line of connect."""
    with connect(path):
        pass


@contextmanager
def connect(path: Path, must_exist: bool = True):
    """A connection to the DuckDB file, closed on exit."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a DuckDB file: set path in the profile (or "
                         "LEAD_SCORING_DUCKDB_PATH) to a file")
    if must_exist and not path.exists():
        raise UsageError(f"no DuckDB file at {path}: run `leadscore build` (or `leadscore run`) first")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist: create it, or point the profile at another file")
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise UsageError(_problem(path, exc)) from None
    try:
        yield con
    finally:
        con.close()


def table_exists(con, schema: str, name: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, name]).fetchone()[0])


def fetch_dicts(con, sql: str, params: list | None = None) -> list[dict]:
    """Rows as {column: value}, so callers name the columns they read."""
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
