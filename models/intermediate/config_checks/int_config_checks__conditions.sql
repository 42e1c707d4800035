{#- The problems of each row of seeds/scoring_conditions.csv: unknown models, blank sets, match
    other than all / any, unknown sources and operators, attribute conditions on no attribute or
    without the value their operator needs, event conditions on types outside var event_types,
    counts without a window or a whole number, detail filters out of place; one row each: the
    seed file, the model, the row and the fix. The checks across rows (sets, references,
    segments) are in int_config_checks__condition_sets. -#}
{%- set operators = scoring_operators() -%}

-- noqa: disable=AL03
-- (the branches of each union take their column names from the first select)
with

models as (

    select * from {{ ref('stg_scoring_config__models') }}

),

conditions as (

    select * from {{ ref('stg_scoring_config__conditions') }}

),


event_type_items as (

    select
        model,
        condition_set,
        {{ split_to_rows('field') }} as item
    from conditions
    where source = 'event' and field is not null

),

event_types_named as (

    select
        model,
        condition_set,
        trim(item) as event_type
    from event_type_items

),


problems as (

    select
        conditions.model,
        conditions.condition_set,
        'the model is not in seeds/scoring_models.csv. Fix: add it there or correct the name.' as problem
    from conditions
    left join models
        on conditions.model = models.model
    where models.model is null
    union all
    select
        model,
        condition_set,
        'condition_set is blank. Fix: name the set its conditions belong to.'
    from conditions
    where condition_set is null
    union all
    select
        model,
        condition_set,
        'match must be all or any.'
    from conditions
    where match_mode is null or match_mode not in ('all', 'any')
    union all
    select
        model,
        condition_set,
        'source must be attribute, event or condition_set.'
    from conditions
    where source is null or source not in ('attribute', 'event', 'condition_set')
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'field '''", "coalesce(field, '')", "''' names no attribute. Fix: use a lead attribute (see docs/scoring.md).'"]) }}
    from conditions
    where source = 'attribute' and attribute_kind is null
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'attribute condition with operator '''", "coalesce(operator, '')", "'''. Fix: use one of " ~ operators | join(", ") ~ ".'"]) }}
    from conditions
    where source = 'attribute' and (operator is null or operator not in {{ sql_string_list(operators) }})
    union all
    select
        model,
        condition_set,
        'this operator needs a value (a number for gte / lte / between, with a numeric value_to >= value for between). Fix: fill in value.'
    from conditions
    where source = 'attribute' and operator in {{ sql_string_list(operators) }}
        and (
            (operator not in ('is_set', 'is_not_set') and value is null)
            or (operator in ('gte', 'lte', 'between') and value_number is null)
            or (operator = 'between' and (value_to_number is null or value_to_number < value_number))
        )
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'event type '''", 'event_type', "''' is not in var event_types (dbt_project.yml). Fix: add it there, or correct the type.'"]) }}
    from event_types_named
    where event_type not in {{ event_type_list_sql() }}
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'event condition with operator '''", "coalesce(operator, '')", "'''. Fix: use count_gte, count_lte, count_between or none.'"]) }}
    from conditions
    where source = 'event' and (operator is null or operator not in ('count_gte', 'count_lte', 'count_between', 'none'))
    union all
    select
        model,
        condition_set,
        'an event condition counts events in a window: window_days must be a number > 0. Fix: fill in window_days.'
    from conditions
    where source = 'event' and (window_days is null or window_days <= 0)
    union all
    select
        model,
        condition_set,
        'a count needs a whole number >= 0 in value (and a value_to >= value for count_between); none takes no value. Fix: correct value.'
    from conditions
    where source = 'event'
        and ((
            operator in ('count_gte', 'count_lte', 'count_between')
            and (value_number is null or value_number < 0 or value_number <> floor(value_number))
        )
        or (operator = 'count_between' and (value_to_number is null or value_to_number < value_number))
        or (operator = 'none' and value is not null))
    union all
    select
        model,
        condition_set,
        {{ dbt.concat(["'detail_operator '''", 'detail_operator', "''' is unknown, or has no detail_value. Fix: use one of " ~ operators | join(", ") ~ " with a detail_value.'"]) }}
    from conditions
    where detail_operator is not null
        and (
            detail_operator not in {{ sql_string_list(operators) }}
            or (detail_value is null and detail_operator not in ('is_set', 'is_not_set'))
        )
    union all
    select
        model,
        condition_set,
        'detail_operator and detail_value filter events: only for event conditions, and a detail_value needs a detail_operator. Fix: clear them or set both.'
    from conditions
    where (source <> 'event' and (detail_operator is not null or detail_value is not null))
        or (detail_operator is null and detail_value is not null)
),

final as (

    select
        'seeds/scoring_conditions.csv' as seed_file,
        model,
        {{ dbt.concat(["'condition set '", "coalesce(condition_set, '(blank)')"]) }} as row_key,
        problem
    from problems

)

select * from final
