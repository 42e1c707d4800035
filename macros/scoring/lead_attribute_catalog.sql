{#- Every scorable lead attribute and how rules compare it:
    text (case-insensitive), number (numeric operators, equals/in compare numbers too) or
    boolean (scored as the text 'true' / 'false'). -#}
{% macro lead_attribute_catalog() -%}
    {%- set catalog = [] -%}
    {%- for c in lead_text_columns() + ['email_domain', 'email_domain_type', 'sales_status'] -%}
        {%- do catalog.append({'name': c, 'kind': 'text'}) -%}
    {%- endfor -%}
    {%- for c in lead_numeric_columns() + ['spam_signals', 'optional_fields_filled', 'days_since_last_activity',
            'days_since_last_email_engagement', 'days_since_created', 'days_since_sales_status',
            'days_since_sales_rejected', 'days_since_sales_lost'] -%}
        {%- do catalog.append({'name': c, 'kind': 'number'}) -%}
    {%- endfor -%}
    {%- for c in ['name_without_capital', 'keyboard_run', 'invalid_email'] -%}
        {%- do catalog.append({'name': c, 'kind': 'boolean'}) -%}
    {%- endfor -%}
    {{ return(catalog) }}
{%- endmacro %}

{#- The catalog as a relation (attribute, attribute_kind) for joins. -#}
{% macro lead_attribute_catalog_sql() -%}
    {%- for a in lead_attribute_catalog() %}
    select
        cast({{ sql_string(a.name) }} as {{ dbt.type_string() }}) as attribute,
        cast({{ sql_string(a.kind) }} as {{ dbt.type_string() }}) as attribute_kind
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
