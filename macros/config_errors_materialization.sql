{#- How int_scoring_config_errors is stored. A view where querying it is quick (DuckDB): the
    checks then always see the seeds as they are now, even when a dbt user reloads a seed and
    runs only a model downstream of it. A table on Spark, where each query of the view took 10
    to 15 s even on tiny seeds (one large plan) and three models query it; there a selective run
    after editing seeds must include int_scoring_config_errors (dbt build and the runner do). -#}
{% macro config_errors_materialization() -%}
    {{ return(adapter.dispatch('config_errors_materialization', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__config_errors_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__config_errors_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
