{#- Each lead's probability of converting within the backtest horizon, per predictive model:
    the logistic regressions of the predictive_weights seed and the gradient-boosted trees of the
    predictive_trees seed (both written by `leadscore train`), applied in plain SQL so no Python
    runs at scoring time. Grain: one row per lead and model. Refuses to build while a seed has
    problems (int_scoring_config_errors). -#}
{{ assert_valid_scoring_config() }}

with

regression as (

    select * from {{ ref('int_lead_probabilities__regression') }}

),

gbm as (

    select * from {{ ref('int_lead_probabilities__gbm') }}

),

unioned as (

    select
        'regression' as predictive_kind,
        *
    from regression
    union all
    select
        'gbm' as predictive_kind,
        *
    from gbm

),

final as (

    select
        lead_id,
        model,
        cast(predictive_kind as {{ dbt.type_string() }}) as predictive_kind,
        scored_at,
        logit,
        conversion_probability,
        top_positive_factor_1,
        top_positive_factor_2,
        top_positive_factor_3,
        top_negative_factor_1,
        top_negative_factor_2,
        top_negative_factor_3
    from unioned

)

select * from final
