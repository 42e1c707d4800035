{#- Points and scores as published: 2 decimals, half away from zero. Going through a decimal
    first makes 2.345 (stored as 2.34499999... in a double) round to 2.35 on every engine.
    decimal(18, 6) holds values below 10^12 (points are far smaller) and, unlike a wider decimal,
    fits in 64 bits, which DuckDB computes several times faster. -#}
{% macro round_points(expression) -%}
    cast(round(cast({{ expression }} as decimal(18, 6)), 2) as decimal(18, 2))
{%- endmacro %}
