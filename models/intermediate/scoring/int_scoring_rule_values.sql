{#- One row per item of an in / not_in rule's '|'-separated value list. -#}
with

list_rules as (

    select
        model,
        rule_id,
        value
    from {{ ref('stg_scoring_config__rules') }}
    where operator in ('in', 'not_in') and value is not null

),

items as (

    select
        model,
        rule_id,
        {{ split_to_rows('value') }} as item
    from list_rules

),

final as (

    select distinct
        model,
        rule_id,
        trim(item) as value_item,
        {{ safe_cast('trim(item)', type_double()) }} as value_item_number
    from items
    where trim(item) <> ''

)

select * from final
