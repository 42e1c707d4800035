{#- The validated points table: stg_scoring_config__rules, with event rules' detail compared as
    text. Building it fails, with every problem listed, while the seeds have
    errors, so no score is ever computed from a broken points table. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

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
