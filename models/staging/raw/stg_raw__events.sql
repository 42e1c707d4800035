{#- Kept events (see base_raw__events) of leads that exist in stg_raw__leads. event_type and
    event_detail are lower-case. A view: base_raw__events is the stored table. -#}
{{ config(materialized='view') }}

with

kept as (

    select * from {{ ref('base_raw__events') }}
    where quarantine_reason is null

),

known_leads as (

    select lead_id from {{ ref('stg_raw__leads') }}

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
