{#- The events triggers can act on at T, one row each, with every field a payload may carry: the
    lifecycle events of the last trigger_max_event_age_days days before T, the SLA breaches whose
    due time passed in that window with no touch yet, and each lead's score at T with its score at
    the scoring before (score_crossed is decided per trigger in lead_actions). Empty unless T is
    the newest as-of in lead_score_history: re-scoring an earlier as-of emits nothing. -#}
{%- set window_start = dbt.dateadd('day', -project_var('trigger_max_event_age_days'), score_as_of()) %}

with

is_newest as (

    select coalesce(max(scored_at) <= {{ score_as_of() }}, true) as newest
    from {{ ref('lead_score_history') }}

),

lifecycle as (

    select
        lead_id,
        model,
        event_type,
        occurred_at as event_at,
        value_before,
        value_after
    from {{ ref('lead_lifecycle_events') }}
    where occurred_at <= {{ score_as_of() }}
        and occurred_at > {{ window_start }}

),

breaches as (

    select
        lead_id,
        model,
        'sla_breached' as event_type,
        due_at as event_at,
        sla_policy_id as value_before,
        cast(null as {{ dbt.type_string() }}) as value_after
    from {{ ref('mql_sla') }}
    where sla_status = 'breached'
        and first_touch_at is null
        and due_at <= {{ score_as_of() }}
        and due_at > {{ window_start }}

),

scores as (

    select * from {{ ref('lead_scores') }}

),

score_moves as (

    select
        lead_id,
        model,
        'score_crossed' as event_type,
        scored_at as event_at,
        cast(previous_total_score as {{ dbt.type_string() }}) as value_before,
        cast(total_score as {{ dbt.type_string() }}) as value_after
    from scores
    where total_score > coalesce(previous_total_score, 0)

),

events as (

    select * from lifecycle
    union all
    select * from breaches
    union all
    select * from score_moves

),

final as (

    select
        events.lead_id,
        events.model,
        cast(events.event_type as {{ dbt.type_string() }}) as event_type,
        events.event_at,
        events.value_before,
        events.value_after,
        scores.previous_total_score,
        scores.total_score,
        scores.fit_score,
        scores.engagement_score,
        scores.score_band,
        scores.fit_grade,
        scores.engagement_grade,
        stages.lifecycle_stage,
        assignments.owner_id,
        assignments.team
    from events
    cross join is_newest
    left join scores
        on events.lead_id = scores.lead_id
            and events.model = scores.model
    left join {{ ref('lead_stages') }} as stages
        on events.lead_id = stages.lead_id
            and events.model = stages.model
    left join {{ ref('lead_assignments') }} as assignments
        on events.lead_id = assignments.lead_id
            and events.model = assignments.model
    where is_newest.newest

)

select * from final
