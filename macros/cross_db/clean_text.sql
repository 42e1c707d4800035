{#- Trimmed text, with blank or whitespace-only values turned into null (missing). -#}
{% macro clean_text(expression) -%}
    {{ return(adapter.dispatch('clean_text', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- DuckDB's trim removes spaces only and copies every string it is given: text with no space at
    either end (nearly all of it) is kept as it is, the same result without the copy -#}
{% macro duckdb__clean_text(expression) -%}
    {%- set text = 'cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    nullif(case when {{ text }} like ' %' or {{ text }} like '% ' then trim({{ text }}) else {{ text }} end, '')
{%- endmacro %}

{#- clean_text for seed columns. dbt-spark loads an empty cell of a string-typed seed column as
    the text 'None', so on Spark that text also means missing. -#}
{% macro clean_seed_text(expression) -%}
    {{ return(adapter.dispatch('clean_seed_text', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__clean_seed_text(expression) -%}
    {{ clean_text(expression) }}
{%- endmacro %}

{% macro spark__clean_seed_text(expression) -%}
    nullif({{ clean_text(expression) }}, 'None')
{%- endmacro %}
