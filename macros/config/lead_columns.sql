{#- The lead columns staging carries: the contract's, plus the custom ones named in the vars
    lead_attribute_columns (text) and lead_numeric_attribute_columns (numbers). -#}
{% macro contract_lead_text_columns() -%}
    {{ return(['account_id', 'email', 'first_name', 'last_name', 'company', 'job_title', 'seniority',
        'department', 'industry', 'country', 'region', 'city', 'phone', 'lead_source']) }}
{%- endmacro %}

{% macro contract_lead_numeric_columns() -%}
    {{ return(['employees', 'annual_revenue']) }}
{%- endmacro %}

{% macro lead_text_columns() -%}
    {%- set columns = contract_lead_text_columns() -%}
    {%- for c in project_var('lead_attribute_columns') -%}
        {%- if c not in columns and c not in contract_lead_numeric_columns() and c != 'lead_id' -%}
            {%- do columns.append(c) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro lead_numeric_columns() -%}
    {%- set columns = contract_lead_numeric_columns() -%}
    {%- for c in project_var('lead_numeric_attribute_columns') -%}
        {%- if c not in columns -%}
            {%- do columns.append(c) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The raw.events column holding each row's load time (var events_loaded_at_column), or ''. -#}
{% macro events_loaded_at_column() -%}
    {{ return(project_var('events_loaded_at_column')) }}
{%- endmacro %}
