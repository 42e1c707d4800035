{#- The problems of seeds/scoring_groups.csv: each group row (unknown models, blank or repeated
    groups, caps that are not numbers > 0), one row each: the seed file, the model, the row and
    the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

groups as (

    select * from {{ ref('stg_scoring_config__groups') }}

),

group_counts as (

    select
        model,
        rule_group,
        count(*) as n_rows
    from groups
    group by model, rule_group

),

problems as (

    select
        groups.model,
        groups.rule_group,
        'the model is not in seeds/scoring_models.csv.' as problem
    from groups
    left join models
        on groups.model = models.model
    where models.model is null
    union all
    select
        model,
        rule_group,
        'rule_group is blank.'
    from groups
    where rule_group is null
    union all
    select
        model,
        rule_group,
        'the group is listed more than once. Fix: keep one row per group.'
    from group_counts
    where n_rows > 1
    union all
    select
        model,
        rule_group,
        'max_points must be a number >= 0.'
    from groups
    where max_points is null or max_points < 0

),

final as (

    select
        'seeds/scoring_groups.csv' as seed_file,
        model,
        {{ dbt.concat(["'group '", "coalesce(rule_group, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
