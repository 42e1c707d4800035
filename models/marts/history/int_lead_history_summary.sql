{#- What lead_scores and lead_lifecycle_events need from lead_score_history, one row per
    (lead, model) over the history rows at or before T: the latest row and the one before it,
    the first MQL as-of, and the latest row at or before T - 7 days.

    Incremental, so a daily run does not read every day kept so far: a run folds in only the
    history rows scored after the stored as-of S - the latest two rows come from the stored two
    plus the new rows, the first MQL is the stored one or else the earliest new MQL row, and the
    week-before row from the stored one plus the rows scored in (S - 7 days, T - 7 days]. It is
    rebuilt from all history when T is not after S or history changed at or before S (see
    history_summary_plan). A column an upgrade adds (last_/prior_lifecycle_stage) is added to the
    stored table, null until the rows are folded again. Every row carries the run's stamps (its as-of, the history rows folded,
    the as-of it advanced from, when it ran), which the plans read. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='replace_all',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rebuilt_state(history_summary_plan()) }}",
) }}
{%- set plan = history_summary_plan() %}
{{- log_state_plan(plan) }}
{%- set incremental = plan.mode == 'incremental' %}
{%- set week_before = dbt.dateadd('day', -7, score_as_of()) %}
{%- set state_columns = ['scored_at', 'total_score', 'is_mql', 'is_disqualified', 'score_band', 'grades',
    'lifecycle_stage'] %}

-- sqlfluff:indentation:template_blocks_indent:False
-- (CTEs switched on and off by if-blocks stay at the CTE level)
with

history as (

    select
        lead_id,
        model,
        scored_at,
        total_score,
        is_mql,
        is_disqualified,
        score_band,
        {{ grade_pair('fit_grade', 'engagement_grade') }} as grades,
        lifecycle_stage
    from {{ ref('lead_score_history') }}

),

new_rows as (

    select * from history
    where scored_at <= {{ score_as_of() }}
        and {{ plan.after_stored }}

),

ranked_new_rows as (

    select
        *,
        row_number() over (partition by lead_id, model order by scored_at desc) as recency_rank,
        min(case when is_mql then scored_at end) over (partition by lead_id, model) as new_first_mql_at
    from new_rows

),

week_before_candidates as (

    -- the rows that can have become the latest one at or before T - 7 days
    select * from history
    where scored_at <= {{ week_before }}
        and {{ plan.after_stored_week_before }}

),

latest_week_before as (

    -- max and a join back rather than a ranking: DuckDB 1.5's top-N window rewrite fails on
    -- two ranked CTEs joined together
    select
        lead_id,
        model,
        max(scored_at) as scored_at
    from week_before_candidates
    group by lead_id, model

),

week_before as (

    select
        latest_week_before.lead_id,
        latest_week_before.model,
        latest_week_before.scored_at,
        week_before_candidates.total_score
    from latest_week_before
    inner join week_before_candidates
        on latest_week_before.lead_id = week_before_candidates.lead_id
            and latest_week_before.model = week_before_candidates.model
            and latest_week_before.scored_at = week_before_candidates.scored_at

),

new_side as (

    -- per key with new rows: the newest and second newest of them and the earliest new MQL row
    select
        newest.lead_id,
        newest.model,
        {%- for column in state_columns %}
        newest.{{ column }} as newest_{{ column }},
        {%- endfor %}
        {%- for column in state_columns %}
        second_newest.{{ column }} as second_{{ column }},
        {%- endfor %}
        newest.new_first_mql_at
    from ranked_new_rows as newest
    left join ranked_new_rows as second_newest
        on newest.lead_id = second_newest.lead_id
            and newest.model = second_newest.model
            and second_newest.recency_rank = 2
    where newest.recency_rank = 1

),

{%- if incremental %}

previous as (

    select * from {{ this }}

),

advanced as (

    -- Every stored key and every key with new rows (each run rewrites them all). Newer rows
    -- replace stored ones: the latest row is the newest new row, else the stored latest - the row
    -- before it is the second newest new row, else the stored latest (when there are new rows),
    -- else the stored one before. Every stored row is older than every new one.
    select
        coalesce(new_side.lead_id, previous.lead_id) as lead_id,
        coalesce(new_side.model, previous.model) as model,
        {%- for column in state_columns %}
        case
            when new_side.lead_id is not null then new_side.newest_{{ column }}
            else previous.last_{{ column }}
        end as last_{{ column }},
        {%- endfor %}
        {%- for column in state_columns %}
        case
            when new_side.second_scored_at is not null then new_side.second_{{ column }}
            when new_side.lead_id is not null then previous.last_{{ column }}
            else previous.prior_{{ column }}
        end as prior_{{ column }},
        {%- endfor %}
        coalesce(previous.first_mql_at, new_side.new_first_mql_at) as first_mql_at,
        previous.week_before_scored_at,
        previous.week_before_total_score
    from new_side
    full outer join previous
        on new_side.lead_id = previous.lead_id
            and new_side.model = previous.model

),

{%- else %}

advanced as (

    select
        lead_id,
        model,
        {%- for column in state_columns %}
        newest_{{ column }} as last_{{ column }},
        {%- endfor %}
        {%- for column in state_columns %}
        second_{{ column }} as prior_{{ column }},
        {%- endfor %}
        new_first_mql_at as first_mql_at,
        cast(null as {{ dbt.type_timestamp() }}) as week_before_scored_at,
        cast(null as decimal(18, 2)) as week_before_total_score
    from new_side

),

{%- endif %}

summarised as (

    -- the week-before row: a row of the window that moved, else the stored one
    select
        advanced.lead_id,
        advanced.model,
        {%- for prefix in ['last', 'prior'] %}
        {%- for column in state_columns %}
        advanced.{{ prefix }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        advanced.first_mql_at,
        coalesce(week_before.scored_at, advanced.week_before_scored_at) as week_before_scored_at,
        case
            when week_before.lead_id is not null then week_before.total_score
            else advanced.week_before_total_score
        end as week_before_total_score
    from advanced
    left join week_before
        on advanced.lead_id = week_before.lead_id
            and advanced.model = week_before.model

),

stamps as (

    select
        {{ plan.folded_before }} + count(*) as history_rows,
        {{ plan.folded_from }} as folded_from
    from new_rows

),

final as (

    select
        summarised.*,
        {{ score_as_of() }} as state_as_of,
        cast(stamps.history_rows as {{ dbt.type_bigint() }}) as history_rows,
        stamps.folded_from,
        {{ run_started_at_literal() }} as processed_at
    from summarised
    cross join stamps

)

{{ state_rows(plan) }}
