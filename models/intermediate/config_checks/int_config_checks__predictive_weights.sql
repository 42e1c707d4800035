{#- The problems of seeds/predictive_weights.csv: each term row (blank or rules-model names, kinds,
    features that are no feature column, levels, numeric terms without their encoding,
    coefficients that are not numbers, intercepts), one row each: the seed file, the model, the
    row and the fix. -#}
{%- set text_features = sql_string_list(predictive_text_features()) -%}
{%- set numeric_features = sql_string_list(predictive_numeric_features()) -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

weights as (

    select * from {{ ref('stg_scoring_config__predictive_weights') }}

),

weight_counts as (

    select
        model,
        sum(case when kind = 'intercept' then 1 else 0 end) as n_intercepts
    from weights
    group by model

),

weight_term_counts as (

    select
        model,
        feature,
        level,
        count(*) as n_rows
    from weights
    where kind in ('numeric', 'category')
    group by model, feature, level

),

problems as (

    select
        model,
        feature,
        level,
        'the model column is blank. Fix: name the predictive model (leadscore train writes it).' as problem
    from weights
    where model is null
    union all
    select
        weights.model,
        weights.feature,
        weights.level,
        'the model name is also a rules model in seeds/scoring_models.csv. Fix: rename one of them.'
    from weights
    inner join models
        on weights.model = models.model
    where weights.kind = 'intercept'
    union all
    select
        model,
        '(intercept)',
        cast(null as {{ dbt.type_string() }}),
        'the model needs exactly one intercept row. Fix: keep one row with kind intercept.'
    from weight_counts
    where n_intercepts <> 1
    union all
    select
        model,
        feature,
        level,
        'the term is listed more than once. Fix: keep one row per feature and level.'
    from weight_term_counts
    where n_rows > 1
    union all
    select
        model,
        feature,
        level,
        'kind must be intercept, numeric or category.'
    from weights
    where kind is null or kind not in ('intercept', 'numeric', 'category')
    union all
    select
        model,
        feature,
        level,
        'clip_low and clip_high must be numbers with clip_low <= clip_high, on numeric terms only (blank: no clip). Fix: retrain, or correct them.'
    from weights
    where (clip_low_raw is not null and (clip_low is null or kind <> 'numeric'))
        or (clip_high_raw is not null and (clip_high is null or kind <> 'numeric'))
        or clip_low > clip_high
    union all
    select
        model,
        feature,
        level,
        'coefficient is not a number. Fix: use a decimal such as -0.25.'
    from weights
    where coefficient is null
    union all
    select
        model,
        feature,
        level,
        'the feature is not a numeric feature column of lead_features. Fix: use a numeric column of backtest_features.'
    from weights
    where kind = 'numeric' and (feature is null or feature not in {{ numeric_features }})
    union all
    select
        model,
        feature,
        level,
        'the feature is not a text feature column of lead_features, or two of them as an interaction a*b. Fix: use text columns of backtest_features.'
    from weights
    where
        kind = 'category'
        and (feature is null or feature not in {{ text_features }})
        and not (
            {{ dbt.split_part('feature', "'*'", 1) }} in {{ text_features }}
            and {{ dbt.split_part('feature', "'*'", 2) }} in {{ text_features }}
            and feature = {{ dbt.concat([dbt.split_part('feature', "'*'", 1), "'*'", dbt.split_part('feature', "'*'", 2)]) }}
        )
    union all
    select
        model,
        feature,
        level,
        'a category term needs the level it matches. Fix: fill in level.'
    from weights
    where kind = 'category' and level is null
    union all
    select
        model,
        feature,
        level,
        'a numeric term needs center, fill_value and a scale > 0, and transform none or log1p.'
    from weights
    where
        kind = 'numeric'
        and (
            center is null or fill_value is null or scale is null or scale <= 0
            or transform not in ('none', 'log1p')
        )

),

final as (

    select
        'seeds/predictive_weights.csv' as seed_file,
        model,
        {{ dbt.concat(["'term '", "coalesce(feature, '(blank)')", "case when level is null then '' else "
            ~ dbt.concat(["' = '", "level"]) ~ " end"]) }} as row_key,
        problem
    from problems

)

select * from final
