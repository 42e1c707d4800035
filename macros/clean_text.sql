{#- Trimmed text, with blank or whitespace-only values turned into null (missing). -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
