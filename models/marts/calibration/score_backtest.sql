{#- How well each model's total_score as of T ranks the leads that converted in the following
    var backtest_horizon_days (leads converted by T left out), one row per model:
    - roc_auc: the Mann-Whitney form, (sum of the converters' ranks - n1 (n1 + 1) / 2) / (n1 n0),
      ranks ascending by total_score with ties given their average rank;
    - MQL precision (converters among MQLs), recall (MQL converters among converters) and lift
      (precision / base rate). Null where a denominator is 0, and for a predictive scorer (no MQL flag).
    Rules models and predictive models (scorer 'regression' or 'gbm', ranked by probability) side by side,
    on the same leads. -#}
with

leads as (

    select * from {{ ref('int_backtest_leads') }}

),

ranked as (

    select
        model,
        scorer,
        total_score,
        converted,
        is_mql,
        rank() over (partition by model order by total_score) as min_rank,
        count(*) over (partition by model, total_score) as tied
    from leads

),

summed as (

    select
        model,
        scorer,
        count(*) as leads,
        sum(case when converted then 1 else 0 end) as converters,
        -- null, not 0, for a scorer without an MQL flag
        case when count(is_mql) > 0 then sum(case when is_mql then 1 else 0 end) end as mqls,
        case when count(is_mql) > 0 then sum(case when is_mql and converted then 1 else 0 end) end as mql_converters,
        -- average rank of a tie group: its first rank + (size - 1) / 2
        sum(case when converted then min_rank + (tied - 1) / 2.0 else 0 end) as converter_rank_sum
    from ranked
    group by model, scorer

),

final as (

    select
        model,
        cast(scorer as {{ dbt.type_string() }}) as scorer,
        {{ score_as_of() }} as scored_at,
        cast({{ project_var('backtest_horizon_days') }} as {{ dbt.type_int() }}) as horizon_days,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(converters as {{ dbt.type_bigint() }}) as converters,
        cast(converters as {{ type_double() }}) / nullif(leads, 0) as base_rate,
        (converter_rank_sum - converters * (converters + 1) / 2.0)
        / nullif(cast(converters as {{ type_double() }}) * (leads - converters), 0) as roc_auc,
        cast(mqls as {{ dbt.type_bigint() }}) as mqls,
        cast(mql_converters as {{ type_double() }}) / nullif(mqls, 0) as mql_precision,
        cast(mql_converters as {{ type_double() }}) / nullif(converters, 0) as mql_recall,
        (cast(mql_converters as {{ type_double() }}) / nullif(mqls, 0))
        / nullif(cast(converters as {{ type_double() }}) / nullif(leads, 0), 0) as mql_lift
    from summed

)

select * from final
