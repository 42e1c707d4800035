{#- A text value as a SQL string literal, escaped the way the engine reads it, so a value from a
    var, a seed or the warehouse is only ever data: a quote inside it cannot end the literal.
    Every value rendered into SQL goes through this macro (dbt.string_literal does not escape). -#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'lead_scoring')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{#- Spark SQL string literals take backslash escapes (and join adjacent literals, so a doubled
    quote would not escape): backslashes first, then quotes. -#}
{% macro spark__sql_string(value) -%}
    {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}

{#- A list of text values as the parenthesised list of an in (...) condition. -#}
{% macro sql_string_list(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(sql_string(value)) -%}
    {%- endfor -%}
    {{ return('(' ~ literals | join(', ') ~ ')') }}
{%- endmacro %}
