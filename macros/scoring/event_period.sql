{#- The period of period_days UTC days (counted from 1970-01-01) an event falls in, for rules
    that count one event per period (once_per_days); null when period_days is null. -#}
{% macro event_period(timestamp_expression, period_days) -%}
    cast(floor({{ epoch_seconds(timestamp_expression) }} / (86400.0 * {{ period_days }})) as {{ dbt.type_bigint() }})
{%- endmacro %}
