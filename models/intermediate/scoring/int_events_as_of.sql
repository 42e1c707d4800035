{#- The events that count as of T: staged events at or before T of leads scored as of T, with
    their age in fractional days ((T - occurred_at) in seconds / 86400). A view: windowed rules
    read the recent slice of it; everything over all of history, and the window counts, come
    from the incremental state models. -#}

with

events as (

    select * from {{ ref('stg_raw__events') }}

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
        {{ is_activity_event('events.event_type') }} as is_activity,
        {{ is_email_engagement_event('events.event_type') }} as is_email_engagement
    from events
    inner join leads
        on events.lead_id = leads.lead_id
    where events.occurred_at <= {{ score_as_of() }}

)

select * from final
