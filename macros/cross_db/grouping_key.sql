{#- A compact stand-in for a text key when only grouping by it: a 64-bit hash where the engine
    has a fast one, else the value itself. Equal values always get equal keys; a collision only
    puts two different values in one group, so use it to narrow rows down (e.g. to find the
    event ids that may repeat), never as the key that decides a result. -#}
{% macro grouping_key(expression) -%}
    {{ return(adapter.dispatch('grouping_key', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__grouping_key(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__grouping_key(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__grouping_key(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}
