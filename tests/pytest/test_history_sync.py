"""History, lifecycle, sync and export on a small generated dataset, built at several as-ofs.

The module builds one DuckDB at three as-ofs (plus re-runs) and checks what a BI tool and a
reverse-ETL job rely on: history idempotent per as-of and protected from --full-refresh,
lifecycle events derived from it, sync rows that only move when a synced field changed, and
the export watermark (including a crash mid-write)."""

from __future__ import annotations

import csv
import json
import shutil

import duckdb
import pytest

from conftest import MODELS_ONLY, full_refresh_copy, query, run_cli

from leadscore.cli import main as leadscore_main
from leadscore.commands import export as export_command

T1, T2, T3 = "2026-06-16 00:00:00", "2026-06-23 00:00:00", "2026-06-30 00:00:00"


@pytest.fixture(scope="module")
def history_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("history")
    db_path = work / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "300", "--seed", "3", "--as-of", T3], db_path)
    for as_of in (T1, T2):
        run_cli(["build", "--as-of", as_of, *MODELS_ONLY], db_path, target_dir=work / "target")
    run_cli(["build", "--as-of", T3], db_path, target_dir=work / "target")  # with every data test
    return db_path, work


HISTORY_OUTPUTS = {
    "main.lead_lifecycle_events": "*",
    "main.lead_scores": "*",
    "intermediate.int_lead_history_summary": "* exclude (history_rows, folded_from, processed_at)",
}


def assert_history_outputs_match_a_rebuild(db_path, work, as_of):
    """The incrementally advanced summary, lifecycle events and lead_scores equal a rebuild of
    the three from all of lead_score_history (on a copy of the database)."""
    rebuilt, result = full_refresh_copy(
        db_path, work / f"rebuilt-{as_of[:10]}", as_of,
        ["--select", "int_lead_history_summary lead_scores lead_lifecycle_events", *MODELS_ONLY])
    assert "full rebuild" not in result.stdout  # --full-refresh replaces the tables outright
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{db_path}' as current (read_only)")
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        for table, columns in HISTORY_OUTPUTS.items():
            rows = con.execute(f"select count(*) from current.{table}").fetchone()[0]
            differ = con.execute(f"""select count(*) from (
                (select {columns} from current.{table} except all select {columns} from rebuilt.{table})
                union all
                (select {columns} from rebuilt.{table} except all select {columns} from current.{table}))""").fetchone()[0]
            assert rows > 0 and differ == 0, f"{table}: {differ} of {rows} rows differ from a rebuild as of {as_of}"
    finally:
        con.close()
    shutil.rmtree(rebuilt.parent)


def test_history_summary_and_lifecycle_advance_like_a_rebuild(history_db):
    db_path, work = history_db
    # the T2 and T3 builds advanced the summary (T1 to T2, T2 to T3) instead of rereading history
    stamps = query(db_path, "select distinct state_as_of, folded_from, history_rows "
                            "from intermediate.int_lead_history_summary")  # every row carries the stamps
    history_rows = query(db_path, "select count(*) from main.lead_score_history")[0][0]
    assert [(str(a), str(f), n) for a, f, n in stamps] == [(T3, T2, history_rows)]
    assert_history_outputs_match_a_rebuild(db_path, work, T3)


def test_history_holds_each_as_of_once_and_survives_reruns_and_full_refresh(history_db):
    db_path, work = history_db
    models = query(db_path, "select count(*) from staging.stg_scoring_config__models")[0][0]
    expected = [(as_of, models * query(db_path, "select count(*) from staging.stg_raw__leads "
                                                "where created_at is null or created_at <= ?", [as_of])[0][0])
                for as_of in (T1, T2, T3)]
    per_as_of = query(db_path, "select scored_at, count(*) from main.lead_score_history group by 1 order by 1")
    assert [(str(t), n) for t, n in per_as_of] == expected
    assert expected[0][1] < expected[2][1]  # leads created between T1 and T3 join the history later

    run_cli(["build", "--as-of", T3, *MODELS_ONLY], db_path, target_dir=work / "target")
    run_cli(["build", "--as-of", T3, "--full-refresh", *MODELS_ONLY], db_path, target_dir=work / "target")
    again = query(db_path, "select scored_at, count(*) from main.lead_score_history group by 1 order by 1")
    assert again == per_as_of
    duplicates = query(db_path, """select count(*) from (select lead_id, model, scored_at from main.lead_score_history
                                   group by 1, 2, 3 having count(*) > 1)""")[0][0]
    assert duplicates == 0


