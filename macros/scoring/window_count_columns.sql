{#- The per-type window counts (var event_types x var feature_windows_days) as
    (event_type, days, column) triples, column = <event type's column stem>_<days>d (the stem is
    the type with runs of other characters than letters and digits made one underscore, see
    event_type_entry): the columns int_lead_event_state keeps and int_lead_activity, lead_features
    and the predictive features pass on. The event type is a value, quoted where SQL compares it. -#}
{% macro window_count_columns() -%}
    {%- set columns = [] -%}
    {%- for entry in project_var('event_types') -%}
        {%- for days in project_var('feature_windows_days') -%}
            {%- do columns.append((entry.event_type, days, entry.column ~ '_' ~ days ~ 'd')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
