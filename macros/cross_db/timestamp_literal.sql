{#- A timestamp value (a Python datetime or text) as a SQL literal. -#}
{% macro timestamp_literal(value) -%}
    cast({{ sql_string(value) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The start of this dbt invocation, to the microsecond: stamps the rows a run writes. -#}
{% macro run_started_at_literal() -%}
    {{ timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{%- endmacro %}
