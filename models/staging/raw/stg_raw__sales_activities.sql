{#- Valid sales activities: one row per activity, a touch of a lead by a salesperson. Every time is
    kept; models read the ones at or before the as-of time. -#}
with

valid as (

    select * from {{ ref('base_raw__sales_activities') }}
    where quarantine_reason is null

),

final as (

    select
        activity_id,
        lead_id,
        owner_id,
        activity_type,
        occurred_at
    from valid

)

select * from final
