{#- The score_thresholds seed, typed: the labels of each dimension and their lower bounds. -#}
with

source as (

    select * from {{ ref('score_thresholds') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        lower({{ clean_seed_text('dimension') }}) as dimension,
        {{ clean_seed_text('label') }} as label,
        {{ clean_seed_text('min_score') }} as min_score_raw,
        {{ safe_cast(clean_seed_text('min_score'), type_double()) }} as min_score
    from source

)

select * from final
