{#- The outcome of the scoring seeds' checks in one row, stored once a build: the checksum of the
    seed files it was computed from and how many problems int_scoring_config_errors listed. The
    models that refuse to build on a seed problem (assert_valid_scoring_config) read this row and
    query int_scoring_config_errors itself only when the row counts problems, is missing or was
    computed from other seed files than those now: the view's plan is large (docs/performance.md
    has its cost) and eight models ask. Grain: one row. -#}
{#- dbt's graph is there only while executing -#}
{%- set seeds_checksum = scoring_seeds_checksum() if execute else '' %}

with

errors as (

    select * from {{ ref('int_scoring_config_errors') }}

),

final as (

    select
        cast({{ sql_string(seeds_checksum) }} as {{ dbt.type_string() }}) as seeds_checksum,
        cast(count(*) as {{ dbt.type_bigint() }}) as problems
    from errors

)

select * from final
