{#- Raw owner rows rejected by staging, with the reason. -#}
with

checked as (

    select * from {{ ref('base_raw__owners') }}

),

final as (

    select
        owner_id,
        team,
        region,
        active_raw as active,
        capacity_raw as capacity,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
