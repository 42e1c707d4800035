"""The hand-off to sales on a generated dataset with a sales team, built at three as-ofs: the
optional sales tables staged and reconciled, lifecycle stages and their history, routing balanced
by capacity and sticky across runs, SLA statuses, trigger actions emitted once across re-runs,
earlier as-ofs and backfills, the outbox export, and a warehouse without the sales tables.
Exact values on hand-made inputs are the dbt unit tests of models/*/handoff."""

from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict

import duckdb
import pytest

from conftest import MODELS_ONLY, copy_project, edit_csv, full_refresh_copy, query, run_cli

T1, T2, T3 = "2026-06-16 00:00:00", "2026-06-23 00:00:00", "2026-06-30 00:00:00"
OPEN_STAGES = ("mql", "sal", "sql")
STAGES = ("subscriber", "lead", "mql", "sal", "sql", "customer", "recycled", "disqualified")


@pytest.fixture(scope="module")
def handoff_db(tmp_path_factory):
    work = tmp_path_factory.mktemp("handoff")
    db_path = work / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "2000", "--seed", "11", "--bad-rate", "0.02", "--as-of", T3], db_path)
    run_cli(["build", "--as-of", T1, *MODELS_ONLY], db_path, target_dir=work / "target")
    first = {"assignments": query(db_path, "select lead_id, model, owner_id, team, routing_status "
                                           "from main.lead_assignments"),
             "owners": query(db_path, "select owner_id, team, active, capacity from staging.stg_raw__owners")}
    run_cli(["build", "--as-of", T2, *MODELS_ONLY], db_path, target_dir=work / "target")
    run_cli(["build", "--as-of", T3], db_path, target_dir=work / "target")  # with every data test
    return db_path, work, first


def scratch_copy(handoff_db, tmp_path):
    """A copy of the module's warehouse to change (the file name stays: DuckDB names the catalog after it)."""
    db_path, _, _ = handoff_db
    folder = tmp_path / "copy"
    folder.mkdir()
    copy = folder / db_path.name
    shutil.copyfile(db_path, copy)
    return copy, folder / "target"


def test_sales_tables_are_staged_reconciled_and_quarantined_with_every_reason(handoff_db):
    db_path, _, _ = handoff_db
    rows = {r[0]: r[1:] for r in query(db_path, "select source_table, raw_rows, staged_rows, quarantined_rows, "
                                                "superseded_rows from main.staging_reconciliation")}
    for table in ("sales_activities", "sales_outcomes", "owners"):
        raw, staged, quarantined, superseded = rows[table]
        assert raw == staged + quarantined + superseded and staged > 0 and quarantined > 0, (table, rows[table])
        assert raw == query(db_path, f"select count(*) from raw.{table}")[0][0]
    expected = {
        "quarantined_sales_activities": {"missing_activity_id", "missing_lead_id", "unknown_lead",
                                         "missing_activity_type", "missing_occurred_at", "implausible_occurred_at",
                                         "unknown_owner", "duplicate_activity_id"},
        "quarantined_sales_outcomes": {"missing_lead_id", "unknown_lead", "missing_status", "unknown_status",
                                       "missing_occurred_at", "unparseable_occurred_at", "implausible_occurred_at",
                                       "unknown_owner"},
        "quarantined_owners": {"missing_owner_id", "missing_team", "unparseable_active", "unparseable_capacity",
                               "negative_capacity", "duplicate_owner_id"},
    }
    for table, reasons in expected.items():
        assert {r[0] for r in query(db_path, f"select distinct quarantine_reason from main.{table}")} == reasons
    # padded, upper-case statuses are read (' WON' is won), and a duplicate owner keeps one row
    assert query(db_path, "select count(*) from raw.sales_outcomes where status like ' %' and trim(status) <> ''")[0][0] > 0
    assert query(db_path, "select count(*) from staging.stg_raw__owners where owner_id = 'O01'") == [(1,)]


