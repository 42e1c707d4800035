{#- a // b for non-negative integers, as an integer. -#}
{% macro integer_divide(a, b) -%}
    {{ return(adapter.dispatch('integer_divide', 'lead_scoring')(a, b)) }}
{%- endmacro %}

{% macro default__integer_divide(a, b) -%}
    cast((({{ a }}) - ({{ a }}) % ({{ b }})) / ({{ b }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro duckdb__integer_divide(a, b) -%}
    (({{ a }}) // ({{ b }}))
{%- endmacro %}

{% macro spark__integer_divide(a, b) -%}
    (({{ a }}) div ({{ b }}))
{%- endmacro %}
