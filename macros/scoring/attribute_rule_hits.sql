{#- The (lead, model, rule_id) triples where an attribute condition holds: a select (with its own
    CTEs) over
      attributes  - int_lead_attributes rows (lead_id, attribute, value_text, value_number);
      rules       - conditions with model, rule_id, field, operator, value, value_number,
                    value_to_number and attribute_kind (rules, or conditions under their
                    condition_id as rule_id);
      rule_values - the items of their in / not_in lists (model, rule_id, value_item,
                    value_item_number).
    equals and in are found by joining on the value, which yields only the hits instead of every
    lead x rule; numbers compare as numbers, everything else as lower-case text (as in
    rule_condition). A text hit is unique (one row per lead and attribute, list items distinct per
    rule); two items can be the same number ('10', '10.0'), so only number hits are made
    distinct. Every other operator is evaluated by rule_condition on every lead x rule of its
    attribute. -#}
{% macro attribute_rule_hits(attributes, rules, rule_values) -%}
    with

    hit_items as (

        -- the values of equals, in and not_in rules as (rule, value) pairs
        select
            {{ rules }}.model,
            {{ rules }}.rule_id,
            {{ rules }}.operator,
            {{ rules }}.field,
            {{ rules }}.attribute_kind,
            {{ rules }}.value as value_item,
            {{ rules }}.value_number as value_item_number
        from {{ rules }}
        where {{ rules }}.operator = 'equals'
        union all
        select
            {{ rules }}.model,
            {{ rules }}.rule_id,
            {{ rules }}.operator,
            {{ rules }}.field,
            {{ rules }}.attribute_kind,
            {{ rule_values }}.value_item,
            {{ rule_values }}.value_item_number
        from {{ rules }}
        inner join {{ rule_values }}
            on {{ rules }}.model = {{ rule_values }}.model
                and {{ rules }}.rule_id = {{ rule_values }}.rule_id
        where {{ rules }}.operator in ('in', 'not_in')

    ),

    value_hits as (

        select
            {{ attributes }}.lead_id,
            hit_items.model,
            hit_items.rule_id,
            hit_items.operator
        from {{ attributes }}
        inner join hit_items
            on {{ attributes }}.attribute = hit_items.field
                and lower({{ attributes }}.value_text) = hit_items.value_item
        where hit_items.attribute_kind != 'number'
        union all
        select distinct
            {{ attributes }}.lead_id,
            hit_items.model,
            hit_items.rule_id,
            hit_items.operator
        from {{ attributes }}
        inner join hit_items
            on {{ attributes }}.attribute = hit_items.field
                and {{ attributes }}.value_number = hit_items.value_item_number
        where hit_items.attribute_kind = 'number'

    ),

    list_hits as (

        -- not_in rules whose list holds the lead's value
        select * from value_hits
        where operator = 'not_in'

    ),

    evaluated as (

        -- every lead x every other rule on one of its attributes, evaluated by rule_condition
        select
            {{ attributes }}.lead_id,
            {{ rules }}.model,
            {{ rules }}.rule_id,
            {{ rule_condition(
                operator=rules ~ '.operator',
                value_text=attributes ~ '.value_text',
                value_number=attributes ~ '.value_number',
                is_numeric=rules ~ ".attribute_kind = 'number'",
                rule_value=rules ~ '.value',
                rule_value_number=rules ~ '.value_number',
                rule_value_to_number=rules ~ '.value_to_number',
                in_list_hit='list_hits.rule_id is not null') }} as is_match
        from {{ attributes }}
        inner join {{ rules }}
            on {{ attributes }}.attribute = {{ rules }}.field
        left join list_hits
            on {{ attributes }}.lead_id = list_hits.lead_id
                and {{ rules }}.model = list_hits.model
                and {{ rules }}.rule_id = list_hits.rule_id
        where {{ rules }}.operator not in ('equals', 'in')

    )

    -- equals and in rules hold exactly where the value is one of theirs
    select
        lead_id,
        model,
        rule_id
    from value_hits
    where operator in ('equals', 'in')
    union all
    select
        lead_id,
        model,
        rule_id
    from evaluated
    where is_match
{%- endmacro %}
