{#- One row per (lead, model, attribute rule) whose condition holds, with its contribution:
    points, capped by the rule's max_points; only (lead, model)s the model scores at T, and a rule
    with only_if only where its condition set holds (scored_rule_matches). The rule's descriptive
    columns are added by int_lead_rule_contributions (not stored with every match). -#}
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

hits as (

    {{ attribute_rule_hits('attributes', 'rules', 'rule_values') }}

),

matches as (

    {{ scored_rule_matches('hits', 'rules') }}

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
