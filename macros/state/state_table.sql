{#- The state models' materialization on Spark's plain parquet tables, which have no delete or
    merge and cannot be overwritten by a query that reads them. The model's SQL (which reads the
    stored table, and keeps its unchanged rows through state_rows) is written to a new table
    <name>__next; the stored table is then dropped and the new one renamed to take its place. A
    failure before the swap leaves the stored table as it was. -#}
{% materialization state_table, adapter='spark' %}
    {%- if config.get('location_root') -%}
        {{ exceptions.raise_compiler_error(this ~ ": a state_table cannot have a location_root (the table it
            writes is renamed, its files stay where they were written). Remove location_root from
            this model's config.") }}
    {%- endif -%}
    {%- set old_relation = load_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set next_relation = api.Relation.create(database=this.database, schema=this.schema,
        identifier=this.identifier ~ '__next', type='table') -%}

    {{ run_hooks(pre_hooks) }}
    {% do adapter.drop_relation(next_relation) %}
    {%- call statement('main') -%}
        {{ create_table_as(false, next_relation, compiled_code) }}
    {%- endcall -%}
    {%- if old_relation is not none -%}
        {% do adapter.drop_relation(old_relation) %}
    {%- endif -%}
    {% do adapter.rename_relation(next_relation, target_relation) %}
    {% do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
