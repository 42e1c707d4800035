{#- A deterministic hash of some columns' values, used to break exact ties reproducibly. -#}
{% macro row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for c in columns -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(cast(" ~ c ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
