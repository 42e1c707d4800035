{#- The scoring_models seed, typed. Validated in int_scoring_config_errors. -#}
with

source as (

    select * from {{ ref('scoring_models') }}

),

final as (

    select
        {{ clean_text('model') }} as model,
        {{ clean_text('description') }} as description,
        {{ clean_text('default_half_life_days') }} as default_half_life_days_raw,
        {{ safe_cast(clean_text('default_half_life_days'), dbt.type_float()) }} as default_half_life_days,
        {{ clean_text('fit_weight') }} as fit_weight_raw,
        {{ safe_cast(clean_text('fit_weight'), dbt.type_float()) }} as fit_weight,
        {{ clean_text('engagement_weight') }} as engagement_weight_raw,
        {{ safe_cast(clean_text('engagement_weight'), dbt.type_float()) }} as engagement_weight,
        {{ clean_text('mql_threshold') }} as mql_threshold_raw,
        {{ safe_cast(clean_text('mql_threshold'), dbt.type_float()) }} as mql_threshold
    from source

)

select * from final
