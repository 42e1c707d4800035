{#- Aggregates keeping a group's n largest (top_n) or smallest (bottom_n) values, as a list in
    that order: a lead's top factors without sorting all of its terms (a row_number window over
    every lead x term was most of lead_conversion_probability). Pass a value unique within a group,
    so the order is deterministic: best a bigint packing the order key and a tie-break (as
    lead_score_sync and the regression's factors do, then read back by position), else a struct
    whose leading fields are the order key and whose later fields ride along (both engines compare
    structs field by field, but about twice as slowly: docs/performance.md). -#}
{% macro top_n(value, n) -%}
    {{ return(adapter.dispatch('top_n', 'lead_scoring')(value, n, 'max')) }}
{%- endmacro %}

{% macro bottom_n(value, n) -%}
    {{ return(adapter.dispatch('top_n', 'lead_scoring')(value, n, 'min')) }}
{%- endmacro %}

{% macro default__top_n(value, n, direction) -%}
    {{ direction }}({{ value }}, {{ n }})
{%- endmacro %}

{% macro spark__top_n(value, n, direction) -%}
    slice(sort_array(collect_list({{ value }}), {{ 'true' if direction == 'min' else 'false' }}), 1, {{ n }})
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

{#- A list of expressions of one type, read back with list_element. -#}
{% macro list_of(expressions) -%}
    {{ return(adapter.dispatch('list_of', 'lead_scoring')(expressions)) }}
{%- endmacro %}

{% macro default__list_of(expressions) -%}
    array[{{ expressions | join(', ') }}]
{%- endmacro %}

{% macro spark__list_of(expressions) -%}
    array({{ expressions | join(', ') }})
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
