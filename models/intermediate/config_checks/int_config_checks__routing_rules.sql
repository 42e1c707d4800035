{#- The problems of seeds/routing_rules.csv, one row each: the seed file, the model, the row and the
    fix. Checked: the model exists; rule_id is given and unique per model; rule_order is a whole
    number, unique per model; the condition set is one of the model's; every band and fit grade
    listed is a label of the model; a team is given; reassign is true or false. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

rules as (

    select * from {{ ref('stg_scoring_config__routing_rules') }}

),

condition_sets as (

    select distinct
        model,
        condition_set
    from {{ ref('stg_scoring_config__conditions') }}

),

thresholds as (

    select
        model,
        dimension,
        lower(label) as label
    from {{ ref('stg_scoring_config__thresholds') }}

),

listed_labels as (

    select
        model,
        rule_id,
        'total' as dimension,
        'score_band' as column_name,
        {{ split_to_rows('score_band') }} as label
    from rules
    where score_band is not null
    union all
    select
        model,
        rule_id,
        'fit',
        'fit_grade',
        {{ split_to_rows('fit_grade') }}
    from rules
    where fit_grade is not null

),

id_counts as (

    select
        model,
        rule_id,
        count(*) as n_rows
    from rules
    where rule_id is not null
    group by model, rule_id

),

order_counts as (

    select
        model,
        rule_order,
        count(*) as n_rows
    from rules
    where rule_order is not null
    group by model, rule_order

),

problems as (

    select
        rules.model,
        rules.rule_id,
        'the model is not in seeds/scoring_models.csv.' as problem
    from rules
    left join models
        on rules.model = models.model
    where models.model is null
    union all
    select
        model,
        rule_id,
        'rule_id is blank. Fix: name the rule.'
    from rules
    where rule_id is null
    union all
    select
        model,
        rule_id,
        'the rule_id is listed more than once. Fix: give each rule of a model its own rule_id.'
    from id_counts
    where n_rows > 1
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'rule_order '", "coalesce(rule_order_raw, '(blank)')",
            "' is not a whole number. Fix: number the rules in the order they are tried (10, 20, ...).'"]) }}
    from rules
    where rule_order is null or rule_order <> floor(rule_order)
    union all
    select
        rules.model,
        rules.rule_id,
        'another rule of the model has the same rule_order, so which is tried first is undefined. Fix: give each rule its own rule_order.'
    from rules
    inner join order_counts
        on rules.model = order_counts.model
            and rules.rule_order = order_counts.rule_order
    where order_counts.n_rows > 1
    union all
    select
        rules.model,
        rules.rule_id,
        {{ dbt.concat(["'condition_set '", "rules.condition_set",
            "' is not a condition set of the model. Fix: define it in seeds/scoring_conditions.csv or correct the name.'"]) }}
    from rules
    left join condition_sets
        on rules.model = condition_sets.model
            and rules.condition_set = condition_sets.condition_set
    where rules.condition_set is not null
        and condition_sets.condition_set is null
    union all
    select
        listed_labels.model,
        listed_labels.rule_id,
        {{ dbt.concat(["listed_labels.column_name", "' '", "coalesce(listed_labels.label, '(blank)')",
            "' is not a label of the model in seeds/score_thresholds.csv. Fix: use its labels, separated by |.'"]) }}
    from listed_labels
    left join thresholds
        on listed_labels.model = thresholds.model
            and listed_labels.dimension = thresholds.dimension
            and listed_labels.label = thresholds.label
    where thresholds.label is null
    union all
    select
        model,
        rule_id,
        'team is blank. Fix: name the team (raw.owners.team) whose owners share the leads.'
    from rules
    where team is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'reassign '", "reassign_raw", "' is not true or false.'"]) }}
    from rules
    where reassign_raw is not null
        and {{ parse_flag('reassign_raw') }} is null

),

final as (

    select
        'seeds/routing_rules.csv' as seed_file,
        model,
        {{ dbt.concat(["'rule '", "coalesce(rule_id, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