def test_stages_follow_scores_conversions_and_sales_outcomes(handoff_db):
    db_path, _, _ = handoff_db
    rows = query(db_path, """
        select st.lead_id, st.model, st.lifecycle_stage, s.is_mql, s.is_disqualified, s.is_customer,
               st.sales_status, st.became_customer_at, st.stage_entered_at, s.scored_at
        from main.lead_stages st join main.lead_scores s using (lead_id, model)""")
    assert len(rows) == query(db_path, "select count(*) from main.lead_scores")[0][0]
    stages = Counter(r[2] for r in rows)
    assert set(stages) == set(STAGES), stages
    for lead, model, stage, is_mql, is_dq, is_customer, status, customer_at, entered_at, scored_at in rows:
        assert (stage == "customer") == (is_customer or status == "won" or customer_at is not None), lead
        if stage == "mql":
            assert is_mql and not is_dq, lead
        if stage == "disqualified":
            assert is_dq and status not in ("accepted", "opportunity"), lead
        if stage in ("sal", "sql"):
            assert status == {"sal": "accepted", "sql": "opportunity"}[stage], lead
        if stage == "recycled":
            assert status in ("rejected", "lost"), lead
        assert entered_at <= scored_at, lead
    # the stage history: each stage_changed event starts where the one before ended, the first
    # from nothing, and the last ends in the stage lead_stages holds
    events = defaultdict(list)
    for lead, model, before, after in query(db_path, """
            select lead_id, model, value_before, value_after from main.lead_lifecycle_events
            where event_type = 'stage_changed' order by occurred_at"""):
        events[(lead, model)].append((before, after))
    current = {(r[0], r[1]): r[2] for r in rows}
    for key, chain in events.items():
        assert chain[0][0] is None, key
        for (_, after), (before, _) in zip(chain, chain[1:]):
            assert before == after != None, key  # noqa: E711
        assert chain[-1][1] == current[key], key
    # a lead's stage changed between the three as-ofs for some leads
    assert sum(len(chain) > 1 for chain in events.values()) > 0


def test_routing_balances_each_team_by_capacity(handoff_db):
    """The first run routes every MQL: within each team, each active owner ends within one lead of
    the team's leads times its share of the team's capacity; an inactive owner gets none."""
    _, _, first = handoff_db
    owners = {o: (team, active, capacity) for o, team, active, capacity in first["owners"]}
    assignments = first["assignments"]
    assert assignments and all(r[4] == "routed" for r in assignments), Counter(r[4] for r in assignments)
    per_owner = Counter(r[2] for r in assignments)
    per_team = Counter(r[3] for r in assignments)
    checked = 0
    for owner, (team, active, capacity) in owners.items():
        if not active:
            assert per_owner[owner] == 0, owner
            continue
        if per_team[team] == 0:
            continue
        team_capacity = sum(c for t, a, c in owners.values() if t == team and a)
        share = per_team[team] * capacity / team_capacity
        assert abs(per_owner[owner] - share) <= 1, (owner, per_owner[owner], share)
        checked += 1
    assert checked >= 8, per_owner
    # the capacity-2 owner of the SMB team takes about twice a colleague's leads
    assert per_owner["O08"] >= 2 * per_owner["O09"] - 2


def test_owners_stay_unless_rerouted_for_a_reason(handoff_db):
    db_path, _, first = handoff_db
    now = {(r[0], r[1]): r[2:] for r in query(db_path, "select lead_id, model, owner_id, rerouted_because, "
                                                        "previous_owner_id from main.lead_assignments")}
    for lead, model, owner, _, _ in first["assignments"]:
        later_owner, because, previous = now[(lead, model)]
        assert later_owner == owner or (because is not None and previous == owner), (lead, model)
    # later runs routed the new MQLs too
    assert len(now) > len(first["assignments"])


def test_an_inactive_owner_hands_over_open_leads_to_the_team(handoff_db, tmp_path):
    copy, target = scratch_copy(handoff_db, tmp_path)
    before = {(r[0], r[1]): r[2] for r in query(copy, "select a.lead_id, a.model, s.lifecycle_stage "
                                                       "from main.lead_assignments a join main.lead_stages s "
                                                       "using (lead_id, model) where a.owner_id = 'O01'")}
    assert "mql" in before.values()
    con = duckdb.connect(str(copy))
    con.execute("update raw.owners set active = 'false' where owner_id = 'O01'")
    con.close()
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], copy, target_dir=target)
    after = {(r[0], r[1]): r[2:] for r in query(copy, "select lead_id, model, owner_id, team, rerouted_because, "
                                                      "previous_owner_id from main.lead_assignments")}
    for key, stage in before.items():
        owner, team, because, previous = after[key]
        if stage == "mql":
            assert owner in ("O02", "O03") and because == "owner_inactive" and previous == "O01", key
        else:
            assert owner == "O01", key  # sales works it already: the CRM reassigns it if it must


