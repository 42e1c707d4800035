{#- The validated points table: stg_scoring_config__rules, with event rules' detail compared as
    text, a rule on a condition set described as the set reads when it has no description of
    its own, and each rule's capped group (its rule_group when scoring_groups caps it) with a
    number per (model, dimension, capped group). Building it fails, with every problem listed,
    while the seeds have errors, so no score is ever computed from a broken points table. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

scoring_groups as (

    select * from {{ ref('stg_scoring_config__groups') }}

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
        coalesce(rules.attribute_kind, 'text') as attribute_kind,
        -- a group without a scoring_groups row is not capped: its rules sum with the ungrouped
        scoring_groups.rule_group as capped_group,
        scoring_groups.max_points as group_max_points,
        -- the scoring models sum rule rows per (lead, this number): grouping tens of millions of
        -- rows by a number instead of the model, dimension and group texts is several times faster
        cast(dense_rank() over (order by rules.model, rules.dimension, scoring_groups.rule_group nulls last) as {{ dbt.type_int() }})
            as score_group_number
    from rules
    left join scoring_groups
        on rules.model = scoring_groups.model
            and rules.rule_group = scoring_groups.rule_group
    left join set_texts
        on rules.source = 'conditions'
            and rules.model = set_texts.model
            and rules.field = set_texts.condition_set

)

select * from final
