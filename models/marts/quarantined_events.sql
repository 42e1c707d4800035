{#- Raw event rows rejected by staging (including duplicate event_ids), with the reason. -#}
with

checked as (

    select * from {{ ref('base_events') }}

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        event_detail,
        occurred_at_raw as occurred_at,
        quarantine_reason
    from checked
    where quarantine_reason is not null

)

select * from final
