{#- The validated points table: int_scoring_rules_typed, with event rules' detail compared as
    text. Building it fails, with every problem listed, while the seeds have
    errors, so no score is ever computed from a broken points table. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

rules as (

    select * from {{ ref('int_scoring_rules_typed') }}

),

final as (

    select
        model,
        rule_id,
        dimension,
        rule_group,
        source,
        field,
        operator,
        value,
        value_number,
        value_to_number,
        points,
        max_points,
        half_life_days,
        window_days,
        disqualify,
        description,
        -- event rules compare event_detail as text
        coalesce(attribute_kind, 'text') as attribute_kind
    from rules

)

select * from final
