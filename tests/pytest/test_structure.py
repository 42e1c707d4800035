"""The project's outputs do not change when its files move: a fixed generated dataset is built and
every mart's rows (sorted; floats to 6 decimals; run timestamps left out) must hash to the
checksums recorded in mart_checksums.json. A change that means to move a score rewrites that file
(LEADSCORE_RECORD_CHECKSUMS=1) in a commit of its own that says why."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb

from conftest import MODELS_ONLY, run_cli

RECORDED = Path(__file__).with_name("mart_checksums.json")
AS_OF = "2026-06-30 00:00:00"
RUN_TIMESTAMPS = {"updated_at"}  # lead_score_sync: when the run wrote the row


def normalised(value):
    if isinstance(value, float):
        return round(value, 6)
    return value


def mart_checksums(db_path) -> dict:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        marts = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'main' order by 1").fetchall()]
        sums = {}
        for mart in marts:
            columns = [r[0] for r in con.execute("select column_name from information_schema.columns where "
                                                 "table_schema = 'main' and table_name = ? order by ordinal_position",
                                                 [mart]).fetchall() if r[0] not in RUN_TIMESTAMPS]
            rows = con.execute(f'select {", ".join(columns)} from main."{mart}"').fetchall()
            text = "\n".join(sorted(repr(tuple(normalised(v) for v in row)) for row in rows))
            sums[mart] = {"rows": len(rows), "columns": columns, "md5": hashlib.md5(text.encode()).hexdigest()}
        return sums
    finally:
        con.close()


def test_every_mart_is_as_recorded(tmp_path):
    db_path = tmp_path / "structure.duckdb"
    run_cli(["generate", "--leads", "1000", "--seed", "13", "--bad-rate", "0.02", "--as-of", AS_OF], db_path)
    run_cli(["build", "--as-of", AS_OF, "--calibration", *MODELS_ONLY], db_path, target_dir=tmp_path / "target")
    sums = mart_checksums(db_path)
    if os.environ.get("LEADSCORE_RECORD_CHECKSUMS"):
        RECORDED.write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(RECORDED.read_text())
    assert sorted(sums) == sorted(recorded)
    for mart in recorded:
        assert sums[mart] == recorded[mart], mart
