{#- One row per (lead, model, condition) of seeds/scoring_conditions.csv that holds as of T, for
    the attribute and event conditions (a condition naming another set is resolved in
    int_lead_conditions). Attribute conditions are matched as attribute rules are (macro
    attribute_rule_hits). An event condition counts the lead's events of its types (a
    '|'-separated list) whose detail passes its filter and that occurred in the last window_days
    before T; the count is then compared: count_gte, count_lte, count_between, or none (no such
    event: true for a lead that never had one). Only the recent slice of the events is read, as
    for windowed event rules. -#}
{{ config(materialized='table') }}
{%- set bounds = condition_scan_bounds() %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (SQL inside if / for blocks stays at its own level)
with

conditions as (

    select * from {{ ref('int_scoring_conditions') }}

),

attributes as (

    select * from {{ ref('int_lead_attributes') }}
    {%- if bounds.attributes %}
    where attribute in {{ sql_string_list(bounds.attributes) }}
    {%- endif %}

),

leads as (

    select lead_id from {{ ref('int_leads_as_of') }}

),

attribute_conditions as (

    -- shaped as attribute rules, the condition_id as rule_id
    select
        model,
        condition_id as rule_id,
        field,
        operator,
        value,
        value_number,
        value_to_number,
        attribute_kind
    from conditions
    where source = 'attribute'

),

attribute_items as (

    select
        model,
        condition_id as rule_id,
        {{ split_to_rows('value') }} as item
    from conditions
    where source = 'attribute' and operator in ('in', 'not_in') and value is not null

),

attribute_values as (

    select distinct
        model,
        rule_id,
        trim(item) as value_item,
        {{ safe_cast('trim(item)', type_double()) }} as value_item_number
    from attribute_items
    where trim(item) <> ''

),

attribute_hits as (

    {{ attribute_rule_hits('attributes', 'attribute_conditions', 'attribute_values') }}

),

event_conditions as (

    select * from conditions
    where source = 'event'

),

event_type_items as (

    select
        model,
        condition_id,
        {{ split_to_rows('field') }} as item
    from event_conditions

),

event_condition_types as (

    -- one row per (condition, event type), shaped as an event rule whose detail filter is the
    -- condition's (for qualifying_event_rules)
    select distinct
        event_conditions.model,
        event_conditions.condition_id as rule_id,
        trim(event_type_items.item) as field,
        event_conditions.detail_operator as operator,
        event_conditions.detail_value as value,
        event_conditions.detail_value_number as value_number,
        cast(null as {{ type_double() }}) as value_to_number,
        cast(1 as {{ type_double() }}) as points,
        cast(null as {{ type_double() }}) as half_life_days,
        event_conditions.window_days
    from event_conditions
    inner join event_type_items
        on event_conditions.model = event_type_items.model
            and event_conditions.condition_id = event_type_items.condition_id
    where trim(event_type_items.item) <> ''

),

detail_items as (

    select
        model,
        condition_id as rule_id,
        {{ split_to_rows('detail_value') }} as item
    from event_conditions
    where detail_operator in ('in', 'not_in') and detail_value is not null

),

detail_values as (

    select distinct
        model,
        rule_id,
        trim(item) as value_item
    from detail_items
    where trim(item) <> ''

),

recent_events as (

    select * from {{ ref('int_events_as_of') }}
    where {{ bounds.recent_filter }}age_days < (select max(event_conditions.window_days) from event_conditions)

),

qualifying as (

    {{ qualifying_event_rules('recent_events', 'event_condition_types', 'detail_values') }}

),

event_counts as (

    select
        lead_id,
        model,
        rule_id as condition_id,
        count(*) as events_in_window
    from qualifying
    where age_days < window_days
    group by lead_id, model, rule_id

),

event_hits as (

    -- every lead x every event condition: absence holds for leads without any such event
    select
        leads.lead_id,
        event_conditions.model,
        event_conditions.condition_id
    from leads
    cross join event_conditions
    left join event_counts
        on leads.lead_id = event_counts.lead_id
            and event_conditions.model = event_counts.model
            and event_conditions.condition_id = event_counts.condition_id
    where
        case event_conditions.operator
            when 'none' then coalesce(event_counts.events_in_window, 0) = 0
            when 'count_gte' then coalesce(event_counts.events_in_window, 0) >= event_conditions.value_number
            when 'count_lte' then coalesce(event_counts.events_in_window, 0) <= event_conditions.value_number
            when 'count_between'
                then coalesce(event_counts.events_in_window, 0) >= event_conditions.value_number
                    and coalesce(event_counts.events_in_window, 0) <= event_conditions.value_to_number
            else false
        end

),

final as (

    select
        lead_id,
        model,
        rule_id as condition_id
    from attribute_hits
    union all
    select
        lead_id,
        model,
        condition_id
    from event_hits

)

select * from final