def test_unrouted_mqls_wait_in_the_fallback_queue_and_validate_counts_them(handoff_db, tmp_path):
    """With every enterprise owner gone, the enterprise MQLs wait in the queue with reason
    no_active_owner, and validate reports them (a warning, not a failure)."""
    copy, target = scratch_copy(handoff_db, tmp_path)
    con = duckdb.connect(str(copy))
    con.execute("update raw.owners set active = 'false' where team = 'enterprise'")
    con.close()
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], copy, target_dir=target)
    queued = query(copy, "select team, routing_status, count(*) from main.lead_assignments "
                         "where owner_id is null group by all")
    assert queued and all(team == "unassigned" and status == "no_active_owner" for team, status, _ in queued), queued
    result = run_cli(["validate"], copy, target_dir=target)
    total = sum(n for _, _, n in queued)
    assert f"routing: {total} MQLs wait in the fallback queue (no_active_owner {total})" in result.stdout
    assert "WARNING: routing_queue" in result.stdout and "-> PASSED" in result.stdout


def test_sla_statuses_agree_with_due_times_and_touches(handoff_db):
    db_path, _, _ = handoff_db
    rows = query(db_path, "select mql_at, due_at, first_touch_at, hours_to_first_touch, "
                          "business_hours_to_first_touch, sla_status, business_hours, scored_at from main.mql_sla")
    assert rows
    statuses = Counter(r[5] for r in rows)
    assert statuses["met"] and statuses["breached"] and statuses["open"] >= 0, statuses
    for mql_at, due_at, touch, hours, business, status, is_business, as_of in rows:
        assert mql_at < due_at
        if status == "met":
            assert touch is not None and mql_at <= touch <= due_at
        elif status == "breached":
            assert (touch is not None and touch > due_at) or (touch is None and as_of > due_at)
        else:
            assert touch is None and as_of <= due_at
        if touch is not None:
            assert 0 <= business <= hours + 1e-9 and (is_business or abs(business - hours) < 1e-9)
    daily = query(db_path, "select sum(mqls), sum(met), sum(breached), sum(open_mqls) from main.mql_sla_daily")[0]
    assert tuple(daily) == (len(rows), statuses["met"], statuses["breached"], statuses["open"])


def test_actions_are_emitted_once_across_reruns_earlier_as_ofs_and_backfills(handoff_db, tmp_path):
    copy, target = scratch_copy(handoff_db, tmp_path)
    actions = "select action_id, created_at from main.lead_actions order by action_id"
    before = query(copy, actions)
    assert before and len({a for a, _ in before}) == len(before)
    # every payload is a JSON object of exactly its trigger's fields
    triggers = {(r[0], r[1]): r[2].split("|") for r in query(
        copy, "select model, trigger_id, payload_fields from staging.stg_scoring_config__score_triggers")}
    for model, trigger, payload, lead in query(copy, "select model, trigger_id, payload, lead_id from main.lead_actions"):
        fields = json.loads(payload)
        assert list(fields) == [f for f in ["lead_id", "model", "event_type", "event_at", "value_before",
                                            "value_after", "total_score", "fit_score", "engagement_score",
                                            "score_band", "fit_grade", "engagement_grade", "lifecycle_stage",
                                            "owner_id", "team"] if f in triggers[(model, trigger)]]
        assert fields.get("lead_id", lead) == lead
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], copy, target_dir=target)
    assert query(copy, actions) == before
    # re-scoring an earlier as-of in production emits nothing, nor does a backfill
    run_cli(["build", "--as-of", T2, *MODELS_ONLY], copy, target_dir=target)
    assert query(copy, actions) == before
    run_cli(["backfill", "--from", "2026-06-02", "--to", "2026-06-09", "--every", "7d"], copy, target_dir=target)
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], copy, target_dir=target)
    assert query(copy, actions) == before
    # a later run emits the actions of its own events only, never one already emitted
    run_cli(["build", "--as-of", "2026-07-07 00:00:00", *MODELS_ONLY], copy, target_dir=target)
    after = query(copy, actions)
    assert set(before) < set(after) and len({a for a, _ in after}) == len(after)


