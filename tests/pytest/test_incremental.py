"""Incremental scoring equals a full rebuild.

One generated dataset is fed to the project in loads: a full build, then incremental runs that
add new events, late events (old occurred_at, new loaded_at), a new copy of an already staged
event_id that is earlier (so the kept copy changes, also to another type or another lead) and one
that is later, events of a lead that only arrives in a later load, and finally a changed points
table. After every run the marts must equal those of a --full-refresh build of the same raw data
at the same as-of (scores within 1e-6).
"""

from __future__ import annotations

import csv
import math

import duckdb
import pytest

from conftest import MODELS_ONLY, copy_project, full_refresh_copy, run_cli, run_dbt, table_checksums

MARTS = {
    "lead_scores": ("lead_id", "model"),
    "lead_score_reasons": ("lead_id", "model", "rule_id"),
    "lead_features": ("lead_id",),
    "quarantined_events": ("event_id", "lead_id", "quarantine_reason", "occurred_at"),
    "staging_reconciliation": ("source_table",),
}


def load(db_path, sql):
    con = duckdb.connect(str(db_path))
    try:
        for statement in sql if isinstance(sql, list) else [sql]:
            con.execute(statement)
    finally:
        con.close()


def rows(db_path, table, key):
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cursor = con.execute(f"select * from main.{table} order by {', '.join(key)}")
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()
    finally:
        con.close()


def assert_marts_equal(incremental_db, full_db):
    for table, key in MARTS.items():
        names, got = rows(incremental_db, table, key)
        _, want = rows(full_db, table, key)
        assert len(got) == len(want), f"{table}: {len(got)} rows incremental, {len(want)} full"
        for got_row, want_row in zip(got, want):
            for name, a, b in zip(names, got_row, want_row):
                if isinstance(a, float) and isinstance(b, float):
                    assert math.isclose(a, b, abs_tol=1e-6), f"{table}.{name} {got_row[:3]}: {a} != {b}"
                else:
                    assert a == b, f"{table}.{name} {got_row[:3]}: {a!r} != {b!r}"


