{#- Lifecycle events derived from lead_score_history: for each (lead, model), each history row
    is compared with the one before it (by scored_at). became_mql / disqualified also fire on a
    lead's first row (nothing before counts as not MQL, not disqualified); left_mql,
    requalified, band_changed and grade_changed (fit or engagement grade, shown as the matrix
    cell) need a row before.

    Incremental: a daily run appends only the events of its as-of, comparing each lead's row at T
    with the one before it as int_lead_history_summary holds them; a re-run of an as-of, a
    backfill or anything else lifecycle_plan cannot advance rebuilds it from all history, so a
    backfill of an earlier period is placed in order. -#}
-- depends_on: {{ ref('int_lead_history_summary') }}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_state(lifecycle_plan()) }}",
) }}
{%- set plan = lifecycle_plan() %}
{{- log_state_plan(plan) }}
{%- set grades = grade_pair('fit_grade', 'engagement_grade') %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (SQL inside if / for blocks stays at its own level)
with

{%- if plan.mode == 'incremental' %}

sequenced as (

    -- this run's rows and the row before each, as the summary folded them
    select
        lead_id,
        model,
        last_scored_at as scored_at,
        last_total_score as total_score,
        last_is_mql as is_mql,
        last_is_disqualified as is_disqualified,
        last_score_band as score_band,
        last_grades as grades,
        last_lifecycle_stage as lifecycle_stage,
        prior_scored_at as previous_scored_at,
        prior_total_score as previous_total_score,
        prior_is_mql as previous_is_mql,
        prior_is_disqualified as previous_is_disqualified,
        prior_score_band as previous_score_band,
        prior_grades as previous_grades,
        prior_lifecycle_stage as previous_lifecycle_stage
    from {{ ref('int_lead_history_summary') }}
    where last_scored_at = {{ score_as_of() }}

),

{%- else %}

history as (

    select * from {{ ref('lead_score_history') }}

),

sequenced as (

    select
        lead_id,
        model,
        scored_at,
        total_score,
        is_mql,
        is_disqualified,
        score_band,
        {{ grades }} as grades,
        lifecycle_stage,
        lag(scored_at) over (partition by lead_id, model order by scored_at) as previous_scored_at,
        lag(total_score) over (partition by lead_id, model order by scored_at) as previous_total_score,
        lag(is_mql) over (partition by lead_id, model order by scored_at) as previous_is_mql,
        lag(is_disqualified) over (partition by lead_id, model order by scored_at) as previous_is_disqualified,
        lag(score_band) over (partition by lead_id, model order by scored_at) as previous_score_band,
        lag({{ grades }}) over (partition by lead_id, model order by scored_at) as previous_grades,
        lag(lifecycle_stage) over (partition by lead_id, model order by scored_at) as previous_lifecycle_stage
    from history

),

{%- endif %}

changes as (

    select
        *,
        is_mql and not coalesce(previous_is_mql, false) as became_mql,
        not is_mql and coalesce(previous_is_mql, false) as left_mql,
        is_disqualified and not coalesce(previous_is_disqualified, false) as became_disqualified,
        not is_disqualified and coalesce(previous_is_disqualified, false) as requalified,
        previous_scored_at is not null
        and coalesce(score_band, '-') <> coalesce(previous_score_band, '-') as band_changed,
        previous_scored_at is not null and grades <> previous_grades as grade_changed,
        lifecycle_stage is not null
        and coalesce(lifecycle_stage, '-') <> coalesce(previous_lifecycle_stage, '-') as stage_changed
    from sequenced

),

events as (

    {%- set mql_before = "case when previous_is_mql then 'mql' when not previous_is_mql then 'not_mql' end" %}
    {%- set mql_after = "case when is_mql then 'mql' else 'not_mql' end" %}
    {%- set dq_before = "case when previous_is_disqualified then 'disqualified' when not previous_is_disqualified then 'qualified' end" %}
    {%- set dq_after = "case when is_disqualified then 'disqualified' else 'qualified' end" %}
    {%- set kinds = [
        ('became_mql', 'became_mql', mql_before, mql_after),
        ('left_mql', 'left_mql', mql_before, mql_after),
        ('disqualified', 'became_disqualified', dq_before, dq_after),
        ('requalified', 'requalified', dq_before, dq_after),
        ('band_changed', 'band_changed', 'previous_score_band', 'score_band'),
        ('grade_changed', 'grade_changed', 'previous_grades', 'grades'),
        ('stage_changed', 'stage_changed', 'previous_lifecycle_stage', 'lifecycle_stage'),
    ] %}
    {%- for event_type, flag, before, after in kinds %}
    select
        lead_id,
        model,
        {{ sql_string(event_type) }} as event_type,
        scored_at as occurred_at,
        previous_scored_at,
        previous_total_score as score_before,
        total_score as score_after,
        cast({{ before }} as {{ dbt.type_string() }}) as value_before,
        cast({{ after }} as {{ dbt.type_string() }}) as value_after
    from changes
    where {{ flag }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        lead_id,
        model,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        occurred_at,
        previous_scored_at,
        score_before,
        score_after,
        value_before,
        value_after
    from events

)

{{ state_rows(plan) }}
