{#- The validated points table: int_scoring_rules_typed plus the kind of the attribute each
    attribute rule reads. Building it fails, with every problem listed, while the seeds have
    errors, so no score is ever computed from a broken points table. -#}
{{ config(materialized='table') }}
{{ assert_valid_scoring_config() }}

with

rules as (

    select * from {{ ref('int_scoring_rules_typed') }}

),

attribute_catalog as (

    {{ lead_attribute_catalog_sql() }}

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
        rules.disqualify,
        rules.description,
        coalesce(attribute_catalog.attribute_kind, 'text') as attribute_kind
    from rules
    left join attribute_catalog
        on rules.source = 'attribute' and rules.field = attribute_catalog.attribute

)

select * from final
