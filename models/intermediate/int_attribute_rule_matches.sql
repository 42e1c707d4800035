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
    where attribute in ('{{ used_attributes | join("', '") }}')
    {%- endif %}

),

rules as (

    select * from {{ ref('int_scoring_rules') }}
    where source = 'attribute'

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

member_rules as (

    -- equals and in rules as (rule, value) pairs: they are matched by joining the attribute's
    -- value on the rule's values, which yields only the matches instead of every lead x rule
    select
        rules.model,
        rules.rule_id,
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
        rules.field,
        rules.attribute_kind,
        rule_values.value_item,
        rule_values.value_item_number
    from rules
    inner join rule_values
        on rules.model = rule_values.model
            and rules.rule_id = rule_values.rule_id
    where rules.operator = 'in'

),

member_matches as (

    -- numbers compare as numbers, everything else as lower-case text (as in rule_condition)
    select
        attributes.lead_id,
        member_rules.model,
        member_rules.rule_id
    from attributes
    inner join member_rules
        on attributes.attribute = member_rules.field
            and lower(attributes.value_text) = member_rules.value_item
    where member_rules.attribute_kind != 'number'
    union distinct
    select
        attributes.lead_id,
        member_rules.model,
        member_rules.rule_id
    from attributes
    inner join member_rules
        on attributes.attribute = member_rules.field
            and attributes.value_number = member_rules.value_item_number
    where member_rules.attribute_kind = 'number'

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
    select distinct
        candidates.lead_id,
        candidates.model,
        candidates.rule_id
    from candidates
    inner join rule_values
        on candidates.model = rule_values.model
            and candidates.rule_id = rule_values.rule_id
    where
        candidates.operator = 'not_in'
        and case
            when candidates.attribute_kind = 'number'
                then candidates.attribute_number = rule_values.value_item_number
            else lower(candidates.attribute_text) = rule_values.value_item
        end

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

    select * from member_matches
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
