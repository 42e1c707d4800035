{#- The problems of seeds/scoring_rules.csv with a rule's condition: unknown operators, the values
    and value_to each operator needs, values that must be numbers, one row each: the seed file,
    the model, the row and the fix. -#}
{%- set operators = scoring_operators() -%}
{%- set operator_list = sql_string_list(operators) -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

rules as (

    select * from {{ ref('stg_scoring_config__rules') }}

),

rule_values as (

    select * from {{ ref('int_scoring_rule_values') }}

),

problems as (

    select
        model,
        rule_id,
        {{ dbt.concat(["'unknown operator '''", 'operator', "'''. Fix: use one of " ~ operators | join(", ") ~ ".'"]) }} as problem
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
