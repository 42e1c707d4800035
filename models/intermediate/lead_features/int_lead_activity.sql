{#- Per lead scored as of T with events: event total, first and last activity, last email
    engagement and the event counts per type over the windows in var feature_windows_days
    (occurred_at > T - N days), all from int_lead_event_state, which advances them with the
    events that entered and left each window since the previous run. -#}
{{ config(materialized='table') }}

with

leads as (

    select lead_id from {{ ref('int_leads_as_of') }}

),

state as (

    select * from {{ ref('int_lead_event_state') }}

),

final as (

    select
        state.lead_id,
        state.events_total,
        state.first_activity_at,
        state.last_activity_at,
        state.last_email_engagement_at,
        {%- for event_type, days, column in window_count_columns() %}
            state.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from state
    inner join leads
        on state.lead_id = leads.lead_id
    where state.events_total > 0

)

select * from final
