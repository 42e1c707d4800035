{#- Incremental state: base_raw__events, int_event_rule_state and int_lead_event_state advance each
    run by what changed since the previous one, and rebuild themselves (a pre-hook deletes the
    stale rows, the model then selects everything) whenever advancing would be wrong. Each model
    asks its *_plan macro what to do; the plan is computed twice (model body, then pre-hook)
    from the same unchanged tables, so both agree. See docs/incremental.md. -#}

{#- Materialization of the state models: incremental where the adapter can delete+insert.
    dbt-spark on plain parquet tables has neither delete nor merge, and a query cannot overwrite
    the table it reads: there they are state_table models (macros/state/state_table.sql), a new table
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
    sides list the stored table's columns, so the union matches them by name; given the new rows'
    columns (a model with on_schema_change append_new_columns), the columns the stored table
    lacks are appended, null in its rows, and those only it has stay, null in the new rows - what
    the incremental materialization does elsewhere, where it also keeps the rows in place. -#}
{% macro state_rows(plan, new_rows='final', columns=none) -%}
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
            {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
            {%- set stored_names = stored_columns | map('lower') | list -%}
            {%- set new_names = stored_names if columns is none else columns | map('lower') | list -%}
            {%- set all_columns = stored_columns + [] -%}
            {%- for c in columns or [] if c | lower not in stored_names %}{% do all_columns.append(c) %}{% endfor -%}
            {%- set new_side = [] -%}
            {%- set stored_side = [] -%}
            {%- for c in all_columns -%}
                {%- do new_side.append(c if c | lower in new_names else 'null as ' ~ c) -%}
                {%- do stored_side.append(c if c | lower in stored_names else 'null as ' ~ c) -%}
            {%- endfor -%}
            {%- set kept_where = ' where not (' ~ rebuilt ~ ')' if rebuilt else '' -%}
            {%- if strategy == 'append' -%}
                select {{ new_side | join(', ') }} from {{ new_rows }}
                union all
                select {{ stored_side | join(', ') }} from {{ this }} as stored{{ kept_where }}
            {%- else -%}
                {%- set keys = config.get('unique_key') -%}
                {%- set keys = [keys] if keys is string else keys -%}
                select {{ all_columns | join(', ') }}
                from (
                    select
                        both_sides.*,
                        max(both_sides.is_new) over (partition by {{ keys | join(', ') }}) as key_is_new
                    from (
                        select {{ new_side | join(', ') }}, 1 as is_new from {{ new_rows }}
                        union all
                        select {{ stored_side | join(', ') }}, 0 as is_new from {{ this }} as stored{{ kept_where }}
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
