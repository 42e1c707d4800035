{#- Incremental state: base_events, int_event_rule_state and int_lead_event_state advance each
    run by what changed since the previous one, and rebuild themselves (a pre-hook deletes the
    stale rows, the model then selects everything) whenever advancing would be wrong. Each model
    asks its *_plan macro what to do; the plan is computed twice (model body, then pre-hook)
    from the same unchanged tables, so both agree. See README "Incremental scoring". -#}

{#- Materialization of the state models: incremental where the adapter can delete+insert.
    dbt-spark on plain parquet tables has neither delete nor merge, and a query cannot overwrite
    the table it reads: there they are state_table models (macros/state_table.sql), a new table
    written from the model's SQL - which reads the stored one and, through state_rows, keeps
    the rows a delete+insert would keep - that then takes the old one's place. -#}
{% macro state_materialization() -%}
    {{ return(adapter.dispatch('state_materialization', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__state_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__state_materialization() -%}
    {{ return('state_table') }}
{%- endmacro %}

{#- A timestamp value (a Python datetime or text) as a SQL literal. -#}
{% macro timestamp_literal(value) -%}
    cast({{ sql_string(value) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The start of this dbt invocation, to the microsecond: stamps the rows a run writes. -#}
{% macro run_started_at_literal() -%}
    {{ timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{%- endmacro %}

{#- True when a state model runs against its stored table: executing (not parsing), not a unit
    test (its fixtures stand in for the tables, and it renders the first-build SQL) and
    incremental. Every plan, the pre-hook and the log ask this one question. -#}
{% macro state_is_incremental() -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if model.config.materialized == 'state_table' -%}
        {{ return(load_relation(this) is not none and not should_full_refresh()) }}
    {%- endif -%}
    {{ return(is_incremental()) }}
{%- endmacro %}

{#- The stored rows a rebuild replaces, as a condition: all of them (true), or the rows of the
    models to rebuild; none when the plan keeps every stored row. -#}
{% macro rebuilt_state_condition(plan) -%}
    {%- if plan.mode == 'full' -%}
        {{ return('true') }}
    {%- elif plan.get('delete_models') -%}
        {{ return('model in ' ~ sql_string_list(plan.delete_models)) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- Pre-hook: delete what a rebuild replaces (all rows, or the rows of the models to rebuild).
    A state_table has no delete: state_rows leaves those rows out instead. -#}
{% macro delete_rebuilt_state(plan) -%}
    {%- if state_is_incremental() and model.config.materialized != 'state_table' -%}
        {%- set condition = rebuilt_state_condition(plan) -%}
        {%- if condition == 'true' -%}
            delete from {{ this }}
        {%- elif condition -%}
            delete from {{ this }} where {{ condition }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A state model's last select: the new rows (CTE new_rows). Where the model is a state_table
    (Spark), which replaces its whole table each run, it adds the stored rows an incremental run of
    the model's strategy keeps: for delete+insert those whose unique_key the new rows do not have
    (or that have a null key part, as a delete on key equality never matches them), for append
    all of them, for replace_all none; never those the plan rebuilds (rebuilt_state_condition).
    Stored and new rows are told apart by a max over each key, not by an anti-join with the new
    rows: Spark inlines a CTE at each use, so the anti-join computed the new rows twice. Both
    sides list the stored table's columns, so the union matches them by name. Elsewhere the
    incremental materialization keeps those rows in place. -#}
{% macro state_rows(plan, new_rows='final') -%}
    {%- if state_is_incremental() and model.config.materialized == 'state_table' -%}
        {%- set strategy = config.get('incremental_strategy') -%}
        {%- set rebuilt = rebuilt_state_condition(plan) if plan else none -%}
        {%- if strategy not in ('delete+insert', 'append', 'replace_all') -%}
            {{ exceptions.raise_compiler_error("state_rows: " ~ this ~ " has incremental_strategy '" ~ strategy
                ~ "'; a state_table keeps rows for delete+insert, append or replace_all only") }}
        {%- endif -%}
        {%- if strategy == 'replace_all' or rebuilt == 'true' -%}
            select * from {{ new_rows }}
        {%- else -%}
            {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | join(', ') -%}
            {%- set kept_where = ' where not (' ~ rebuilt ~ ')' if rebuilt else '' -%}
            {%- if strategy == 'append' -%}
                select {{ columns }} from {{ new_rows }}
                union all
                select {{ columns }} from {{ this }} as stored{{ kept_where }}
            {%- else -%}
                {%- set keys = config.get('unique_key') -%}
                {%- set keys = [keys] if keys is string else keys -%}
                select {{ columns }}
                from (
                    select
                        both_sides.*,
                        max(both_sides.is_new) over (partition by {{ keys | join(', ') }}) as key_is_new
                    from (
                        select {{ columns }}, 1 as is_new from {{ new_rows }}
                        union all
                        select {{ columns }}, 0 as is_new from {{ this }} as stored{{ kept_where }}
                    ) as both_sides
                ) as tagged
                where is_new = 1 or key_is_new = 0
                {%- for key in keys %} or {{ key }} is null{% endfor %}
            {%- endif -%}
        {%- endif -%}
    {%- else -%}
        select * from {{ new_rows }}
    {%- endif -%}
{%- endmacro %}

{#- Says in the build log why a state model rebuilds, once (from the model body). -#}
{% macro log_state_plan(plan) -%}
    {%- if state_is_incremental() -%}
        {%- if plan.mode == 'full' -%}
            {% do log(this.identifier ~ ': full rebuild, because ' ~ plan.reason, info=true) %}
        {%- elif plan.get('rebuild_models') -%}
            {% do log(this.identifier ~ ': rebuilding models ' ~ plan.rebuild_models | join(', ')
                ~ ', because their event rules changed', info=true) %}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- base_events: incremental on the raw rows loaded after the newest loaded_at already staged,
    unless var events_loaded_at_column is blank or the raw rows at or before that watermark changed
    (deleted, or loaded late with an old loaded_at): then everything is validated again. -#}
{% macro base_events_plan() %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set raw_events = source('raw', 'events') -%}
    {%- if not events_loaded_at_column() -%}
        {% do plan.update({'reason': "var events_loaded_at_column is blank, so new raw rows cannot be told apart"}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set columns_now = raw_column_types('events') -%}
    {%- set columns_relation = adapter.get_relation(database=this.database, schema=this.schema,
        identifier='base_events_raw_columns') -%}
    {%- if columns_relation is not none -%}
        {%- set columns_then = {} -%}
        {%- for row in run_query('select column_name, data_type from ' ~ columns_relation).rows -%}
            {%- do columns_then.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- if columns_then and columns_then != columns_now -%}
            {%- set changed = [] -%}
            {%- for name in (columns_then.keys() | list + columns_now.keys() | list) | unique | sort
                    if columns_then.get(name) != columns_now.get(name) -%}
                {%- do changed.append(name ~ ' ' ~ (columns_then.get(name) or 'absent') ~ ' -> '
                    ~ (columns_now.get(name) or 'absent')) -%}
            {%- endfor -%}
            {% do plan.update({'reason': 'the columns of raw.events changed since the last build ('
                ~ changed | join(', ') ~ ')'}) %}
            {{ return(plan) }}
        {%- endif -%}
    {%- endif -%}
    {%- set stored = run_query('select max(loaded_at), max(generation), count(*) from ' ~ this).rows[0] -%}
    {%- if stored[0] is none -%}
        {% do plan.update({'reason': 'no staged row has a loaded_at'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set raw_below = run_query(
        'select count(*) from ' ~ raw_events ~ ' where not coalesce('
        ~ utc_timestamp(events_loaded_at_column(), raw_column_types('events').get(events_loaded_at_column(), ''))
        ~ ' > ' ~ timestamp_literal(stored[0]) ~ ', false)'
    ).rows[0][0] -%}
    {%- if raw_below != stored[2] -%}
        {% do plan.update({'reason': 'raw.events has ' ~ raw_below ~ ' rows loaded at or before '
            ~ stored[0] ~ ' but ' ~ stored[2] ~ ' are staged (rows deleted or loaded with an old loaded_at)'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {% do plan.update({'mode': 'incremental', 'watermark': stored[0], 'generation': stored[1]}) %}
    {{ return(plan) }}
{% endmacro %}

{#- int_event_rule_state / int_lead_event_state: incremental on the base_events rows processed
    since the state's watermark, unless base_events was rebuilt or the as-of moved back; with
    by_model, models whose event rules changed (config_hash) are rebuilt on their own. -#}
{% macro event_state_plan(by_model=false) %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh',
                    'rebuild_models': [], 'delete_models': []} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stored = run_query('select max(events_processed_at), max(events_generation), max(state_as_of) from ' ~ this).rows[0] -%}
    {%- set current_generation = run_query('select max(generation) from ' ~ ref('base_events')).rows[0][0] -%}
    {%- if stored[0] is none -%}
        {% do plan.update({'reason': 'the state is empty'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if stored[1] != current_generation -%}
        {% do plan.update({'reason': 'base_events was rebuilt'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set moved_back = run_query('select case when ' ~ score_as_of() ~ ' < ' ~ timestamp_literal(stored[2])
        ~ ' then 1 else 0 end').rows[0][0] -%}
    {%- if moved_back == 1 -%}
        {% do plan.update({'reason': 'the as-of ' ~ score_as_of_text() ~ ' is before the state (' ~ stored[2] ~ ')'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- if by_model -%}
        {%- set current_hashes = {} -%}
        {%- for row in run_query('select distinct model, config_hash from ' ~ ref('int_event_rules')
                ~ ' where window_days is null').rows -%}
            {% do current_hashes.update({row[0]: row[1]}) %}
        {%- endfor -%}
        {%- set stored_hashes = {} -%}
        {%- for row in run_query('select distinct model, config_hash from ' ~ this).rows -%}
            {% do stored_hashes.update({row[0]: row[1]}) %}
        {%- endfor -%}
        {%- for model, config_hash in current_hashes.items() | sort -%}
            {%- if stored_hashes.get(model) != config_hash -%}
                {% do plan.rebuild_models.append(model) %}
            {%- endif -%}
        {%- endfor -%}
        {%- for model, config_hash in stored_hashes.items() | sort -%}
            {%- if current_hashes.get(model) != config_hash -%}
                {% do plan.delete_models.append(model) %}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {% do plan.update({'mode': 'incremental', 'watermark': stored[0], 'previous_as_of': stored[2]}) %}
    {{ return(plan) }}
{% endmacro %}

{#- The events a state run folds in: staged (kept) events at or before T, all of them on a
    full build; otherwise those processed since the watermark or that happened after the
    previous as-of ('add'), and every event of a dirty lead ('recompute'). On an incremental run
    the caller defines the CTE dirty_leads (event_state_dirty_leads) before this one. -#}
{% macro event_state_events(plan) -%}
    select
        kept.lead_id,
        kept.event_type,
        kept.event_detail,
        kept.occurred_at,
        {%- if plan.mode == 'full' %}
        'recompute' as change_kind
        {%- else %}
        case when dirty.lead_id is null then 'add' else 'recompute' end as change_kind
        {%- endif %}
    from {{ ref('base_events') }} as kept
    {%- if plan.mode != 'full' %}
    left join dirty_leads as dirty
        on kept.lead_id = dirty.lead_id
    {%- endif %}
    where kept.quarantine_reason is null
        and kept.occurred_at <= {{ score_as_of() }}
        {%- if plan.mode != 'full' %}
        and (
            dirty.lead_id is not null
            or kept.first_processed_at > {{ timestamp_literal(plan.watermark) }}
            or kept.occurred_at > {{ timestamp_literal(plan.previous_as_of) }}
        )
        {%- endif %}
{%- endmacro %}

{#- Dirty leads: leads with a row staged before the watermark and written again since (a new
    copy of its event_id arrived, so which copy is kept may have changed). Their state is
    recomputed from all their events instead of advanced. -#}
{% macro event_state_dirty_leads(plan) -%}
    select distinct lead_id
    from {{ ref('base_events') }}
    where first_processed_at <= {{ timestamp_literal(plan.watermark) }}
        and processed_at > {{ timestamp_literal(plan.watermark) }}
        and lead_id is not null
{%- endmacro %}

{#- Events flagged as activity (what the lead did; a delivery or a bounce is done to the lead)
    and as email engagement. -#}
{% macro is_activity_event(event_type) -%}
    {{ event_type }} not in ('email_delivered', 'email_bounce')
{%- endmacro %}

{% macro is_email_engagement_event(event_type) -%}
    {{ event_type }} in ('email_open', 'email_click', 'email_reply')
{%- endmacro %}

{#- The earlier / later of two timestamps where either may be null. -#}
{% macro least_of(a, b) -%}
    case when {{ a }} is null or {{ b }} < {{ a }} then {{ b }} else {{ a }} end
{%- endmacro %}

{% macro greatest_of(a, b) -%}
    case when {{ a }} is null or {{ b }} > {{ a }} then {{ b }} else {{ a }} end
{%- endmacro %}

{#- Config of lead_score_history: replace one as-of's rows on a re-run. delete+insert keyed by
    (lead_id, model, scored_at) where the adapter can; on Spark (parquet tables) the as-of is a
    partition that insert_overwrite replaces. --full-refresh is ignored unless var
    rebuild_history is true, so history is never wiped by accident. -#}
{% macro history_config() -%}
    {{ return(adapter.dispatch('history_config', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__history_config() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
               'unique_key': ['lead_id', 'model', 'scored_at'], 'on_schema_change': 'fail',
               'full_refresh': project_var('rebuild_history')}) }}
{%- endmacro %}

{% macro spark__history_config() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
               'partition_by': ['scored_at'], 'file_format': 'parquet', 'on_schema_change': 'fail',
               'full_refresh': project_var('rebuild_history')}) }}
{%- endmacro %}

{#- int_lead_history_summary: folds the lead_score_history rows scored after its as-of S (up to
    T), unless T is not after S (a re-run of S, or an earlier as-of) or the history at or before
    S no longer has the rows the summary folded (a backfill, or history rebuilt): then it is
    rebuilt from all history at or before T. -#}
{% macro history_summary_plan() %}
    {%- set plan = {'mode': 'full', 'reason': 'this is a first build or --full-refresh'} -%}
    {%- if not state_is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set marker = run_query("select state_as_of, history_rows from " ~ this ~ " where lead_id = ''").rows -%}
    {%- if marker | length != 1 or marker[0][0] is none -%}
        {% do plan.update({'reason': 'it has no marker row'}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set stored_as_of, folded_rows = marker[0][0], marker[0][1] -%}
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
    {% do plan.update({'mode': 'incremental', 'previous_as_of': stored_as_of, 'folded_rows': folded_rows}) %}
    {{ return(plan) }}
{% endmacro %}

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
    {%- set marker = run_query('select folded_from, history_rows, case when state_as_of = ' ~ score_as_of()
        ~ " then 1 else 0 end from " ~ summary ~ " where lead_id = ''").rows -%}
    {%- if marker | length != 1 or marker[0][2] != 1 -%}
        {% do plan.update({'reason': 'int_lead_history_summary is not at the as-of ' ~ score_as_of_text()}) %}
        {{ return(plan) }}
    {%- endif -%}
    {%- set folded_from, folded_rows = marker[0][0], marker[0][1] -%}
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

{#- Incremental strategy 'replace_all', for a state table each of whose runs writes every key
    (int_lead_history_summary): empty the table and insert the new rows. delete+insert would
    join the table with the new rows on the key just to delete all of it (2 of 6 s at 1M leads). -#}
{% macro get_incremental_replace_all_sql(arg_dict) -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
