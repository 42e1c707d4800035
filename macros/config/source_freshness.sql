{#- dbt source freshness: the newest load time of a source, for every adapter (dbt looks for
    <adapter>__collect_freshness / default__collect_freshness in the root project first).
    loaded_at_field comes from a var (events_loaded_at_column), so it is never pasted as SQL: it
    must be a plain name and a column of the table, and it is read as a UTC timestamp whatever
    the column's type, as staging reads it (utc_timestamp: text with an offset is converted, not
    cut). A mistake stops with one line naming the var. -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) -%}
    {%- set column = (loaded_at_field or '') | trim -%}
    {%- set problem = identifier_problem(column) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error('source freshness of ' ~ source ~ ': the load time column '
            ~ shown_value(column) ~ ' ' ~ problem ~ '. Fix: set var events_loaded_at_column to the column your EL '
            ~ "tool stamps with each row's load time, or '' to judge freshness by occurred_at.") }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for existing in adapter.get_columns_in_relation(source) -%}
        {%- do types.update({existing.name | lower: existing.data_type | lower}) -%}
    {%- endfor -%}
    {%- if (column | lower) not in types -%}
        {{ exceptions.raise_compiler_error('source freshness of ' ~ source ~ ': the table has no column '
            ~ column ~ '. Fix: set var events_loaded_at_column to the column your EL tool stamps with each '
            ~ "row's load time, or '' to judge freshness by occurred_at.") }}
    {%- endif -%}
    {%- call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ utc_timestamp(adapter.quote(column | lower), types[column | lower]) }}) as max_loaded_at,
            {{ current_timestamp() }} as snapshotted_at
        from {{ source }}
        {%- if filter %}
        where {{ filter }}
        {%- endif %}
    {%- endcall -%}
    {{ return(load_result('collect_freshness')) }}
{%- endmacro %}
