{#- lead_lifecycle_events: appends the events of this run's as-of T (each lead's row at T against
    the one before it, from int_lead_history_summary) when that is all that is new - the summary
    was advanced to T from an as-of S and still holds every history row at or before T (so it
    may have been built in an earlier invocation of the same run: orchestrators build one model
    per task), the newest stored event is at S, and history has no as-of other than T after S.
    Otherwise (and always on a re-run of an as-of or a backfill) it is rebuilt from all of
    lead_score_history. -#}
{% macro lifecycle_plan() %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set summary = ref('int_lead_history_summary') -%}
    {%- set stamps = run_query('select max(folded_from), max(history_rows), max(case when state_as_of = '
        ~ score_as_of() ~ ' then 1 else 0 end) from ' ~ summary).rows -%}
    {%- if stamps[0][2] != 1 -%}
        {% do plan.update({'reason': 'int_lead_history_summary is not at the as-of ' ~ score_as_of_text()}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set folded_from, folded_rows = stamps[0][0], stamps[0][1] -%}
    {%- if folded_from is none -%}
        {% do plan.update({'reason': 'int_lead_history_summary was rebuilt at this as-of'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set check = run_query('select case when max(occurred_at) = ' ~ timestamp_literal(folded_from)
        ~ ' then 1 else 0 end, (select count(*) from ' ~ ref('lead_score_history') ~ ' where scored_at > '
        ~ timestamp_literal(folded_from) ~ ' and scored_at <> ' ~ score_as_of() ~ '), (select count(*) from '
        ~ ref('lead_score_history') ~ ' where scored_at <= ' ~ score_as_of() ~ ') from ' ~ this).rows[0] -%}
    {%- if check[2] != folded_rows -%}
        {% do plan.update({'reason': 'lead_score_history has ' ~ check[2] ~ ' rows at or before '
            ~ score_as_of_text() ~ ' but int_lead_history_summary folded ' ~ folded_rows}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if check[0] != 1 -%}
        {% do plan.update({'reason': 'its newest event is not at ' ~ folded_from ~ ', the as-of the summary advanced from'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if check[1] != 0 -%}
        {% do plan.update({'reason': 'lead_score_history has rows after ' ~ folded_from ~ ' at another as-of than ' ~ score_as_of_text()}) %}
        {{ return(plan) }}
    {%- endif -%}
    {% do plan.update({'mode': 'incremental'}) %}
    {{ return(plan) }}
{% endmacro %}
