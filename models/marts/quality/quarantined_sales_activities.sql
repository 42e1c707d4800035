{#- Raw sales activity rows rejected by staging, with the reason. -#}
with

checked as (

    select * from {{ ref('base_raw__sales_activities') }}

),

final as (

    select
        activity_id,
        lead_id,
        owner_id,
        activity_type,
        occurred_at_raw as occurred_at,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
