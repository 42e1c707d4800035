{#- The columns of raw.events and their types, as the last build of base_events read them: one row
    per column. base_events restages every row when they differ from the table's columns now (a
    column retyped, say occurred_at from text to bigint, or one added or dropped), which an
    incremental run would not notice otherwise. Built after base_events in every run that builds
    it. -#}
-- depends_on: {{ ref('base_events') }}
{{ config(materialized='table', tags=['ingest']) }}
{%- set types = raw_column_types('events') %}

with

final as (

    {%- for name, data_type in types | dictsort %}
    select
        cast({{ sql_string(name) }} as {{ dbt.type_string() }}) as column_name,
        cast({{ sql_string(data_type) }} as {{ dbt.type_string() }}) as data_type
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as data_type
    where 1 = 0
    {%- endfor %}

)

select * from final
