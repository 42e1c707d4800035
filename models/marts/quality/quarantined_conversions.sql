{#- Raw conversion rows rejected by staging, with the reason. -#}
with

checked as (

    select * from {{ ref('base_raw__conversions') }}

),

final as (

    select
        lead_id,
        converted_at_raw as converted_at,
        deal_value_raw as deal_value,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
