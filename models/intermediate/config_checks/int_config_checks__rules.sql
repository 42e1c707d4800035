{#- The problems of seeds/scoring_rules.csv with a rule's identity: unknown models, blank or
    repeated ids, dimensions and sources, fields that name no attribute, an event type outside
    var event_types or no condition set, groups that span both dimensions, one row each: the seed file, the model,
    the row and the fix. -#}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

condition_sets as (

    select distinct
        model,
        condition_set
    from {{ ref('stg_scoring_config__conditions') }}

),

rule_id_counts as (

    select
        model,
        rule_id,
        count(*) as n_rows
    from rules
    where rule_id is not null
    group by model, rule_id

),

group_dimensions as (

    select
        model,
        rule_group,
        count(distinct dimension) as n_dimensions
    from rules
    where rule_group is not null and dimension in ('fit', 'engagement')
    group by model, rule_group

),

problems as (

    select
        rules.model,
        rules.rule_id,
        'the model is not in seeds/scoring_models.csv. Fix: add it there or correct the name.' as problem
    from rules
    left join models
        on rules.model = models.model
    where models.model is null
    union all
    select
        model,
        rule_id,
        'rule_id is blank. Fix: give every rule an id, unique within its model.'
    from rules
    where rule_id is null
    union all
    select
        model,
        rule_id,
        'rule_id is used more than once in this model. Fix: make rule ids unique per model.'
    from rule_id_counts
    where n_rows > 1
    union all
    select
        model,
        rule_id,
        'dimension must be fit or engagement.'
    from rules
    where dimension is null or dimension not in ('fit', 'engagement')
    union all
    select
        model,
        rule_id,
        'source must be attribute, event or conditions.'
    from rules
    where source is null or source not in ('attribute', 'event', 'conditions')
    union all
    select
        model,
        rule_id,
        'field is blank. Fix: name a lead attribute, an event type or a condition set.'
    from rules
    where field is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'field '''", 'field', "''' names an attribute that does not exist. Fix: use a column from var lead_attribute_columns / lead_numeric_attribute_columns or a derived attribute (see README).'"]) }}
    from rules
    where source = 'attribute' and field is not null and attribute_kind is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'field '''", 'field', "''' is not an event type of var event_types (dbt_project.yml). Fix: add it to event_types, or correct the type.'"]) }}
    from rules
    where source = 'event' and field is not null and field not in {{ event_type_list_sql() }}
    union all
    select
        rules.model,
        rules.rule_id,
        {{ dbt.concat(["'field '''", 'rules.field', "''' names no condition set of this model. Fix: add the set to seeds/scoring_conditions.csv or correct the name.'"]) }}
    from rules
    left join condition_sets
        on rules.model = condition_sets.model and rules.field = condition_sets.condition_set
    where rules.source = 'conditions' and rules.field is not null and condition_sets.condition_set is null
    union all
    select
        rules.model,
        rules.rule_id,
        {{ dbt.concat(["'only_if '''", 'rules.only_if', "''' names no condition set of this model. Fix: add the set to seeds/scoring_conditions.csv, correct the name or clear only_if.'"]) }}
    from rules
    left join condition_sets
        on rules.model = condition_sets.model and rules.only_if = condition_sets.condition_set
    where rules.only_if is not null and condition_sets.condition_set is null
    union all
    select
        model,
        rule_id,
        'a rule on a condition set takes no operator, value or value_to (the set holds or not). Fix: clear them.'
    from rules
    where source = 'conditions' and (operator is not null or value is not null or value_to_raw is not null)
    union all
    select
        rules.model,
        rules.rule_id,
        'its rule_group spans both fit and engagement rules. Fix: give each dimension its own group.'
    from rules
    inner join group_dimensions
        on rules.model = group_dimensions.model and rules.rule_group = group_dimensions.rule_group
    where group_dimensions.n_dimensions > 1

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
