{#- The scoring_models seed, typed. Validated in int_scoring_config_errors. segment (the condition
    set a lead must meet to get a row for the model) is optional in the file. -#}
with

source as (

    select * from {{ ref('scoring_models') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('description') }} as description,
        {{ clean_seed_text('default_half_life_days') }} as default_half_life_days_raw,
        {{ safe_cast(clean_seed_text('default_half_life_days'), type_double()) }} as default_half_life_days,
        {{ clean_seed_text('fit_weight') }} as fit_weight_raw,
        {{ safe_cast(clean_seed_text('fit_weight'), type_double()) }} as fit_weight,
        {{ clean_seed_text('engagement_weight') }} as engagement_weight_raw,
        {{ safe_cast(clean_seed_text('engagement_weight'), type_double()) }} as engagement_weight,
        {{ clean_seed_text('mql_threshold') }} as mql_threshold_raw,
        {{ safe_cast(clean_seed_text('mql_threshold'), type_double()) }} as mql_threshold,
        lower({{ optional_seed_column('scoring_models', 'segment') }}) as segment
    from source

)

select * from final
