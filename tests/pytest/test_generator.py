"""The synthetic data generator: deterministic, realistic enough, and careful with user data."""

import datetime as dt

import duckdb
import pytest

from conftest import AS_OF, PROJECT_DIR, run_cli

from leadscore import dbt, synthetic

TABLES = ("leads", "events", "conversions")


def fingerprint(db_path):
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: con.execute(f"select count(*), sum(hash(columns(*))) from raw.{t}").fetchall() for t in TABLES}
    finally:
        con.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        run_cli(["generate", "--leads", "500", "--seed", str(seed), "--as-of", AS_OF], tmp_path / f"{name}.duckdb")
    a, b, c = (fingerprint(tmp_path / f"{n}.duckdb") for n in "abc")
    assert a == b
    assert a != c


def test_every_event_type_and_domain_kind_appears(tmp_path):
    db_path = tmp_path / "g.duckdb"
    run_cli(["generate", "--leads", "4000", "--as-of", AS_OF], db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    types = {r[0] for r in con.execute("select distinct event_type from raw.events").fetchall()}
    domains = {r[0] for r in con.execute("select distinct split_part(email, '@', 2) from raw.leads").fetchall()}
    con.close()
    vocabulary = {"page_view", "form_submit", "content_download", "email_delivered", "email_open", "email_click",
                  "email_reply", "email_bounce", "email_unsubscribe", "social_like", "social_share", "social_comment",
                  "social_click", "trial_started", "task_created", "project_created", "meeting_booked",
                  "meeting_held", "meeting_cancelled", "webinar_registered", "webinar_attended", "chat_started"}
    assert vocabulary <= types
    assert {"gmail.com", "mailinator.com", "rivalscore.com", "acmescore.io", "mit.edu"} <= domains


def test_refuses_to_overwrite_user_raw_tables(tmp_path):
    db_path = tmp_path / "user.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("create schema raw")
    con.execute("create table raw.leads as select 'mine' as lead_id")
    con.close()
    result = run_cli(["generate", "--leads", "10"], db_path, check=False)
    assert result.returncode == 2
    assert "already has raw tables that were not generated here" in result.stderr
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("select lead_id from raw.leads").fetchall() == [("mine",)]
    con.close()


def test_generates_under_the_memory_settings_of_the_profile(monkeypatch):
    # the generator follows the target's memory_limit and block_allocator_memory (env vars of the
    # project's profile), as dbt's own DuckDB connection does
    monkeypatch.setenv("LEAD_SCORING_DUCKDB_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("LEAD_SCORING_DUCKDB_BLOCK_ALLOCATOR_MEMORY", "512MB")
    target = dbt.resolve_target(str(PROJECT_DIR), None)
    assert target.duckdb_memory == {"memory_limit": "1GB", "block_allocator_memory": "512MB"}
    con = duckdb.connect()
    counts = synthetic.generate(con, 50, 1, 0.0, dt.datetime(2026, 6, 30), memory=target.duckdb_memory)
    settings = con.execute("select current_setting('memory_limit'), current_setting('block_allocator_memory')").fetchone()
    con.close()
    assert counts["leads"] >= 50 and settings == ("953.6 MiB", "488.2 MiB")
    # the block allocator follows the memory limit unless set on its own
    monkeypatch.delenv("LEAD_SCORING_DUCKDB_BLOCK_ALLOCATOR_MEMORY")
    target = dbt.resolve_target(str(PROJECT_DIR), None)
    assert target.duckdb_memory == {"memory_limit": "1GB", "block_allocator_memory": "1GB"}
    with pytest.raises(ValueError, match="not a memory setting: threads"):
        synthetic.generate(duckdb.connect(), 5, 1, 0.0, dt.datetime(2026, 6, 30), memory={"threads": "1"})
