{#- The scoring_groups seed, typed: the cap of each rule group. -#}
with

source as (

    select * from {{ ref('scoring_groups') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('rule_group') }} as rule_group,
        {{ clean_seed_text('max_points') }} as max_points_raw,
        {{ safe_cast(clean_seed_text('max_points'), type_double()) }} as max_points,
        {{ clean_seed_text('description') }} as description
    from source

)

select * from final
