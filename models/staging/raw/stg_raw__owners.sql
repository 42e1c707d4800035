{#- The sales team: one row per owner, who routing may assign leads to (active ones, weighted by
    capacity). Empty when the warehouse has no raw.owners. -#}
with

valid as (

    select * from {{ ref('base_raw__owners') }}
    where quarantine_reason is null

),

final as (

    select
        owner_id,
        team,
        region,
        active,
        capacity
    from valid

)

select * from final
