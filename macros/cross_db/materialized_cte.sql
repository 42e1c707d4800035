{#- The keyword that makes the engine compute a CTE once and keep its rows, for a CTE that later
    CTEs read more than once (DuckDB otherwise picks which CTE of a chain to keep, and may keep
    the raw rows and recompute everything after them for each reader). Blank elsewhere: Spark
    has no such keyword and plans each read itself. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