def test_export_ships_each_action_once(handoff_db, tmp_path):
    copy, target = scratch_copy(handoff_db, tmp_path)
    out = tmp_path / "actions.jsonl"
    total = query(copy, "select count(*) from main.lead_actions")[0][0]
    first = run_cli(["export", "--table", "lead_actions", "--out", str(out)], copy, target_dir=target)
    assert f"exported {total} lead_actions rows" in first.stdout
    assert len(out.read_text().splitlines()) == total
    again = run_cli(["export", "--table", "lead_actions", "--out", str(out)], copy, target_dir=target)
    assert "no rows changed" in again.stdout
    # the sync keeps its own watermark under the same export name
    sync = run_cli(["export", "--out", str(tmp_path / "sync.csv")], copy, target_dir=target)
    assert "(first export: every row)" in sync.stdout


def test_a_full_refresh_rebuilds_stages_and_sla_equal_and_keeps_decisions(handoff_db, tmp_path):
    db_path, _, _ = handoff_db
    tables = {"lead_stages": "*", "mql_sla": "*", "mql_sla_daily": "*", "lead_lifecycle_events": "*",
              "lead_assignments": "*", "lead_actions": "* exclude (created_at)"}

    def rows(path):
        return {t: sorted(query(path, f"select {cols} from main.{t}"), key=repr) for t, cols in tables.items()}

    incremental = rows(db_path)
    rebuilt, _ = full_refresh_copy(db_path, tmp_path / "full", T3, MODELS_ONLY)
    assert rows(rebuilt) == incremental


def test_a_warehouse_without_sales_tables_builds_with_empty_sales_data(handoff_db, tmp_path):
    copy, target = scratch_copy(handoff_db, tmp_path)
    con = duckdb.connect(str(copy))
    for table in ("sales_activities", "sales_outcomes", "owners"):
        con.execute(f"drop table raw.{table}")
    con.close()
    run_cli(["build", "--as-of", "2026-07-07 00:00:00"], copy, target_dir=target)
    assert query(copy, "select source_table, raw_rows from main.staging_reconciliation "
                       "where source_table in ('sales_activities', 'sales_outcomes', 'owners') order by 1") == [
        ("owners", 0), ("sales_activities", 0), ("sales_outcomes", 0)]
    assert query(copy, "select count(*) from main.lead_stages where sales_status is not null") == [(0,)]
    # new MQLs wait in the queue: there is nobody to route them to
    assert query(copy, "select distinct routing_status from main.lead_assignments "
                       "where assigned_at = timestamp '2026-07-07 00:00:00'") == [("no_active_owner",)]


def test_sales_feedback_feeds_the_score(handoff_db, tmp_path):
    """The rules of docs/handoff.md: rejected by sales in the last 90 days -30, a lost deal -100
    (Pardot's), scored from the sales attributes as of T."""
    copy, target = scratch_copy(handoff_db, tmp_path)
    project = copy_project(tmp_path / "project")
    edit_csv(project / "seeds" / "scoring_rules.csv", lambda rows: rows.extend([
        dict(model="b2b_default", rule_id="neg_rejected_by_sales", dimension="fit", source="attribute",
             field="days_since_sales_rejected", operator="lte", value="90", points="-30", disqualify="false",
             description="Rejected by sales in the last 90 days"),
        dict(model="b2b_default", rule_id="neg_opportunity_lost", dimension="fit", source="attribute",
             field="days_since_sales_lost", operator="is_set", points="-100", disqualify="false",
             description="An opportunity was lost")]))
    run_cli(["build", "--as-of", T3, *MODELS_ONLY], copy, project_dir=project, target_dir=target)
    expected = query(copy, f"""
        select lead_id, case when last_lost_at is not null then 'neg_opportunity_lost' end,
               case when last_rejected_at >= timestamp '{T3}' - interval 90 day then 'neg_rejected_by_sales' end
        from intermediate.int_lead_sales_status""")
    scored = {(r[0], r[1]) for r in query(copy, "select lead_id, rule_id from main.lead_score_reasons "
                                               "where model = 'b2b_default' and rule_id in "
                                               "('neg_rejected_by_sales', 'neg_opportunity_lost')")}
    want = {(lead, rule) for lead, *rules in expected for rule in rules if rule}
    assert want and scored == want
    assert query(copy, "select min(points) from main.lead_score_reasons where rule_id = 'neg_opportunity_lost'") == [(-100,)]
