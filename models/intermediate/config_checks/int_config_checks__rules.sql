{#- The problems of seeds/scoring_rules.csv: each rule row (unknown models, blank or repeated ids,
    dimensions, sources, fields that name no attribute or an event type outside var event_types,
    operators and the values they need, numbers that are not numbers, decay and windows on
    attribute rules, groups that span both dimensions), one row each: the seed file, the model,
    the row and the fix. -#}
{%- set operators = scoring_operators() -%}
{%- set operator_list = sql_string_list(operators) -%}
{%- set event_types = [] -%}
{%- for entry in project_var('event_types') -%}
    {%- do event_types.append(entry.event_type) -%}
{%- endfor -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

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
        'source must be attribute or event.'
    from rules
    where source is null or source not in ('attribute', 'event')
    union all
    select
        model,
        rule_id,
        'field is blank. Fix: name a lead attribute or an event type.'
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
    where source = 'event' and field is not null and field not in {{ sql_string_list(event_types) if event_types else "('')" }}
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'unknown operator '''", 'operator', "'''. Fix: use one of " ~ operators | join(", ") ~ ".'"]) }}
    from rules
    where operator is not null and operator not in {{ operator_list }}
    union all
    select
        model,
        rule_id,
        'attribute rules need an operator. Fix: use one of {{ operators | join(", ") }}.'
    from rules
    where source = 'attribute' and operator is null
    union all
    select
        model,
        rule_id,
        'value is set but operator is blank. Fix: add an operator or clear the value.'
    from rules
    where operator is null and value is not null
    union all
    select
        model,
        rule_id,
        'this operator needs a value. Fix: fill in value.'
    from rules
    where operator in {{ operator_list }} and operator not in ('is_set', 'is_not_set') and value is null
    union all
    select
        model,
        rule_id,
        'is_set / is_not_set take no value. Fix: clear value.'
    from rules
    where operator in ('is_set', 'is_not_set') and value is not null
    union all
    select
        model,
        rule_id,
        'gte / lte / between compare numbers but value is not a number.'
    from rules
    where operator in ('gte', 'lte', 'between') and value is not null and value_number is null
    union all
    select
        model,
        rule_id,
        'between needs a numeric value_to >= value. Fix: fill in value_to.'
    from rules
    where operator = 'between'
        and (value_to_number is null or (value_number is not null and value_to_number < value_number))
    union all
    select
        model,
        rule_id,
        'value_to is only used by between. Fix: clear value_to.'
    from rules
    where value_to_raw is not null and (operator is null or operator <> 'between')
    union all
    select
        model,
        rule_id,
        'the attribute is numeric but value is not a number. Fix: use a number.'
    from rules
    where attribute_kind = 'number' and operator in ('equals', 'not_equals') and value is not null and value_number is null
    union all
    select
        rules.model,
        rules.rule_id,
        'the attribute is numeric but an item of the value list is not a number. Fix: use numbers separated by |.'
    from rules
    inner join rule_values
        on rules.model = rule_values.model and rules.rule_id = rule_values.rule_id
    where rules.attribute_kind = 'number' and rule_values.value_item_number is null
    union all
    select
        model,
        rule_id,
        {{ dbt.concat(["'points '''", "coalesce(points_raw, '')", "''' is not a number. Fix: use a number (negative allowed).'"]) }}
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
    where source = 'attribute' and (half_life_days_raw is not null or window_days_raw is not null)
    union all
    select
        model,
        rule_id,
        'disqualify must be true or false (blank: false).'
    from rules
    where disqualify is null
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
