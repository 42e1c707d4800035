{#- Valid sales outcomes: one row per (lead, status, time), what sales decided about a lead and
    when. Every time is kept; models read the ones at or before the as-of time. -#}
with

valid as (

    select * from {{ ref('base_raw__sales_outcomes') }}
    where quarantine_reason is null

),

final as (

    select
        lead_id,
        status,
        reason,
        owner_id,
        occurred_at
    from valid

)

select * from final
