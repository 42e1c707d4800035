{#- The predictive_weights seed (written by `leadscore train`), typed. One row per model and
    term: the intercept, a numeric feature (fill for nulls, clip to the training range, transform,
    standardisation; clip_low / clip_high are optional, blank in older files: no clip) or one level
    of a text feature. Validated in int_scoring_config_errors (lead_conversion_probability refuses
    to build while it has rows). -#}
with

source as (

    select * from {{ ref('predictive_weights') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        lower({{ clean_seed_text('feature') }}) as feature,
        lower({{ clean_seed_text('kind') }}) as kind,
        {{ clean_seed_text('level') }} as level,
        coalesce(lower({{ clean_seed_text('transform') }}), 'none') as transform,
        {{ safe_cast(clean_seed_text('fill_value'), type_double()) }} as fill_value,
        {{ optional_seed_column('predictive_weights', 'clip_low') }} as clip_low_raw,
        {{ safe_cast(optional_seed_column('predictive_weights', 'clip_low'), type_double()) }} as clip_low,
        {{ optional_seed_column('predictive_weights', 'clip_high') }} as clip_high_raw,
        {{ safe_cast(optional_seed_column('predictive_weights', 'clip_high'), type_double()) }} as clip_high,
        {{ safe_cast(clean_seed_text('center'), type_double()) }} as center,
        {{ safe_cast(clean_seed_text('scale'), type_double()) }} as scale,
        {{ safe_cast(clean_seed_text('coefficient'), type_double()) }} as coefficient
    from source

)

select * from final
