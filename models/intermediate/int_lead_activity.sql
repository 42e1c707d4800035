{#- Per lead as of T: first and last activity, last email engagement, and event counts per type
    over the windows in var feature_windows_days (occurred_at > T - N days). -#}
{{ config(materialized='table') }}

with

events as (

    select * from {{ ref('int_events_as_of') }}

),

final as (

    select
        lead_id,
        count(*) as events_total,
        min(case when is_activity then occurred_at end) as first_activity_at,
        max(case when is_activity then occurred_at end) as last_activity_at,
        max(case when is_email_engagement then occurred_at end) as last_email_engagement_at,
        {%- for event_type in var('event_types') %}
            {%- set outer_last = loop.last %}
            {%- for days in var('feature_windows_days') %}
                sum(case when event_type = '{{ event_type }}' and age_days < {{ days }} then 1 else 0 end)
                    as {{ event_type }}_{{ days }}d{% if not (outer_last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from events
    group by lead_id

)

select * from final
