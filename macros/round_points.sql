{#- Points and scores as published: 2 decimals, half away from zero. Going through a decimal
    first makes 2.345 (stored as 2.34499999... in a double) round to 2.35 on every engine. -#}
{% macro round_points(expression) -%}
    cast(round(cast({{ expression }} as decimal(28, 6)), 2) as decimal(18, 2))
{%- endmacro %}