def test_lifecycle_events_follow_history(history_db):
    db_path, _ = history_db
    # every MQL now became one at some point, and its first_mql_at is the earliest became_mql
    mismatched = query(db_path, """
        select count(*) from main.lead_scores s
        left join (select lead_id, model, min(occurred_at) as first_became
                   from main.lead_lifecycle_events where event_type = 'became_mql' group by 1, 2) e
            on s.lead_id = e.lead_id and s.model = e.model
        where s.is_mql and (e.first_became is null or e.first_became <> s.first_mql_at)""")[0][0]
    assert mismatched == 0
    # a left_mql needs an MQL row right before it
    bad_left = query(db_path, """
        select count(*) from main.lead_lifecycle_events e
        join main.lead_score_history h
            on e.lead_id = h.lead_id and e.model = h.model and h.scored_at = e.previous_scored_at
        where e.event_type = 'left_mql' and not h.is_mql""")[0][0]
    assert bad_left == 0
    kinds = {r[0] for r in query(db_path, "select distinct event_type from main.lead_lifecycle_events")}
    assert {"became_mql", "disqualified", "band_changed", "grade_changed"} <= kinds


def test_lead_scores_history_columns(history_db):
    db_path, _ = history_db
    wrong = query(db_path, """
        select count(*) from main.lead_scores s
        join main.lead_score_history h2 on s.lead_id = h2.lead_id and s.model = h2.model and h2.scored_at = ?
        join main.lead_score_history h1 on s.lead_id = h1.lead_id and s.model = h1.model and h1.scored_at = ?
        where s.previous_total_score <> h2.total_score or s.score_change_7d <> s.total_score - h1.total_score""",
                  [T2, T2])[0][0]
    assert wrong == 0


def test_sync_rows_move_only_when_a_synced_field_changes(history_db):
    db_path, work = history_db
    before = dict(((r[0], r[1]), r[2]) for r in query(db_path, "select lead_id, model, updated_at from main.lead_score_sync"))
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], db_path, target_dir=work / "target")
    after = dict(((r[0], r[1]), r[2]) for r in query(db_path, "select lead_id, model, updated_at from main.lead_score_sync"))
    assert after == before  # same as-of, same scores: nothing to sync

    # a row that did move kept its old values only if every synced field stayed within the step
    stale = query(db_path, """
        select count(*) from main.lead_score_sync y join main.lead_scores s using (lead_id, model)
        where abs(y.total_score - s.total_score) >= 1.0 or y.score_band is distinct from s.score_band
           or y.is_mql <> s.is_mql or y.is_disqualified <> s.is_disqualified""")[0][0]
    assert stale == 0


def test_a_column_added_to_sync_extra_columns_is_sent_where_a_lead_has_it(history_db, tmp_path):
    """Var sync_extra_columns grown on a synced warehouse (a copy): the next run appends the columns
    to lead_score_sync and sends again exactly the rows that now carry a value; the run after sends
    nothing. (On Spark the parity test grows it between its two runs.)"""
    db_path, _ = history_db
    copy = tmp_path / db_path.name
    shutil.copy(db_path, copy)
    before = dict(((r[0], r[1]), r[2]) for r in query(copy, "select lead_id, model, updated_at from main.lead_score_sync"))
    grown = ["build", "--as-of", T3, "--select", "lead_score_sync", "--vars", "{sync_extra_columns: [company, employees]}",
             *MODELS_ONLY]
    run_cli(grown, copy, target_dir=tmp_path / "target")
    rows = query(copy, """
        select y.lead_id, y.model, y.updated_at, l.company is not null or l.employees is not null,
               y.company is not distinct from l.company and y.employees is not distinct from l.employees
        from main.lead_score_sync y join staging.stg_raw__leads l using (lead_id)""")
    assert len(rows) == len(before) and all(r[4] for r in rows)
    moved = {(r[0], r[1]) for r in rows if r[2] != before[(r[0], r[1])]}
    assert moved == {(r[0], r[1]) for r in rows if r[3]} and 0 < len(moved) < len(rows)
    after = dict(((r[0], r[1]), r[2]) for r in query(copy, "select lead_id, model, updated_at from main.lead_score_sync"))
    run_cli(grown, copy, target_dir=tmp_path / "target")
    assert dict(((r[0], r[1]), r[2]) for r in query(copy, "select lead_id, model, updated_at from main.lead_score_sync")) == after


