{#- Copies raw.leads, raw.events and raw.conversions (and the optional sales tables named in
    tables) from Parquet files (<directory>/<table>.parquet) into the warehouse: how a test or a
    demo brings the same raw data to an engine other than DuckDB.
    dbt run-operation load_raw_from_parquet --args '{directory: /path/to/dir}' -#}
{% macro load_raw_from_parquet(directory, tables=['leads', 'events', 'conversions']) -%}
    {%- set schema = project_var('raw_schema') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for table in tables if table in raw_table_contract() -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
        {%- do run_query('create table ' ~ schema ~ '.' ~ table ~ ' as select * from '
            ~ parquet_relation(directory ~ '/' ~ table ~ '.parquet')) -%}
        {{ log('loaded ' ~ schema ~ '.' ~ table, info=true) }}
    {%- endfor -%}
{%- endmacro %}

{#- A Parquet file as a relation in a from clause. -#}
{% macro parquet_relation(path) -%}
    {{ return(adapter.dispatch('parquet_relation', 'lead_scoring')(path)) }}
{%- endmacro %}

{% macro default__parquet_relation(path) -%}
    read_parquet({{ sql_string(path) }})
{%- endmacro %}

{#- a backtick inside the quoted path is doubled, as Spark reads it -#}
{% macro spark__parquet_relation(path) -%}
    parquet.`{{ path | replace('`', '``') }}`
{%- endmacro %}
