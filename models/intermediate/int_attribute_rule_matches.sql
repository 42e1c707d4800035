{#- One row per (lead, model, attribute rule) whose condition holds, with its contribution:
    points, capped by the rule's max_points. -#}
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

candidates as (

    select
        attributes.lead_id,
        attributes.value_text as attribute_text,
        attributes.value_number as attribute_number,
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
        rules.attribute_kind
    from attributes
    inner join rules
        on attributes.attribute = rules.field

),

list_hits as (

    select distinct
        candidates.lead_id,
        candidates.model,
        candidates.rule_id
    from candidates
    inner join rule_values
        on candidates.model = rule_values.model
            and candidates.rule_id = rule_values.rule_id
    where
        case
            when candidates.attribute_kind = 'number'
                then candidates.attribute_number = rule_values.value_item_number
            else lower(candidates.attribute_text) = rule_values.value_item
        end

),

evaluated as (

    select
        candidates.*,
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
        cast(null as {{ dbt.type_int() }}) as matched_events,
        points as raw_points,
        {{ cap_points('points', 'max_points') }} as contribution
    from evaluated
    where is_match

)

select * from final
