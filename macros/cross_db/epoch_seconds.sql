{#- Seconds since 1970-01-01 00:00:00 UTC as a double, sub-second part included. -#}
{% macro epoch_seconds(timestamp_expression) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'lead_scoring')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__epoch_seconds(timestamp_expression) -%}
    cast({{ dbt.datediff("cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")", timestamp_expression, 'second') }} as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__epoch_seconds(timestamp_expression) -%}
    epoch({{ timestamp_expression }})
{%- endmacro %}

{% macro spark__epoch_seconds(timestamp_expression) -%}
    cast(unix_micros({{ timestamp_expression }}) as double) / 1000000.0
{%- endmacro %}
