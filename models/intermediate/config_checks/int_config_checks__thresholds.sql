{#- The problems of seeds/score_thresholds.csv: each label row (unknown models and dimensions, blank
    or repeated labels, min_scores that are not numbers or that two labels share), one row each:
    the seed file, the model, the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

thresholds as (

    select * from {{ ref('stg_scoring_config__thresholds') }}

),

threshold_min_counts as (

    select
        model,
        dimension,
        min_score,
        count(*) as n_rows
    from thresholds
    where min_score is not null
    group by model, dimension, min_score

),

threshold_label_counts as (

    select
        model,
        dimension,
        label,
        count(*) as n_rows
    from thresholds
    where label is not null
    group by model, dimension, label

),

problems as (

    select
        thresholds.model,
        thresholds.label,
        'the model is not in seeds/scoring_models.csv.' as problem
    from thresholds
    left join models
        on thresholds.model = models.model
    where models.model is null
    union all
    select
        model,
        label,
        'dimension must be fit, engagement or total.'
    from thresholds
    where dimension is null or dimension not in ('fit', 'engagement', 'total')
    union all
    select
        model,
        label,
        'label is blank.'
    from thresholds
    where label is null
    union all
    select
        model,
        label,
        'min_score is not a number.'
    from thresholds
    where min_score is null
    union all
    select
        model,
        cast(min_score as {{ dbt.type_string() }}),
        'two labels of this dimension share this min_score. Fix: give each label its own lower bound.'
    from threshold_min_counts
    where n_rows > 1
    union all
    select
        model,
        label,
        'the label is used twice in this dimension.'
    from threshold_label_counts
    where n_rows > 1

),

final as (

    select
        'seeds/score_thresholds.csv' as seed_file,
        model,
        {{ dbt.concat(["'label '", "coalesce(label, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
