{#- The problems of seeds/scoring_rules.csv with a rule's numbers: points, caps, half-lives and
    windows that are not numbers in range, once_per_days that is not a whole number >= 1,
    decay, windows or limits on attribute rules, disqualify that
    is not true or false, one row each: the seed file, the model, the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

problems as (

    select
        model,
        rule_id,
        {{ dbt.concat(["'points '''", "coalesce(points_raw, '')", "''' is not a number. Fix: use a number (negative allowed).'"]) }} as problem
    from rules
    where points is null
    union all
    select
        model,
        rule_id,
        'max_points must be a number >= 0.'
    from rules
    where max_points_raw is not null and (max_points is null or max_points < 0)
    union all
    select
        model,
        rule_id,
        'half_life_days must be a number >= 0 (0: no decay).'
    from rules
    where half_life_days_raw is not null and (half_life_days is null or half_life_days < 0)
    union all
    select
        model,
        rule_id,
        'window_days must be a number >= 0.'
    from rules
    where window_days_raw is not null and (window_days is null or window_days < 0)
    union all
    select
        model,
        rule_id,
        'half_life_days and window_days only apply to event rules. Fix: clear them.'
    from rules
    where source in ('attribute', 'conditions') and (half_life_days_raw is not null or window_days_raw is not null)
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'once_per_days '''", 'once_per_days_raw', "''' is not a whole number >= 1. Fix: the length in days of the period in which the rule counts one event (1: once a day), or blank for every event.'"]) }}
    from rules
    where once_per_days_raw is not null
        and (once_per_days is null or once_per_days < 1 or once_per_days <> floor(once_per_days))
    union all
    select
        model,
        rule_id,
        'once_per_days only applies to event rules. Fix: clear it.'
    from rules
    where source in ('attribute', 'conditions') and once_per_days_raw is not null
    union all
    select
        model,
        rule_id,
        'disqualify must be true or false (blank: false).'
    from rules
    where disqualify is null

),

final as (

    select
        'seeds/scoring_rules.csv' as seed_file,
        model,
        {{ dbt.concat(["'rule '", "coalesce(rule_id, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
