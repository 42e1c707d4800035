{#- The validated points table: stg_scoring_config__rules, with event rules' detail compared as
    text and a rule on a condition set described as the set reads when it has no description of
    its own. Building it fails, with every problem listed, while the seeds have errors, so no
    score is ever computed from a broken points table. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

set_texts as (

    select distinct
        model,
        condition_set,
        set_text
    from {{ ref('int_scoring_conditions') }}

),

final as (

    select
        rules.model,
        rules.rule_id,
        rules.dimension,
        rules.rule_group,
        rules.source,
        rules.field,
        rules.operator,
        rules.value,
        rules.value_number,
        rules.value_to_number,
        rules.points,
        rules.max_points,
        rules.half_life_days,
        rules.window_days,
        cast(rules.once_per_days as {{ dbt.type_int() }}) as once_per_days,
        rules.only_if,
        rules.disqualify,
        -- a rule on a condition set without a description of its own reads as the set does
        coalesce(rules.description, set_texts.set_text) as description,
        -- event rules compare event_detail as text
        coalesce(rules.attribute_kind, 'text') as attribute_kind
    from rules
    left join set_texts
        on rules.source = 'conditions'
            and rules.model = set_texts.model
            and rules.field = set_texts.condition_set

)

select * from final
