{#- A seed column added after the seed's first release (so older copies of the file stay valid):
    the column's cleaned text when the loaded seed has it, else a typed null. Read when the model
    runs; at parse time, and in unit tests (whose fixtures carry every column), the column is
    assumed present. -#}
{% macro optional_seed_column(seed_name, column) -%}
    {%- set present = true -%}
    {%- if execute and model.resource_type == 'model' -%}
        {%- set names = adapter.get_columns_in_relation(ref(seed_name)) | map(attribute='name') | map('lower') | list -%}
        {%- set present = column | lower in names -%}
    {%- endif -%}
    {%- if present -%}
        {{ clean_seed_text(column) }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
