{#- The events that count as of T: staged events at or before T of leads scored as of T, with
    their age in fractional days ((T - occurred_at) in seconds / 86400). -#}
{{ config(materialized='table') }}

with

events as (

    select * from {{ ref('stg_events') }}

),

leads as (

    select lead_id from {{ ref('int_leads_as_of') }}

),

final as (

    select
        events.event_id,
        events.lead_id,
        events.event_type,
        events.event_detail,
        events.occurred_at,
        {{ age_days('events.occurred_at') }} as age_days,
        -- activity is what the lead did: a delivery or a bounce is something done to the lead
        events.event_type not in ('email_delivered', 'email_bounce') as is_activity,
        events.event_type in ('email_open', 'email_click', 'email_reply') as is_email_engagement
    from events
    inner join leads
        on events.lead_id = leads.lead_id
    where events.occurred_at <= {{ score_as_of() }}

)

select * from final
