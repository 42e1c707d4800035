{#- Incremental activity state: one row per lead with its staged events at or before
    state_as_of - how many, the first and last activity, the last email engagement and a count
    per event type and window of var feature_windows_days (occurred_at > state_as_of - N days).
    Counts add up and first/last are a min/max, so a run folds in only the events that changed
    since the previous one, exactly like int_event_rule_state (same watermark, dirty leads
    recomputed, full rebuild when base_raw__events was rebuilt or the as-of moved back). A window
    count also loses the events that have left it since the previous as-of (only those slices
    are read). Changing event_types or feature_windows_days rebuilds it with the new columns. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key='lead_id',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_state(event_state_plan(columns=lead_event_state_columns())) }}",
) }}
{%- set plan = event_state_plan(columns=lead_event_state_columns()) %}
{{- log_state_plan(plan) }}
{%- set windows = project_var('feature_windows_days') %}
{%- set window_columns = window_count_columns() %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

{%- if plan.mode != 'full' %}

dirty_leads as (

    {{ event_state_dirty_leads(plan) }}

),

{%- endif %}

changed_events as (

    {{ event_state_events(plan) }}

),

type_changes as (

    -- per (lead, type) first, then per lead below: the window counts pivot a much smaller
    -- result, and count / max avoid DuckDB's 128-bit sum of integers
    select
        lead_id,
        event_type,
        change_kind,
        count(*) as events_total,
        min(occurred_at) as first_at,
        max(occurred_at) as last_at,
        {%- for days in windows %}
        count(case when {{ age_days('occurred_at') }} < {{ days }} then 1 end) as events_{{ days }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from changed_events
    group by lead_id, event_type, change_kind

),

{%- if plan.mode != 'full' %}

departed_events as (

    -- kept events counted inside a window at the previous as-of (younger than N days) that are N
    -- days old or more at T: the slices at each window's edge narrow the scan, the ages decide
    select
        kept.lead_id,
        kept.event_type,
        {{ age_days('kept.occurred_at', timestamp_literal(plan.previous_as_of)) }} as previous_age_days,
        {{ age_days('kept.occurred_at') }} as age_days
    from {{ ref('base_raw__events') }} as kept
    left join dirty_leads as dirty
        on kept.lead_id = dirty.lead_id
    where kept.quarantine_reason is null
        and dirty.lead_id is null
        and kept.first_processed_at <= {{ timestamp_literal(plan.watermark) }}
        and kept.occurred_at <= {{ timestamp_literal(plan.previous_as_of) }}
        and ({{ window_departure_slices(plan, windows, 'kept.occurred_at') }})

),

type_departures as (

    select
        lead_id,
        event_type,
        'add' as change_kind,
        0 as events_total,
        cast(null as {{ dbt.type_timestamp() }}) as first_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_at,
        -- negative: the previous counts lose these events
        {%- for days in windows %}
        count(case when previous_age_days < {{ days }} and age_days >= {{ days }} then 1 end) * -1 as events_{{ days }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from departed_events
    group by lead_id, event_type

),

type_deltas as (

    -- a (lead, type) can have both new events and departed ones: one row each
    select
        lead_id,
        event_type,
        change_kind,
        -- bigint again: DuckDB sums integers to 128 bits (the pivot below takes a max of each)
        cast(sum(events_total) as {{ dbt.type_bigint() }}) as events_total,
        min(first_at) as first_at,
        max(last_at) as last_at,
        {%- for days in windows %}
        cast(sum(events_{{ days }}d) as {{ dbt.type_bigint() }}) as events_{{ days }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from (
        select * from type_changes
        union all
        select * from type_departures
    ) as type_rows
    group by lead_id, event_type, change_kind

),

{%- endif %}

folded as (

    select
        lead_id,
        change_kind,
        sum(events_total) as events_total,
        min(case when {{ is_activity_event('event_type') }} then first_at end) as first_activity_at,
        max(case when {{ is_activity_event('event_type') }} then last_at end) as last_activity_at,
        max(case when {{ is_email_engagement_event('event_type') }} then last_at end)
            as last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        max(case when event_type = {{ sql_string(event_type) }} then events_{{ days }}d end) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ 'type_changes' if plan.mode == 'full' else 'type_deltas' }}
    group by lead_id, change_kind

),

{%- if plan.mode == 'full' %}

advanced as (

    -- a full build: every lead from all its events
    select
        lead_id,
        events_total,
        first_activity_at,
        last_activity_at,
        last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        coalesce({{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from folded

),

{%- else %}

previous_flagged as (

    -- the stored rows, a dirty lead's values taken out (its row stays: emptied if no event is left)
    select
        previous.lead_id,
        case when dirty_leads.lead_id is null then 0 else 1 end as is_dirty,
        case when dirty_leads.lead_id is null then previous.events_total end as events_total,
        case when dirty_leads.lead_id is null then previous.first_activity_at end as first_activity_at,
        case when dirty_leads.lead_id is null then previous.last_activity_at end as last_activity_at,
        case when dirty_leads.lead_id is null then previous.last_email_engagement_at end as last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        case when dirty_leads.lead_id is null then previous.{{ column }} end as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ this }} as previous
    left join dirty_leads
        on previous.lead_id = dirty_leads.lead_id

),

advanced as (

    -- one join, so folded is read once (Spark repeats a CTE wherever it is read): a lead's changes
    -- ('add': its new events, 'recompute': all of a dirty lead's) added to its stored state
    select
        coalesce(folded.lead_id, previous_flagged.lead_id) as lead_id,
        coalesce(folded.events_total, 0) + coalesce(previous_flagged.events_total, 0) as events_total,
        {{ least_of('previous_flagged.first_activity_at', 'folded.first_activity_at') }} as first_activity_at,
        {{ greatest_of('previous_flagged.last_activity_at', 'folded.last_activity_at') }} as last_activity_at,
        {{ greatest_of('previous_flagged.last_email_engagement_at', 'folded.last_email_engagement_at') }} as last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        coalesce(previous_flagged.{{ column }}, 0) + coalesce(folded.{{ column }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from folded
    full outer join previous_flagged
        on folded.lead_id = previous_flagged.lead_id
    where folded.lead_id is not null or previous_flagged.is_dirty = 1

),

{%- endif %}

with_marker as (

    select * from advanced
    union all
    -- a marker row (lead_id '', real ids are non-blank): the stored as-of and watermark of this run
    select
        '' as lead_id,
        0 as events_total,
        cast(null as {{ dbt.type_timestamp() }}) as first_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        0 as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}

),

base_events_stamp as (

    select
        max(processed_at) as events_processed_at,
        max(generation) as events_generation
    from {{ ref('base_raw__events') }}

),

final as (

    select
        with_marker.lead_id,
        cast(with_marker.events_total as {{ dbt.type_bigint() }}) as events_total,
        with_marker.first_activity_at,
        with_marker.last_activity_at,
        with_marker.last_email_engagement_at,
        {%- for event_type, days, column in window_columns %}
        cast(with_marker.{{ column }} as {{ dbt.type_int() }}) as {{ column }},
        {%- endfor %}
        {{ score_as_of() }} as state_as_of,
        base_events_stamp.events_processed_at,
        base_events_stamp.events_generation
    from with_marker
    cross join base_events_stamp

)

{{ state_rows(plan) }}
