{#- The leads a backtest judges, per scorer: scored as of T and not converted at or before T,
    labelled converted when they have a conversion in (T, T + var backtest_horizon_days].
    Every rules model (scorer 'rules', its total_score) and every predictive model (scorer
    'regression' or 'gbm', total_score = 100 x its conversion probability, no bands, grades or MQL flag)
    judged on the same leads. Point in time: the scores use nothing after T. -#}
{{ config(materialized='table') }}

with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

probabilities as (

    select * from {{ ref('lead_conversion_probability') }}

),

outcomes as (

    select * from {{ ref('int_backtest_outcomes') }}

),

scored as (

    select
        lead_id,
        model,
        'rules' as scorer,
        cast(total_score as {{ type_double() }}) as total_score,
        fit_grade,
        engagement_grade,
        score_matrix,
        score_band,
        is_mql
    from scores
    union all
    select
        lead_id,
        model,
        predictive_kind as scorer,
        100 * conversion_probability as total_score,
        cast(null as {{ dbt.type_string() }}) as fit_grade,
        cast(null as {{ dbt.type_string() }}) as engagement_grade,
        cast(null as {{ dbt.type_string() }}) as score_matrix,
        cast(null as {{ dbt.type_string() }}) as score_band,
        cast(null as {{ dbt.type_boolean() }}) as is_mql
    from probabilities

),

final as (

    select
        scored.lead_id,
        scored.model,
        cast(scored.scorer as {{ dbt.type_string() }}) as scorer,
        scored.total_score,
        scored.fit_grade,
        scored.engagement_grade,
        scored.score_matrix,
        scored.score_band,
        scored.is_mql,
        coalesce(outcomes.converted_in_horizon, false) as converted
    from scored
    left join outcomes
        on scored.lead_id = outcomes.lead_id
    where not coalesce(outcomes.converted_before, false)

)

select * from final
