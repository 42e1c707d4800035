{#- One row per (lead, model, event rule) with at least one qualifying event as of T: events of
    the rule's type whose detail passes the rule's filter and, with window_days, that occurred
    after T - window_days. raw_points = sum of points * 0.5 ^ (age / h), h = the rule's
    half_life_days, else the model's default (null or 0: no decay); a rule with once_per_days
    counts the first event of each period (event_period) only; the contribution is
    raw_points capped by max_points. Only (lead, model)s the model scores at T, and a rule with
    only_if only where its condition set holds (scored_rule_matches). The rule's descriptive
    columns are added by int_lead_rule_contributions (not stored with every match).
    Rules without a window come from int_event_rule_state, decayed from its as-of to T; rules
    with a window are recomputed from the events inside it. -#}
{{ config(materialized='table') }}
{#- The longest window of any rule and the event types windowed rules score, read when the model
    runs, bound the events scanned: typically one or two types of the last 30 days instead of all
    events of that period (not in unit tests, whose inputs are fixtures that run_query cannot see). -#}
{%- set recent_filter = '' %}
{%- if execute and model.resource_type != 'unit_test' %}
    {%- set windowed = run_query('select max(window_days) over (), field from ' ~ ref('int_event_rules')
        ~ ' where window_days is not null') %}
    {%- if windowed.rows | length > 0 %}
        {%- set windowed_types = windowed.columns[1].values() | unique | list %}
        {%- set recent_filter = 'occurred_at > ' ~ window_start(windowed.columns[0].values()[0])
            ~ ' and event_type in ' ~ sql_string_list(windowed_types) ~ ' and ' %}
    {%- endif %}
{%- endif %}

with

rules as (

    select * from {{ ref('int_event_rules') }}

),

windowed_rules as (

    select * from rules
    where window_days is not null

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

state as (

    select * from {{ ref('int_event_rule_state') }}
    where matched_events > 0

),

stateful_points as (

    select
        state.lead_id,
        state.model,
        state.rule_id,
        state.matched_events,
        state.decayed_points * {{ decay_factor(age_days('state.state_as_of'), 'rules.half_life_days') }}
            as raw_points
    from state
    inner join rules
        on state.model = rules.model
            and state.rule_id = rules.rule_id

),

recent_events as (

    select * from {{ ref('int_events_as_of') }}
    where {{ recent_filter }}age_days < (select max(windowed_rules.window_days) from windowed_rules)

),

windowed_matches as (

    {{ qualifying_event_rules('recent_events', 'windowed_rules', 'rule_values', carry=['once_per_days']) }}

),

windowed_by_period as (

    -- rules without once_per_days have one period (null) per lead
    select
        lead_id,
        model,
        rule_id,
        {{ event_period('occurred_at', 'once_per_days') }} as event_period,
        count(*) as matched_events,
        max(age_days) as first_event_age_days,
        sum(points * {{ decay_factor('age_days', 'half_life_days') }}) as raw_points
    from windowed_matches
    where age_days < window_days
    group by lead_id, model, rule_id, {{ event_period('occurred_at', 'once_per_days') }}

),

windowed_points as (

    -- once_per_days: a period counts once, with the age of its first event in the window
    select
        windowed_by_period.lead_id,
        windowed_by_period.model,
        windowed_by_period.rule_id,
        sum(case when windowed_rules.once_per_days is null then windowed_by_period.matched_events else 1 end)
            as matched_events,
        sum(case
            when windowed_rules.once_per_days is null then windowed_by_period.raw_points
            else windowed_rules.points
                * {{ decay_factor('windowed_by_period.first_event_age_days', 'windowed_rules.half_life_days') }}
        end) as raw_points
    from windowed_by_period
    inner join windowed_rules
        on windowed_by_period.model = windowed_rules.model
            and windowed_by_period.rule_id = windowed_rules.rule_id
    group by windowed_by_period.lead_id, windowed_by_period.model, windowed_by_period.rule_id

),

points as (

    -- filtered per branch: after the union, the join on lead_id cost twice as much at 1M
    {%- set filters_in_use = scoring_filters_in_use() %}
    {{ scored_rule_matches('stateful_points', 'rules', filters_in_use) }}
    union all
    {{ scored_rule_matches('windowed_points', 'rules', filters_in_use) }}

),

final as (

    select
        points.lead_id,
        points.model,
        points.rule_id,
        cast(points.matched_events as {{ dbt.type_int() }}) as matched_events,
        points.raw_points,
        {{ cap_points('points.raw_points', 'rules.max_points') }} as contribution
    from points
    inner join rules
        on points.model = rules.model
            and points.rule_id = rules.rule_id

)

select * from final
