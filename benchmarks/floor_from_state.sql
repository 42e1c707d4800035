-- The scoring floor: the same total scores as floor.sql, but from the event state the
-- project keeps (intermediate.int_event_rule_state and int_lead_event_state, advanced to T by
-- the run before) instead of the 50M staged events. It is the least one DuckDB statement can do
-- to publish every lead's score at T once the day's events are folded in: the leads and their
-- fit from raw.leads as in the floor, each stored decayed sum decayed on to T, rules with
-- window_days recomputed from their window, caps, weights and disqualification. No reasons,
-- grades, history, features or sync. benchmarks/benchmark.py puts each section below in place of
-- the section of the same name in floor.sql.

-- section events: rules with window_days only, and the staged events of their types and of the
-- event conditions, in their windows (already clean: the pairs below match them as they are)
event_rules as (
    select * from rules
    where source = 'event' and window_days is not null
),

event_rows as (
    select
        staged.lead_id as raw_lead_id,
        staged.event_type as raw_type,
        staged.event_detail as raw_detail,
        (epoch(timestamp '{as_of}') - epoch(staged.occurred_at)) / 86400.0 as age_days,
        staged.occurred_at
    from staging.base_raw__events as staged
    where staged.validation_reason is null and staged.quarantine_reason is null
        and staged.occurred_at <= timestamp '{as_of}'
        and (staged.event_type in (select field from event_rules)
            or staged.event_type in (select event_type from condition_event_types))
        and (epoch(timestamp '{as_of}') - epoch(staged.occurred_at)) / 86400.0
            < greatest((select max(window_days) from event_rules), (select max(window_days) from condition_event_types))
),

raw_pairs as (
    select distinct raw_type, raw_detail
    from event_rows
),

-- end section events
-- section activity: the stored activity
activity as (
    select lead_id, last_activity_at, last_email_engagement_at
    from intermediate.int_lead_event_state
),

-- end section activity
    -- section stored_event_points: the other event rules, each stored sum decayed from its as-of to T
    union all
    select
        lead_id, model, rule_id, dimension, rule_group, disqualify,
        case when max_points is null then raw_points else greatest(least(raw_points, max_points), -max_points) end
    from (
        select
            state.lead_id, rules.model, rules.rule_id, rules.dimension, rules.rule_group, rules.disqualify, rules.max_points,
            state.decayed_points
            * case when coalesce(rules.half_life_days, models.default_half_life_days, 0) = 0 then 1.0
                else power(0.5, (epoch(timestamp '{as_of}') - epoch(state.state_as_of)) / 86400.0
                    / coalesce(rules.half_life_days, models.default_half_life_days)) end as raw_points
        from intermediate.int_event_rule_state as state
        inner join leads on state.lead_id = leads.lead_id
        inner join rules on state.model = rules.model and state.rule_id = rules.rule_id
        inner join models on rules.model = models.model
    ) as stored
    -- end section stored_event_points
