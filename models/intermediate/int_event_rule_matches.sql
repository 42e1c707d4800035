{#- One row per (lead, model, event rule) with at least one qualifying event as of T: events of
    the rule's type whose detail passes the rule's filter and, with window_days, that occurred
    after T - window_days. raw_points = sum of points * 0.5 ^ (age / h), h = the rule's
    half_life_days, else the model's default (null or 0: no decay); the contribution is
    raw_points capped by max_points. -#}
{{ config(materialized='table') }}

with

events as (

    select * from {{ ref('int_events_as_of') }}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}
    where source = 'event'

),

models as (

    select * from {{ ref('int_scoring_models') }}

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

event_rules as (

    select
        rules.model,
        rules.rule_id,
        rules.dimension,
        rules.rule_group,
        rules.source,
        rules.field,
        rules.description,
        rules.disqualify,
        rules.operator,
        rules.value as rule_value,
        rules.value_number as rule_value_number,
        rules.value_to_number as rule_value_to_number,
        rules.points,
        rules.max_points,
        rules.window_days,
        coalesce(rules.half_life_days, models.default_half_life_days) as half_life_days
    from rules
    inner join models
        on rules.model = models.model

),

candidates as (

    select
        events.event_id,
        events.lead_id,
        events.event_detail,
        events.occurred_at,
        events.age_days,
        event_rules.*
    from events
    inner join event_rules
        on events.event_type = event_rules.field
    where event_rules.window_days is null or events.age_days < event_rules.window_days

),

qualifying as (

    -- list items are distinct per rule (int_scoring_rule_values), so this left join adds no rows
    select candidates.*
    from candidates
    left join rule_values
        on candidates.model = rule_values.model
            and candidates.rule_id = rule_values.rule_id
            and candidates.event_detail = rule_values.value_item
    where
        candidates.operator is null
        or {{ rule_condition(
            operator='candidates.operator',
            value_text='candidates.event_detail',
            value_number=safe_cast('candidates.event_detail', type_double()),
            is_numeric='false',
            rule_value='candidates.rule_value',
            rule_value_number='candidates.rule_value_number',
            rule_value_to_number='candidates.rule_value_to_number',
            in_list_hit='rule_values.value_item is not null') }}

),

aggregated as (

    select
        lead_id,
        model,
        rule_id,
        dimension,
        rule_group,
        source,
        field,
        description,
        disqualify,
        max_points,
        count(*) as matched_events,
        sum(points * {{ decay_factor('age_days', 'half_life_days') }}) as raw_points
    from qualifying
    group by lead_id, model, rule_id, dimension, rule_group, source, field, description, disqualify, max_points

),

final as (

    select
        lead_id,
        model,
        rule_id,
        dimension,
        rule_group,
        source,
        field,
        description,
        disqualify,
        cast(matched_events as {{ dbt.type_int() }}) as matched_events,
        raw_points,
        {{ cap_points('raw_points', 'max_points') }} as contribution
    from aggregated

)

select * from final
