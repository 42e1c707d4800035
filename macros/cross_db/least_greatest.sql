{#- The earlier / later of two timestamps where either may be null. -#}
{% macro least_of(a, b) -%}
    case when {{ a }} is null or {{ b }} < {{ a }} then {{ b }} else {{ a }} end
{%- endmacro %}

{% macro greatest_of(a, b) -%}
    case when {{ a }} is null or {{ b }} > {{ a }} then {{ b }} else {{ a }} end
{%- endmacro %}
