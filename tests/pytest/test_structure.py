"""The project's outputs do not change when its files move: a fixed generated dataset is built and
every mart's rows (sorted; floats to 6 decimals; run timestamps left out) must hash to the
checksums recorded in mart_checksums.json. A change that means to move a score rewrites that file
(LEADSCORE_RECORD_CHECKSUMS=1) in a commit of its own that says why."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import MODELS_ONLY, run_cli, table_checksums

RECORDED = Path(__file__).with_name("mart_checksums.json")
AS_OF = "2026-06-30 00:00:00"
# when the run wrote the row: lead_score_sync.updated_at, lead_actions.created_at
RUN_TIMESTAMPS = {"updated_at", "lead_actions.created_at"}


def test_every_mart_is_as_recorded(tmp_path):
    db_path = tmp_path / "structure.duckdb"
    run_cli(["generate", "--leads", "1000", "--seed", "13", "--bad-rate", "0.02", "--as-of", AS_OF], db_path)
    run_cli(["build", "--as-of", AS_OF, "--calibration", *MODELS_ONLY], db_path, target_dir=tmp_path / "target")
    # keyed by table, as recorded (the schema is main)
    sums = {name.split(".", 1)[1]: value
            for name, value in table_checksums(db_path, ("main",), RUN_TIMESTAMPS).items()}
    if os.environ.get("LEADSCORE_RECORD_CHECKSUMS"):
        RECORDED.write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(RECORDED.read_text())
    assert sorted(sums) == sorted(recorded)
    for mart in recorded:
        assert sums[mart] == recorded[mart], mart
