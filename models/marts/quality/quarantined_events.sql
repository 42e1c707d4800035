{#- Raw event rows rejected by staging, with the reason: base_raw__events' own reasons (invalid
    values, duplicate event_ids) and unknown_lead for kept events whose lead is not in
    stg_raw__leads (missing, or quarantined itself). -#}
with

checked as (

    select * from {{ ref('base_raw__events') }}

),

known_leads as (

    select lead_id from {{ ref('stg_raw__leads') }}

),

final as (

    select
        checked.event_id,
        checked.lead_id,
        checked.event_type,
        checked.event_detail,
        coalesce(checked.occurred_at_raw, cast(checked.occurred_at as {{ dbt.type_string() }})) as occurred_at,
        coalesce(checked.quarantine_reason, 'unknown_lead') as quarantine_reason
    from checked
    left join known_leads
        on checked.lead_id = known_leads.lead_id
    where checked.quarantine_reason is not null
        or known_leads.lead_id is null

)

select * from final
