{#- Per lead as of T: event total, first and last activity, last email engagement (from
    int_lead_event_state) and event counts per type over the windows in var
    feature_windows_days (occurred_at > T - N days, from the recent events only). -#}
{{ config(materialized='table') }}

{%- set longest_window = var('feature_windows_days') | max %}

with

leads as (

    select lead_id from {{ ref('int_leads_as_of') }}

),

state as (

    select * from {{ ref('int_lead_event_state') }}

),

recent_events as (

    select * from {{ ref('int_events_as_of') }}
    where occurred_at > {{ window_start(longest_window) }}
        and age_days < {{ longest_window }}

),

type_counts as (

    -- count per type first, then pivot the much smaller result (count and max, not sum: on
    -- DuckDB a sum of integers is a 128-bit sum, several times slower over 66 columns)
    select
        lead_id,
        event_type,
        {%- for days in var('feature_windows_days') %}
            count(case when age_days < {{ days }} then 1 end) as events_{{ days }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from recent_events
    group by lead_id, event_type

),

window_counts as (

    -- one type_counts row per (lead, type): max picks it
    select
        lead_id,
        {%- for event_type in var('event_types') %}
            {%- set outer_last = loop.last %}
            {%- for days in var('feature_windows_days') %}
                cast(max(case when event_type = '{{ event_type }}' then events_{{ days }}d end) as {{ dbt.type_int() }})
                    as {{ event_type }}_{{ days }}d{% if not (outer_last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from type_counts
    group by lead_id

),

final as (

    select
        state.lead_id,
        state.events_total,
        state.first_activity_at,
        state.last_activity_at,
        state.last_email_engagement_at,
        {%- for event_type in var('event_types') %}
            {%- set outer_last = loop.last %}
            {%- for days in var('feature_windows_days') %}
                coalesce(window_counts.{{ event_type }}_{{ days }}d, 0)
                    as {{ event_type }}_{{ days }}d{% if not (outer_last and loop.last) %},{% endif %}
            {%- endfor %}
        {%- endfor %}
    from state
    inner join leads
        on state.lead_id = leads.lead_id
    left join window_counts
        on state.lead_id = window_counts.lead_id
    where state.events_total > 0

)

select * from final
