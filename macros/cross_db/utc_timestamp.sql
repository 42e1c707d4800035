{#- A raw column as a UTC timestamp, null when it cannot be read, whatever the column's type:
    - a timestamp with time zone is converted to UTC (not to the session's time zone);
    - a timestamp (or date) is taken as UTC;
    - text (or any other type, e.g. numbers, which then do not parse) must start with
      YYYY-MM-DD; without an offset it is UTC, with one (+02:00, -0500, ' +0530', Z, a zone name)
      it is converted to UTC. A plain cast to timestamp would drop the offset silently.
    data_type is the column's type in the raw table (raw_column_types), blank when unknown (unit
    tests, whose fixtures are text). -#}
{% macro utc_timestamp(column, data_type='') -%}
    {{ return(adapter.dispatch('utc_timestamp', 'lead_scoring')(column, data_type | lower)) }}
{%- endmacro %}

{% macro default__utc_timestamp(column, data_type) -%}
    {{ safe_cast(clean_text(column), dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__utc_timestamp(column, data_type) -%}
    {%- if data_type in ('timestamp with time zone', 'timestamptz') -%}
        if(isfinite({{ column }}), timezone('UTC', {{ column }}), null)
    {%- elif data_type.startswith('timestamp') or data_type == 'date' -%}
        if(isfinite({{ column }}), cast({{ column }} as timestamp), null)
    {%- else -%}
        {#- one expression on one line, so that it sits in any select list as a column does -#}
        {%- set text = clean_text(column) -%}
        if(regexp_matches({{ text }}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?$'), try_cast({{ text }} as timestamp), if(regexp_matches({{ text }}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}'), timezone('UTC', try_cast(regexp_replace({{ text }}, ' +([+-][0-9])', '\1') as timestamptz)), null))
    {%- endif -%}
{%- endmacro %}

{#- Spark's timestamp is an instant: a cast of text honours an offset or a zone, and text without
    one is read in the session time zone, which the profile sets to UTC. -#}
{% macro spark__utc_timestamp(column, data_type) -%}
    {%- if data_type.startswith('timestamp') or data_type == 'date' -%}
        cast({{ column }} as timestamp)
    {%- else -%}
        if({{ clean_text(column) }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}', cast({{ clean_text(column) }} as timestamp), null)
    {%- endif -%}
{%- endmacro %}

{#- A double that is a real number: not NaN and not infinite (text such as 'inf', 'NaN' or '1e400'
    casts to those), which staging quarantines instead of scoring. -#}
{% macro is_finite_number(expression) -%}
    {{ return(adapter.dispatch('is_finite_number', 'lead_scoring')(expression)) }}
{%- endmacro %}

{#- x - x is 0 for a real number, NaN for NaN and the infinities (and NaN = 0 is false). -#}
{% macro default__is_finite_number(expression) -%}
    ({{ expression }} - {{ expression }}) = 0
{%- endmacro %}

{% macro duckdb__is_finite_number(expression) -%}
    isfinite({{ expression }})
{%- endmacro %}

{% macro spark__is_finite_number(expression) -%}
    (not isnan({{ expression }}) and abs({{ expression }}) < double('infinity'))
{%- endmacro %}
