{#- The routing_rules seed, typed: per model, ordered rules naming the team (and optionally the
    owner) an MQL is routed to when their conditions hold. -#}
with

source as (

    select * from {{ ref('routing_rules') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('rule_order') }} as rule_order_raw,
        {{ safe_cast(clean_seed_text('rule_order'), type_double()) }} as rule_order,
        {{ clean_seed_text('rule_id') }} as rule_id,
        lower({{ clean_seed_text('condition_set') }}) as condition_set,
        lower({{ clean_seed_text('score_band') }}) as score_band,
        lower({{ clean_seed_text('fit_grade') }}) as fit_grade,
        lower({{ clean_seed_text('team') }}) as team,
        {{ clean_seed_text('owner_id') }} as owner_id,
        {{ clean_seed_text('reassign') }} as reassign_raw,
        coalesce({{ parse_flag(clean_seed_text('reassign')) }}, false) as reassign,
        {{ clean_seed_text('description') }} as description
    from source

)

select * from final
