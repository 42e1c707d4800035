{#- Fractional days from a timestamp to the as-of time: (as_of - ts) in seconds / 86400. -#}
{% macro age_days(timestamp_expression, as_of_expression=none) -%}
    ({{ epoch_seconds(as_of_expression or score_as_of()) }} - {{ epoch_seconds(timestamp_expression) }}) / 86400.0
{%- endmacro %}
