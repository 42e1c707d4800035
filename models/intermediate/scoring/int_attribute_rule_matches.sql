{#- One row per (lead, model, attribute rule) whose condition holds, with its contribution:
    points, capped by the rule's max_points. The rule's descriptive columns are added by
    int_lead_rule_contributions (not stored with every match). -#}
{{ config(materialized='table') }}
{#- The attributes the rules use, read when the model runs: the filter below lets the engine skip
    the other attributes of the int_lead_attributes view (not in unit tests, whose inputs are
    fixtures that run_query cannot see). -#}
{%- set used_attributes = [] %}
{%- if execute and model.resource_type != 'unit_test' %}
    {%- set used_attributes = run_query("select distinct field from " ~ ref('int_scoring_rules')
        ~ " where source = 'attribute'").columns[0].values() | list %}
{%- endif %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (SQL inside if / for blocks stays at its own level)
with

attributes as (

    select * from {{ ref('int_lead_attributes') }}
    {%- if used_attributes %}
    where attribute in {{ sql_string_list(used_attributes) }}
    {%- endif %}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}
    where source = 'attribute'

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

rule_items as (

    -- the values of equals, in and not_in rules as (rule, value) pairs
    select
        rules.model,
        rules.rule_id,
        rules.operator,
        rules.field,
        rules.attribute_kind,
        rules.value as value_item,
        rules.value_number as value_item_number
    from rules
    where rules.operator = 'equals'
    union all
    select
        rules.model,
        rules.rule_id,
        rules.operator,
        rules.field,
        rules.attribute_kind,
        rule_values.value_item,
        rule_values.value_item_number
    from rules
    inner join rule_values
        on rules.model = rule_values.model
            and rules.rule_id = rule_values.rule_id
    where rules.operator in ('in', 'not_in')

),

value_hits as (

    -- (lead, rule) where the lead's value is one of the rule's values, found by joining on the
    -- value, which yields only the hits instead of every lead x rule; numbers compare as
    -- numbers, everything else as lower-case text (as in rule_condition). A text hit is unique
    -- (one row per lead and attribute, list items distinct per rule); two items can be the same
    -- number ('10', '10.0'), so only number hits are made distinct
    select
        attributes.lead_id,
        rule_items.model,
        rule_items.rule_id,
        rule_items.operator
    from attributes
    inner join rule_items
        on attributes.attribute = rule_items.field
            and lower(attributes.value_text) = rule_items.value_item
    where rule_items.attribute_kind != 'number'
    union all
    select distinct
        attributes.lead_id,
        rule_items.model,
        rule_items.rule_id,
        rule_items.operator
    from attributes
    inner join rule_items
        on attributes.attribute = rule_items.field
            and attributes.value_number = rule_items.value_item_number
    where rule_items.attribute_kind = 'number'

),

other_rules as (

    select * from rules
    where operator not in ('equals', 'in')

),

candidates as (

    -- every lead x every other rule on one of its attributes, evaluated by rule_condition
    select
        attributes.lead_id,
        attributes.value_text as attribute_text,
        attributes.value_number as attribute_number,
        other_rules.model,
        other_rules.rule_id,
        other_rules.operator,
        other_rules.value as rule_value,
        other_rules.value_number as rule_value_number,
        other_rules.value_to_number as rule_value_to_number,
        other_rules.attribute_kind
    from attributes
    inner join other_rules
        on attributes.attribute = other_rules.field

),

list_hits as (

    -- not_in rules whose list holds the lead's value
    select * from value_hits
    where operator = 'not_in'

),

evaluated as (

    select
        candidates.lead_id,
        candidates.model,
        candidates.rule_id,
        {{ rule_condition(
            operator='candidates.operator',
            value_text='candidates.attribute_text',
            value_number='candidates.attribute_number',
            is_numeric="candidates.attribute_kind = 'number'",
            rule_value='candidates.rule_value',
            rule_value_number='candidates.rule_value_number',
            rule_value_to_number='candidates.rule_value_to_number',
            in_list_hit='list_hits.rule_id is not null') }} as is_match
    from candidates
    left join list_hits
        on candidates.lead_id = list_hits.lead_id
            and candidates.model = list_hits.model
            and candidates.rule_id = list_hits.rule_id

),

matches as (

    -- equals and in rules hold exactly where the value is one of theirs
    select
        lead_id,
        model,
        rule_id
    from value_hits
    where operator in ('equals', 'in')
    union all
    select
        lead_id,
        model,
        rule_id
    from evaluated
    where is_match

),

final as (

    select
        matches.lead_id,
        matches.model,
        matches.rule_id,
        cast(null as {{ dbt.type_int() }}) as matched_events,
        rules.points as raw_points,
        {{ cap_points('rules.points', 'rules.max_points') }} as contribution
    from matches
    inner join rules
        on matches.model = rules.model
            and matches.rule_id = rules.rule_id

)

select * from final
