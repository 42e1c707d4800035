{#- Raw sales outcome rows rejected by staging, with the reason. -#}
with

checked as (

    select * from {{ ref('base_raw__sales_outcomes') }}

),

final as (

    select
        lead_id,
        status,
        reason,
        owner_id,
        occurred_at_raw as occurred_at,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
