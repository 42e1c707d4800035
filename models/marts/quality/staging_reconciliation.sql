{#- Where every raw row went, per input table: staged, quarantined or superseded (an older
    version of a lead). The optional sales tables have a row each, with 0 rows when absent. raw_rows = staged_rows + quarantined_rows + superseded_rows. -#}
with

leads as (

    select
        'leads' as source_table,
        count(*) as raw_rows,
        sum(case when quarantine_reason is null and version_rank = 1 then 1 else 0 end) as staged_rows,
        sum(case when quarantine_reason is not null then 1 else 0 end) as quarantined_rows,
        sum(case when quarantine_reason is null and version_rank > 1 then 1 else 0 end) as superseded_rows
    from {{ ref('base_raw__leads') }}

),

events as (

    select
        'events' as source_table,
        (select count(*) from {{ ref('base_raw__events') }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__events') }}) as staged_rows,
        (select count(*) from {{ ref('quarantined_events') }}) as quarantined_rows,
        0 as superseded_rows

),

conversions as (

    select
        'conversions' as source_table,
        count(*) as raw_rows,
        sum(case when quarantine_reason is null then 1 else 0 end) as staged_rows,
        sum(case when quarantine_reason is not null then 1 else 0 end) as quarantined_rows,
        0 as superseded_rows
    from {{ ref('base_raw__conversions') }}

),

{%- for table in ['sales_activities', 'sales_outcomes', 'owners'] %}

    {{ table }} as (

        select
            {{ sql_string(table) }} as source_table,
            count(*) as raw_rows,
            sum(case when quarantine_reason is null then 1 else 0 end) as staged_rows,
            sum(case when quarantine_reason is not null then 1 else 0 end) as quarantined_rows,
            0 as superseded_rows
        from {{ ref('base_raw__' ~ table) }}

    ),
{%- endfor %}

unioned as (

    select * from leads
    union all
    select * from events
    union all
    select * from conversions
    union all
    select * from sales_activities
    union all
    select * from sales_outcomes
    union all
    select * from owners

),

final as (

    select
        source_table,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(staged_rows, 0) as {{ dbt.type_bigint() }}) as staged_rows,
        cast(coalesce(quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(coalesce(superseded_rows, 0) as {{ dbt.type_bigint() }}) as superseded_rows,
        cast(coalesce(quarantined_rows, 0) as {{ type_double() }}) / nullif(raw_rows, 0) as quarantine_share
    from unioned

)

select * from final
