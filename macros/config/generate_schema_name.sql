{#- Custom schemas are used as named (staging, intermediate, scoring_config), not prefixed with
    the target schema: the marts stay in the target schema where BI tools and syncs look. With var
    schema_prefix set (how the runner builds point-in-time analyses) every schema gets that prefix
    - analysis_main, analysis_staging, ... - so nothing production reads is touched. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set schema = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {%- set prefix = project_var('schema_prefix') -%}
    {{ prefix ~ '_' ~ schema if prefix else schema }}
{%- endmacro %}
