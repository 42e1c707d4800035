{#- The service level of each MQL: one row per (lead, model, became MQL at) of the last
    sla_lookback_days days before T (lead_lifecycle_events), with the policy that applies (the
    first of the model's sla_policies whose bands include the lead's band when it became an MQL),
    when the first sales touch was due, the first touch after becoming an MQL (a sales activity or
    a sales outcome, before the lead became an MQL again and at or before T), the time to it in
    clock and in working hours, and the status: met (touched by the due time), breached (touched
    later, or not touched and the due time has passed) or open. The owner and team are the lead's
    current assignment. Rebuilt each run from its inputs (a table). -#}
{%- set lookback_start = dbt.dateadd('day', -project_var('sla_lookback_days'), score_as_of()) %}

with

mql_events as (

    select
        lead_id,
        model,
        occurred_at as mql_at
    from {{ ref('lead_lifecycle_events') }}
    where event_type = 'became_mql'
        and occurred_at <= {{ score_as_of() }}
        and occurred_at > {{ lookback_start }}

),

bands_at_mql as (

    select
        lead_id,
        model,
        scored_at,
        lower(score_band) as score_band
    from {{ ref('lead_score_history') }}
    where scored_at <= {{ score_as_of() }}
        and scored_at > {{ lookback_start }}

),

episodes as (

    select
        mql_events.lead_id,
        mql_events.model,
        mql_events.mql_at,
        lead(mql_events.mql_at) over (
            partition by mql_events.lead_id, mql_events.model order by mql_events.mql_at
        ) as next_mql_at,
        bands_at_mql.score_band
    from mql_events
    left join bands_at_mql
        on mql_events.lead_id = bands_at_mql.lead_id
            and mql_events.model = bands_at_mql.model
            and mql_events.mql_at = bands_at_mql.scored_at

),

policies as (

    select * from {{ ref('int_sla_policies') }}

),

policy_matches as (

    select
        episodes.*,
        policies.policy_id,
        row_number() over (
            partition by episodes.lead_id, episodes.model, episodes.mql_at
            order by policies.policy_order, policies.policy_id
        ) as policy_rank
    from episodes
    inner join policies
        on episodes.model = policies.model
    where policies.score_band is null
        or {{ in_label_list('episodes.score_band', 'policies.score_band') }}

),

touches as (

    select
        lead_id,
        owner_id,
        activity_type as touch_type,
        occurred_at
    from {{ ref('stg_raw__sales_activities') }}
    where occurred_at <= {{ score_as_of() }}
        and occurred_at > {{ lookback_start }}
    union all
    select
        lead_id,
        owner_id,
        {{ dbt.concat(["'outcome:'", 'status']) }},
        occurred_at
    from {{ ref('stg_raw__sales_outcomes') }}
    where occurred_at <= {{ score_as_of() }}
        and occurred_at > {{ lookback_start }}

),

episode_touches as (

    select
        policy_matches.lead_id,
        policy_matches.model,
        policy_matches.mql_at,
        touches.occurred_at,
        touches.touch_type,
        touches.owner_id,
        row_number() over (
            partition by policy_matches.lead_id, policy_matches.model, policy_matches.mql_at
            order by touches.occurred_at, touches.touch_type, touches.owner_id
        ) as touch_rank
    from policy_matches
    inner join touches
        on policy_matches.lead_id = touches.lead_id
            and policy_matches.mql_at <= touches.occurred_at
            and (policy_matches.next_mql_at is null or policy_matches.next_mql_at > touches.occurred_at)
    where policy_matches.policy_rank = 1

),

clocked as (

    -- local wall-clock times of the policy's time zone, in epoch seconds
    select
        policy_matches.lead_id,
        policy_matches.model,
        policy_matches.mql_at,
        policy_matches.score_band,
        first_touches.occurred_at as first_touch_at,
        first_touches.touch_type as first_touch_type,
        first_touches.owner_id as first_touch_owner_id,
        policies.policy_id,
        policies.response_hours,
        policies.business_hours,
        policies.time_zone,
        {%- for day in range(1, 8) %}
            policies.wd_{{ day }},
            policies.workdays_through_{{ day }},
        {%- endfor %}
        policies.workdays_per_week,
        policies.day_start_s,
        policies.day_end_s,
        policies.response_s,
        {{ epoch_seconds(local_time('policy_matches.mql_at', 'policies.time_zone')) }} as mql_local_s,
        {{ epoch_seconds(local_time('first_touches.occurred_at', 'policies.time_zone')) }} as touch_local_s
    from policy_matches
    inner join policies
        on policy_matches.model = policies.model
            and policy_matches.policy_id = policies.policy_id
    left join episode_touches as first_touches
        on policy_matches.lead_id = first_touches.lead_id
            and policy_matches.model = first_touches.model
            and policy_matches.mql_at = first_touches.mql_at
            and first_touches.touch_rank = 1
    where policy_matches.policy_rank = 1

),

timed as (

    select
        *,
        {{ business_clock('mql_local_s', 'clocked') }} as mql_clock,
        {{ business_clock('touch_local_s', 'clocked') }} as touch_clock
    from clocked

),

due as (

    select
        *,
        {{ utc_from_local(timestamp_from_epoch_seconds(business_clock_inverse('mql_clock + response_s', 'timed')),
            'time_zone') }} as due_at
    from timed

),

assignments as (

    select * from {{ ref('lead_assignments') }}

),

final as (

    select
        due.lead_id,
        due.model,
        due.mql_at,
        due.score_band,
        due.policy_id as sla_policy_id,
        cast(due.response_hours as {{ type_double() }}) as response_hours,
        due.business_hours,
        due.due_at,
        due.first_touch_at,
        due.first_touch_type,
        due.first_touch_owner_id,
        cast(
            ({{ epoch_seconds('due.first_touch_at') }} - {{ epoch_seconds('due.mql_at') }}) / 3600.0
            as {{ type_double() }}
        ) as hours_to_first_touch,
        cast((due.touch_clock - due.mql_clock) / 3600.0 as {{ type_double() }}) as business_hours_to_first_touch,
        cast(case
            when due.first_touch_at is not null and due.first_touch_at <= due.due_at then 'met'
            when due.first_touch_at is not null or {{ score_as_of() }} > due.due_at then 'breached'
            else 'open'
        end as {{ dbt.type_string() }}) as sla_status,
        assignments.owner_id,
        assignments.team,
        {{ score_as_of() }} as scored_at
    from due
    left join assignments
        on due.lead_id = assignments.lead_id
            and due.model = assignments.model

)

select * from final
