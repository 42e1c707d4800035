{#- The problems of seeds/scoring_models.csv: each model row (blank or repeated names, weights that
    are not numbers or do not sum to 1, an MQL threshold outside 0-100, a negative half-life)
    and each model's rules and labels (a model with no rules, or no labels for a dimension), one
    row each: the seed file, the model, the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

thresholds as (

    select * from {{ ref('stg_scoring_config__thresholds') }}

),

model_counts as (

    select
        model,
        count(*) as n_rows
    from models
    group by model

),

ruled_models as (

    select distinct model
    from rules

),

labelled_dimensions as (

    select distinct
        model,
        dimension
    from thresholds

),

dimensions as (

    select 'fit' as dimension
    union all
    select 'engagement'
    union all
    select 'total'

),

model_dimensions as (

    -- every model with each dimension that needs labels
    select
        models.model,
        dimensions.dimension
    from models
    cross join dimensions
    where models.model is not null

),

problems as (

    select
        model,
        'model row' as row_key,
        'the model column is blank. Fix: name the model.' as problem
    from models
    where model is null
    union all
    select
        model,
        'model row',
        'the model is listed more than once. Fix: keep one row per model.'
    from model_counts
    where n_rows > 1
    union all
    select
        model,
        'model row',
        'fit_weight is not a number >= 0. Fix: use a decimal such as 0.5.'
    from models
    where fit_weight is null or fit_weight < 0
    union all
    select
        model,
        'model row',
        'engagement_weight is not a number >= 0. Fix: use a decimal such as 0.5.'
    from models
    where engagement_weight is null or engagement_weight < 0
    union all
    select
        model,
        'model row',
        'fit_weight + engagement_weight must be 1. Fix: adjust the two weights.'
    from models
    where fit_weight is not null and engagement_weight is not null
        and abs(fit_weight + engagement_weight - 1) > 0.000001
    union all
    select
        model,
        'model row',
        'mql_threshold is not a number from 0 to 100. Fix: set a score such as 60.'
    from models
    where mql_threshold is null or mql_threshold < 0 or mql_threshold > 100
    union all
    select
        model,
        'model row',
        'default_half_life_days is not a number >= 0. Fix: use days (0 or blank: no decay).'
    from models
    where default_half_life_days_raw is not null and (default_half_life_days is null or default_half_life_days < 0)
    union all
    select
        models.model,
        'model row',
        'the model has no rules in seeds/scoring_rules.csv. Fix: add its rules, or remove the model.'
    from models
    left join ruled_models
        on models.model = ruled_models.model
    where models.model is not null and ruled_models.model is null
    union all
    select
        model_dimensions.model,
        'model row',
        {{ dbt.concat(["'the model has no '", 'model_dimensions.dimension', "' labels in seeds/score_thresholds.csv. Fix: add at least one row (label, min_score) for that dimension.'"]) }}
    from model_dimensions
    left join labelled_dimensions
        on model_dimensions.model = labelled_dimensions.model
            and model_dimensions.dimension = labelled_dimensions.dimension
    where labelled_dimensions.model is null

),

final as (

    select
        'seeds/scoring_models.csv' as seed_file,
        model,
        row_key,
        problem
    from problems

)

select * from final
