{#- The sla_policies seed, typed: per model, ordered policies saying how soon sales must first
    touch an MQL, in clock hours or in the working hours of a time zone. -#}
with

source as (

    select * from {{ ref('sla_policies') }}

),

final as (

    select
        {{ clean_seed_text('model') }} as model,
        {{ clean_seed_text('policy_order') }} as policy_order_raw,
        {{ safe_cast(clean_seed_text('policy_order'), type_double()) }} as policy_order,
        {{ clean_seed_text('policy_id') }} as policy_id,
        lower({{ clean_seed_text('score_band') }}) as score_band,
        {{ clean_seed_text('response_hours') }} as response_hours_raw,
        {{ safe_cast(clean_seed_text('response_hours'), type_double()) }} as response_hours,
        {{ clean_seed_text('business_hours') }} as business_hours_raw,
        coalesce({{ parse_flag(clean_seed_text('business_hours')) }}, false) as business_hours,
        coalesce({{ clean_seed_text('time_zone') }}, 'UTC') as time_zone,
        {{ clean_seed_text('workday_start_hour') }} as workday_start_hour_raw,
        {{ safe_cast(clean_seed_text('workday_start_hour'), type_double()) }} as workday_start_hour,
        {{ clean_seed_text('workday_end_hour') }} as workday_end_hour_raw,
        {{ safe_cast(clean_seed_text('workday_end_hour'), type_double()) }} as workday_end_hour,
        lower({{ clean_seed_text('workdays') }}) as workdays,
        {{ clean_seed_text('description') }} as description
    from source

)

select * from final
