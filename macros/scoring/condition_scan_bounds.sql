{#- What int_lead_condition_hits needs to scan, read from int_scoring_conditions when the model
    runs: the attributes the conditions use, and a filter on the events of their types inside
    the longest window (text to put before the model's own age condition). Empty in unit tests,
    whose inputs are fixtures that run_query cannot see, and at parse time. -#}
{% macro condition_scan_bounds() -%}
    {%- set bounds = {'attributes': [], 'recent_filter': ''} -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set relation = ref('int_scoring_conditions') -%}
        {%- do bounds.update({'attributes': run_query('select distinct field from ' ~ relation
            ~ " where source = 'attribute'").columns[0].values() | list}) -%}
        {%- set windowed = run_query('select max(window_days) over (), field from ' ~ relation
            ~ " where source = 'event'") -%}
        {%- if windowed.rows | length > 0 -%}
            {%- set event_types = (windowed.columns[1].values() | join('|')).split('|') | map('trim') | unique | list -%}
            {%- do bounds.update({'recent_filter': 'occurred_at > ' ~ window_start(windowed.columns[0].values()[0])
                ~ ' and event_type in ' ~ sql_string_list(event_types) ~ ' and '}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(bounds) }}
{%- endmacro %}
