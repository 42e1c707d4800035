{#- What lead_scores and lead_lifecycle_events need from lead_score_history, one row per
    (lead, model) over the history rows at or before T: the latest row and the one before it,
    the first MQL as-of, and the latest row at or before T - 7 days.

    Incremental, so a daily run does not read every day kept so far: a run folds in only the
    history rows scored after the stored as-of S - the latest two rows come from the stored two
    plus the new rows, the first MQL is the stored one or else the earliest new MQL row, and the
    week-before row from the stored one plus the rows scored in (S - 7 days, T - 7 days]. It is
    rebuilt from all history when T is not after S or history changed at or before S (see
    history_summary_plan). One marker row (lead_id and model '') carries the run's stamps. -#}
{{ config(
    materialized=state_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lead_id', 'model'],
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_state(history_summary_plan()) }}",
) }}
{%- set plan = history_summary_plan() %}
{{- log_state_plan(plan) }}
{%- set incremental = plan.mode == 'incremental' %}
{%- set week_before = dbt.dateadd('day', -7, score_as_of()) %}
{%- set state_columns = ['scored_at', 'total_score', 'is_mql', 'is_disqualified', 'score_band', 'grades'] %}

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
        {{ dbt.concat(["coalesce(fit_grade, '-')", "coalesce(engagement_grade, '-')"]) }} as grades
    from {{ ref('lead_score_history') }}

),

new_rows as (

    select * from history
    where scored_at <= {{ score_as_of() }}
    {%- if incremental %}
        and scored_at > {{ timestamp_literal(plan.previous_as_of) }}
    {%- endif %}

),

{%- if incremental %}

previous as (

    select * from {{ this }}
    where lead_id != ''

),

{%- endif %}

recent_rows as (

    select * from new_rows
    {%- if incremental %}
    {%- for prefix in ['last', 'prior'] %}
    union all
    select
        lead_id,
        model,
        {%- for column in state_columns %}
        {{ prefix }}_{{ column }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from previous
    where {{ prefix }}_scored_at is not null
    {%- endfor %}
    {%- endif %}

),

ranked_recent as (

    select
        *,
        row_number() over (partition by lead_id, model order by scored_at desc) as recency_rank
    from recent_rows

),

mql_rows as (

    select
        lead_id,
        model,
        scored_at as mql_at
    from new_rows
    where is_mql
    {%- if incremental %}
    union all
    select
        lead_id,
        model,
        first_mql_at as mql_at
    from previous
    where first_mql_at is not null
    {%- endif %}

),

first_mql as (

    select
        lead_id,
        model,
        min(mql_at) as first_mql_at
    from mql_rows
    group by lead_id, model

),

week_before_rows as (

    select
        lead_id,
        model,
        scored_at,
        total_score
    from history
    where scored_at <= {{ week_before }}
    {%- if incremental %}
        and scored_at > {{ dbt.dateadd('day', -7, timestamp_literal(plan.previous_as_of)) }}
    union all
    select
        lead_id,
        model,
        week_before_scored_at as scored_at,
        week_before_total_score as total_score
    from previous
    where week_before_scored_at is not null
    {%- endif %}

),

ranked_week_before as (

    select
        *,
        row_number() over (partition by lead_id, model order by scored_at desc) as recency_rank
    from week_before_rows

),

summarised as (

    select
        latest.lead_id,
        latest.model,
        {%- for column in state_columns %}
        latest.{{ column }} as last_{{ column }},
        {%- endfor %}
        {%- for column in state_columns %}
        prior.{{ column }} as prior_{{ column }},
        {%- endfor %}
        first_mql.first_mql_at,
        week_before.scored_at as week_before_scored_at,
        week_before.total_score as week_before_total_score
    from ranked_recent as latest
    left join ranked_recent as prior
        on latest.lead_id = prior.lead_id
            and latest.model = prior.model
            and prior.recency_rank = 2
    left join first_mql
        on latest.lead_id = first_mql.lead_id
            and latest.model = first_mql.model
    left join ranked_week_before as week_before
        on latest.lead_id = week_before.lead_id
            and latest.model = week_before.model
            and week_before.recency_rank = 1
    where latest.recency_rank = 1

),

with_marker as (

    select * from summarised
    union all
    -- a marker row (lead_id and model ''), rewritten every run: the stamps the plans read
    select
        '' as lead_id,
        '' as model,
        {%- for prefix in ['last', 'prior'] %}
        cast(null as {{ dbt.type_timestamp() }}) as {{ prefix }}_scored_at,
        cast(null as decimal(18, 2)) as {{ prefix }}_total_score,
        cast(null as boolean) as {{ prefix }}_is_mql,
        cast(null as boolean) as {{ prefix }}_is_disqualified,
        cast(null as {{ dbt.type_string() }}) as {{ prefix }}_score_band,
        cast(null as {{ dbt.type_string() }}) as {{ prefix }}_grades,
        {%- endfor %}
        cast(null as {{ dbt.type_timestamp() }}) as first_mql_at,
        cast(null as {{ dbt.type_timestamp() }}) as week_before_scored_at,
        cast(null as decimal(18, 2)) as week_before_total_score

),

stamps as (

    select
        {%- if incremental %}
        {{ plan.folded_rows }} + count(*) as history_rows,
        {{ timestamp_literal(plan.previous_as_of) }} as folded_from
        {%- else %}
        count(*) as history_rows,
        cast(null as {{ dbt.type_timestamp() }}) as folded_from
        {%- endif %}
    from new_rows

),

final as (

    select
        with_marker.*,
        {{ score_as_of() }} as state_as_of,
        cast(stamps.history_rows as {{ dbt.type_bigint() }}) as history_rows,
        stamps.folded_from,
        {{ run_started_at_literal() }} as processed_at
    from with_marker
    cross join stamps

)

select * from final
