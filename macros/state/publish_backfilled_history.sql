{#- dbt run-operation publish_backfilled_history --args '{as_ofs: [...], prefix: analysis}': copies the
    rows of the given as-ofs from the analysis build's lead_score_history (schema <prefix>_<schema>,
    where `leadscore backfill` scored them) into production's, replacing production rows of the
    same as-ofs, in one transaction. The as-ofs and the prefix are checked like the vars; values
    reach SQL only as escaped literals. -#}
{% macro publish_backfilled_history(as_ofs, prefix) -%}
    {%- if identifier_problem(prefix) -%}
        {{ exceptions.raise_compiler_error('publish_backfilled_history: prefix ' ~ shown_value(prefix) ~ ' '
            ~ identifier_problem(prefix)) }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for as_of in as_ofs -%}
        {%- if as_of is not string or not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}', as_of) -%}
            {{ exceptions.raise_compiler_error('publish_backfilled_history: as-of ' ~ shown_value(as_of)
                ~ " is not 'YYYY-MM-DD HH:MM:SS'") }}
        {%- endif -%}
        {%- do literals.append(timestamp_literal(as_of)) -%}
    {%- endfor -%}
    {%- set production = ref('lead_score_history') -%}
    {%- set source = adapter.get_relation(database=production.database, schema=prefix ~ '_' ~ production.schema,
        identifier=production.identifier) -%}
    {%- if source is none or not literals -%}
        {{ exceptions.raise_compiler_error('publish_backfilled_history: no backfilled history to publish ('
            ~ prefix ~ '_' ~ production.schema ~ '.' ~ production.identifier ~ ' does not exist)') }}
    {%- endif -%}
    {%- set condition = 'scored_at in (' ~ literals | join(', ') ~ ')' -%}
    {%- set existing = adapter.get_relation(database=production.database, schema=production.schema,
        identifier=production.identifier) -%}
    {%- if existing is none -%}
        {{ publish_history_create(production, source, condition) }}
    {%- else -%}
        {{ publish_history_replace(existing, source, condition) }}
    {%- endif -%}
    {%- set published = run_query('select count(*) from ' ~ production ~ ' where ' ~ condition).columns[0].values()[0] -%}
    {{ log('published ' ~ published ~ ' history rows of ' ~ literals | length ~ ' as-ofs into ' ~ production, info=true) }}
{%- endmacro %}

{% macro publish_history_create(production, source, condition) -%}
    {{ return(adapter.dispatch('publish_history_create', 'lead_scoring')(production, source, condition)) }}
{%- endmacro %}

{% macro default__publish_history_create(production, source, condition) -%}
    {%- do adapter.create_schema(production) -%}
    {%- call statement('publish_history', fetch_result=false) -%}
        create table {{ production }} as select * from {{ source }} where {{ condition }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{#- a partitioned parquet table is what the history model's first build creates on Spark -#}
{% macro spark__publish_history_create(production, source, condition) -%}
    {{ exceptions.raise_compiler_error(production ~ ' does not exist yet: run `leadscore build` once before '
        ~ 'backfilling on Spark (the first build creates it partitioned by scored_at)') }}
{%- endmacro %}

{% macro publish_history_replace(production, source, condition) -%}
    {{ return(adapter.dispatch('publish_history_replace', 'lead_scoring')(production, source, condition)) }}
{%- endmacro %}

{% macro default__publish_history_replace(production, source, condition) -%}
    {%- set columns = adapter.get_columns_in_relation(production) | map(attribute='name') | join(', ') -%}
    {#- one transaction: dbt's connection has one open, committed here -#}
    {%- call statement('publish_history', fetch_result=false) -%}
        delete from {{ production }} where {{ condition }};
        insert into {{ production }} ({{ columns }}) select {{ columns }} from {{ source }} where {{ condition }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{#- Spark's history is partitioned by scored_at (insert_overwrite): the backfilled as-ofs' partitions
    are overwritten, the others kept. -#}
{% macro spark__publish_history_replace(production, source, condition) -%}
    {%- set columns = adapter.get_columns_in_relation(production) | map(attribute='name') | reject('equalto', 'scored_at')
        | list + ['scored_at'] -%}
    {%- do run_query('set spark.sql.sources.partitionOverwriteMode = dynamic') -%}
    {%- call statement('publish_history', fetch_result=false) -%}
        insert overwrite table {{ production }} partition (scored_at)
        select {{ columns | join(', ') }} from {{ source }} where {{ condition }}
    {%- endcall -%}
{%- endmacro %}
