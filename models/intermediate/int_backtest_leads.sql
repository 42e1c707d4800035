{#- The leads a backtest judges, per model: scored as of T and not converted at or before T,
    labelled converted when they have a conversion in (T, T + var backtest_horizon_days].
    Point in time: the scores use nothing after T; the label uses only conversions after T. -#}
{{ config(materialized='table', tags=['calibration']) }}

with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

conversions as (

    select * from {{ ref('stg_conversions') }}

),

outcomes as (

    select
        lead_id,
        max(case when converted_at <= {{ score_as_of() }} then 1 else 0 end) as converted_before,
        max(case
            when converted_at > {{ score_as_of() }}
                and converted_at <= {{ dbt.dateadd('day', var('backtest_horizon_days'), score_as_of()) }}
                then 1
            else 0
        end) as converted_in_horizon
    from conversions
    group by lead_id

),

final as (

    select
        scores.lead_id,
        scores.model,
        scores.total_score,
        scores.fit_grade,
        scores.engagement_grade,
        scores.score_matrix,
        scores.score_band,
        scores.is_mql,
        coalesce(outcomes.converted_in_horizon, 0) = 1 as converted
    from scores
    left join outcomes
        on scores.lead_id = outcomes.lead_id
    where coalesce(outcomes.converted_before, 0) = 0

)

select * from final
