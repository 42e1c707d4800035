{#- A select of the keys (column repeated_key) that occur on more than one row of relation
    (only the rows meeting condition, when given). By default a group by with count > 1. On
    DuckDB a sort instead: equal keys end up next to each other, so a key that repeats equals the
    one before it. On tens of millions of mostly distinct event ids the hash table of the group by
    spills to disk and costs several times the sort of the same 64-bit keys. Not the default
    elsewhere: a window over the whole relation with no partition runs in one task on Spark. -#}
{% macro repeated_keys(key_expression, relation, condition=none) -%}
    {{ return(adapter.dispatch('repeated_keys', 'lead_scoring')(key_expression, relation, condition)) }}
{%- endmacro %}

{% macro default__repeated_keys(key_expression, relation, condition) -%}
    select {{ key_expression }} as repeated_key
    from {{ relation }}
    {%- if condition %}
    where {{ condition }}
    {%- endif %}
    group by {{ key_expression }}
    having count(*) > 1
{%- endmacro %}

{% macro duckdb__repeated_keys(key_expression, relation, condition) -%}
    select distinct repeated_key
    from (
        select
            repeated_key,
            lag(repeated_key) over (order by repeated_key) as previous_key
        from (
            select {{ key_expression }} as repeated_key
            from {{ relation }}
            {%- if condition %}
            where {{ condition }}
            {%- endif %}
        ) as keys
    ) as sorted_keys
    where repeated_key = previous_key
{%- endmacro %}
