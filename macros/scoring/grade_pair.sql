{#- A history row's fit and engagement grade as one text, '-' for a missing grade (e.g. 'A2',
    'B-'): what lead_lifecycle_events compares for grade_changed, on both of its paths (the full
    rebuild over lead_score_history and the incremental one over int_lead_history_summary). -#}
{% macro grade_pair(fit_grade, engagement_grade) -%}
    {{ dbt.concat(["coalesce(" ~ fit_grade ~ ", '-')", "coalesce(" ~ engagement_grade ~ ", '-')"]) }}
{%- endmacro %}
