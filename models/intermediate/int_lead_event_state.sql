{#- Incremental activity state: one row per lead with its staged events at or before
    state_as_of - how many, the first and last activity and the last email engagement.
    Counts add up and first/last are a min/max, so a run folds in only the events that changed
    since the previous one, exactly like int_event_rule_state (same watermark, dirty leads
    recomputed, full rebuild when base_events was rebuilt or the as-of moved back). -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key='lead_id',
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_state(event_state_plan()) }}",
) }}
{%- set plan = event_state_plan() %}
{{- log_state_plan(plan) }}

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

folded as (

    select
        lead_id,
        change_kind,
        count(*) as events_total,
        min(case when {{ is_activity_event('event_type') }} then occurred_at end) as first_activity_at,
        max(case when {{ is_activity_event('event_type') }} then occurred_at end) as last_activity_at,
        max(case when {{ is_email_engagement_event('event_type') }} then occurred_at end)
            as last_email_engagement_at
    from changed_events
    group by lead_id, change_kind

),

{%- if plan.mode == 'full' %}

advanced as (

    select
        lead_id,
        events_total,
        first_activity_at,
        last_activity_at,
        last_email_engagement_at
    from folded

),

{%- else %}

previous as (

    select * from {{ this }}

),

advanced as (

    select
        folded.lead_id,
        folded.events_total + coalesce(previous.events_total, 0) as events_total,
        {{ least_of('previous.first_activity_at', 'folded.first_activity_at') }} as first_activity_at,
        {{ greatest_of('previous.last_activity_at', 'folded.last_activity_at') }} as last_activity_at,
        {{ greatest_of('previous.last_email_engagement_at', 'folded.last_email_engagement_at') }}
            as last_email_engagement_at
    from folded
    left join previous
        on folded.lead_id = previous.lead_id
    where folded.change_kind = 'add'

    union all

    select
        lead_id,
        events_total,
        first_activity_at,
        last_activity_at,
        last_email_engagement_at
    from folded
    where change_kind = 'recompute'

    union all

    -- a dirty lead left with no event at all
    select
        dirty_leads.lead_id,
        0 as events_total,
        cast(null as {{ dbt.type_timestamp() }}) as first_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_email_engagement_at
    from dirty_leads
    left join folded
        on dirty_leads.lead_id = folded.lead_id
    where folded.lead_id is null

),

{%- endif %}

with_marker as (

    select * from advanced
    union all
    -- a marker row (lead_id ''; clean_text makes real ids non-blank), rewritten every run, so
    -- the stored as-of and watermark are this run's
    select
        '' as lead_id,
        0 as events_total,
        cast(null as {{ dbt.type_timestamp() }}) as first_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_activity_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_email_engagement_at

),

base_events_stamp as (

    select
        max(processed_at) as events_processed_at,
        max(generation) as events_generation
    from {{ ref('base_events') }}

),

final as (

    select
        with_marker.lead_id,
        cast(with_marker.events_total as {{ dbt.type_bigint() }}) as events_total,
        with_marker.first_activity_at,
        with_marker.last_activity_at,
        with_marker.last_email_engagement_at,
        {{ score_as_of() }} as state_as_of,
        base_events_stamp.events_processed_at,
        base_events_stamp.events_generation
    from with_marker
    cross join base_events_stamp

)

select * from final
