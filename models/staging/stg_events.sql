{#- Kept events (see base_events) of leads that exist in stg_leads. event_type and
    event_detail are lower-case. A view: base_events is the stored table. -#}
{{ config(materialized='view') }}

with

kept as (

    select * from {{ ref('base_events') }}
    where quarantine_reason is null

),

known_leads as (

    select lead_id from {{ ref('stg_leads') }}

),

final as (

    select
        kept.event_id,
        kept.lead_id,
        kept.event_type,
        kept.event_detail,
        kept.occurred_at
    from kept
    inner join known_leads
        on kept.lead_id = known_leads.lead_id

)

select * from final
