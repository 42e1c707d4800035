{#- A select-list expression that turns 'a|b|c' into one row per item. -#}
{% macro split_to_rows(expression) -%}
    {{ return(adapter.dispatch('split_to_rows', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__split_to_rows(expression) -%}
    unnest(string_to_array({{ expression }}, '|'))
{%- endmacro %}

{% macro duckdb__split_to_rows(expression) -%}
    unnest(string_split({{ expression }}, '|'))
{%- endmacro %}

{% macro spark__split_to_rows(expression) -%}
    explode(split({{ expression }}, '[|]'))
{%- endmacro %}
