{#- lead_assignments: a run at T routes the MQLs that need an owner and keeps every other stored
    assignment. Assignments are decisions, not a function of the inputs: --full-refresh leaves
    them (full_refresh=false), and a run whose as-of is before the latest stored assignment (a
    report, backfill or re-run of an earlier as-of in the production schema) changes nothing. -#}
{% macro assignments_plan() %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set check = run_query('select case when max(assigned_at) > ' ~ score_as_of() ~ ' then 1 else 0 end from '
        ~ this).rows[0] -%}
    {%- if check[0] == 1 -%}
        {% do plan.update({'mode': 'frozen', 'reason': 'it holds assignments after the as-of ' ~ score_as_of_text()
            ~ ', so this run leaves every assignment as it is'}) %}
    {%- else -%}
        {% do plan.update({'mode': 'incremental'}) %}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}
