{#- The as-of time T of every score, as a timestamp literal (UTC).
    var score_as_of: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' (a 'T' separator works too);
    empty or unset: the start time of the dbt invocation, so every model of one run shares T. -#}
{% macro score_as_of() -%}
    {{ return("cast('" ~ score_as_of_text() ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{% macro score_as_of_text() -%}
    {%- set raw = (var('score_as_of', '') or '') | string | trim -%}
    {%- if raw in ('', 'none', 'None', 'now') -%}
        {{ return(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
    {%- endif -%}
    {%- set m = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2}))?)?(?:Z|\\+00:00)?$', raw) -%}
    {%- if not m or (m.group(2) | int) < 1 or (m.group(2) | int) > 12 or (m.group(3) | int) < 1
          or (m.group(3) | int) > 31 or (m.group(4) or '0') | int > 23 or (m.group(5) or '0') | int > 59
          or (m.group(6) or '0') | int > 59 -%}
        {{ exceptions.raise_compiler_error(
            "var score_as_of = '" ~ raw ~ "' is not a UTC timestamp. "
            ~ "Fix: pass --vars '{score_as_of: \"2024-06-30 00:00:00\"}' (format YYYY-MM-DD[ HH:MM[:SS]]) "
            ~ "or leave it empty to score as of now.") }}
    {%- endif -%}
    {{ return(m.group(1) ~ '-' ~ m.group(2) ~ '-' ~ m.group(3) ~ ' '
        ~ (m.group(4) or '00') ~ ':' ~ (m.group(5) or '00') ~ ':' ~ (m.group(6) or '00')) }}
{%- endmacro %}
