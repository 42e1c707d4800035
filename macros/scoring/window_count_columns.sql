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

{#- The columns int_lead_event_state writes, in order: its event_state_plan rebuilds a stored
    state with other columns. -#}
{% macro lead_event_state_columns() -%}
    {%- set columns = ['lead_id', 'events_total', 'first_activity_at', 'last_activity_at', 'last_email_engagement_at'] -%}
    {%- for event_type, days, column in window_count_columns() %}{% do columns.append(column) %}{% endfor -%}
    {{ return(columns + ['state_as_of', 'events_processed_at', 'events_generation']) }}
{%- endmacro %}
