{#- The score_thresholds seed, typed: the labels of each dimension and their lower bounds. -#}
with

source as (

    select * from {{ ref('score_thresholds') }}

),

final as (

    select
        {{ clean_text('model') }} as model,
        lower({{ clean_text('dimension') }}) as dimension,
        {{ clean_text('label') }} as label,
        {{ clean_text('min_score') }} as min_score_raw,
        {{ safe_cast(clean_text('min_score'), type_double()) }} as min_score
    from source

)

select * from final
