{#- The per-type window counts (var event_types x var feature_windows_days) as
    (event_type, days, column) triples, column = <event_type>_<days>d: the columns
    int_lead_event_state keeps and int_lead_activity, lead_features and the predictive features
    pass on. -#}
{% macro window_count_columns() -%}
    {%- set columns = [] -%}
    {%- for event_type in var('event_types') -%}
        {%- for days in var('feature_windows_days') -%}
            {%- do columns.append((event_type, days, event_type ~ '_' ~ days ~ 'd')) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
