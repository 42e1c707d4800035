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
    {%- for c in var('lead_attribute_columns', []) -%}
        {%- if c not in columns and c not in contract_lead_numeric_columns() and c != 'lead_id' -%}
            {%- do columns.append(c) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro lead_numeric_columns() -%}
    {%- set columns = contract_lead_numeric_columns() -%}
    {%- for c in var('lead_numeric_attribute_columns', []) -%}
        {%- if c not in columns -%}
            {%- do columns.append(c) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- Fails with a clear message when a var names a lead column the raw table does not have.
    The raw table is looked up by name, not through source(), which unit tests replace with
    a fixture. -#}
{% macro assert_lead_columns_exist() -%}
    {%- if execute and not flags.WHICH in ('parse', 'compile', 'ls', 'list') -%}
        {%- set relation = adapter.get_relation(database=target.database, schema=var('raw_schema', 'raw'), identifier='leads') -%}
        {%- if relation is none -%}
            {{ exceptions.raise_compiler_error(
                "No table " ~ var('raw_schema', 'raw') ~ ".leads in the warehouse. Fix: load the raw leads, events and "
                ~ "conversions tables into schema '" ~ var('raw_schema', 'raw') ~ "' (var raw_schema), or run "
                ~ "'python scripts/leadscore.py generate' for demo data.") }}
        {%- endif -%}
        {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if existing -%}
            {%- for c in lead_text_columns() + lead_numeric_columns() + ['lead_id', 'created_at', 'updated_at'] -%}
                {%- if c | lower not in existing -%}
                    {{ exceptions.raise_compiler_error(
                        "Column '" ~ c ~ "' is not in " ~ relation ~ ". It is part of the input contract or named in var "
                        ~ "lead_attribute_columns / lead_numeric_attribute_columns (dbt_project.yml). "
                        ~ "Fix: add the column to the raw table, or remove it from the var.") }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Stops the build with a fix when raw.events lacks a contract column or the load-time column
    named in var events_loaded_at_column (blank: no such column, events restaged every run). -#}
{% macro assert_event_columns_exist() -%}
    {%- if execute and not flags.WHICH in ('parse', 'compile', 'ls', 'list') -%}
        {%- set relation = adapter.get_relation(database=target.database, schema=var('raw_schema', 'raw'), identifier='events') -%}
        {%- set existing = [] if relation is none else adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if existing -%}
            {%- for c in ['event_id', 'lead_id', 'event_type', 'event_detail', 'occurred_at'] + ([events_loaded_at_column()] if events_loaded_at_column() else []) -%}
                {%- if c | lower not in existing -%}
                    {{ exceptions.raise_compiler_error(
                        "Column '" ~ c ~ "' is not in " ~ relation ~ ". "
                        ~ ("It is the load time named in var events_loaded_at_column (dbt_project.yml). Fix: add the "
                           ~ "column your EL tool stamps on each row (e.g. _fivetran_synced) and name it in the var, or set "
                           ~ "the var to '' to restage all events every run."
                           if c == events_loaded_at_column() else "It is part of the input contract. Fix: add it to the raw table.")) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The raw.events column holding each row's load time (var events_loaded_at_column), or ''. -#}
{% macro events_loaded_at_column() -%}
    {{ return((var('events_loaded_at_column', 'loaded_at') or '') | string | trim) }}
{%- endmacro %}
