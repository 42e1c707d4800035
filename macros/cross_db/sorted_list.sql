{#- Aggregates values into one text, sorted, separated by a delimiter. dbt.listagg's order_by
    is not honoured by dbt-spark, so Spark sorts the collected array instead. -#}
{% macro sorted_list(expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_list', 'lead_scoring')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_list(expression, delimiter) -%}
    {{ dbt.listagg(expression, "'" ~ delimiter ~ "'", 'order by ' ~ expression) }}
{%- endmacro %}

{% macro spark__sorted_list(expression, delimiter) -%}
    array_join(array_sort(collect_list({{ expression }})), '{{ delimiter }}')
{%- endmacro %}