def distinct_values(db_path, sql):
    """The distinct values of the one column sql selects, as text."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {str(r[0]) for r in con.execute(sql).fetchall()}
    finally:
        con.close()


def build_log(result):
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """A project copy and a DuckDB whose raw.events holds only the first load."""
    work = tmp_path_factory.mktemp("incremental")
    project = copy_project(work / "project")
    db_path = work / "incremental" / "lead_scoring.duckdb"
    db_path.parent.mkdir()
    run_cli(["generate", "--leads", "800", "--seed", "11", "--bad-rate", "0.02", "--as-of", "2026-06-30"],
            db_path, project_dir=project)
    load(db_path, [
        # everything loaded after 2026-06-10 waits in raw.pending_events
        "create table raw.pending_events as select * from raw.events where loaded_at > timestamp '2026-06-10'",
        "delete from raw.events where loaded_at > timestamp '2026-06-10'",
        # a lead whose events come before the lead itself
        "create table raw.pending_leads as select * from raw.leads where lead_id = 'L00000005'",
        "delete from raw.leads where lead_id = 'L00000005'",
    ])
    return work, project, db_path


def full_rebuild_equals(work, project, db_path, as_of, name):
    """Copies db_path, rebuilds the copy with --full-refresh and compares the marts."""
    full_db, _ = full_refresh_copy(db_path, work / name, as_of, MODELS_ONLY, project_dir=project)
    assert_marts_equal(db_path, full_db)


def test_incremental_runs_equal_a_full_rebuild(staged):
    work, project, db_path = staged
    target = work / "target"

    first = run_cli(["build", "--as-of", "2026-06-10 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                    target_dir=target)
    assert "full rebuild" not in build_log(first)  # a first build is not announced as a rebuild

    # load 2: new events, late events, an earlier and a later copy of staged event_ids
    load(db_path, [
        "insert into raw.events select * from raw.pending_events where loaded_at <= timestamp '2026-06-20'",
        """insert into raw.events
           select event_id || '-late', lead_id, event_type, event_detail, occurred_at - interval 120 day,
                  timestamp '2026-06-19 12:00:00'
           from raw.pending_events where loaded_at <= timestamp '2026-06-20' and event_id like '%-0001'""",
        """insert into raw.events
           select event_id, lead_id, event_type, event_detail, occurred_at - interval 1 day, timestamp '2026-06-19 13:00:00'
           from raw.events where event_id in ('E00000010-0000', 'E00000011-0002')""",
        """insert into raw.events
           select event_id, lead_id, event_type, event_detail, occurred_at + interval 1 day, timestamp '2026-06-19 13:00:00'
           from raw.events where event_id = 'E00000012-0000'""",
        # an earlier copy of another type for a lead's only content download: the rules that
        # read content downloads no longer match any of its events, so their state is zeroed
        """insert into raw.events
           select event_id, lead_id, 'webinar_attended', event_detail, occurred_at - interval 1 day,
                  timestamp '2026-06-19 13:00:00'
           from raw.events where event_id = (
               select min(event_id) from raw.events
               where event_type = 'content_download' and loaded_at <= timestamp '2026-06-10'
                   and occurred_at <= timestamp '2026-06-10' and lead_id in (
                       select lead_id from raw.events where event_type = 'content_download'
                       group by lead_id having count(*) = 1))""",
        # an earlier copy under another lead of a lead's only event: that lead is left with no
        # event at all, so its activity state is emptied
        """insert into raw.events
           select event_id, 'L00000001', event_type, event_detail, occurred_at - interval 1 day,
                  timestamp '2026-06-19 13:00:00'
           from raw.events where event_id = (
               select min(event_id) from raw.events
               where event_type = 'page_view' and loaded_at <= timestamp '2026-06-10'
                   and occurred_at <= timestamp '2026-06-10' and lead_id in (
                       select lead_id from raw.events group by lead_id having count(*) = 1))""",
    ])
    retyped = distinct_values(db_path, "select count(*) from raw.events where event_type = 'webinar_attended' "
                                       "and loaded_at = timestamp '2026-06-19 13:00:00'")
    assert retyped == {"1"}, "the data must hold a lead with one content download"
    moved = distinct_values(db_path, "select count(*) from raw.events where lead_id = 'L00000001' "
                                     "and loaded_at = timestamp '2026-06-19 13:00:00'")
    assert moved == {"1"}, "the data must hold a lead with one event, a page view"
    second = run_cli(["build", "--as-of", "2026-06-20 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                     target_dir=target)
    assert "full rebuild" not in build_log(second)
    # a new as-of reaches dbt outside --vars, so dbt keeps its partial parse
    assert "Unable to do partial parsing" not in build_log(second)
    full_rebuild_equals(work, project, db_path, "2026-06-20 00:00:00", "full_2")

    # load 3: the rest of the events, and the lead whose events were already there
    load(db_path, [
        "insert into raw.events select * from raw.pending_events where loaded_at > timestamp '2026-06-20'",
        "insert into raw.leads select * from raw.pending_leads",
    ])
    # the event side alone first (selector ingest), at an as-of between the two builds: it folds
    # the load into the state and scores nobody; the build below advances that state to its own
    # as-of, and the events after 06-25 12:00 are folded then, because they happened after it.
    # An as-of at noon splits days: b2b_default counts email opens once a day, so an open in the
    # afternoon of a day whose morning open is already counted must not count again
    split_days = distinct_values(db_path, """
        select count(distinct lead_id) from raw.events
        where event_type = 'email_open' and occurred_at >= timestamp '2026-06-25'
            and occurred_at < timestamp '2026-06-26' and lead_id in (
                select lead_id from raw.events where event_type = 'email_open'
                    and occurred_at >= timestamp '2026-06-25' and occurred_at <= timestamp '2026-06-25 12:00:00')
            and occurred_at > timestamp '2026-06-25 12:00:00'""")
    assert split_days != {"0"}, "the data must hold a lead with opens on both sides of the noon as-of"
    ingest = run_cli(["build", "--as-of", "2026-06-25 12:00:00", "--selector", "ingest", *MODELS_ONLY], db_path,
                     project_dir=project, target_dir=target)
    assert "full rebuild" not in build_log(ingest)
    for state in ("int_lead_event_state", "int_event_rule_state"):  # the marker row holds the state's as-of
        marker = f"select state_as_of from intermediate.{state} where lead_id = ''"
        assert distinct_values(db_path, marker) == {"2026-06-25 12:00:00"}, state
    # the marts wait for the next build
    assert distinct_values(db_path, "select scored_at from main.lead_scores") == {"2026-06-20 00:00:00"}
    third = run_cli(["build", "--as-of", "2026-06-30 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                    target_dir=target)
    assert "full rebuild" not in build_log(third)
    full_rebuild_equals(work, project, db_path, "2026-06-30 00:00:00", "full_3")

    # a changed points table rebuilds the state of that model only
    rules = project / "seeds" / "scoring_rules.csv"
    with rules.open(newline="") as f:
        table = list(csv.DictReader(f))
    changed = next(row for row in table
                   if row["model"] == "b2b_default" and row["source"] == "event" and not row["window_days"])
    changed["points"] = str(int(float(changed["points"])) + 3)
    with rules.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    fourth = run_cli(["build", "--as-of", "2026-06-30 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                     target_dir=target)
    assert "int_event_rule_state: rebuilding models b2b_default, because their event rules changed" in build_log(fourth)
    full_rebuild_equals(work, project, db_path, "2026-06-30 00:00:00", "full_4")

    # an earlier as-of cannot be reached by advancing: the state is rebuilt
    fifth = run_cli(["build", "--as-of", "2026-06-25 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                    target_dir=target)
    assert "int_event_rule_state: full rebuild, because the as-of 2026-06-25 00:00:00 is before the state" \
        in build_log(fifth)
    full_rebuild_equals(work, project, db_path, "2026-06-25 00:00:00", "full_5")

    # a state stored by an older version (no last_period column) is rebuilt, not failed on
    scores = ("main.lead_scores", "main.lead_score_reasons")
    before = {k: v for k, v in table_checksums(db_path).items() if k in scores}
    load(db_path, "alter table intermediate.int_event_rule_state drop column last_period")
    sixth = run_cli(["build", "--as-of", "2026-06-25 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                    target_dir=target)
    assert "int_event_rule_state: full rebuild, because the stored state has no column last_period" \
        in build_log(sixth)
    assert {k: v for k, v in table_checksums(db_path).items() if k in scores} == before

    # another feature window (var feature_windows_days) changes the event state's columns: the
    # next run rebuilds it with them, not fails on them; and again when the window is taken out
    windows = ["--vars", "{feature_windows_days: [7, 30, 90, 180]}", *MODELS_ONLY]
    seventh = run_cli(["build", "--as-of", "2026-06-25 00:00:00", *windows], db_path, project_dir=project,
                      target_dir=target)
    assert ("int_lead_event_state: full rebuild, because its columns changed (var event_types or "
            "feature_windows_days): adds page_view_180d, ") in build_log(seventh)
    full_db, _ = full_refresh_copy(db_path, work / "full_7", "2026-06-25 00:00:00", windows, project_dir=project)
    assert_marts_equal(db_path, full_db)
    names, custom = rows(db_path, "lead_features_custom", ["lead_id"])
    assert "page_view_180d" in names and (names, custom) == rows(full_db, "lead_features_custom", ["lead_id"])
    eighth = run_cli(["build", "--as-of", "2026-06-25 00:00:00", *MODELS_ONLY], db_path, project_dir=project,
                     target_dir=target)
    assert "its columns changed (var event_types or feature_windows_days): drops page_view_180d, " in build_log(eighth)
    assert "page_view_180d" not in rows(db_path, "lead_features_custom", ["lead_id"])[0]


def test_ingest_selector_is_the_event_side(tmp_path):
    """selectors.yml's ingest (what the README tells dbt users to run) selects the tagged event
    states with their parents and nothing that stages, scores or exports leads; its tests are
    only those of its own nodes, none that also reads a mart."""
    def listed(*selection):
        result = run_dbt(["ls", *selection, "--output", "name", "--quiet"], tmp_path / "ls.duckdb",
                         target_dir=tmp_path / "target")
        return set(result.stdout.split())

    nodes = listed("--selector", "ingest", "--resource-type", "model", "seed")
    assert {"base_raw__events", "int_event_rule_state", "int_lead_event_state", "int_event_rules", "scoring_rules"} <= nodes
    assert not nodes & listed("--select", "base_raw__leads+", "--resource-type", "model"), "no lead is staged or scored"
    tests = listed("--selector", "ingest", "--resource-type", "test")
    assert "not_null_int_event_rule_state_lead_id" in tests
    assert not tests & listed("--select", "lead_scores", "--resource-type", "test")
