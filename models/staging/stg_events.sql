{#- Valid, de-duplicated events (see base_events). event_type and event_detail are lower-case. -#}
with

valid as (

    select * from {{ ref('base_events') }}
    where quarantine_reason is null

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        event_detail,
        occurred_at
    from valid

)

select * from final
