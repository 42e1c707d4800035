{#- How int_scoring_config_errors is stored: a view (always current), except on Spark, where each
    query of the view is one large plan, slow even on tiny seeds, and it is a config_errors_table. -#}
{% macro config_errors_materialization() -%}
    {{ return(adapter.dispatch('config_errors_materialization', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__config_errors_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__config_errors_materialization() -%}
    {{ return('config_errors_table') }}
{%- endmacro %}

{#- int_scoring_config_errors on Spark: a table stamped with two table properties, the seed files'
    checksum (assert_valid_scoring_config refuses a table stamped from other seed files) and
    config_checks_fingerprint. A build whose fingerprint is the stored one keeps the table as it is:
    the same seed files and the same SQL in every view it reads give the same rows, and computing
    them is most of a small Spark build. Anything else (no table, no stamp, another fingerprint,
    --full-refresh) builds it again: the old table is dropped first, so a failure leaves no table
    to trust. -#}
{% materialization config_errors_table, adapter='spark' %}
    {%- set old_relation = load_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set fingerprint = config_checks_fingerprint() -%}
    {%- set stored = config_errors_stored_property(old_relation, 'checks_fingerprint')
        if old_relation is not none and old_relation.is_table else '' -%}

    {{ run_hooks(pre_hooks) }}
    {%- if fingerprint and stored == fingerprint and not should_full_refresh() -%}
        {{ log(this.identifier ~ ': kept, stored from the same seed files and checks', info=true) }}
        {%- call statement('main') -%}
            show tblproperties {{ target_relation }} ('lead_scoring.checks_fingerprint')
        {%- endcall -%}
    {%- else -%}
        {%- if old_relation is not none -%}
            {% do adapter.drop_relation(old_relation) %}
        {%- endif -%}
        {%- call statement('main') -%}
            {{ create_table_as(false, target_relation, compiled_code) }}
        {%- endcall -%}
        {%- call statement('stamp') -%}
            alter table {{ target_relation }} set tblproperties (
                'lead_scoring.seeds_checksum' = '{{ scoring_seeds_checksum() }}',
                'lead_scoring.checks_fingerprint' = '{{ fingerprint }}')
        {%- endcall -%}
        {% do persist_docs(target_relation, model) %}
    {%- endif -%}
    {{ run_hooks(post_hooks) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- One md5 of everything the calling model's rows follow from: the seed files (their checksums
    and seed configs, such as column types) and the SQL of every model upstream of it as the
    warehouse stores it (a view's text, as dbt created it; show create table, the part after AS,
    without the properties that change at each creation). '' when an upstream relation is missing
    or is not a view (its rows would need a stamp of their own). -#}
{% macro config_checks_fingerprint() -%}
    {%- set parts = [scoring_seeds_checksum()] -%}
    {%- set upstream = model.depends_on.nodes | list -%}
    {#- the loop visits the parents it appends: the whole upstream, once each -#}
    {%- for unique_id in upstream if unique_id in graph.nodes -%}
        {%- for parent in graph.nodes[unique_id].depends_on.nodes if parent not in upstream -%}
            {%- do upstream.append(parent) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for unique_id in upstream | sort -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is none -%}
            {{ return('') }}
        {%- elif node.resource_type == 'seed' -%}
            {%- do parts.append(unique_id ~ '=' ~ tojson(node.config)) -%}
        {%- elif node.resource_type == 'model' -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                identifier=node.alias) -%}
            {%- if relation is none or not relation.is_view -%}
                {{ return('') }}
            {%- endif -%}
            {%- set text = run_query('show create table ' ~ relation).rows[0][0] -%}
            {%- do parts.append(unique_id ~ '=' ~ (text.split('\nAS ', 1) | last)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{%- endmacro %}
