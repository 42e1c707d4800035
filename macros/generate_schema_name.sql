{#- Custom schemas are used as named (staging, intermediate, scoring_config), not prefixed with
    the target schema: the marts stay in the target schema where BI tools and syncs look. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
