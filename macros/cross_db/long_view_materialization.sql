{#- How a view whose SQL is long is stored: a view, except on Spark, whose local Hive metastore
    (Derby) keeps a view's text in at most 32,700 characters and refuses a longer one; there it is
    a table. -#}
{% macro long_view_materialization() -%}
    {{ return(adapter.dispatch('long_view_materialization', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__long_view_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__long_view_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
