{#- on-run-start hook: before any node runs, every var is checked (project_var_specs) and then the
    raw tables they name: the tables exist in var raw_schema, and every column the input
    contract or a var names is in them. All problems are reported at once, one line each, naming
    the var or table and the fix. Renders no SQL. -#}
{% macro check_project_config() -%}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- for name in project_var_specs() -%}
            {%- set checked = checked_project_var(name) -%}
            {%- if checked.problem -%}
                {%- do problems.append(checked.problem) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not problems -%}
            {%- do problems.extend(raw_table_problems(selected_raw_tables())) -%}
        {%- endif -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(problems | join('\n')) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The input contract: the columns each raw table must have (lead columns named in vars
    included) and those it may leave out. The sales tables are optional: a warehouse without them
    builds, with no sales stage, assignment or SLA data (raw_table_exists). -#}
{% macro raw_table_contract() -%}
    {%- set loaded_at = project_var('events_loaded_at_column') -%}
    {{ return({
        'leads': {'required': ['lead_id'] + lead_text_columns() + lead_numeric_columns() + ['created_at', 'updated_at'],
                  'optional': []},
        'events': {'required': ['event_id', 'lead_id', 'event_type', 'occurred_at'] + ([loaded_at] if loaded_at else []),
                   'optional': ['event_detail']},
        'conversions': {'required': ['lead_id', 'converted_at', 'deal_value'], 'optional': []},
        'sales_activities': {'required': ['activity_id', 'lead_id', 'owner_id', 'activity_type', 'occurred_at'],
                             'optional': ['loaded_at'], 'optional_table': true},
        'sales_outcomes': {'required': ['lead_id', 'status', 'owner_id', 'occurred_at'], 'optional': ['reason'],
                           'optional_table': true},
        'owners': {'required': ['owner_id', 'team'], 'optional': ['region', 'active', 'capacity'],
                   'optional_table': true},
    }) }}
{%- endmacro %}

{#- The raw tables the models of this run read (a run of the seeds and config checks alone reads
    none, and needs no raw data). -#}
{% macro selected_raw_tables() -%}
    {%- set tables = [] -%}
    {%- for unique_id in selected_resources if unique_id.startswith('model.') -%}
        {%- for parent in graph.nodes[unique_id].depends_on.nodes if parent.startswith('source.') -%}
            {%- set table = graph.sources[parent].name -%}
            {%- if table not in tables -%}
                {%- do tables.append(table) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

{% macro raw_table_problems(tables) -%}
    {%- set problems = [] -%}
    {%- set schema = project_var('raw_schema') -%}
    {%- set custom = project_var('lead_attribute_columns') + project_var('lead_numeric_attribute_columns') -%}
    {%- set loaded_at = project_var('events_loaded_at_column') -%}
    {%- set missing = [] -%}
    {%- for table, contract in raw_table_contract().items() if table in tables -%}
        {%- set relation = adapter.get_relation(database=target.database, schema=schema, identifier=table) -%}
        {%- if relation is none and contract.get('optional_table') -%}
            {#- an optional table that is not there: its staging model selects no rows -#}
        {%- elif relation is none -%}
            {%- do missing.append(schema ~ '.' ~ table) -%}
        {%- else -%}
            {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
            {%- for column in contract.required if column | lower not in existing -%}
                {%- if table == 'leads' and column in custom -%}
                    {%- set why = 'It is named in var lead_attribute_columns / lead_numeric_attribute_columns. Fix: add '
                        ~ 'the column to the raw table, or remove it from the var.' -%}
                {%- elif table == 'events' and column == loaded_at -%}
                    {%- set why = 'It is the load time named in var events_loaded_at_column. Fix: add the column your EL '
                        ~ 'tool stamps on each row (e.g. _fivetran_synced) and name it in the var, or set the var to '
                        ~ "'' to restage all events every run." -%}
                {%- else -%}
                    {%- set why = 'It is part of the input contract. Fix: add it to the raw table.' -%}
                {%- endif -%}
                {%- do problems.append("Column '" ~ column ~ "' is not in " ~ schema ~ '.' ~ table ~ '. ' ~ why) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- do problems.append('No table ' ~ missing | join(', ') ~ ' in the warehouse. Fix: load the raw leads, '
            ~ "events and conversions tables into schema '" ~ schema ~ "' or set var raw_schema to the schema "
            ~ "that holds them (or run 'leadscore generate' for demo data).") -%}
    {%- endif -%}
    {%- set lead_columns = lead_text_columns() + lead_numeric_columns() + ['email_domain', 'created_at', 'updated_at'] -%}
    {%- for column in project_var('sync_extra_columns') if column | lower not in lead_columns -%}
        {%- do problems.append('var sync_extra_columns names ' ~ shown_value(column) ~ ', which is not a lead column. '
            ~ 'Fix: name columns of stg_raw__leads (' ~ lead_columns | join(', ') ~ ').') -%}
    {%- endfor -%}
    {%- for column in project_var('predictive_excluded_columns') if column | lower not in lead_columns + ['email_domain_type'] -%}
        {%- do problems.append('var predictive_excluded_columns names ' ~ shown_value(column) ~ ', which is not a lead '
            ~ 'column. Fix: name lead columns (' ~ lead_columns | join(', ') ~ ').') -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}

{#- The raw table's columns as {lower-case name: lower-case data type}, read while a model
    executes, so staging can take each column as it is typed and leave out optional ones the table
    does not have. Empty while parsing and in unit tests: their fixtures stand in for the table
    and hold every contract column as text, whatever the user's table holds. -#}
{% macro raw_column_types(table) -%}
    {%- set types = {} -%}
    {%- set relation = raw_relation(table) -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.data_type | lower}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}

{#- Whether an optional raw table exists (while a model executes; true while parsing, so the
    model's source() is recorded, and in unit tests, whose fixture stands in for it). -#}
{% macro raw_table_exists(table) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {{ return(raw_relation(table) is not none) }}
    {%- endif -%}
    {{ return(true) }}
{%- endmacro %}

{#- The raw table (or view) in var raw_schema as a relation, or none: while parsing, in unit tests
    (their fixtures stand in for it) and when the warehouse has no such relation. -#}
{% macro raw_relation(table) -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {{ return(adapter.get_relation(database=target.database, schema=project_var('raw_schema'), identifier=table)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- The optional raw table when it exists, else no rows with its contract columns (text), so its
    staging model and everything downstream build empty. -#}
{% macro optional_raw_table(table) -%}
    {%- if raw_table_exists(table) -%}
        select * from {{ source('raw', table) }}
    {%- else -%}
        {%- set contract = raw_table_contract()[table] -%}
        select
        {%- for column in contract.required + contract.optional %}
            cast(null as {{ dbt.type_string() }}) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
        where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- A text flag read as a boolean: true / t / yes / y / 1 and false / f / no / n / 0 in any case
    (a typed boolean column reads the same); anything else is null. -#}
{% macro parse_flag(expression) -%}
    case
        when lower({{ clean_text(expression) }}) in ('true', 't', 'yes', 'y', '1') then true
        when lower({{ clean_text(expression) }}) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}

{#- An optional raw column: the column itself, or a typed null when the table does not have it. -#}
{% macro optional_raw_column(column, types) -%}
    {%- if types and column not in types -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}
