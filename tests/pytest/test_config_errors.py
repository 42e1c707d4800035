"""Config mistakes fail the build with a message naming the file, the row and the fix."""

import csv

import duckdb
from conftest import AS_OF, MODELS_ONLY, add_example_trees, edit_csv, run_cli, run_dbt


def build_config(project, tmp_path, extra=(), env=None):
    return run_cli(["build", "--select", "+int_scoring_rules", "--exclude", "resource_type:test", *extra], tmp_path / "cfg.duckdb",
                   project_dir=project, check=False, target_dir=tmp_path / "target", env=env)


def test_shipped_seeds_are_valid_and_a_reloaded_seed_is_checked_again(project_copy, tmp_path):
    result = build_config(project_copy, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    # a dbt user reloads an edited seed and runs only a model downstream of the check: the check
    # reads the seeds as they are now, not as int_scoring_config_errors last saw them
    edit_csv(project_copy / "seeds" / "scoring_rules.csv",
             lambda rows: rows[0].update(operator="equal"))
    dbt_args = dict(db_path=tmp_path / "cfg.duckdb", project_dir=project_copy, target_dir=tmp_path / "target")
    run_dbt(["seed", "--select", "scoring_rules"], **dbt_args)
    result = run_dbt(["run", "--select", "int_scoring_rules"], check=False, **dbt_args)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "seeds/scoring_rules.csv" in result.stdout and "equal" in result.stdout, result.stdout[-3000:]


def test_broken_points_table_lists_every_problem(project_copy, tmp_path):
    seeds = project_copy / "seeds"

    def break_rules(rows):
        by_id = {(r["model"], r["rule_id"]): r for r in rows}
        by_id[("b2b_default", "fit_seniority_manager")]["operator"] = "equal"
        by_id[("b2b_default", "fit_revenue_10m")]["points"] = "ten"
        by_id[("b2b_default", "fit_country_target")]["field"] = "countri"
        by_id[("b2b_default", "eng_email_open")]["rule_group"] = "role"  # role is a fit group
        by_id[("b2b_default", "fit_employees_small")]["value_to"] = ""
        by_id[("b2b_default", "eng_page_view")]["value"] = "pricing"  # value without operator
        by_id[("b2b_default", "eng_careers_page")]["half_life_days"] = "-3"
        by_id[("self_serve_trial", "fit_employees_solo")]["operator"] = "in"
        by_id[("self_serve_trial", "fit_employees_solo")]["value"] = "1|two"
        rows.append(dict(by_id[("b2b_default", "fit_student")]))  # duplicate rule_id

    edit_csv(seeds / "scoring_rules.csv", break_rules)

    def break_models(rows):
        rows[1]["engagement_weight"] = "0.8"

    edit_csv(seeds / "scoring_models.csv", break_models)

    def break_thresholds(rows):
        rows[1]["min_score"] = rows[0]["min_score"]  # two fit labels with min_score 70

    edit_csv(seeds / "score_thresholds.csv", break_thresholds)

    # a plain build on real data: no data test may pre-empt the readable seed report
    db_path = tmp_path / "cfg.duckdb"
    run_cli(["generate", "--leads", "100", "--as-of", AS_OF], db_path, project_dir=project_copy)
    result = run_cli(["build", "--as-of", AS_OF], db_path, project_dir=project_copy, check=False,
                     target_dir=tmp_path / "target")
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    expected = [
        "seeds/scoring_rules.csv: model b2b_default, rule fit_seniority_manager: unknown operator 'equal'",
        "seeds/scoring_rules.csv: model b2b_default, rule fit_revenue_10m: points 'ten' is not a number",
        "seeds/scoring_rules.csv: model b2b_default, rule fit_country_target: field 'countri' names an attribute that does not exist",
        "seeds/scoring_rules.csv: model b2b_default, rule eng_email_open: its rule_group spans both fit and engagement",
        "seeds/scoring_rules.csv: model b2b_default, rule fit_employees_small: between needs a numeric value_to",
        "seeds/scoring_rules.csv: model b2b_default, rule eng_page_view: value is set but operator is blank",
        "seeds/scoring_rules.csv: model b2b_default, rule eng_careers_page: half_life_days must be a number >= 0",
        "seeds/scoring_rules.csv: model self_serve_trial, rule fit_employees_solo: the attribute is numeric but an item",
        "seeds/scoring_rules.csv: model b2b_default, rule fit_student: rule_id is used more than once",
        "seeds/scoring_models.csv: model self_serve_trial, model row: fit_weight + engagement_weight must be 1",
        "seeds/score_thresholds.csv: model b2b_default, label 70.0: two labels of this dimension share this min_score",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n{out[-4000:]}"
    assert "Fix:" in out


def test_broken_condition_sets_list_every_problem(project_copy, tmp_path):
    """Every mistake in seeds/scoring_conditions.csv (and the rules and segments naming its sets)
    is one line with the file, the model, the set and the fix."""
    seeds = project_copy / "seeds"
    base = dict(model="b2b_default", condition_set="", match="all", source="attribute", field="seniority",
                operator="equals", value="director", value_to="", detail_operator="", detail_value="",
                window_days="", description="")

    def add_sets(rows):
        def row(**kw):
            rows.append({**base, **kw})
        row(condition_set="misspelt_match", match="every")
        row(condition_set="mixed", match="all")
        row(condition_set="mixed", match="any", field="department", value="it")
        row(condition_set="count_without_window", source="event", field="page_view", operator="count_gte", value="3")
        row(condition_set="fractional_count", source="event", field="page_view", operator="count_gte", value="2.5",
            window_days="30")
        row(condition_set="unknown_type", source="event", field="page_view|fax_sent", operator="none", window_days="30")
        row(condition_set="unknown_attribute", field="shoe_size")
        row(condition_set="to_missing", source="condition_set", field="no_such_set", operator="", value="")
        row(condition_set="loop_a", source="condition_set", field="loop_b", operator="", value="")
        row(condition_set="loop_b", source="condition_set", field="loop_a", operator="", value="")
        row(condition_set="twice")
        row(condition_set="twice")

    edit_csv(seeds / "scoring_conditions.csv", add_sets)

    def break_rules(rows):
        rows.append({**rows[0], "rule_id": "on_missing_set", "source": "conditions", "field": "nowhere",
                     "operator": "", "value": ""})
        opens = next(r for r in rows if r["rule_id"] == "eng_email_open")
        rows.append({**opens, "rule_id": "twice_a_day", "once_per_days": "0.5"})
        rows.append({**opens, "rule_id": "gated_by_nothing", "once_per_days": "", "only_if": "vips"})
        rows.append({**rows[0], "rule_id": "limited_attribute", "once_per_days": "1"})

    edit_csv(seeds / "scoring_rules.csv", break_rules)
    edit_csv(seeds / "scoring_models.csv", lambda rows: rows[1].update(segment="emea"))
    result = build_config(project_copy, tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    conditions = "seeds/scoring_conditions.csv: model b2b_default, condition set"
    expected = [
        f"{conditions} misspelt_match: match must be all or any.",
        f"{conditions} mixed: the rows of the set have different match values. Fix:",
        f"{conditions} count_without_window: an event condition counts events in a window: window_days must be a number > 0. Fix:",
        f"{conditions} fractional_count: a count needs a whole number >= 0 in value",
        f"{conditions} unknown_type: event type 'fax_sent' is not in var event_types (dbt_project.yml). Fix:",
        f"{conditions} unknown_attribute: field 'shoe_size' names no attribute. Fix:",
        f"{conditions} to_missing: it names the set 'no_such_set', which this model does not have. Fix:",
        f"{conditions} loop_a: it names the set 'loop_b', which names this set back: a cycle. Fix:",
        f"{conditions} twice: the same condition is listed twice in the set. Fix:",
        "seeds/scoring_rules.csv: model b2b_default, rule on_missing_set: field 'nowhere' names no condition set of this model. Fix:",
        "seeds/scoring_rules.csv: model b2b_default, rule twice_a_day: once_per_days '0.5' is not a whole number >= 1. Fix:",
        "seeds/scoring_rules.csv: model b2b_default, rule gated_by_nothing: only_if 'vips' names no condition set of this model. Fix:",
        "seeds/scoring_rules.csv: model b2b_default, rule limited_attribute: once_per_days only applies to event rules. Fix:",
        "seeds/scoring_models.csv: model self_serve_trial, segment emea: the segment names no condition set of this model. Fix:",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n{out[-4000:]}"


def test_a_seed_file_without_the_new_columns_still_builds(project_copy, tmp_path):
    """scoring_models.csv as it was before segments (no segment column) and scoring_rules.csv as it
    was before once_per_days and only_if stay valid."""
    for name, dropped in (("scoring_models.csv", {"segment"}), ("scoring_rules.csv", {"once_per_days", "only_if"})):
        path = project_copy / "seeds" / name
        with open(path, newline="") as f:
            rows = [{k: v for k, v in r.items() if k not in dropped} for r in csv.DictReader(f)]
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    result = build_config(project_copy, tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_bad_domain_type_stops_the_build(project_copy, tmp_path):
    edit_csv(project_copy / "seeds" / "email_domains.csv", lambda rows: rows[0].update(domain_type="freemail"))
    result = build_config(project_copy, tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 2
    assert "seeds/email_domains.csv: model (any), domain gmail.com: domain_type must be personal" in out


def test_unreadable_as_of_names_the_var(project_copy, tmp_path):
    # the runner's --as-of is checked before dbt starts
    result = build_config(project_copy, tmp_path, extra=["--as-of", "yesterday"])
    assert result.returncode == 2
    assert "--as-of 'yesterday' is not a UTC time: use YYYY-MM-DD[ HH:MM[:SS]]" in result.stderr
    assert "dbt" not in result.stdout.lower()
    # so is a LEAD_SCORING_AS_OF the runner inherits
    result = build_config(project_copy, tmp_path, env={"LEAD_SCORING_AS_OF": "yesterday"})
    assert result.returncode == 2
    assert "LEAD_SCORING_AS_OF 'yesterday' is not a UTC time" in result.stderr
    # and var score_as_of in --vars (dbt, which checks it too, never starts)
    result = build_config(project_copy, tmp_path, extra=["--vars", "{score_as_of: yesterday}"])
    assert result.returncode == 2
    assert "error: var score_as_of 'yesterday' is not a UTC time" in result.stderr
    # a day the month does not have
    result = build_config(project_copy, tmp_path, extra=["--vars", "{score_as_of: '2026-02-29'}"])
    assert result.returncode == 2
    assert "error: var score_as_of '2026-02-29' is not a UTC time" in result.stderr
    # dbt users set var score_as_of; dbt stops while parsing, whatever is selected
    result = run_dbt(["build", "--select", "stg_scoring_config__models", "--vars", "{score_as_of: '2026-02-29'}"],
                     tmp_path / "x.duckdb", project_dir=project_copy, check=False, target_dir=tmp_path / "t")
    assert result.returncode == 2
    assert "var score_as_of = '2026-02-29' is not a UTC timestamp" in result.stdout + result.stderr
    # the macro's calendar: February 29 exists in leap years only (1900 is not one, 2000 is)
    for day, exists in [("2024-02-29", True), ("2000-02-29", True), ("1900-02-29", False), ("2026-02-29", False)]:
        checked = run_dbt(["run-operation", "check_score_as_of"], tmp_path / "calendar.duckdb",
                          project_dir=project_copy, check=False, target_dir=tmp_path / "target",
                          env={"LEAD_SCORING_AS_OF": day})
        assert (checked.returncode == 0) == exists, (day, checked.stdout[-2000:])
        assert ("is not a UTC timestamp" in checked.stdout) != exists, day
    # dbt users who set LEAD_SCORING_AS_OF themselves: the on-run-start hook reads it before any
    # node runs, so nothing is built at a wrong T and the fix names the variable
    db_path = tmp_path / "direct.duckdb"
    result = run_dbt(["build", "--select", "+int_scoring_rules", "--exclude", "resource_type:test"], db_path,
                     project_dir=project_copy, check=False, target_dir=tmp_path / "target",
                     env={"LEAD_SCORING_AS_OF": "yesterday"})
    assert result.returncode == 2, result.stdout[-3000:]
    assert ("LEAD_SCORING_AS_OF = 'yesterday' is not a UTC timestamp. Fix: set LEAD_SCORING_AS_OF to "
            "YYYY-MM-DD[ HH:MM[:SS]] (UTC)") in result.stdout
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from information_schema.tables").fetchone()[0] == 0


def test_custom_lead_column_becomes_scorable(project_copy, tmp_path):
    """A raw column named in var lead_attribute_columns can be scored by a rule."""
    db_path = tmp_path / "custom.duckdb"
    run_cli(["generate", "--leads", "300", "--as-of", AS_OF], db_path, project_dir=project_copy)
    con = duckdb.connect(str(db_path))
    con.execute("alter table raw.leads add column plan_interest varchar")
    con.execute("update raw.leads set plan_interest = case when lead_id < 'L00000100' then ' Enterprise ' end")
    con.close()
    with open(project_copy / "seeds" / "scoring_rules.csv", "a") as f:
        f.write("b2b_default,fit_plan_enterprise,fit,,attribute,plan_interest,equals,enterprise,,7,,,,,,false,"
                "Interested in the enterprise plan\n")
    text = (project_copy / "dbt_project.yml").read_text()
    (project_copy / "dbt_project.yml").write_text(text.replace("    - lead_source\n", "    - lead_source\n    - plan_interest\n", 1))
    # naming it in the var is the only step: the marts' contracts do not change
    run_cli(["build", "--as-of", AS_OF], db_path, project_dir=project_copy,
            target_dir=tmp_path / "target")
    con = duckdb.connect(str(db_path), read_only=True)
    matched = con.execute("select count(*), min(points), max(points) from main.lead_score_reasons "
                          "where rule_id = 'fit_plan_enterprise'").fetchone()
    expected = con.execute("select count(*) from staging.stg_raw__leads where plan_interest = 'Enterprise' "
                           "and (created_at is null or created_at <= ?)", [AS_OF]).fetchone()[0]
    con.close()
    assert expected > 0
    assert matched[0] == expected and matched[1] == matched[2] == 7


def test_missing_custom_column_is_a_clear_error(project_copy, tmp_path):
    db_path = tmp_path / "missing.duckdb"
    run_cli(["generate", "--leads", "100", "--as-of", AS_OF], db_path, project_dir=project_copy)
    text = (project_copy / "dbt_project.yml").read_text()
    (project_copy / "dbt_project.yml").write_text(text.replace("    - lead_source\n", "    - lead_source\n    - no_such_column\n", 1))
    result = run_cli(["build", "--select", "base_raw__leads"], db_path, project_dir=project_copy, check=False,
                     target_dir=tmp_path / "target")
    out = result.stdout + result.stderr
    assert result.returncode == 2
    assert "Column 'no_such_column' is not in" in out and "lead_attribute_columns" in out


def test_missing_loaded_at_column_names_the_var_and_blank_var_restages(tmp_path):
    """Without a load-time column the build says which var to set; with the var blank it runs,
    restaging every event each time (the log says why)."""
    db_path = tmp_path / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "100", "--as-of", AS_OF], db_path)
    con = duckdb.connect(str(db_path))
    con.execute("alter table raw.events drop column loaded_at")
    con.close()
    build = ["build", "--select", "base_raw__events", *MODELS_ONLY]
    result = run_cli(build, db_path, check=False, target_dir=tmp_path / "target")
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    assert "Column 'loaded_at' is not in" in out and "events_loaded_at_column" in out
    blank = [*build, "--vars", "{events_loaded_at_column: ''}"]
    run_cli(blank, db_path, target_dir=tmp_path / "target")
    again = run_cli(blank, db_path, target_dir=tmp_path / "target")
    assert "base_raw__events: full rebuild, because var events_loaded_at_column is blank" in again.stdout


def test_text_occurred_at_that_does_not_parse_is_quarantined_with_its_text(tmp_path):
    """Raw occurred_at as text (as many EL tools load it): a value that does not parse is
    quarantined showing the text given; a duplicate copy shows its parsed time as text."""
    db_path = tmp_path / "lead_scoring.duckdb"
    run_cli(["generate", "--leads", "100", "--bad-rate", "0", "--as-of", AS_OF], db_path)
    con = duckdb.connect(str(db_path))
    con.execute("alter table raw.events alter occurred_at type varchar")
    first, second = [r[0] for r in con.execute("select event_id from raw.events order by event_id limit 2").fetchall()]
    con.execute("update raw.events set occurred_at = ' next tuesday ' where event_id = ?", [first])
    con.execute("""insert into raw.events
        select event_id, lead_id, event_type, event_detail, '2026-06-29 12:00:00', loaded_at
        from raw.events where event_id = ?""", [second])
    raw_rows = con.execute("select count(*) from raw.events").fetchone()[0]
    con.close()
    run_cli(["build", "--select", "+quarantined_events", *MODELS_ONLY],
            db_path, target_dir=tmp_path / "target")
    con = duckdb.connect(str(db_path), read_only=True)
    quarantined = con.execute("""select event_id, occurred_at, quarantine_reason from main.quarantined_events
        where event_id in (?, ?) order by event_id""", [first, second]).fetchall()
    staged = con.execute("select count(*), count(occurred_at_raw) from staging.base_raw__events").fetchone()
    con.close()
    assert quarantined == [(first, "next tuesday", "unparseable_occurred_at"),
                           (second, "2026-06-29 12:00:00", "duplicate_event_id")]
    assert staged == (raw_rows, 1)


def test_broken_predictive_weights_name_the_term_and_the_fix(project_copy, tmp_path):
    def break_weights(rows):
        numeric = next(r for r in rows if r["kind"] == "numeric")
        category = next(r for r in rows if r["kind"] == "category")
        rows.append(dict(numeric, feature="employes"))
        rows.append(dict(numeric, feature="events_total", scale="0"))
        rows.append(dict(category, level="", feature="industry"))
        rows.append(dict(category, kind="categorical", feature="country", level="NL"))
        rows.append(dict(category, feature="seniority", level="vp", coefficient="strong"))
        rows.append(dict(rows[0]))  # a second intercept
        rows.append(dict(rows[0], model="b2b_default"))  # clashes with a rules model

    edit_csv(project_copy / "seeds" / "predictive_weights.csv", break_weights)
    result = build_config(project_copy, tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    expected = [
        "seeds/predictive_weights.csv: model predictive, term employes: the feature is not a numeric feature column",
        "seeds/predictive_weights.csv: model predictive, term events_total: a numeric term needs center, fill_value and a scale > 0",
        "seeds/predictive_weights.csv: model predictive, term industry: a category term needs the level it matches",
        "seeds/predictive_weights.csv: model predictive, term country = NL: kind must be intercept, numeric or category",
        "seeds/predictive_weights.csv: model predictive, term seniority = vp: coefficient is not a number",
        "seeds/predictive_weights.csv: model predictive, term (intercept): the model needs exactly one intercept row",
        "seeds/predictive_weights.csv: model b2b_default, term (intercept): the model name is also a rules model",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n{out[-4000:]}"


def test_broken_predictive_trees_name_the_node_and_the_fix(project_copy, tmp_path):
    """A valid tree model next to broken rows: each problem names the model, tree and node."""
    add_example_trees(project_copy / "seeds")
    bad = [dict(model="broken", tree="1", node="0", depth="0", feature="employes", threshold="x", missing_left="true",
                left_node="1", right_node="2", value="0"),
           dict(model="broken", tree="1", node="1", depth="1", value="0.5"),
           dict(model="broken", tree="1", node="1", depth="1", value="0.5"),
           dict(model="broken", tree="2", node="3", depth="1", value="1", threshold="2"),
           dict(model="broken", tree="3", node="0", depth="7", value="zero"),
           dict(model="predictive", tree="0", node="0", depth="0", value="1")]
    edit_csv(project_copy / "seeds" / "predictive_trees.csv", lambda rows: rows.extend(bad))
    result = build_config(project_copy, tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    expected = [
        "seeds/predictive_trees.csv: model broken, tree 1, node 0: the feature is not a numeric feature column",
        "seeds/predictive_trees.csv: model broken, tree 1, node 0: a split needs a threshold that is a number",
        "seeds/predictive_trees.csv: model broken, tree 1, node 0: a split needs left_node and right_node",
        "seeds/predictive_trees.csv: model broken, tree 1, node 1: the node is listed more than once",
        "seeds/predictive_trees.csv: model broken, tree 2: the tree has no root (node 0)",
        "seeds/predictive_trees.csv: model broken, tree 2, node 3: a leaf (no feature) must leave level, threshold",
        "seeds/predictive_trees.csv: model broken, tree 3, node 0: tree and node must be whole numbers from 0 and depth",
        "seeds/predictive_trees.csv: model broken, tree 3, node 0: value is not a number",
        "seeds/predictive_trees.csv: model predictive, tree (blank): the model name is also a regression",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n{out[-4000:]}"
    assert "boosted_example" not in out  # the valid model has no problem


def test_broken_handoff_seeds_name_the_row_and_the_fix(project_copy, tmp_path):
    """Every mistake in routing_rules.csv, sla_policies.csv and score_triggers.csv is one line with
    the file, the model, the rule / policy / trigger and the fix."""
    seeds = project_copy / "seeds"
    route = dict(model="b2b_default", rule_order="90", rule_id="", condition_set="", score_band="", fit_grade="",
                 team="smb", owner_id="", reassign="", description="")
    edit_csv(seeds / "routing_rules.csv", lambda rows: rows.extend([
        {**route, "rule_id": "route_smb"},  # a rule_id the model has already
        {**route, "rule_id": "fractional", "rule_order": "95.5"},
        {**route, "rule_id": "same_order", "rule_order": "10"},
        {**route, "rule_id": "no_set", "rule_order": "100", "condition_set": "emea_only"},
        {**route, "rule_id": "bad_band", "rule_order": "110", "score_band": "hot|scorching", "fit_grade": "Z"},
        {**route, "rule_id": "no_team", "rule_order": "120", "team": ""},
        {**route, "rule_id": "maybe", "rule_order": "130", "reassign": "sometimes"},
        {**route, "model": "nobody", "rule_id": "orphan"}]))
    policy = dict(model="b2b_default", policy_order="90", policy_id="", score_band="", response_hours="4",
                  business_hours="true", time_zone="Europe/Amsterdam", workday_start_hour="9", workday_end_hour="17",
                  workdays="mon|tue|wed|thu|fri", description="")
    edit_csv(seeds / "sla_policies.csv", lambda rows: rows.extend([
        {**policy, "policy_id": "zone", "time_zone": "Mars/Olympus_Mons"},
        {**policy, "policy_id": "backwards", "policy_order": "91", "workday_start_hour": "17", "workday_end_hour": "9"},
        {**policy, "policy_id": "holiday", "policy_order": "92", "workdays": "mon|funday|mon"},
        {**policy, "policy_id": "instant", "policy_order": "93", "response_hours": "0"},
        {**policy, "policy_id": "bad_band", "policy_order": "94", "score_band": "lukewarm"}]))
    trigger = dict(model="b2b_default", trigger_id="", event_type="became_mql", value="", action="notify_owner",
                   target="", payload_fields="lead_id", description="")
    edit_csv(seeds / "score_triggers.csv", lambda rows: rows.extend([
        {**trigger, "trigger_id": "ring", "event_type": "phone_rang"},
        {**trigger, "trigger_id": "fax", "action": "send_fax"},
        {**trigger, "trigger_id": "no_score", "event_type": "score_crossed"},
        {**trigger, "trigger_id": "bad_band", "event_type": "band_changed", "value": "scorching"},
        {**trigger, "trigger_id": "valued", "value": "yes"},
        {**trigger, "trigger_id": "listless", "action": "add_to_crm_list"},
        {**trigger, "trigger_id": "leaky", "payload_fields": "lead_id|email"}]))
    result = build_config(project_copy, tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-3000:]
    routing, sla, triggers = ("seeds/routing_rules.csv: model b2b_default, rule", "seeds/sla_policies.csv: model "
                              "b2b_default, policy", "seeds/score_triggers.csv: model b2b_default, trigger")
    expected = [
        f"{routing} route_smb: the rule_id is listed more than once. Fix:",
        f"{routing} fractional: rule_order 95.5 is not a whole number. Fix:",
        f"{routing} same_order: another rule of the model has the same rule_order",
        f"{routing} no_set: condition_set emea_only is not a condition set of the model. Fix:",
        f"{routing} bad_band: score_band scorching is not a label of the model in seeds/score_thresholds.csv.",
        f"{routing} bad_band: fit_grade z is not a label of the model",
        f"{routing} no_team: team is blank. Fix:",
        f"{routing} maybe: reassign sometimes is not true or false.",
        "seeds/routing_rules.csv: model nobody, rule orphan: the model is not in seeds/scoring_models.csv.",
        f"{sla} zone: time_zone Mars/Olympus_Mons is not a time zone name. Fix:",
        f"{sla} backwards: the working day must start at an hour from 0 and end after it",
        f"{sla} holiday: workdays has funday, which is not a day.",
        f"{sla} holiday: workdays lists mon twice. Fix: list each working day once.",
        f"{sla} instant: response_hours 0 is not a number > 0.",
        f"{sla} bad_band: score_band lukewarm is not a band of the model",
        f"{triggers} ring: event_type phone_rang is not an event a trigger fires on. Fix: use one of became_mql,",
        f"{triggers} fax: action send_fax is not an action.",
        f"{triggers} no_score: score_crossed needs value, the score from 0 to 100",
        f"{triggers} bad_band: value scorching is not a band of the model",
        f"{triggers} valued: became_mql takes no value.",
        f"{triggers} listless: add_to_crm_list needs a target",
        f"{triggers} leaky: payload field email is not one a payload may carry.",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n{out[-5000:]}"
    # a selective build of a hand-off model stops on the same problems: it never routes or emits
    # with rows the checks refused
    for node in ("int_lead_routing_matches", "lead_actions", "int_sla_policies"):
        result = run_dbt(["run", "--select", node, "--vars", f"{{score_as_of: '{AS_OF}'}}"], db_path=tmp_path / "cfg.duckdb", project_dir=project_copy,
                         target_dir=tmp_path / "target", check=False)
        assert result.returncode == 1, f"{node}: {result.stdout[-3000:]}"
        assert f"{routing} maybe: reassign sometimes is not true or false." in result.stdout, result.stdout[-3000:]
