"""The rules language end to end on hand-made leads: article 002's model and the lead worked
through it in docs/scoring.md, its compound disqualification, absence for a lead that never
engaged, customers that are never MQLs, a segment that leaves leads out of a model, a rule
counted once a day and a rule that scores only where a condition set holds."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from conftest import MODELS_ONLY, copy_project, edit_csv, query, run_cli, run_dbt

AS_OF = "2026-06-30 00:00:00"
LEADS = [
    # lead_id, job_title, seniority, employees, created_at
    ("worked", "Operations Manager", "manager", "40", "2026-05-01 00:00:00"),
    ("dead_end", "Student", None, "3", "2026-01-01 00:00:00"),
    ("student_reading", "Student", None, "3", "2026-01-01 00:00:00"),
    ("never_engaged", "Director of IT", "director", "500", "2026-01-01 00:00:00"),
    ("customer", "Director of IT", "director", "500", "2026-01-01 00:00:00"),
    ("opener", "Marketing Manager", "manager", "40", "2026-01-01 00:00:00"),
]
EVENTS = [
    # lead_id, event_type, event_detail, days before T (fractions: hours later)
    ("worked", "trial_started", None, 10), ("worked", "task_created", None, 9), ("worked", "task_created", None, 8),
    ("worked", "project_created", None, 7), ("worked", "meeting_booked", None, 5),
    ("worked", "email_open", None, 4), ("worked", "email_open", None, 3), ("worked", "email_open", None, 2),
    ("dead_end", "email_open", None, 90), ("dead_end", "page_view", "blog", 75),
    ("student_reading", "page_view", "blog", 20),
    ("never_engaged", "page_view", "pricing", 1),
    ("customer", "page_view", "pricing", 1), ("customer", "page_view", "pricing", 2),
    ("customer", "page_view", "pricing", 3), ("customer", "meeting_held", None, 2),
    ("customer", "meeting_booked", None, 4), ("customer", "form_submit", "demo_request", 5),
    ("customer", "email_reply", None, 1), ("customer", "email_click", "promo", 1),
    # four opens on 06-27 (00:00, 01:00, 02:00, 05:00) and one on 06-29: b2b_default counts opens once a day
    ("opener", "email_open", None, 3), ("opener", "email_open", None, 3 - 1 / 24),
    ("opener", "email_open", None, 3 - 2 / 24), ("opener", "email_open", None, 3 - 5 / 24),
    ("opener", "email_open", None, 1), ("opener", "page_view", "blog", 20),
]


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    work = tmp_path_factory.mktemp("rules")
    project = copy_project(work / "project")
    # a segment: self_serve_trial scores only the leads that started a trial in the last 90 days
    seeds = project / "seeds"
    edit_csv(seeds / "scoring_conditions.csv", lambda rows: rows.append(dict(
        model="self_serve_trial", condition_set="trial_users", match="all", source="event", field="trial_started",
        operator="count_gte", value="1", window_days="90", description="started a trial in the last 90 days")))
    edit_csv(seeds / "scoring_models.csv", lambda rows: next(
        row for row in rows if row["model"] == "self_serve_trial").update(segment="trial_users"))
    # a rule that scores only where a condition set holds: blog reading counts for students only
    edit_csv(seeds / "scoring_rules.csv", lambda rows: rows.append(dict(
        model="article_example", rule_id="eng_blog_student", dimension="engagement", source="event",
        field="page_view", operator="equals", value="blog", points="2", only_if="student_or_unemployed",
        disqualify="false", description="A student reading the blog")))

    db_path = work / "rules.duckdb"
    run_cli(["generate", "--leads", "10", "--seed", "1", "--as-of", AS_OF], db_path, project_dir=project)
    con = duckdb.connect(str(db_path))
    try:
        con.execute("delete from raw.leads")
        con.execute("delete from raw.events")
        con.execute("delete from raw.conversions")
        for lead_id, title, seniority, employees, created_at in LEADS:
            con.execute("insert into raw.leads (lead_id, email, first_name, last_name, job_title, seniority, employees, "
                        "created_at, updated_at) values (?, ?, 'Ann', 'Lee', ?, ?, ?, ?, ?)",
                        [lead_id, f"{lead_id}@example.org", title, seniority, employees, created_at, created_at])
        for i, (lead_id, event_type, detail, days) in enumerate(EVENTS):
            seconds = round(days * 86400)
            con.execute("insert into raw.events values (?, ?, ?, ?, timestamp '2026-06-30' - to_seconds(?), "
                        "timestamp '2026-06-30' - to_seconds(?))", [f"e{i}", lead_id, event_type, detail, seconds, seconds])
        con.execute("insert into raw.conversions values ('customer', '2026-06-20 00:00:00', '1000')")
    finally:
        con.close()
    run_dbt(["build", "--select", "+lead_score_reasons +lead_scores +lead_score_history", *MODELS_ONLY,
             "--vars", f"{{score_as_of: '{AS_OF}'}}"], db_path, project_dir=project, target_dir=work / "target")
    return db_path


def score(db_path, lead_id, model):
    [row] = query(db_path, "select fit_points, engagement_points, total_score, is_mql, is_disqualified, "
                           "disqualification_reasons, is_customer from main.lead_scores where lead_id = ? and model = ?",
                  [lead_id, model])
    return row


def reasons(db_path, lead_id, model):
    return {r[0]: (r[1], r[2]) for r in query(
        db_path, "select rule_id, points, description from main.lead_score_reasons where lead_id = ? and model = ?",
        [lead_id, model])}


def test_the_worked_lead_of_article_002(scored):
    fit, engagement, total, is_mql, disqualified, _, _ = score(scored, "worked", "article_example")
    assert (fit, engagement, total, is_mql, disqualified) == (Decimal("10.00"), Decimal("51.00"), Decimal("30.50"), True, False)
    why = reasons(scored, "worked", "article_example")
    assert {k: v[0] for k, v in why.items()} == {
        "fit_employees_25_plus": 10, "eng_trial_started": 15, "eng_task_created": 2, "eng_project_created": 5,
        "eng_call_booked": 20, "eng_email_open": 9}
    assert sum(v[0] for v in why.values()) == 61


def test_a_compound_disqualification_reads_as_its_conditions(scored):
    *_, disqualified, reasons_text, _ = score(scored, "dead_end", "article_example")
    assert disqualified and reasons_text == "dq_dead_end"
    assert reasons(scored, "dead_end", "article_example")["dq_dead_end"][1] == \
        "(student OR unemployed) AND no email opened in 60 days AND no page visited in 60 days"
    # a student who read the blog 20 days ago is not a dead end (one condition fails)
    assert score(scored, "student_reading", "article_example")[4] is False


def test_absence_catches_the_lead_that_never_engaged(scored):
    why = reasons(scored, "never_engaged", "b2b_default")
    assert why["eng_no_email_engagement_60d"][0] == -5
    assert why["fit_decision_maker_midmarket_plus"] == (10, "200+ employees AND director or above")
    # the worked lead opened an email 2 days ago
    assert "eng_no_email_engagement_60d" not in reasons(scored, "worked", "b2b_default")


def test_customers_keep_their_scores_but_are_not_mqls(scored):
    fit, engagement, total, is_mql, _, _, is_customer = score(scored, "customer", "b2b_default")
    assert is_customer and not is_mql and total >= 60, (fit, engagement, total)
    assert "eng_pricing_page_repeat" in reasons(scored, "customer", "b2b_default")


def test_a_segment_leaves_the_other_leads_out_of_the_model(scored):
    in_model = {r[0] for r in query(scored, "select lead_id from main.lead_scores where model = 'self_serve_trial'")}
    assert in_model == {"worked"}
    for table in ("lead_score_reasons", "lead_score_history"):
        assert {r[0] for r in query(scored, f"select distinct lead_id from main.{table} "
                                            "where model = 'self_serve_trial'")} <= {"worked"}
    assert len(query(scored, "select * from main.lead_scores where model = 'b2b_default'")) == len(LEADS)


def test_a_rule_counted_once_a_day_takes_the_first_open_of_each_day(scored):
    # b2b_default: 1 point an open, half-life 30 days; 06-27 00:00 (3 days) and 06-29 (1 day) count
    [(matched, raw)] = query(scored, "select matched_events, raw_points from main.lead_score_reasons "
                                     "where lead_id = 'opener' and model = 'b2b_default' and rule_id = 'eng_email_open'")
    assert matched == 2
    assert raw == round(Decimal(0.5 ** (3 / 30) + 0.5 ** (1 / 30)), 2) == Decimal("1.91")
    # article_example counts every open (3 points each, no decay)
    assert reasons(scored, "opener", "article_example")["eng_email_open"][0] == 15


def test_only_if_scores_a_rule_where_its_condition_set_holds(scored):
    assert reasons(scored, "student_reading", "article_example")["eng_blog_student"] == (2, "A student reading the blog")
    assert "eng_blog_student" not in reasons(scored, "opener", "article_example")  # read the blog, not a student
