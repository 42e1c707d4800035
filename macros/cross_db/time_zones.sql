{#- A UTC timestamp as the wall-clock time of a time zone (an IANA name, given as a column or a
    quoted value), and back. The session's own time zone never matters. -#}
{% macro local_time(utc_timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('local_time', 'lead_scoring')(utc_timestamp_expression, time_zone)) }}
{%- endmacro %}

{% macro default__local_time(utc_timestamp_expression, time_zone) -%}
    (({{ utc_timestamp_expression }}) at time zone 'UTC') at time zone {{ time_zone }}
{%- endmacro %}

{% macro duckdb__local_time(utc_timestamp_expression, time_zone) -%}
    timezone({{ time_zone }}, ({{ utc_timestamp_expression }}) at time zone 'UTC')
{%- endmacro %}

{% macro spark__local_time(utc_timestamp_expression, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp_expression }}, {{ time_zone }})
{%- endmacro %}

{% macro utc_from_local(local_timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('utc_from_local', 'lead_scoring')(local_timestamp_expression, time_zone)) }}
{%- endmacro %}

{% macro default__utc_from_local(local_timestamp_expression, time_zone) -%}
    (({{ local_timestamp_expression }}) at time zone {{ time_zone }}) at time zone 'UTC'
{%- endmacro %}

{% macro duckdb__utc_from_local(local_timestamp_expression, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp_expression }}))
{%- endmacro %}

{% macro spark__utc_from_local(local_timestamp_expression, time_zone) -%}
    to_utc_timestamp({{ local_timestamp_expression }}, {{ time_zone }})
{%- endmacro %}

{#- A timestamp from seconds since 1970-01-01 00:00:00 (microsecond precision). -#}
{% macro timestamp_from_epoch_seconds(seconds_expression) -%}
    {{ return(adapter.dispatch('timestamp_from_epoch_seconds', 'lead_scoring')(seconds_expression)) }}
{%- endmacro %}

{% macro default__timestamp_from_epoch_seconds(seconds_expression) -%}
    {{ dbt.dateadd('second', seconds_expression, "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro duckdb__timestamp_from_epoch_seconds(seconds_expression) -%}
    make_timestamp(cast(round(({{ seconds_expression }}) * 1000000) as bigint))
{%- endmacro %}

{% macro spark__timestamp_from_epoch_seconds(seconds_expression) -%}
    timestamp_micros(cast(round(({{ seconds_expression }}) * 1000000) as bigint))
{%- endmacro %}

{#- Whether a time zone name (a column) is one the engine knows: DuckDB's list of names; elsewhere
    the shape of an IANA name (Area/City or UTC), checked again when the first conversion runs. -#}
{% macro is_known_time_zone(time_zone) -%}
    {{ return(adapter.dispatch('is_known_time_zone', 'lead_scoring')(time_zone)) }}
{%- endmacro %}

{% macro default__is_known_time_zone(time_zone) -%}
    coalesce({{ regexp_matches(time_zone, '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$') }}, false)
{%- endmacro %}

{% macro duckdb__is_known_time_zone(time_zone) -%}
    coalesce({{ time_zone }} in (select name from pg_timezone_names()), false)
{%- endmacro %}
