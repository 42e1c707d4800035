{#- One row per (lead, model, rule) of source 'conditions' whose condition set holds as of T, with
    its contribution: points once, capped by the rule's max_points (like an attribute rule); only
    (lead, model)s the model scores at T, and a rule with only_if only where that set holds too
    (scored_rule_matches). The rule's descriptive columns are added by
    int_lead_rule_contributions. -#}
{{ config(materialized='table') }}

with

rules as (

    select * from {{ ref('int_scoring_rules') }}
    where source = 'conditions'

),

lead_conditions as (

    select * from {{ ref('int_lead_conditions') }}

),

hits as (

    select
        lead_conditions.lead_id,
        rules.model,
        rules.rule_id,
        cast(null as {{ dbt.type_int() }}) as matched_events,
        rules.points as raw_points,
        {{ cap_points('rules.points', 'rules.max_points') }} as contribution
    from rules
    inner join lead_conditions
        on rules.model = lead_conditions.model
            and rules.field = lead_conditions.condition_set

),

final as (

    {{ scored_rule_matches('hits', 'rules') }}

)

select * from final
