{#- Valid conversions (won deals): the outcome history calibration compares scores against. -#}
with

valid as (

    select * from {{ ref('base_raw__conversions') }}
    where quarantine_reason is null

),

final as (

    select
        lead_id,
        converted_at,
        deal_value
    from valid

)

select * from final
