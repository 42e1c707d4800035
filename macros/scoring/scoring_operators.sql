{#- The operators a rule may use. Event rules filter event_detail with the same operators,
    or with none (blank: any detail). -#}
{% macro scoring_operators() -%}
    {{ return(['equals', 'not_equals', 'in', 'not_in', 'contains', 'gte', 'lte', 'between', 'is_set', 'is_not_set']) }}
{%- endmacro %}

{#- True when a rule's condition holds on a value.
    value_text: the trimmed text value (null = missing); value_number: its numeric value (null
    when not numeric); is_numeric: compare equals/in as numbers; in_list_hit: whether the value
    equals one of the rule's '|'-separated items (computed by a join on int_scoring_rule_values). -#}
{% macro rule_condition(operator, value_text, value_number, is_numeric, rule_value, rule_value_number,
        rule_value_to_number, in_list_hit) -%}
    case
        when {{ operator }} = 'is_set' then {{ value_text }} is not null
        when {{ operator }} = 'is_not_set' then {{ value_text }} is null
        when {{ value_text }} is null then false
        when {{ operator }} = 'equals' then
            case
                when {{ is_numeric }} then coalesce({{ value_number }} = {{ rule_value_number }}, false)
                else lower({{ value_text }}) = {{ rule_value }}
            end
        when {{ operator }} = 'not_equals' then
            case
                when {{ is_numeric }} then coalesce({{ value_number }} <> {{ rule_value_number }}, false)
                else lower({{ value_text }}) <> {{ rule_value }}
            end
        when {{ operator }} = 'in' then {{ in_list_hit }}
        when {{ operator }} = 'not_in' then not {{ in_list_hit }}
        when {{ operator }} = 'contains' then {{ dbt.position(rule_value, 'lower(' ~ value_text ~ ')') }} > 0
        when {{ operator }} = 'gte' then coalesce({{ value_number }} >= {{ rule_value_number }}, false)
        when {{ operator }} = 'lte' then coalesce({{ value_number }} <= {{ rule_value_number }}, false)
        when {{ operator }} = 'between' then
            coalesce({{ value_number }} >= {{ rule_value_number }} and {{ value_number }} <= {{ rule_value_to_number }}, false)
        else false
    end
{%- endmacro %}
