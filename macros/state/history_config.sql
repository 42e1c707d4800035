{#- Config of lead_score_history: replace one as-of's rows on a re-run. delete+insert keyed by
    (lead_id, model, scored_at) where the adapter can; on Spark (parquet tables) the as-of is a
    partition that insert_overwrite replaces. --full-refresh is ignored unless var
    rebuild_history is true, so history is never wiped by accident; a column an upgrade adds is
    appended (older rows hold null there) rather than failing the run. -#}
{% macro history_config() -%}
    {{ return(adapter.dispatch('history_config', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__history_config() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
               'unique_key': ['lead_id', 'model', 'scored_at'], 'on_schema_change': 'append_new_columns',
               'full_refresh': project_var('rebuild_history')}) }}
{%- endmacro %}

{% macro spark__history_config() -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
               'partition_by': ['scored_at'], 'file_format': 'parquet', 'on_schema_change': 'append_new_columns',
               'full_refresh': project_var('rebuild_history')}) }}
{%- endmacro %}