def export(db_path, monkeypatch, *args):
    monkeypatch.setenv("LEAD_SCORING_DUCKDB_PATH", str(db_path))
    return leadscore_main(["export", *args])


def test_export_watermark_and_crash_mid_write(history_db, tmp_path, monkeypatch, capsys):
    db_path, work = history_db
    out = tmp_path / "scores.csv"
    total = query(db_path, "select count(*) from main.lead_score_sync")[0][0]

    assert export(db_path, monkeypatch, "--out", str(out), "--dry-run", "--name", "t") == 0
    assert f"{total} rows changed" in capsys.readouterr().out and not out.exists()

    assert export(db_path, monkeypatch, "--out", str(out), "--name", "t") == 0
    with out.open(newline="") as f:
        assert len(list(csv.DictReader(f))) == total
    out.unlink()
    assert export(db_path, monkeypatch, "--out", str(out), "--name", "t") == 0
    assert "no rows changed" in capsys.readouterr().out and not out.exists()

    # a week later some scores moved: only those rows are exported
    run_cli(["build", "--as-of", "2026-07-07 00:00:00", *MODELS_ONLY], db_path, target_dir=work / "target")
    watermark = query(db_path, "select watermark from exports.sync_watermarks where export_name = 't'")[0][0]
    changed = query(db_path, "select count(*) from main.lead_score_sync where updated_at > ?", [watermark])[0][0]
    assert 0 < changed < total

    def crash(con, sql, params, fmt, path):
        path.write_text("sync_key,lead_id\nhalf")  # a partial file, then the write fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_command, "write_export", crash)
    assert export(db_path, monkeypatch, "--out", str(out), "--name", "t") == 2
    assert "error: --out " in capsys.readouterr().err
    monkeypatch.undo()
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))
    assert query(db_path, "select watermark from exports.sync_watermarks where export_name = 't'")[0][0] == watermark

    jsonl = tmp_path / "scores.jsonl"
    assert export(db_path, monkeypatch, "--out", str(jsonl), "--name", "t") == 0
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(lines) == changed and {"sync_key", "total_score", "updated_at"} <= set(lines[0])

    # --since overrides the watermark; parquet is readable
    parquet = tmp_path / "all.parquet"
    assert export(db_path, monkeypatch, "--out", str(parquet), "--since", "2000-01-01", "--name", "u") == 0
    assert query(db_path, f"select count(*) from read_parquet('{parquet}')")[0][0] == total


def test_backfill_fills_history_point_in_time(history_db):
    db_path, work = history_db
    args = ["backfill", "--from", "2026-05-01", "--to", "2026-05-15", "--every", "7d"]
    run_cli(args, db_path, target_dir=work / "target")
    per_as_of = dict((str(t), n) for t, n in query(
        db_path, "select scored_at, count(*) from main.lead_score_history group by 1"))
    for as_of in ("2026-05-01 00:00:00", "2026-05-08 00:00:00", "2026-05-15 00:00:00"):
        assert per_as_of[as_of] > 0
    # one point again: its rows are replaced, not added
    run_cli(["backfill", "--from", "2026-05-08", "--to", "2026-05-08"], db_path, target_dir=work / "target")
    assert dict((str(t), n) for t, n in query(
        db_path, "select scored_at, count(*) from main.lead_score_history group by 1")) == per_as_of
    # point in time: leads created after an as-of are not in its history
    late = query(db_path, """
        select count(*) from main.lead_score_history h join staging.stg_raw__leads l using (lead_id)
        where l.created_at > h.scored_at""")[0][0]
    assert late == 0
    assert run_cli(["backfill", "--from", "2026-05-15", "--to", "2026-05-01"], db_path, check=False).returncode == 2

    # history changed before the summary's as-of: the next build notices (row count) and rebuilds
    result = run_cli(["build", "--as-of", "2026-07-14 00:00:00", *MODELS_ONLY], db_path, target_dir=work / "target")
    assert "int_lead_history_summary: full rebuild, because lead_score_history has" in result.stdout
    assert "lead_lifecycle_events: full rebuild, because int_lead_history_summary was rebuilt" in result.stdout
    assert_history_outputs_match_a_rebuild(db_path, work, "2026-07-14 00:00:00")

