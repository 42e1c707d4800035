{#- int_lead_history_summary: folds the lead_score_history rows scored after its as-of S (up to
    T), unless T is not after S (a re-run of S, or an earlier as-of) or the history at or before
    S no longer has the rows the summary folded (a backfill, or history rebuilt): then it is
    rebuilt from all history at or before T. -#}
{% macro history_summary_plan() %}
    {#- a full build reads all history rows (up to T); an incremental run those after the stored
        as-of S and, for the week-before row, after S - 7 days -#}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh',
                    'after_stored': 'true', 'after_stored_week_before': 'true', 'folded_before': 0,
                    'folded_from': 'cast(null as ' ~ dbt.type_timestamp() ~ ')'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stamps = run_query("select max(state_as_of), max(history_rows) from " ~ this).rows -%}
    {%- if stamps[0][0] is none -%}
        {% do plan.update({'reason': 'it is empty'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stored_as_of, folded_rows = stamps[0][0], stamps[0][1] -%}
    {%- set check = run_query('select case when ' ~ score_as_of() ~ ' > ' ~ timestamp_literal(stored_as_of)
        ~ ' then 1 else 0 end, (select count(*) from ' ~ ref('lead_score_history')
        ~ ' where scored_at <= ' ~ timestamp_literal(stored_as_of) ~ ')').rows[0] -%}
    {%- if check[0] != 1 -%}
        {% do plan.update({'reason': "the as-of " ~ score_as_of_text() ~ " is not after the summary's (" ~ stored_as_of ~ ")"}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if check[1] != folded_rows -%}
        {% do plan.update({'reason': 'lead_score_history has ' ~ check[1] ~ ' rows at or before ' ~ stored_as_of
            ~ ' but ' ~ folded_rows ~ ' were folded (a backfill, or history rebuilt)'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stored = timestamp_literal(stored_as_of) -%}
    {% do plan.update({'mode': 'incremental', 'previous_as_of': stored_as_of, 'folded_before': folded_rows,
                       'folded_from': stored, 'after_stored': 'scored_at > ' ~ stored,
                       'after_stored_week_before': 'scored_at > ' ~ dbt.dateadd('day', -7, stored)}) %}
    {{ return(plan) }}
{% endmacro %}
