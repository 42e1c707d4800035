{#- Fractional days from a timestamp to the as-of time: (as_of - ts) in seconds / 86400. -#}
{% macro age_days(timestamp_expression, as_of_expression=none) -%}
    ({{ epoch_seconds(as_of_expression or score_as_of()) }} - {{ epoch_seconds(timestamp_expression) }}) / 86400.0
{%- endmacro %}

{#- A lower bound on occurred_at for events younger than `days` days at T: a plain timestamp
    comparison (cheap, and prunable by the engine) placed before the exact age_days test. -#}
{% macro window_start(days) -%}
    {{ dbt.dateadd('day', -((days | float) | round(0, 'ceil') | int + 1), score_as_of()) }}
{%- endmacro %}
