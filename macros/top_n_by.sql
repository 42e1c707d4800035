{#- Aggregates keeping a group's n values with the largest (top_n_by) or smallest (bottom_n_by)
    order key, as a list in that order: a lead's top factors without sorting all of its terms
    (a row_number window over every lead x term was most of lead_conversion_probability). The
    key must be unique within a group for the order to be deterministic (a struct of the value
    and a tie-break compares field by field on both engines). -#}
{% macro top_n_by(value, order_key, n) -%}
    {{ return(adapter.dispatch('top_n_by', 'lead_scoring')(value, order_key, n, 'max')) }}
{%- endmacro %}

{% macro bottom_n_by(value, order_key, n) -%}
    {{ return(adapter.dispatch('top_n_by', 'lead_scoring')(value, order_key, n, 'min')) }}
{%- endmacro %}

{% macro default__top_n_by(value, order_key, n, direction) -%}
    {{ direction }}_by({{ value }}, {{ order_key }}, {{ n }})
{%- endmacro %}

{% macro spark__top_n_by(value, order_key, n, direction) -%}
    transform(
        slice(sort_array(collect_list(named_struct('k', {{ order_key }}, 'v', {{ value }})), {{ 'true' if direction == 'min' else 'false' }}), 1, {{ n }}),
        x -> x.v
    )
{%- endmacro %}

{#- A struct of named fields (a dict of name: expression), read back with struct.name. -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'lead_scoring')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    struct_pack({% for name, expression in fields.items() %}{{ name }} := {{ expression }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({% for name, expression in fields.items() %}'{{ name }}', {{ expression }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- Element i (from 1) of a list, null past its end. -#}
{% macro list_element(list, i) -%}
    {{ return(adapter.dispatch('list_element', 'lead_scoring')(list, i)) }}
{%- endmacro %}

{% macro default__list_element(list, i) -%}
    {{ list }}[{{ i }}]
{%- endmacro %}

{% macro spark__list_element(list, i) -%}
    try_element_at({{ list }}, {{ i }})
{%- endmacro %}
